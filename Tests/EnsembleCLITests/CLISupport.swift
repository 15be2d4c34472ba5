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
  static var executable: URL {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = exe.deletingLastPathComponent()
    // The test binary sits in .../debug/EnsemblePackageTests.xctest (a file on Linux).
    while !FileManager.default.isExecutableFile(
      atPath: folder.appendingPathComponent("ensemble").path)
      && folder.path != "/"
    {
      folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("ensemble")
  }

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
