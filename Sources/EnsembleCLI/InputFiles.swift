import EnsembleReport
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a file was when a command opened it: which file (device and inode), its size and
/// when it was last modified. A file whose stamp differs later has changed under the command.
struct FileStamp: Equatable {
  let identity: FileIdentity
  let size: Int64
  let modified: timespec

  init(_ info: stat) {
    identity = FileIdentity(info)
    size = Int64(info.st_size)
    #if canImport(Darwin)
      modified = info.st_mtimespec
    #else
      modified = info.st_mtim
    #endif
  }

  static func == (a: FileStamp, b: FileStamp) -> Bool {
    a.identity == b.identity && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec
      && a.modified.tv_nsec == b.modified.tv_nsec
  }
}

/// A file a command publishes from (a result's `manifest.json`, `runs.csv`, `points.csv`),
/// read through the one descriptor opened under the folder's lock: every read of it (the
/// check, the statistics, the copy into a merged file) sees the same file, whatever is
/// renamed over its name meanwhile. Its stamp (``FileStamp``) is kept, and ``change()``
/// says whether the file was modified, replaced or removed since; a command checks that
/// just before it publishes (``verify(_:command:)``), so a result is never built from a
/// file that changed while it was read.
final class InputFile: ByteSource {
  let name: String
  let path: String
  let stamp: FileStamp
  private(set) var descriptor: Int32

  private init(path: String, name: String, descriptor: Int32, stamp: FileStamp) {
    self.path = path
    self.name = name
    self.descriptor = descriptor
    self.stamp = stamp
  }

  deinit { release() }

  /// Opens `path` for reading (`name` is how messages call it); nil when there is no file
  /// there. Anything but a regular file (a folder, a FIFO) is refused (exit 2).
  static func open(path: String, name: String, command: String) throws(CLIError) -> InputFile? {
    // O_NONBLOCK: a FIFO under a result's name must not hang the command.
    let fd = posixOpen(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw CLIError("\(command): cannot open \(name): \(String(cString: strerror(errno)))")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      let kind = FolderLock.kind(info.st_mode, path: path)
      posixClose(fd)
      throw CLIError("\(command): \(name) is \(kind), not a file of a result")
    }
    return InputFile(path: path, name: name, descriptor: fd, stamp: FileStamp(info))
  }

  /// The size the file had when it was opened.
  var size: UInt64 { UInt64(stamp.size) }

  /// Reads the whole file (at most `limit` bytes), then lets go of its descriptor (the
  /// stamp is kept for ``change()``). A file that changes while it is read is refused
  /// (exit 1).
  func readAll(limit: Int, command: String) throws(CLIError) -> [UInt8] {
    if stamp.size > Int64(limit) {
      throw CLIError(
        "\(command): \(name) is \(stamp.size) bytes, more than such a file can be "
          + "(\(limit >> 20) MB)")
    }
    var bytes = [UInt8](repeating: 0, count: Int(stamp.size) + 1)
    var count = 0
    while count < bytes.count {
      let n = bytes.withUnsafeMutableBytes { raw in
        pread(descriptor, raw.baseAddress! + count, raw.count - count, off_t(count))
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw CLIError(
          "\(command): cannot read \(name): \(String(cString: strerror(errno)))", code: .failure)
      }
      if n == 0 { break }
      count += n
    }
    // One byte more than its size was asked for: a file that grew shows it.
    if count != Int(stamp.size) {
      throw Self.changedError(self, "its size changed while it was read", command: command)
    }
    if let what = change() { throw Self.changedError(self, what, command: command) }
    bytes.removeLast()
    release()
    return bytes
  }

  /// A reader of the open file keeps it open (``release()`` lets go).
  func close() {}

  /// Closes the descriptor; ``change()`` then compares the stamp with the file at the path.
  func release() {
    if descriptor >= 0 { posixClose(descriptor) }
    descriptor = -1
  }

