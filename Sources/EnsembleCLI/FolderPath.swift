import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A folder named on the command line (`--out DIR`, `report DIR`, `merge DIR...`), resolved
/// as the system resolves it for any other command:
///
/// - a relative path is taken from the current folder;
/// - the part that exists is followed as the kernel follows it: symbolic links are
///   resolved and `..` goes to the parent of the folder actually reached (so `cd sub &&
///   ensemble run --out ../r` writes beside `sub`, as `mkdir ../r` would);
/// - the part that does not exist yet is normalised by its spelling: `.` and empty parts
///   are dropped and `..` cancels the part before it (so `--out zz/../x` is `./x`, and no
///   `zz` is created).
///
/// The result is an absolute path without links, `.` or `..` up to its last existing
/// folder, which every file operation then uses. Messages show the path as written and,
/// when it differs, as resolved.
struct FolderPath: Equatable {
  /// The path as the user wrote it.
  let written: String
  /// The absolute path it names.
  let resolved: String
  /// How many of the resolved path's components exist (as folders).
  let existingDepth: Int

  var url: URL { URL(fileURLWithPath: resolved, isDirectory: true) }

  /// The path as written, with control characters (a line break in a folder name) escaped
  /// so a message stays one line.
  var shown: String { Self.escaped(written) }

  /// The path as written and, when different, as resolved: `../r (/home/me/r)`.
  var described: String {
    written == resolved || written == resolved + "/"
      ? shown : "\(shown) (\(Self.escaped(resolved)))"
  }

  /// An entry of the folder, as written and, when different, as resolved.
  func describing(_ name: String) -> String {
    let written = shown.hasSuffix("/") ? shown + name : shown + "/" + name
    let full = resolved == "/" ? "/" + name : resolved + "/" + name
    return described == shown ? written : "\(written) (\(Self.escaped(full)))"
  }

  var components: [String] { resolved.split(separator: "/").map(String.init) }

  static func escaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.properties.generalCategory == .control {
          result += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }

