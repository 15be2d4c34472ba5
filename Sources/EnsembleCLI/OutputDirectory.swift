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

/// The output folder of a command that writes results (`run`, `merge`, `report`,
/// `sensitivity`, `trace`; the same steps serve any later writer, such as an explorer page
/// added to a result folder).
///
/// Every writer goes the same way:
/// 1. ``open(path:command:force:resume:quiet:inputs:ignoring:)`` (a new result) or
///    ``existing(_:command:quiet:inputs:)`` (a rewrite of the folder's own result)
///    creates and locks the folder (``FolderLock``), then finishes or undoes whatever an
///    interrupted command left in it (``recover()``), and says what the folder holds.
/// 2. ``startStaging()`` makes the staging folder `.ensemble-run` (``StagingFolder``);
///    ``write(_:_:)``, ``temporaryURL(for:)`` and ``finish(_:as:)`` write the new files
///    into it, each complete and synced before it takes its name.
/// 3. ``publish(keeping:)`` moves them into the folder through a record of intent
///    (``Publication``), so that a command stopped at any instant leaves the old result or
///    the new one, never a mix under a manifest; ``publish(failure:keeping:_:)`` runs 2
///    and 3 and removes the staging folder when the writing fails or is interrupted.
///
/// The staging folder also holds an interrupted run's journal (``RunJournal``), which
/// `run --resume` continues; recovery keeps a staging folder whose journal identity
/// (`run.json`) is there, and removes everything else in it. Any command that works in
/// units can keep its journal the same way. With `--force`, the new result replaces only
/// the files that the previous result's manifest lists; nothing else in the folder is
/// touched, and no file the command reads (its `inputs`) is ever removed or replaced.
///
/// A writer that adds a file to a finished result (an explorer page, say) opens the folder
/// with ``existing(_:command:quiet:inputs:)``, stages its file and the result's manifest
/// listing it, and publishes keeping the result's other files.
final class OutputDirectory {
  static let stagingName = StagingFolder.name

  let path: FolderPath
  let lock: FolderLock
  let staging: StagingFolder
  let command: String
  let quiet: Bool
  /// The files and folders the command reads: never removed or replaced.
  var inputs: Set<FileIdentity>
  /// The files the result is made from, each read through one descriptor: checked just
  /// before the publish, which is refused (exit 1) when one changed while it was read.
  var watched: [InputFile] = []
  let token: String
  var temporaries: Set<URL> = []

  var url: URL { path.url }
  /// The folder as the user named it, for messages.
  var display: String { path.shown }
  /// Where files are written: the staging folder.
  var target: URL { staging.url }

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

  private init(
    path: FolderPath, lock: FolderLock, command: String, quiet: Bool, inputs: Set<FileIdentity>
  ) {
    self.path = path
    self.lock = lock
    self.command = command
    self.quiet = quiet
    self.inputs = inputs
    staging = StagingFolder(in: path.url, display: path.shown)
    token = "\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1000))"
  }

  deinit { lock.release() }

  /// Checks an `--out` value (not empty, not an option) and resolves it (``FolderPath``).
  static func checkPath(_ path: String?, command: String) throws(CLIError) -> FolderPath? {
    guard let path else { return nil }
    if path.isEmpty {
      throw CLIError(
        "\(command): --out is empty (an unset variable?); give the folder for the results")
    }
    if path.hasPrefix("-") {
      throw CLIError(
        "\(command): --out \(FolderPath.escaped(path)) looks like an option; give a folder "
          + "(write ./\(FolderPath.escaped(path)) if that is really its name)")
    }
    return try FolderPath.output(path, command: command)
  }

  /// The `--out` of a command, or its default (`results/NAME`, in a shard's own folder
  /// below it when sharded), resolved.
  static func outputPath(
    _ value: String?, default name: String, shard: Shard = Shard(), command: String
  ) throws(CLIError) -> FolderPath {
    if let path = try checkPath(value, command: command) { return path }
    var written = name
    if shard.count > 1 { written += "/shard-\(shard.index)-of-\(shard.count)" }
    return try FolderPath.output(written, command: command)
  }

