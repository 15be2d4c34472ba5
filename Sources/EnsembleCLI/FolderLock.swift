import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on an output folder: the file `.ensemble-lock` in it, created with
/// `O_EXCL` (so exactly one command creates it) and holding a marker line, the holder's pid,
/// host, start time and command. The holder also keeps an advisory `flock` on it, which the
/// system drops when the process dies however it dies (`kill -9`, out of memory, a lost
/// node), so a lock whose file is there but whose `flock` is free belongs to a command that
/// no longer runs: it is stale, and the next command takes it over (saying so), then
/// finishes or undoes what that command left (``OutputDirectory/recover()``).
///
/// A command that only reads a folder (`merge`, of each input) takes the same lock
/// *shared*: any number of readers hold it at once (an `flock(LOCK_SH)` each; the file
/// names the last to come), and no writer while one does. So a `run`, `--force` or `report`
/// into a folder being read is refused, and so is a read of a folder being written, each
/// naming the holder. The last reader to leave removes the file.
///
/// Nothing at the lock's path is followed, truncated, written or removed unless an ensemble
/// command made it: a symbolic link, a folder, a FIFO or any other non-regular file there
/// is refused, and so is a regular file without the marker, each with a message naming it.
/// Every wait is bounded.
final class FolderLock {
  static let name = ".ensemble-lock"
  static let marker = "ensemble-lock 1"

  /// A writer's lock (one holder) or a reader's (any number of readers, no writer).
  enum Mode {
    case exclusive
    case shared

    var operation: Int32 { self == .exclusive ? LOCK_EX : LOCK_SH }
  }

  let url: URL
  let mode: Mode
  var descriptor: Int32

  private init(url: URL, descriptor: Int32, mode: Mode) {
    self.url = url
    self.descriptor = descriptor
    self.mode = mode
  }

  deinit { release() }

  /// Who holds a lock, as its file says.
  struct Holder {
    var marked = false
    var pid: Int32?
    var host = ""
    var started = ""
    var command = ""
    /// Whether it is a reader's lock (`mode: shared`).
    var shared = false

    init(_ text: String) {
      for line in text.split(separator: "\n") {
        if line == FolderLock.marker {
          marked = true
          continue
        }
        guard let colon = line.firstIndex(of: ":") else { continue }
        let key = line[..<colon]
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch key {
        case "pid": pid = Int32(value)
        case "host": host = value
        case "started": started = value
        case "command": command = value
        case "mode": shared = value == "shared"
        default: break
        }
      }
      // A lock written before the marker line: the same fields, by an ensemble command.
      if pid != nil && command.hasPrefix("ensemble") { marked = true }
    }

    var summary: String {
      guard let pid else { return "a command that was starting" }
      var text = "pid \(pid)"
      if !host.isEmpty { text += " on \(host)" }
      if !started.isEmpty { text += ", started \(started)" }
      if !command.isEmpty { text += ": \(command)" }
      return text
    }

    /// Whether the holder is a process of this host that is still running.
    var runsHere: Bool {
      guard let pid, host == FolderLock.hostName else { return false }
      return kill(pid, 0) == 0 || errno == EPERM
    }
  }

