import EnsembleExperiments
import EnsembleReport
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `--out` folder of `run` and `merge`, and the folder `report` rewrites.
///
/// - It is locked (``FolderLock``) for as long as the command runs.
/// - `run` and `merge` write their files into the staging folder `.ensemble-run` inside it
///   and move them into the folder only when every one of them is complete
///   (``commit(files:)``), so old results stay intact until new ones replace them, and an
///   interrupted command never leaves a file that looks finished. The staging folder also
///   holds an interrupted run's journal, which `run --resume` continues.
/// - Every file is first written under a temporary name unique to the command
///   (`.NAME.<pid>-<time>.tmp`) and renamed when complete.
/// - With `--force`, the new result replaces only the files that the previous result's
///   manifest lists; nothing else in the folder is touched.
final class OutputDirectory {
  static let stagingName = ".ensemble-run"
  /// In the staging folder: the previous result's files to remove when the new one moves in.
  static let replacedName = "replaces.txt"

  let url: URL
  /// The folder as the user named it, for messages.
  let display: String
  let lock: FolderLock
  /// Where files are written: the staging folder, or the folder itself for `report`.
  let target: URL
  let token: String
  var temporaries: Set<URL> = []

  var staging: URL { url.appendingPathComponent(Self.stagingName) }

  /// Files of a result when its manifest does not list them (manifests before the list).
  static func files(of manifest: ResultManifest) -> [String] {
    if let files = manifest.files { return files }
    return [
      "runs.csv", "summary.csv", "contrasts.csv", "report.md", "report.html", "conditions.svg",
    ] + manifest.reportMetrics.map { "sweep-\($0).svg" } + ["manifest.json"]
  }

  /// What an output folder held before this command.
  enum Previous {
    case empty
    /// An interrupted `run` (its staging folder holds a journal).
    case interrupted
    /// A finished result, and its manifest.
    case result(ResultManifest)
    /// A finished sensitivity analysis or trace (`kind`) of the named experiment, and the
    /// files its manifest lists.
    case listed(kind: String, name: String, files: [String])
    /// Other files (no result's manifest).
    case other([String])

    /// The files a new result replaces: those of the previous result's manifest.
    var replacedFiles: [String] {
      switch self {
      case .result(let manifest): OutputDirectory.files(of: manifest)
      case .listed(_, _, let files): files
      case .empty, .interrupted, .other: []
      }
    }

  }

  private init(url: URL, display: String, lock: FolderLock, target: URL) {
    self.url = url
    self.display = display
    self.lock = lock
    self.target = target
    token = "\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1000))"
  }

  deinit { lock.release() }

  /// Checks an `--out` value: not empty, not an option.
  static func checkPath(_ path: String?, command: String) throws(CLIError) -> String? {
    guard let path else { return nil }
    if path.isEmpty {
      throw CLIError(
        "\(command): --out is empty (an unset variable?); give the folder for the results")
    }
    if path.hasPrefix("-") {
      throw CLIError(
        "\(command): --out \(path) looks like an option; give a folder (write ./\(path) if "
          + "that is really its name)")
    }
    return path
  }

  /// Creates `path` and its parents, with a message that says which part is in the way.
  static func makeFolder(_ path: String, command: String) throws(CLIError) {
    let absolute = URL(fileURLWithPath: path).standardized.path
    var current = ""
    for component in absolute.split(separator: "/") {
      current += "/" + component
      var info = stat()
      if stat(current, &info) == 0 {
        if (info.st_mode & S_IFMT) != S_IFDIR {
          throw CLIError(
            "\(command): cannot create the output folder \(path): \(current) is a file, not a folder"
          )
        }
        continue
      }
      if mkdir(current, 0o755) != 0 && errno != EEXIST {
        throw CLIError(
          "\(command): cannot create the output folder \(path): \(current): "
            + String(cString: strerror(errno)), code: .failure)
      }
    }
  }