  /// Opens the folder for a new result (`run`, `merge`, `sensitivity`, `trace`): creates
  /// and locks it, finishes what an interrupted command left (``recover()``), and finds out
  /// what it holds. Refuses a folder in use, and (unless `force`) one holding other files
  /// or an interrupted run (unless `resume`).
  /// - Parameters:
  ///   - inputs: the files and folders the command reads, which it must never remove.
  ///   - ignoring: entries not to count (merge inputs inside the folder).
  static func open(
    path: FolderPath, command: String, force: Bool, resume: Bool, quiet: Bool = false,
    inputs: Set<FileIdentity> = [], ignoring: Set<String> = []
  ) throws(CLIError) -> (OutputDirectory, Previous) {
    let path = try path.created(command: command)
    let lock = try FolderLock.acquire(path, command: command, quiet: quiet)
    let output = OutputDirectory(
      path: path, lock: lock, command: command, quiet: quiet, inputs: inputs)
    try output.recover()
    let previous = output.previous(ignoring: ignoring)
    let described = path.described
    switch previous {
    case .empty:
      break
    case .interrupted:
      if !resume && !force {
        throw CLIError(
          "\(command): \(described) holds an interrupted "
            + "\(RunJournal.kind(in: output.target)); continue it by adding --resume to the "
            + "same command, or discard it with --force")
      }
    case .result(let manifest):
      if !force && !resume {
        throw CLIError(
          "\(command): the output folder \(described) is not empty (it holds a result of "
            + "\(manifest.name)); choose another --out, or pass --force to replace its results")
      }
    case .listed(let kind, let name, _):
      // `sensitivity --resume` looks at a finished analysis itself (it may be this one).
      if !force && !(resume && command == "sensitivity" && kind == "a sensitivity analysis") {
        throw CLIError(
          "\(command): the output folder \(described) is not empty (it holds \(kind) of "
            + "\(name)); choose another --out, or pass --force to replace its results")
      }
    case .other(let names):
      if !force {
        let shown =
          names.prefix(3).map(FolderPath.escaped).joined(separator: ", ")
          + (names.count > 3 ? ", ..." : "")
        throw CLIError(
          "\(command): the output folder \(described) is not empty (\(shown)); choose another "
            + "--out, or pass --force to add the results beside those files (files of the "
            + "same names are replaced)")
      }
    }
    try output.checkInputs(previous.replacedFiles, replaced: true)
    return (output, previous)
  }

  /// Opens an existing result folder to rewrite its own result (`report`), locked and
  /// recovered like ``open(path:command:force:resume:quiet:inputs:ignoring:)``.
  static func existing(
    _ path: FolderPath, command: String, quiet: Bool = false, inputs: Set<FileIdentity> = []
  ) throws(CLIError) -> (OutputDirectory, Previous) {
    let lock = try FolderLock.acquire(path, command: command, quiet: quiet)
    let output = OutputDirectory(
      path: path, lock: lock, command: command, quiet: quiet, inputs: inputs)
    try output.recover()
    return (output, output.previous(ignoring: []))
  }

  /// Refuses a folder that holds an interrupted run or sensitivity analysis: only its own
  /// `--resume` may continue it. `report` and `explore`, which work on the folder's result,
  /// say how to finish it before `purpose`; `merge` (no purpose), which would write a new
  /// result there, says to finish it or merge elsewhere.
  func refuseInterrupted(_ previous: Previous, described: String, before purpose: String? = nil)
    throws(CLIError)
  {
    guard case .interrupted = previous else { return }
    let kind = RunJournal.kind(in: target)
    let start = "\(command): \(described) holds an interrupted \(kind); finish it with "
    guard let purpose else { throw CLIError(start + "--resume, or merge elsewhere") }
    throw CLIError(
      start + "`ensemble \(kind == "run" ? "run" : "sensitivity") ... --resume` (or discard it "
        + "with --force) before \(purpose)")
  }

  /// Opens the folder's own file `name` to make the new result from (`report` reads
  /// `runs.csv`): through one descriptor, never removed or replaced by the publish, and
  /// checked for changes before it (nil when there is no such file).
  /// - Parameter protect: false for a file the publish itself replaces (the manifest that
  ///   `report` writes back as it read it).
  func input(_ name: String, protect: Bool = true) throws(CLIError) -> InputFile? {
    guard
      let file = try InputFile.open(
        path: url.appendingPathComponent(name).path, name: path.describing(name),
        command: command)
    else { return nil }
    watch([file], protect: protect)
    return file
  }

