import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Set by Ctrl-C (SIGINT) or SIGTERM; polled by the runner, the merge and the report.
let interruptFlag = Atomic<Bool>(false)

/// Ctrl-C and SIGTERM: the first asks the command to stop where it can leave its files in
/// order; a second one ends the process at once (a later `run --resume` still continues).
enum Interrupts {
  nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

  static func install() {
    guard sources.isEmpty else { return }
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        if interruptFlag.exchange(true, ordering: .relaxed) {
          exit(ExitCode.interrupted.rawValue)  // a second Ctrl-C: stop at once
        }
        Console.error("\nensemble: stopping (Ctrl-C again to quit at once)")
      }
      source.resume()
      sources.append(source)
    }
  }

  static var requested: Bool { interruptFlag.load(ordering: .relaxed) }
}
