import Foundation
import Testing

/// What a run of the `ensemble` binary printed and how it ended.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs the built `ensemble` executable, which SwiftPM builds beside the test bundle.
enum CLI {
  /// A class to ask Foundation where the test bundle is.
  private final class BundleMarker {}

  /// The `ensemble` binary: `$ENSEMBLE_BINARY` if set, else the one beside the test bundle
  /// (a folder up from it: `.../debug/EnsemblePackageTests.xctest` is a file on Linux and a
  /// bundle folder on macOS). Found from Foundation's bundle and the test's own path, so it
  /// needs no `/proc`.
  static let executable: URL = {
    if let path = ProcessInfo.processInfo.environment["ENSEMBLE_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    let starts = [
      Bundle(for: BundleMarker.self).bundleURL, Bundle.main.bundleURL,
      Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0]),
    ].compactMap { $0?.standardizedFileURL }
    for start in starts {
      var folder = start.deletingLastPathComponent()
      while folder.path != "/" && !folder.path.isEmpty {
        let candidate = folder.appendingPathComponent("ensemble")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder),
          !isFolder.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
        {
          return candidate
        }
        folder = folder.deletingLastPathComponent()
      }
    }
    fatalError("no ensemble binary beside the tests (\(starts)); set ENSEMBLE_BINARY")
  }()

  @discardableResult
  static func run(
    _ arguments: [String], in directory: URL? = nil, executable: URL = CLI.executable,
    environment: [String: String]? = nil, interruptWhen ready: (() -> Bool)? = nil
  ) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read while it runs so a full pipe never blocks it.
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if let ready {
      // Interrupt once the condition holds (polled every 10 ms, for at most a minute).
      let deadline = Date(timeIntervalSinceNow: 60)
      while process.isRunning && !ready() && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.01)
      }
      process.interrupt()
    }
    process.waitUntilExit()
    group.wait()
    return CommandResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A new empty folder under the system's temporary folder; the test removes it with
  /// ``remove(_:)`` in a `defer`.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("ensemble-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Removes a folder made by ``temporaryFolder()`` and everything in it.
  static func remove(_ folder: URL) {
    try? FileManager.default.removeItem(at: folder)
  }

  static func read(_ url: URL) throws -> String {
    try String(contentsOf: url, encoding: .utf8)
  }

  static func files(in url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
  }
}

/// A run of the `ensemble` binary in the background, for tests that stop, pause or kill it
/// at a chosen moment.
final class BackgroundCommand: @unchecked Sendable {
  let process = Process()
  private let group = DispatchGroup()
  private var errData = Data()

  init(
    _ arguments: [String], environment: [String: String]? = nil,
    executable: URL = CLI.executable
  ) throws {
    process.executableURL = executable
    process.arguments = arguments
    if let environment {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    try process.run()
    group.enter()
    DispatchQueue.global().async { [self] in
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
  }

  var pid: Int32 { process.processIdentifier }

  /// Polls `condition` every 5 ms while the process runs (at most a minute); true when it
  /// came true.
  @discardableResult
  func wait(until condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: 60)
    while !condition() {
      if !process.isRunning || Date() > deadline { return condition() }
      Thread.sleep(forTimeInterval: 0.005)
    }
    return true
  }

  func signal(_ number: Int32) { kill(pid, number) }

  /// Waits for the end; the exit status (or 128 + signal) and standard error.
  func finish() -> (status: Int32, stderr: String) {
    process.waitUntilExit()
    group.wait()
    let status =
      process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
    return (status, String(decoding: errData, as: UTF8.self))
  }
}

extension CLI {
  /// The number of complete lines of a file (0 when it does not exist).
  static func lineCount(_ url: URL) -> Int {
    guard let data = FileManager.default.contents(atPath: url.path) else { return 0 }
    return data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
  }

  /// The names among `names` whose files differ between two folders (or are missing).
  static func differingFiles(_ a: URL, _ b: URL, _ names: [String]) -> [String] {
    names.filter { name in
      FileManager.default.contents(atPath: a.appendingPathComponent(name).path)
        != FileManager.default.contents(atPath: b.appendingPathComponent(name).path)
        || !FileManager.default.fileExists(atPath: a.appendingPathComponent(name).path)
    }
  }
}