  /// Files the new result is made from (``watched``): the publish checks them for changes
  /// first, and never removes or replaces them (unless not `protect`).
  func watch(_ files: [InputFile], protect: Bool = true) {
    watched += files
    if protect { inputs.formUnion(files.map(\.stamp.identity)) }
  }

  /// What the folder holds (its staging folder and lock aside).
  func previous(ignoring: Set<String>) -> Previous {
    let manager = FileManager.default
    let entries = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? [])
      .filter { $0 != FolderLock.name && $0 != Self.stagingName && !ignoring.contains($0) }
      .sorted()
    if staging.holdsJournal { return .interrupted }
    if manager.fileExists(atPath: url.appendingPathComponent("manifest.json").path),
      let manifest = try? ResultFolder.manifest(url, display: display, command: command)
    {
      return .result(manifest)
    }
    if let (kind, name, files) = Self.listedResult(url) {
      return .listed(kind: kind, name: name, files: files)
    }
    // Other files, or a result whose manifest does not read: --force replaces only the
    // files of the same names as the new result's.
    return entries.isEmpty ? .empty : .other(entries)
  }

  /// Finishes or undoes what an interrupted command left in the staging folder: a publish
  /// whose record of intent was written is carried out to the end (rolled forward);
  /// anything else is removed (rolled back), but for an interrupted run's journal.
  func recover() throws(CLIError) {
    guard try staging.exists(command: command) else { return }
    if let publication = Publication.read(in: staging.url) {
      let missing = try publication.execute(folder: url, staging: staging.url)
      finishStaging()
      note(
        "finished publishing the result that an interrupted command left in \(display)"
          + (missing.isEmpty
            ? "" : " (\(missing.joined(separator: ", ")) had gone from its staging folder)"))
    } else if staging.holdsJournal {
      staging.clear(keeping: RunJournal.names)
    } else {
      // Files of an unfinished result (not the leftovers of a finished publish's clean-up).
      let unfinished = ((try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? [])
        .contains { $0 != StagingFolder.markerName && !RunJournal.names.contains($0) }
      staging.clear()
      if unfinished {
        note("removed the unfinished files that an interrupted command left in \(staging.display)")
      }
    }
  }

  func note(_ text: String) {
    if !quiet { Console.error("ensemble: \(text)") }
  }

  /// Starts a fresh staging folder (removing an old one, which is ensemble's: ``recover()``
  /// checked its marker).
  func startStaging() throws(CLIError) {
    if try staging.exists(command: command) { staging.clear() }
    try staging.create()
  }

  /// Refuses (exit 2) when the publish would remove or replace a file the command reads.
  func checkInputs(_ names: [String], replaced: Bool) throws(CLIError) {
    guard !inputs.isEmpty else { return }
    for name in names where Publication.isPlainName(name) {
      let entry = url.appendingPathComponent(name).path
      guard let id = FileIdentity(entry: entry), inputs.contains(id) else { continue }
      throw CLIError(
        "\(command): the result would \(replaced ? "replace" : "remove") \(display)/"
          + "\(FolderPath.escaped(name)), which this command reads; write the result into "
          + "another folder, or move that file out of it")
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
      guard case .string(let name) = entry.value, Publication.isPlainName(name) else {
        return nil
      }
      files.append(name)
    }
    guard case .string(let name)? = node["name"]?.value else { return nil }
    return (kind, name, files)
  }

  /// The files of the result now in the folder, as its manifest lists them (empty when it
  /// has no manifest that reads).
  func currentFiles() -> [String] {
    if let manifest = try? ResultFolder.manifest(url, display: display, command: command) {
      return Self.files(of: manifest)
    }
    return Self.listedResult(url)?.files ?? []
  }

  func temporaryURL(for name: String) -> URL {
    let temporary = target.appendingPathComponent(".\(name).\(token).tmp")
    temporaries.insert(temporary)
    return temporary
  }

  /// Writes `text` to `name` in the staging folder through a temporary file.
  func write(_ name: String, _ text: String) throws(CLIError) {
    try write(name, bytes: Array(text.utf8))
  }

  func write(_ name: String, bytes: [UInt8]) throws(CLIError) {
    let temporary = temporaryURL(for: name)
    try DurableFile.write(temporary, bytes)
    try finish(temporary, as: name)
  }

  /// Copies a file (one the result keeps as it is, such as its manifest for `report`) into
  /// the staging folder under `name`.
  func copy(from source: URL, as name: String) throws(CLIError) {
    guard let data = FileManager.default.contents(atPath: source.path) else {
      throw CLIError("cannot read \(source.path)", code: .failure)
    }
    try write(name, bytes: Array(data))
  }

  /// Renames a finished temporary file to `name` in the staging folder.
  func finish(_ temporary: URL, as name: String) throws(CLIError) {
    let final = target.appendingPathComponent(name)
    if rename(temporary.path, final.path) != 0 {
      throw CLIError(
        "cannot finish \(final.path): \(String(cString: strerror(errno)))", code: .failure)
    }
    temporaries.remove(temporary)
  }

  /// Moves every file of the staging folder into the folder (see ``Publication``). The
  /// files of the result now in the folder that the new one does not replace are removed,
  /// but for those in `keeping` (the files a rewrite leaves as they are, such as the
  /// `runs.csv` that `report` reads). Refuses, before anything changes, to put a file where
  /// a folder is or to remove or replace one of the command's inputs.
  func publish(keeping: Set<String> = []) throws(CLIError) {
    let staged = ((try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? [])
      .filter {
        Publication.isPlainName($0) && $0 != StagingFolder.markerName
          && $0 != Publication.fileName && !RunJournal.names.contains($0)
      }
      .sorted()
    let moves = staged.filter { $0 != "manifest.json" } + staged.filter { $0 == "manifest.json" }
    var removals: [String] = []
    for name in currentFiles()
    where Publication.isPlainName(name) && !staged.contains(name) && !keeping.contains(name)
      && !removals.contains(name)
    {
      var info = stat()
      let entry = url.appendingPathComponent(name).path
      if lstat(entry, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR { removals.append(name) }
    }
    for name in moves {
      var info = stat()
      let entry = url.appendingPathComponent(name).path
      if lstat(entry, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
        throw CLIError(
          "\(command): \(display)/\(name) is a folder, where the result's file \(name) goes; "
            + "move it away, or write the result into another folder")
      }
    }
    try checkInputs(moves, replaced: true)
    try checkInputs(removals, replaced: false)
    PublishFaults.pauseIfAsked()
    // The last moment to find that an input changed while it was read: nothing of the new
    // result is in the folder yet.
    try InputFile.verify(watched, command: command)
    let publication = Publication(removals: removals, moves: moves)
    try publication.record(in: staging.url)
    try publication.execute(folder: url, staging: staging.url)
    finishStaging()
  }

  /// Removes the staging folder after a publish: the journal's identity first (a staging
  /// folder without it holds no interrupted run), then the record, then the rest.
  func finishStaging() {
    PublishFaults.step()
    unlink(target.appendingPathComponent(RunJournal.identityName).path)
    PublishFaults.step()
    unlink(target.appendingPathComponent(Publication.fileName).path)
    PublishFaults.step()
    staging.clear()
    temporaries.removeAll()
  }

  /// Deletes every temporary file still open (after a failure or Ctrl-C).
  func removeTemporaries() {
    for temporary in temporaries { unlink(temporary.path) }
    temporaries.removeAll()
  }

  /// Writes a result into a fresh staging folder with `write`, then publishes it
  /// (``publish(keeping:)``). When `write` returns false (the command was interrupted) or
  /// anything throws before the publish is recorded, the staging folder is removed instead
  /// and the old result stays; an error passes on, a `CLIError` as it is and any other as
  /// "`failure`: reason" (exit 1). A publish that fails once recorded is left for the next
  /// command on the folder to finish.
  /// - Returns: whether the result was published.
  func publish(failure: String, keeping: Set<String> = [], _ write: () throws -> Bool)
    throws(CLIError) -> Bool
  {
    do {
      try startStaging()
      guard try write() else {
        discardStaging()
        return false
      }
      try publish(keeping: keeping)
      return true
    } catch let error as CLIError {
      discardStaging()
      throw error
    } catch {
      discardStaging()
      throw CLIError("\(failure): \(error)", code: .failure)
    }
  }

  /// Removes the staging folder (a command that did not finish), unless it holds a
  /// recorded publish, which the next command on the folder finishes.
  func discardStaging() {
    removeTemporaries()
    guard Publication.read(in: target) == nil else { return }
    var info = stat()
    if lstat(target.path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && staging.isMarked {
      staging.clear()
    }
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