  static var hostName: String {
    var buffer = [UInt8](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// What a non-regular file is, for messages.
  static func kind(_ mode: mode_t, path: String) -> String {
    switch mode & S_IFMT {
    case S_IFLNK:
      let target = FolderPath.linkTarget(path).map { " to \(FolderPath.escaped($0))" } ?? ""
      return "a symbolic link\(target)"
    case S_IFDIR: return "a folder"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFSOCK: return "a socket"
    case S_IFCHR, S_IFBLK: return "a device"
    default: return "not a regular file"
    }
  }

  /// Takes the lock on `folder`: exclusive for a command that writes in it, shared for one
  /// that only reads it.
  static func acquire(
    _ folder: FolderPath, command: String, quiet: Bool, mode: Mode = .exclusive
  ) throws(CLIError) -> FolderLock {
    let url = folder.url.appendingPathComponent(name)
    let path = url.path
    let display = folder.described
    let shownPath = folder.describing(name)
    func refuse(_ what: String) -> CLIError {
      CLIError(
        "\(command): \(shownPath) is \(what), not a lock of ensemble; ensemble never follows, "
          + "writes or removes it: move it away (if no command uses the folder) and try again")
    }
    var emptySeen = 0
    for _ in 0..<200 {
      if Interrupts.requested { throw CLIError("\(command): interrupted", code: .interrupted) }
      let fd = posixOpen(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o644)
      if fd >= 0 {
        let lock = FolderLock(url: url, descriptor: fd, mode: mode)
        try lock.hold(path: shownPath, command: command)
        try lock.writeHolder(command: command, display: shownPath)
        return lock
      }
      if mode == .shared && [EROFS, EACCES, EPERM].contains(errno) {
        // A folder this user cannot write to: nothing of this user's can change it while
        // it is read; read it without a lock (the files' identities are still checked).
        if errno != EROFS && !quiet {
          Console.error(
            "ensemble: cannot lock \(display) for reading (no permission to write in it); "
              + "reading it unlocked")
        }
        return FolderLock(url: url, descriptor: -1, mode: mode)
      }
      guard errno == EEXIST else {
        throw CLIError(
          "\(command): cannot lock the output folder \(display): \(String(cString: strerror(errno)))",
          code: .failure)
      }
      // Something is there. Only a regular file can be a lock.
      var info = stat()
      if lstat(path, &info) != 0 {
        if errno == ENOENT { continue }  // released just now
        throw CLIError(
          "\(command): cannot read the lock \(shownPath): \(String(cString: strerror(errno)))",
          code: .failure)
      }
      guard info.st_mode & S_IFMT == S_IFREG else { throw refuse(kind(info.st_mode, path: path)) }
      // A lock ensemble made has one name; a hard link would make its writes reach another.
      guard info.st_nlink == 1 else { throw refuse("a file with other names (hard links)") }
      var other = posixOpen(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0)
      if other < 0 && errno == EACCES && mode == .shared {
        // Another user's lock: a reader can still share it (or see it held).
        other = posixOpen(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0)
      }
      if other < 0 {
        if errno == ENOENT || errno == ELOOP { continue }  // replaced meanwhile: look again
        throw CLIError(
          "\(command): cannot read the lock \(shownPath): \(String(cString: strerror(errno)))",
          code: .failure)
      }
      var opened = stat()
      guard fstat(other, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG,
        FileIdentity(opened) == FileIdentity(info)
      else {
        posixClose(other)
        continue
      }
      let text = readAll(other)
      let holder = Holder(text)
      // Readers share a reader's lock with each other, never with a writer.
      let joining = mode == .shared && holder.marked && holder.shared
      if flock(other, mode.operation | LOCK_NB) != 0 {
        let reason = errno
        var busy = true
        if reason != EWOULDBLOCK {
          // A file system without flock: only a pid on this host can tell; a holder on
          // another host counts as running.
          busy =
            !joining && (!holder.marked || holder.runsHere || holder.host != hostName)
        }
        if busy {
          posixClose(other)
          throw busyError(holder, command: command, display: display, mode: mode)
        }
      }
      // We hold it now, alone or beside other readers. Is it still the file under that name?
      guard sameFile(other, path) else {
        posixClose(other)
        continue
      }
      if joining {
        let lock = FolderLock(url: url, descriptor: other, mode: mode)
        try lock.writeHolder(command: command, display: shownPath)
        return lock
      }
      if !holder.marked {
        posixClose(other)
        if text.isEmpty && emptySeen < 50 {
          // Made an instant ago by a command that has not written it yet? Look again.
          emptySeen += 1
          usleep(10_000)
          continue
        }
        throw refuse(text.isEmpty ? "an empty file" : "a file ensemble did not write")
      }
      // A stale lock: its command is gone. Take it over.
      let lock = FolderLock(url: url, descriptor: other, mode: mode)
      try lock.writeHolder(command: command, display: shownPath)
      if !quiet {
        Console.error(
          "ensemble: took over the lock of \(display) from a command that is no longer "
            + "running (\(holder.summary))")
      }
      return lock
    }
    throw CLIError(
      "\(command): cannot lock the output folder \(display): its lock file keeps changing; "
        + "try again", code: .failure)
  }

  /// Why a lock held by `holder` cannot be taken, naming the holder and what to do.
  static func busyError(_ holder: Holder, command: String, display: String, mode: Mode)
    -> CLIError
  {
    let what =
      holder.shared
      ? "is being read by another ensemble command" : "is in use by another ensemble command"
    // `report` and `explore` work in the folder they are given: they have no --out.
    let advice =
      mode == .shared || ["report", "explore"].contains(command)
      ? "wait for it to finish, then run \(command) again"
      : "wait for it to finish or choose another --out"
    let folder = mode == .shared ? "the folder" : "the output folder"
    return CLIError("\(command): \(folder) \(display) \(what) (\(holder.summary)); \(advice)")
  }

  /// Takes the `flock` of a lock file just created, waiting at most a second for a command
  /// that is looking at it to let go.
  func hold(path: String, command: String) throws(CLIError) {
    for _ in 0..<200 {
      if flock(descriptor, mode.operation | LOCK_NB) == 0 { return }
      if errno != EWOULDBLOCK && errno != EINTR { return }  // no flock here: the pid tells
      usleep(5_000)
    }
    release()
    throw CLIError(
      "\(command): cannot lock \(path): another command keeps holding it", code: .failure)
  }

  static func readAll(_ fd: Int32) -> String {
    var data = [UInt8](repeating: 0, count: 4096)
    let n = pread(fd, &data, data.count, 0)
    return n > 0 ? String(decoding: data[..<n], as: UTF8.self) : ""
  }

  /// Whether the open file `fd` is the file at `path` (not one unlinked and replaced, and
  /// not a link).
  static func sameFile(_ fd: Int32, _ path: String) -> Bool {
    var a = stat()
    var b = stat()
    guard fstat(fd, &a) == 0, lstat(path, &b) == 0 else { return false }
    return FileIdentity(a) == FileIdentity(b)
  }

  func writeHolder(command: String, display: String) throws(CLIError) {
    let formatter = ISO8601DateFormatter()
    let line = RunCommand.commandLine().replacingOccurrences(of: "\n", with: "\\n")
    let text =
      "\(Self.marker)\npid: \(getpid())\nhost: \(Self.hostName)\n"
      + "started: \(formatter.string(from: Date()))\ncommand: \(line)\n"
      + (mode == .shared ? "mode: shared\n" : "")
    let bytes = Array(text.utf8)
    guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, bytes, bytes.count, 0) == bytes.count
    else {
      // A reader of a lock it may not write (another user's) holds it all the same.
      if mode == .shared && (errno == EBADF || errno == EACCES || errno == EINVAL) { return }
      let reason = String(cString: strerror(errno))
      release()
      throw CLIError(
        "\(command): cannot write the lock \(display): \(reason)", code: .failure)
    }
  }

  /// Removes the lock file (when it is still the one this command holds, and no other
  /// reader holds it) and lets go of it.
  func release() {
    guard descriptor >= 0 else { return }
    let alone = mode == .exclusive || flock(descriptor, LOCK_EX | LOCK_NB) == 0
    if alone && Self.sameFile(descriptor, url.path) { unlink(url.path) }
    posixClose(descriptor)
    descriptor = -1
  }
}
