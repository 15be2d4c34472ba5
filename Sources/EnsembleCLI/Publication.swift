import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The record of intent of a publish: which staged files move into the output folder and
/// which of its old files go. It is written into the staging folder, durably, before the
/// first change to the folder, and removed after the last; so a command stopped at any
/// instant (by `kill -9` included) leaves either no record, and the old result untouched
/// (the next command removes the staging folder: it rolls back), or a record, which the
/// next command on the folder carries out to the end (it rolls forward).
///
/// Carrying it out is idempotent, so it may be stopped and started again any number of
/// times:
/// 1. the folder's `manifest.json` goes first, while the staged one still waits (so a
///    folder with a manifest never holds a mix of two results);
/// 2. the old files that the new result does not replace go;
/// 3. the staged files move in by `rename`, `manifest.json` last; a file no longer in the
///    staging folder has moved already.
struct Publication: Equatable {
  static let fileName = "publish"
  static let header = "ensemble-publish 1"

  /// Old files of the folder to remove (none of them among `moves`).
  var removals: [String]
  /// Staged files to move into the folder, `manifest.json` last.
  var moves: [String]

  /// Whether `name` can stand in a record: a plain file name on one line.
  static func isPlainName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix(".") && !name.contains("/")
      && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }

  func render() -> String {
    var text = Self.header + "\n"
    for name in removals { text += "remove \(name)\n" }
    for name in moves { text += "move \(name)\n" }
    return text + "end \(String(RunJournal.hash(Array(text.utf8)), radix: 16))\n"
  }

  /// Parses a record; nil unless it is complete and its checksum holds.
  static func parse(_ text: String) -> Publication? {
    guard text.hasPrefix(header + "\n"), text.hasSuffix("\n") else { return nil }
    var lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    guard let last = lines.popLast(), last.hasPrefix("end ") else { return nil }
    let body = lines.map { $0 + "\n" }.joined()
    guard UInt64(last.dropFirst(4), radix: 16) == RunJournal.hash(Array(body.utf8)) else {
      return nil
    }
    var publication = Publication(removals: [], moves: [])
    for line in lines.dropFirst() {
      if line.hasPrefix("remove ") {
        publication.removals.append(String(line.dropFirst(7)))
      } else if line.hasPrefix("move ") {
        publication.moves.append(String(line.dropFirst(5)))
      } else {
        return nil
      }
    }
    let names = publication.removals + publication.moves
    guard names.allSatisfy(isPlainName) else { return nil }
    return publication
  }

  /// The record in `staging`, if there is a valid one.
  static func read(in staging: URL) -> Publication? {
    let url = staging.appendingPathComponent(fileName)
    var info = stat()
    guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
      info.st_size < 1 << 24,
      let data = FileManager.default.contents(atPath: url.path)
    else { return nil }
    return parse(String(decoding: data, as: UTF8.self))
  }

  /// Writes the record into `staging`: through a temporary file, synced, renamed into
  /// place (the step that commits the publish), and the folder synced.
  func record(in staging: URL) throws(CLIError) {
    let temporary = staging.appendingPathComponent(".\(Self.fileName).tmp")
    unlink(temporary.path)
    try DurableFile.write(temporary, Array(render().utf8))
    PublishFaults.step()
    let url = staging.appendingPathComponent(Self.fileName)
    if rename(temporary.path, url.path) != 0 {
      throw CLIError(
        "cannot write \(url.path): \(String(cString: strerror(errno)))", code: .failure)
    }
    DurableFile.syncFolder(staging)
  }

  /// Carries the record out in `folder` (see the type's description).
  /// - Returns: the staged files that were neither in the staging folder nor in the folder
  ///   (removed by hand meanwhile); empty when all is well.
  @discardableResult
  func execute(folder: URL, staging: URL) throws(CLIError) -> [String] {
    func entry(_ base: URL, _ name: String) -> stat? {
      var info = stat()
      return lstat(base.appendingPathComponent(name).path, &info) == 0 ? info : nil
    }
    func remove(_ name: String) throws(CLIError) {
      guard let info = entry(folder, name), info.st_mode & S_IFMT != S_IFDIR else { return }
      PublishFaults.step()
      let path = folder.appendingPathComponent(name).path
      if unlink(path) != 0 && errno != ENOENT {
        throw CLIError(
          "cannot remove \(path): \(String(cString: strerror(errno)))", code: .failure)
      }
    }
    let manifest = "manifest.json"
    if moves.contains(manifest) && entry(staging, manifest) != nil {
      try remove(manifest)
    }
    for name in removals { try remove(name) }
    var missing: [String] = []
    for name in moves {
      guard entry(staging, name) != nil else {
        if entry(folder, name) == nil { missing.append(name) }
        continue
      }
      PublishFaults.step()
      let from = staging.appendingPathComponent(name).path
      let to = folder.appendingPathComponent(name).path
      if rename(from, to) != 0 {
        throw CLIError(
          "cannot move \(name) into \(folder.path): \(String(cString: strerror(errno)))",
          code: .failure)
      }
    }
    DurableFile.syncFolder(folder)
    return missing
  }
}