  /// Opens the folder for `run` or `merge`: creates and locks it, and finds out what it
  /// held. Refuses a folder in use, and (unless `force`) one holding other files or an
  /// interrupted run (unless `resume`).
  /// - Parameter ignoring: entries not to count (merge inputs inside the folder).
  static func open(
    path: String, command: String, force: Bool, resume: Bool, ignoring: Set<String> = []
  ) throws(CLIError) -> (OutputDirectory, Previous) {
    try makeFolder(path, command: command)
    let url = URL(fileURLWithPath: path).standardized
    let hint =
      command == "run"
      ? "To continue that run, add --resume to the same command. " : ""
    let lock = try FolderLock.acquire(
      url, display: path, command: command, takeOverStale: resume, resumeHint: hint)
    let output = OutputDirectory(
      url: url, display: path, lock: lock, target: url.appendingPathComponent(stagingName))
    let manager = FileManager.default
    let entries = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? [])
      .filter { $0 != FolderLock.name && $0 != stagingName && !ignoring.contains($0) }
      .sorted()
    var previous = Previous.empty
    let journal = output.staging.appendingPathComponent(RunJournal.identityName).path
    if manager.fileExists(atPath: journal) {
      previous = .interrupted
    } else if manager.fileExists(atPath: url.appendingPathComponent("manifest.json").path),
      let manifest = try? ResultFolder.manifest(url, display: path, command: command)
    {
      previous = .result(manifest)
    } else if let (kind, name, files) = listedResult(url) {
      previous = .listed(kind: kind, name: name, files: files)
    } else if !entries.isEmpty {
      // Other files, or a result whose manifest does not read: --force replaces only the
      // files of the same names as the new result's.
      previous = .other(entries)
    }
    switch previous {
    case .empty:
      break
    case .interrupted:
      if !resume && !force {
        throw CLIError(
          "\(command): \(path) holds an interrupted run; continue it by adding --resume to "
            + "the same command, or discard it with --force")
      }
    case .result(let manifest):
      if !force && !resume {
        throw CLIError(
          "\(command): the output folder \(path) is not empty (it holds a result of "
            + "\(manifest.name)); choose another --out, or pass --force to replace its results")
      }
    case .listed(let kind, let name, _):
      if !force {
        throw CLIError(
          "\(command): the output folder \(path) is not empty (it holds \(kind) of \(name)); "
            + "choose another --out, or pass --force to replace its results")
      }
    case .other(let names):
      if !force {
        let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", ..." : "")
        throw CLIError(
          "\(command): the output folder \(path) is not empty (\(shown)); choose another "
            + "--out, or pass --force to add the results beside those files (files of the "
            + "same names are replaced)")
      }
    }
    return (output, previous)
  }

  /// Opens an existing result folder to rewrite files in place (`report`), locked.
  static func existing(_ url: URL, display: String, command: String) throws(CLIError)
    -> OutputDirectory
  {
    let lock = try FolderLock.acquire(
      url, display: display, command: command, takeOverStale: false, resumeHint: "")
    return OutputDirectory(url: url, display: display, lock: lock, target: url)
  }

  /// Starts a fresh staging folder (removing an old one).
  func startStaging(replacing previous: Previous) throws(CLIError) {
    try? FileManager.default.removeItem(at: staging)
    if mkdir(staging.path, 0o755) != 0 {
      throw CLIError(
        "cannot create \(staging.path): \(String(cString: strerror(errno)))", code: .failure)
    }
    let replaced = previous.replacedFiles
    if !replaced.isEmpty {
      try write(Self.replacedName, replaced.joined(separator: "\n") + "\n")
    }
  }

  /// What a finished sensitivity analysis or trace in `url` is ("a sensitivity analysis",
  /// "a trace"), its experiment's name and the files its manifest lists; nil when the
  /// folder holds neither.
  static func listedResult(_ url: URL) -> (kind: String, name: String, files: [String])? {
    let file = url.appendingPathComponent("manifest.json")
    guard let data = FileManager.default.contents(atPath: file.path),
      let node = try? JSON5.parse(String(decoding: data, as: UTF8.self)),
      case .string(let format)? = node["format"]?.value,
      case .array(let list)? = node["files"]?.value
    else { return nil }
    let kinds = [
      SensitivityCommand.format: "a sensitivity analysis", TraceCommand.format: "a trace",
    ]
    guard let kind = kinds[format] else { return nil }
    var files: [String] = []
    for entry in list {
      // Plain names only: a manifest never makes --force remove anything outside.
      guard case .string(let name) = entry.value, !name.isEmpty, !name.contains("/"),
        !name.hasPrefix(".")
      else { return nil }
      files.append(name)
    }
    guard case .string(let name)? = node["name"]?.value else { return nil }
    return (kind, name, files)
  }

  func temporaryURL(for name: String) -> URL {
    let temporary = target.appendingPathComponent(".\(name).\(token).tmp")
    temporaries.insert(temporary)
    return temporary
  }

  /// Writes `text` to `name` in the target folder through a temporary file.
  func write(_ name: String, _ text: String) throws(CLIError) {
    let temporary = temporaryURL(for: name)
    do {
      try Data(text.utf8).write(to: temporary)
    } catch {
      throw CLIError(
        "cannot write \(temporary.path): \(Self.reason(error))", code: .failure)
    }
    try finish(temporary, as: name)
  }

  /// Renames a finished temporary file to `name` in the target folder.
  func finish(_ temporary: URL, as name: String) throws(CLIError) {
    let final = target.appendingPathComponent(name)
    if rename(temporary.path, final.path) != 0 {
      throw CLIError(
        "cannot finish \(final.path): \(String(cString: strerror(errno)))", code: .failure)
    }
    temporaries.remove(temporary)
  }

  /// Moves the finished files from the staging folder into the folder: first the previous
  /// result's manifest goes (the folder then reads as unfinished), then its other files,
  /// then the new files, the manifest last; then the staging folder goes. Each step is a
  /// rename or a removal, and the staging folder keeps what is left to do, so a command
  /// stopped half way (even by `kill -9`) is finished by `run --resume`.
  func commit() throws(CLIError) {
    let manager = FileManager.default
    let replacedURL = staging.appendingPathComponent(Self.replacedName)
    var replaced: [String] = []
    if let text = try? String(contentsOf: replacedURL, encoding: .utf8) {
      replaced = text.split(separator: "\n").map(String.init)
    }
    let new = ((try? manager.contentsOfDirectory(atPath: staging.path)) ?? []).filter {
      !$0.hasPrefix(".") && $0 != Self.replacedName && !RunJournal.names.contains($0)
    }
    let oldManifest = url.appendingPathComponent("manifest.json")
    if manager.fileExists(atPath: oldManifest.path) && new.contains("manifest.json") {
      if unlink(oldManifest.path) != 0 {
        throw CLIError(
          "cannot replace \(oldManifest.path): \(String(cString: strerror(errno)))",
          code: .failure)
      }
    }
    for name in replaced where !new.contains(name) && !name.contains("/") && !name.hasPrefix(".") {
      try? manager.removeItem(at: url.appendingPathComponent(name))
    }
    for name in new.sorted() where name != "manifest.json" {
      try move(name)
    }
    if new.contains("manifest.json") { try move("manifest.json") }
    // The journal's identity first: a staging folder without it is no interrupted run.
    unlink(staging.appendingPathComponent(RunJournal.identityName).path)
    try? manager.removeItem(at: staging)
  }

  func move(_ name: String) throws(CLIError) {
    let from = staging.appendingPathComponent(name)
    let to = url.appendingPathComponent(name)
    if rename(from.path, to.path) != 0 {
      throw CLIError(
        "cannot move \(name) into \(display): \(String(cString: strerror(errno)))", code: .failure)
    }
  }

  /// Deletes every temporary file still open (after a failure or Ctrl-C).
  func removeTemporaries() {
    for temporary in temporaries { try? FileManager.default.removeItem(at: temporary) }
    temporaries.removeAll()
  }

  /// Writes a result into the staging folder with `write`, then moves it into place
  /// (``commit()``). When `write` returns false (the command was interrupted) or anything
  /// throws, the staging folder is removed instead and the old result stays; an error
  /// passes on, a `CLIError` as it is and any other as "`failure`: reason" (exit 1).
  /// - Returns: whether the result was moved into place.
  func publish(failure: String, _ write: () throws -> Bool) throws(CLIError) -> Bool {
    do {
      guard try write() else {
        discardStaging()
        return false
      }
      try commit()
      return true
    } catch let error as CLIError {
      discardStaging()
      throw error
    } catch {
      discardStaging()
      throw CLIError("\(failure): \(error)", code: .failure)
    }
  }

  /// Removes the staging folder (a merge that did not finish; a run started over).
  func discardStaging() {
    removeTemporaries()
    try? FileManager.default.removeItem(at: staging)
  }

  /// An error's reason without Foundation's domain and code.
  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    return ns.localizedDescription
  }
}

