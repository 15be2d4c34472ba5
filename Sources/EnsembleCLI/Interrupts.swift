import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Set by Ctrl-C (SIGINT) or SIGTERM; polled by the runner, the merge, the report and the
/// trace.
let interruptFlag = Atomic<Bool>(false)

/// Ctrl-C and SIGTERM: the first asks the command to stop where it can leave its files in
/// order; a second one, or a command still running 0.5 s after the first, ends the process
/// at once. Either way every command ends within a second, and what it leaves is what a
/// `kill -9` would leave: an intact old result, a journal `run --resume` continues, or a
/// recorded publish, which the next command on the folder finishes.
///
/// SIGPIPE is ignored: a closed standard error (`ensemble run ... 2>&1 | head`) ends the
/// progress output (``Console``), not the run.
enum Interrupts {
  nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
  /// How long a command may take to stop after the first signal.
  static let grace = 0.5

  static func install() {
    guard sources.isEmpty else { return }
    signal(SIGPIPE, SIG_IGN)
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        if interruptFlag.exchange(true, ordering: .relaxed) {
          _exit(ExitCode.interrupted.rawValue)  // a second Ctrl-C: stop at once
        }
        Console.error("\nensemble: stopping (Ctrl-C again to quit at once)")
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
          _exit(ExitCode.interrupted.rawValue)
        }
      }
      source.resume()
      sources.append(source)
    }
  }

  static var requested: Bool { interruptFlag.load(ordering: .relaxed) }
}
