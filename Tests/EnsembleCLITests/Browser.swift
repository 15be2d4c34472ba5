import Foundation
import Testing

/// Headless Chromium (or node, for pure scripts), for the tests of `explore.html`. A test
/// that needs one is enabled only where it is installed, so that it shows as skipped
/// elsewhere; CI installs Chromium (`.ci/run`).
enum Browser {
  /// The first Chromium found: `$ENSEMBLE_CHROMIUM`, else `chromium`, `chromium-browser`,
  /// `google-chrome` or `google-chrome-stable` on the `PATH`.
  static let chromium: URL? = {
    if let path = ProcessInfo.processInfo.environment["ENSEMBLE_CHROMIUM"], !path.isEmpty {
      return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }
    return find(["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"])
  }()

  /// `node`, if installed (runs the pure wording script where Chromium is missing).
  static let node: URL? = find(["node", "nodejs"])

  static func find(_ names: [String]) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for name in names {
      for folder in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      }
    }
    return nil
  }

  /// The DOM of `file` at address fragment `hash` after its scripts ran, as headless
  /// Chromium dumps it. With `virtualTime`, timers run in virtual time up to that many ms
  /// (real time is then not measured: a test of speed passes nil).
  static func dumpDOM(_ file: URL, hash: String = "", virtualTime: Int? = 5000) throws -> String {
    guard let chromium else { throw BrowserError("no Chromium") }
    let profile = FileManager.default.temporaryDirectory
      .appendingPathComponent("ensemble-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    var address = file.absoluteString
    if !hash.isEmpty { address += "#" + hash }
    var arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--disable-extensions", "--user-data-dir=\(profile.path)", "--window-size=1280,720",
      "--dump-dom",
    ]
    if let virtualTime { arguments.append("--virtual-time-budget=\(virtualTime)") }
    arguments.append(address)
    return try run(chromium, arguments)
  }

  /// Runs `executable`, returning its standard output; fails after `timeout` seconds.
  static func run(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 90) throws
    -> String
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var data = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      data = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      group.wait()
      throw BrowserError("\(executable.lastPathComponent) took more than \(Int(timeout)) s")
    }
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// The text of the first element with `id` in a dumped DOM, its entities decoded.
  static func text(ofID id: String, in dom: String) -> String? {
    guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
    guard let open = dom[start.upperBound...].firstIndex(of: ">") else { return nil }
    let rest = dom[dom.index(after: open)...]
    guard let close = rest.range(of: "</") else { return nil }
    return decode(String(rest[..<close.lowerBound]))
  }

  /// Text with its tags removed and HTML entities decoded.
  static func decode(_ html: String) -> String {
    var text = ""
    var inTag = false
    for ch in html {
      if ch == "<" {
        inTag = true
      } else if ch == ">" && inTag {
        inTag = false
      } else if !inTag {
        text.append(ch)
      }
    }
    return text.replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(
        of: "&nbsp;", with: "\u{A0}"
      )
      .replacingOccurrences(of: "&amp;", with: "&")
  }

  /// A dumped DOM without the text of its `<script>` elements (which spell out attributes
  /// the page writes), so that a search finds what is on the page.
  static func markup(_ dom: String) -> String {
    var out = ""
    var rest = dom[...]
    while let open = rest.range(of: "<script") {
      out += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].range(of: "</script>") else { return out }
      rest = rest[close.upperBound...]
    }
    return out + rest
  }

  /// Every `NAME="VALUE"` attribute of `name` in `html`, its entities decoded.
  static func attributes(_ name: String, in html: String) -> [String] {
    var values: [String] = []
    var rest = html[...]
    while let found = rest.range(of: " \(name)=\"") {
      let tail = rest[found.upperBound...]
      guard let end = tail.firstIndex(of: "\"") else { break }
      values.append(decode(String(tail[..<end])))
      rest = tail[end...]
    }
    return values
  }
}

struct BrowserError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