/// Appends text to a file through a buffer, flushing every 256 KiB.
final class BufferedFile {
  let url: URL
  var descriptor: Int32
  var buffer: [UInt8] = []

  init(_ url: URL, append: Bool = false) throws(CLIError) {
    self.url = url
    let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
    descriptor = open(url.path, flags, 0o644)
    if descriptor < 0 {
      throw CLIError(
        "cannot create \(url.path): \(String(cString: strerror(errno)))", code: .failure)
    }
    buffer.reserveCapacity(1 << 18)
  }

  deinit { if descriptor >= 0 { posixClose(descriptor) } }

  func write(_ text: String) throws(CLIError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 18 { try flush() }
  }

  func write(bytes: [UInt8]) throws(CLIError) {
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 18 { try flush() }
  }

  func flush() throws(CLIError) {
    guard !buffer.isEmpty else { return }
    try Self.writeAll(descriptor, buffer, url)
    buffer.removeAll(keepingCapacity: true)
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ url: URL) throws(CLIError) {
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        posixWrite(fd, raw.baseAddress! + done, bytes.count - done)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw CLIError(
          "cannot write \(url.path): \(String(cString: strerror(errno)))", code: .failure)
      }
      done += n
    }
  }

  /// Flushes and writes the file to disk (before it is renamed into place).
  func sync() throws(CLIError) {
    try flush()
    if fsync(descriptor) != 0 && errno != EINVAL {
      throw CLIError(
        "cannot write \(url.path): \(String(cString: strerror(errno)))", code: .failure)
    }
  }

  func close() throws(CLIError) {
    try flush()
    if descriptor >= 0 { posixClose(descriptor) }
    descriptor = -1
  }
}

/// The C library's `open`, `write` and `close`, under names no method shadows.
func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
  open(path, flags, mode)
}

func posixWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, pointer, count)
}

func posixClose(_ fd: Int32) {
  close(fd)
}