  func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer)
    throws(ResultFileError) -> Int
  {
    guard descriptor >= 0 else { throw ResultFileError(file: name, "read after it was closed") }
    while true {
      let n = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw ResultFileError(file: name, "cannot read: \(String(cString: strerror(errno)))")
    }
  }

  /// How the file changed since it was opened (written to, replaced by another file under
  /// its name, or removed), or nil when it is as it was.
  func change() -> String? {
    var info = stat()
    if descriptor >= 0 {
      guard fstat(descriptor, &info) == 0 else { return "it can no longer be read" }
      let now = FileStamp(info)
      if now.size != stamp.size {
        return "its size changed from \(stamp.size) to \(now.size) bytes"
      }
      if now != stamp { return "it was written to" }
    }
    guard stat(path, &info) == 0 else { return "it was removed" }
    let there = FileStamp(info)
    if there.identity != stamp.identity { return "another file was put in its place" }
    if there != stamp { return "it was written to" }
    return nil
  }

  static func changedError(_ file: InputFile, _ what: String, command: String) -> CLIError {
    CLIError(
      "\(command): \(file.name) changed while \(command) read it (\(what)); nothing was "
        + "written: run \(command) again once nothing else writes to it", code: .failure)
  }

  /// A mistake found in files being read (exit 2), unless one of them changed meanwhile:
  /// then the change is the cause, and the command ends as for a change (exit 1).
  static func explaining(_ error: CLIError, _ files: [InputFile], command: String) -> CLIError {
    guard error.code == .usage else { return error }
    for file in files {
      if let what = file.change() { return changedError(file, what, command: command) }
    }
    return error
  }

  /// Refuses (exit 1) when any of `files` changed since it was opened.
  static func verify(_ files: [InputFile], command: String) throws(CLIError) {
    for file in files {
      if let what = file.change() { throw changedError(file, what, command: command) }
    }
  }
}

/// A folder a command reads without writing to it (each input of a merge): locked shared
/// (``FolderLock/Mode/shared``) before anything in it is read, until the command ends, and
/// its files read each through one descriptor (``InputFile``).
final class InputFolder {
  let path: FolderPath
  let lock: FolderLock
  private(set) var files: [InputFile] = []

  private init(path: FolderPath, lock: FolderLock) {
    self.path = path
    self.lock = lock
  }

  deinit { lock.release() }

  /// Takes the shared lock of `path`.
  static func lock(_ path: FolderPath, command: String, quiet: Bool) throws(CLIError)
    -> InputFolder
  {
    InputFolder(
      path: path, lock: try FolderLock.acquire(path, command: command, quiet: quiet, mode: .shared))
  }

  /// Opens the folder's file `name` (nil when it has none); ``verify(command:)`` checks it.
  func open(_ name: String, command: String) throws(CLIError) -> InputFile? {
    let shown = path.shown.hasSuffix("/") ? path.shown + name : path.shown + "/" + name
    guard
      let file = try InputFile.open(
        path: path.url.appendingPathComponent(name).path, name: shown, command: command)
    else { return nil }
    files.append(file)
    return file
  }
}

/// The limit on open files: a merge holds two of each shard (its lock and its `runs.csv`)
/// until it ends.
enum FileLimit {
  /// Raises the soft limit on open files to `needed` when the hard limit allows it;
  /// refuses (exit 2) when it does not, saying what to raise.
  static func ensure(_ needed: Int, for what: String, command: String) throws(CLIError) {
    var limit = rlimit()
    #if canImport(Darwin)
      let resource = RLIMIT_NOFILE
    #else
      let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #endif
    guard getrlimit(resource, &limit) == 0 else { return }
    let wanted = rlim_t(needed)
    if limit.rlim_cur >= wanted { return }
    if limit.rlim_max >= wanted {
      limit.rlim_cur = wanted
      if setrlimit(resource, &limit) == 0 { return }
    }
    throw CLIError(
      "\(command): \(what) needs \(needed) open files, but this process may open only "
        + "\(min(limit.rlim_cur, limit.rlim_max)) (`ulimit -n`); raise the limit "
        + "(`ulimit -n \(needed)`) and run it again")
  }
}