/// The staging folder `.ensemble-run` of an output folder, where a command writes its files
/// before they are published. A marker file in it says it is ensemble's: a file, a link or
/// a folder of the user's that merely has the name is refused, never deleted.
struct StagingFolder {
  static let name = ".ensemble-run"
  static let markerName = "ensemble-staging"
  static let markerText =
    "ensemble-staging 1\nThis folder holds the unfinished files of an ensemble command; "
    + "ensemble removes it. Keep no files of your own here.\n"

  let url: URL
  /// How messages name it (`DIR/.ensemble-run`).
  let display: String

  init(in folder: URL, display: String) {
    url = folder.appendingPathComponent(Self.name)
    self.display = display.hasSuffix("/") ? display + Self.name : display + "/" + Self.name
  }

  var marker: URL { url.appendingPathComponent(Self.markerName) }

  /// Whether the staging folder exists; refuses (exit 2) when something not ensemble's has
  /// its name. An empty folder (a command stopped right after creating it) counts as ours.
  func exists(command: String) throws(CLIError) -> Bool {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return false }
    let refusal =
      "\(command): \(display) is in the way: ensemble keeps its unfinished files there"
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      break
    case S_IFLNK:
      throw CLIError(
        "\(refusal), but it is a symbolic link (ensemble never follows it); move it away")
    default:
      throw CLIError("\(refusal), but it is a file of yours, not a folder; move it away")
    }
    if isMarked || isLegacyJournal { return true }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    if entries.isEmpty { return true }
    throw CLIError(
      "\(refusal), but this folder is not ensemble's (it has no \(Self.markerName) file); "
        + "move it away")
  }

  var isMarked: Bool {
    var info = stat()
    guard lstat(marker.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
      let data = FileManager.default.contents(atPath: marker.path)
    else { return false }
    return String(decoding: data, as: UTF8.self).hasPrefix("ensemble-staging 1\n")
  }

  /// The journal of a run interrupted by an ensemble before the marker existed.
  var isLegacyJournal: Bool {
    RunJournal.names.allSatisfy {
      var info = stat()
      return lstat(url.appendingPathComponent($0).path, &info) == 0
        && info.st_mode & S_IFMT == S_IFREG
    }
  }

  /// Creates the folder and its marker (the folder must not exist).
  func create() throws(CLIError) {
    if mkdir(url.path, 0o755) != 0 {
      throw CLIError(
        "cannot create \(display): \(String(cString: strerror(errno)))", code: .failure)
    }
    try DurableFile.write(marker, Array(Self.markerText.utf8))
  }

  /// Whether it holds a run's journal (an interrupted run that `--resume` continues).
  var holdsJournal: Bool {
    var info = stat()
    return lstat(url.appendingPathComponent(RunJournal.identityName).path, &info) == 0
  }

  /// Removes what it holds but `keeping` (and the marker, when something is kept), and
  /// the folder itself when nothing is kept. Links are removed, never followed.
  func clear(keeping: Set<String> = []) {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    let kept = keeping.isEmpty ? [] : keeping.union([Self.markerName])
    for name in entries where !kept.contains(name) && name != Self.markerName {
      Self.removeTree(url.appendingPathComponent(name).path)
    }
    if kept.isEmpty {
      unlink(marker.path)
      rmdir(url.path)
    }
  }

  /// Removes `path`: a file or link by `unlink`, a folder with what it holds.
  static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
        removeTree(path + "/" + name)
      }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}

/// Files written to be published: created new (never through a link), written in full and
/// synced to disk before anything refers to them.
enum DurableFile {
  static func write(_ url: URL, _ bytes: [UInt8]) throws(CLIError) {
    let fd = posixOpen(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    if fd < 0 {
      throw CLIError(
        "cannot create \(url.path): \(String(cString: strerror(errno)))", code: .failure)
    }
    defer { posixClose(fd) }
    try BufferedFile.writeAll(fd, bytes, url)
    if fsync(fd) != 0 && errno != EINVAL {
      throw CLIError(
        "cannot write \(url.path): \(String(cString: strerror(errno)))", code: .failure)
    }
  }

  /// Makes the renames and removals in `folder` durable (best effort: some file systems do
  /// not sync folders).
  static func syncFolder(_ folder: URL) {
    let fd = posixOpen(folder.path, O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    posixClose(fd)
  }
}

/// A test hook: `ENSEMBLE_FAULT_PUBLISH_STEP=N` kills the process (`SIGKILL`, as `kill -9`
/// would) just before the N-th change a publish makes to the disk: committing its record,
/// each removal, each move, and the clean-up. Tests use it to stop a command at every
/// step of its publish, instead of killing it at a random instant.
enum PublishFaults {
  nonisolated(unsafe) static var steps = 0
  static let target: Int? = ProcessInfo.processInfo.environment["ENSEMBLE_FAULT_PUBLISH_STEP"]
    .flatMap { Int($0) }

  static func step() {
    guard let target else { return }
    steps += 1
    if steps == target {
      kill(getpid(), SIGKILL)
      _exit(137)
    }
  }
}
