import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Exit codes of the `ensemble` command.
enum ExitCode: Int32 {
  case success = 0
  /// The run itself failed (a file could not be written, ...).
  case failure = 1
  /// A mistake in the command line or an input file.
  case usage = 2
  /// Stopped by Ctrl-C.
  case interrupted = 130
}

/// An error for the user: a message and the exit code it ends with.
struct CLIError: Error, CustomStringConvertible {
  var message: String
  var code: ExitCode = .usage

  init(_ message: String, code: ExitCode = .usage) {
    self.message = message
    self.code = code
  }

  var description: String { message }
}

/// Everything the CLI does to the terminal and the process, in one place.
enum Console {
  /// Writes a line to standard error.
  static func error(_ text: String) {
    write(STDERR_FILENO, text + "\n")
  }

  /// Writes text to standard error without a newline (progress updates).
  static func status(_ text: String) {
    write(STDERR_FILENO, text)
  }

  /// Writes a line to standard output.
  static func out(_ text: String) {
    write(STDOUT_FILENO, text + "\n")
  }

  /// Writes all of `text` to `fd`. A stream that fails (a pipe whose reader has gone:
  /// EPIPE, SIGPIPE being ignored) is given up: its output ends, the command goes on.
  static func write(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { raw in
        posixWrite(fd, raw.baseAddress! + done, raw.count - done)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      done += n
    }
  }

  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Peak resident memory of this process, in bytes.
  static var peakMemoryBytes: Int {
    var usage = rusage()
    #if os(Linux)
      getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
      getrusage(RUSAGE_SELF, &usage)
    #endif
    #if os(Linux)
      return Int(usage.ru_maxrss) * 1024
    #else
      return Int(usage.ru_maxrss)
    #endif
  }

  static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
