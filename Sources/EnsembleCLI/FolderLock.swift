import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on an output folder: the file `.ensemble-lock` in it, created with
/// `O_EXCL` (so exactly one command creates it) and holding the holder's pid, host, start
/// time and command. The holder also keeps an advisory `flock` on it, which the system
/// drops when the process dies however it dies (`kill -9`, out of memory, a lost node), so
/// a lock whose file is there but whose `flock` is free belongs to a run that no longer
/// runs: it is stale. A stale lock is reported with how to clear it; `--resume` takes it
/// over, since continuing that run is what it is for.
final class FolderLock {
  static let name = ".ensemble-lock"

  let url: URL
  var descriptor: Int32

  private init(url: URL, descriptor: Int32) {
    self.url = url
    self.descriptor = descriptor
  }

  deinit { release() }

  /// Who holds a lock, as its file says.
  struct Holder {
    var pid: Int32?
    var host = ""
    var started = ""
    var command = ""

    init(_ text: String) {
      for line in text.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let key = line[..<colon]
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch key {
        case "pid": pid = Int32(value)
        case "host": host = value
        case "started": started = value
        case "command": command = value
        default: break
        }
      }
    }

    var summary: String {
      guard let pid else { return "a run that was starting" }
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

  /// Takes the lock on `folder`.
  /// - Parameters:
  ///   - takeOverStale: take a stale lock instead of refusing (`--resume`).
  ///   - resumeHint: what the message about a stale lock suggests besides removing it.
  static func acquire(
    _ folder: URL, display: String, command: String, takeOverStale: Bool, resumeHint: String
  ) throws(CLIError) -> FolderLock {
    let url = folder.appendingPathComponent(name)
    let path = url.path
    var waitedForContents = 0
    while true {
      let fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o644)
      if fd >= 0 {
        _ = flock(fd, LOCK_EX | LOCK_NB)
        let lock = FolderLock(url: url, descriptor: fd)
        try lock.writeHolder(command: command, display: display)
        return lock
      }
      guard errno == EEXIST else {
        throw CLIError(
          "\(command): cannot lock the output folder \(display): \(String(cString: strerror(errno)))",
          code: .failure)
      }
      // Someone made the lock file: find out whether it still holds it.
      let other = open(path, O_RDWR | O_CLOEXEC)
      if other < 0 {
        if errno == ENOENT { continue }  // just released
        throw CLIError(
          "\(command): cannot read the lock \(display)/\(name): \(String(cString: strerror(errno)))",
          code: .failure)
      }
      let holder = Holder(readAll(other))
      var busy = false
      if flock(other, LOCK_EX | LOCK_NB) != 0 {
        // Held (EWOULDBLOCK); or a file system without flock, where only a pid on this host
        // can tell, and a holder on another host counts as running.
        busy = errno == EWOULDBLOCK || holder.runsHere || holder.host != hostName
      }
      if busy {
        close(other)
        throw CLIError(
          "\(command): the output folder \(display) is in use by another ensemble command "
            + "(\(holder.summary)); wait for it to finish or choose another --out")
      }
      // We hold the flock: nobody else does. Is it still the file under that name?
      guard sameFile(other, path) else {
        close(other)
        continue
      }
      if holder.pid == nil && waitedForContents < 50 {
        // Created an instant ago and not yet written? Look again shortly.
        close(other)
        waitedForContents += 1
        usleep(10_000)
        continue
      }
      if takeOverStale {
        let lock = FolderLock(url: url, descriptor: other)
        try lock.writeHolder(command: command, display: display)
        return lock
      }
      close(other)
      throw CLIError(
        "\(command): the output folder \(display) has a stale lock: the command that held it "
          + "(\(holder.summary)) is no longer running. \(resumeHint)If no other command uses "
          + "the folder, remove \(display)/\(name) and try again")
    }
  }

  static func readAll(_ fd: Int32) -> String {
    var data = [UInt8](repeating: 0, count: 4096)
    let n = pread(fd, &data, data.count, 0)
    return n > 0 ? String(decoding: data[..<n], as: UTF8.self) : ""
  }

  /// Whether the open file `fd` is the file at `path` (not one unlinked and replaced).
  static func sameFile(_ fd: Int32, _ path: String) -> Bool {
    var a = stat()
    var b = stat()
    guard fstat(fd, &a) == 0, stat(path, &b) == 0 else { return false }
    return a.st_ino == b.st_ino && a.st_dev == b.st_dev
  }

  func writeHolder(command: String, display: String) throws(CLIError) {
    let formatter = ISO8601DateFormatter()
    let text =
      "pid: \(getpid())\nhost: \(Self.hostName)\nstarted: \(formatter.string(from: Date()))\n"
      + "command: \(RunCommand.commandLine())\n"
    let bytes = Array(text.utf8)
    guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, bytes, bytes.count, 0) == bytes.count
    else {
      let reason = String(cString: strerror(errno))
      release()
      throw CLIError(
        "\(command): cannot write the lock \(display)/\(Self.name): \(reason)", code: .failure)
    }
  }

  /// Removes the lock file and lets go of it.
  func release() {
    guard descriptor >= 0 else { return }
    if Self.sameFile(descriptor, url.path) { unlink(url.path) }
    close(descriptor)
    descriptor = -1
  }
}