  /// Resolves `written`. Refuses a path that passes through a file, a loop of symbolic
  /// links, or a link to nothing (exit 2, naming the part in the way).
  /// - Parameter what: how messages name the path (`--out r`, `the folder r`).
  static func resolve(_ written: String, what: String, command: String) throws(CLIError)
    -> FolderPath
  {
    var stack: [String] = []
    if !written.hasPrefix("/") {
      guard let cwd = currentDirectory() else {
        throw CLIError(
          "\(command): cannot resolve \(what) \(escaped(written)): the current folder is gone "
            + "(\(String(cString: strerror(errno))))")
      }
      stack = cwd.split(separator: "/").map(String.init)
    }
    var existing = stack.count
    func here() -> String { "/" + stack.joined(separator: "/") }
    let parts = written.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    for (i, part) in parts.enumerated() {
      if part == "." { continue }
      if part == ".." {
        if !stack.isEmpty { stack.removeLast() }
        existing = min(existing, stack.count)
        continue
      }
      stack.append(part)
      // Below a part that does not exist, nothing exists: spelling alone decides.
      guard existing == stack.count - 1 else { continue }
      let path = here()
      var info = stat()
      if lstat(path, &info) != 0 {
        if errno == ENOENT { continue }
        throw CLIError(
          "\(command): \(what) \(escaped(written)): cannot reach \(escaped(path)): "
            + String(cString: strerror(errno)))
      }
      let last = i == parts.count - 1
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        existing = stack.count
      case S_IFLNK:
        guard let target = realPath(path) else {
          let reason = errno
          if reason == ELOOP {
            throw CLIError(
              "\(command): \(what) \(escaped(written)): \(escaped(path)) is a loop of symbolic "
                + "links; give a folder")
          }
          let to = linkTarget(path).map { " to \(escaped($0))" } ?? ""
          throw CLIError(
            "\(command): \(what) \(escaped(written)): \(escaped(path)) is a symbolic link\(to), "
              + "which leads nowhere (\(String(cString: strerror(reason)))); give a folder that "
              + "exists or a path without the link")
        }
        var targetInfo = stat()
        guard stat(target, &targetInfo) == 0, targetInfo.st_mode & S_IFMT == S_IFDIR else {
          throw CLIError(
            "\(command): \(what) \(escaped(written)): \(escaped(path)) is a link to "
              + "\(escaped(target)), a file, not a folder")
        }
        stack = target.split(separator: "/").map(String.init)
        existing = stack.count
      default:
        throw CLIError(
          "\(command): \(what) \(escaped(written)): \(escaped(path)) is a file, not a folder"
            + (last ? "" : ", so nothing can be below it"))
      }
    }
    return FolderPath(written: written, resolved: here(), existingDepth: existing)
  }

  /// Resolves an `--out`: refuses the root folder and the home folder itself, which no
  /// command should fill with result files or lock.
  static func output(_ written: String, command: String) throws(CLIError) -> FolderPath {
    let path = try resolve(written, what: "--out", command: command)
    if path.resolved == "/" {
      throw CLIError(
        "\(command): --out \(path.shown) resolves to / (the root folder); give a folder for "
          + "the results, e.g. --out results/\(command)")
    }
    if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty,
      let homePath = realPath(home)
    {
      var a = stat()
      var b = stat()
      let same =
        homePath == path.resolved
        || (stat(path.resolved, &a) == 0 && stat(homePath, &b) == 0
          && FileIdentity(a) == FileIdentity(b))
      if same {
        throw CLIError(
          "\(command): --out \(path.described) is your home folder; give a folder inside it "
            + "for the results, e.g. --out ~/results")
      }
    }
    return path
  }

  /// Resolves a folder that must exist (an input of `report` or `merge`).
  static func existingFolder(_ written: String, command: String) throws(CLIError) -> FolderPath {
    let path = try resolve(written, what: "the folder", command: command)
    guard path.existingDepth == path.components.count else {
      throw CLIError("\(command): \(path.described) does not exist")
    }
    return path
  }

  /// Creates the folder and every missing parent (only those below the last existing one);
  /// returns the path, now existing.
  func created(command: String) throws(CLIError) -> FolderPath {
    let parts = components
    let done = FolderPath(written: written, resolved: resolved, existingDepth: parts.count)
    guard existingDepth < parts.count else { return done }
    for depth in (existingDepth + 1)...parts.count {
      let path = "/" + parts[..<depth].joined(separator: "/")
      if mkdir(path, 0o755) == 0 { continue }
      let reason = errno
      var info = stat()
      if reason == EEXIST && lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
        continue
      }
      if reason == EEXIST {
        throw CLIError(
          "\(command): cannot create the output folder \(described): \(Self.escaped(path)) "
            + "appeared meanwhile and is not a folder")
      }
      throw CLIError(
        "\(command): cannot create the output folder \(described): \(Self.escaped(path)): "
          + String(cString: strerror(reason)), code: .failure)
    }
    return done
  }

  /// The identity of the folder, when it exists.
  var identity: FileIdentity? { FileIdentity(path: resolved) }

  /// The identities of the folder's existing ancestors and of itself, innermost first.
  var existingAncestry: [FileIdentity] {
    let parts = components
    var result: [FileIdentity] = []
    for depth in stride(from: min(existingDepth, parts.count), through: 0, by: -1) {
      let path = "/" + parts[..<depth].joined(separator: "/")
      if let id = FileIdentity(path: path) { result.append(id) }
    }
    return result
  }

  static func currentDirectory() -> String? {
    guard let buffer = getcwd(nil, 0) else { return nil }
    defer { free(buffer) }
    return String(cString: buffer)
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func linkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buffer, buffer.count - 1)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// What makes a file or folder itself, whatever its spelling: its device and inode. Two
/// paths name the same folder through `..`, symbolic links, bind mounts and
/// case-insensitive file systems exactly when their identities match.
struct FileIdentity: Hashable {
  let device: UInt64
  let inode: UInt64

  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }

  /// The identity of what `path` leads to (links followed), or nil when nothing is there.
  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    self.init(info)
  }

  /// The identity of the entry `path` itself (a link is not followed).
  init?(entry path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    self.init(info)
  }
}
