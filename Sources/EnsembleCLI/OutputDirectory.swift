import Foundation

/// The `--out` folder of a command. Every file is written under a temporary name
/// (`.NAME.tmp`) and renamed when complete, so an interrupted command never leaves a file
/// that looks finished.
final class OutputDirectory {
  let url: URL
  var temporaries: Set<URL> = []

  /// Files a run writes; with `--force` the old ones are removed first so that a new run
  /// never mixes with an old one.
  static let knownFiles = [
    "manifest.json", "runs.csv", "summary.csv", "contrasts.csv", "report.md", "report.html",
  ]

  /// Prepares `path`: refuses an existing non-empty folder unless `force`.
  init(path: String, force: Bool, command: String) throws(CLIError) {
    url = URL(fileURLWithPath: path)
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw CLIError("\(command): --out \(path) is a file, not a folder")
      }
      let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
      if !contents.isEmpty {
        guard force else {
          throw CLIError(
            "\(command): the output folder \(path) is not empty; choose another with --out "
              + "or pass --force to replace its results")
        }
        for name in contents
        where Self.knownFiles.contains(name) || name.hasSuffix(".svg")
          || (name.hasPrefix(".") && name.hasSuffix(".tmp"))
        {
          try? manager.removeItem(at: url.appendingPathComponent(name))
        }
      }
    } else {
      do {
        try manager.createDirectory(at: url, withIntermediateDirectories: true)
      } catch {
        throw CLIError(
          "\(command): cannot create the output folder \(path): \(error.localizedDescription)",
          code: .failure)
      }
    }
  }

  /// An existing result folder whose files are rewritten in place (`report`).
  init(existing url: URL) {
    self.url = url
  }

  func temporaryURL(for name: String) -> URL {
    let temporary = url.appendingPathComponent(".\(name).tmp")
    temporaries.insert(temporary)
    return temporary
  }

  /// Writes `text` to `name` through a temporary file.
  func write(_ name: String, _ text: String) throws(CLIError) {
    let temporary = temporaryURL(for: name)
    do {
      try Data(text.utf8).write(to: temporary)
    } catch {
      throw CLIError(
        "cannot write \(temporary.path): \(error.localizedDescription)", code: .failure)
    }
    try commit(temporary, as: name)
  }

  /// Renames a finished temporary file to its final name.
  func commit(_ temporary: URL, as name: String) throws(CLIError) {
    let final = url.appendingPathComponent(name)
    do {
      if FileManager.default.fileExists(atPath: final.path) {
        try FileManager.default.removeItem(at: final)
      }
      try FileManager.default.moveItem(at: temporary, to: final)
      temporaries.remove(temporary)
    } catch {
      throw CLIError("cannot finish \(final.path): \(error.localizedDescription)", code: .failure)
    }
  }

  /// Deletes every temporary file still open (after a failure or Ctrl-C).
  func removeTemporaries() {
    for temporary in temporaries { try? FileManager.default.removeItem(at: temporary) }
    temporaries.removeAll()
  }
}

/// Appends text to a file through a buffer, flushing every 256 KiB.
final class BufferedFile {
  let url: URL
  let handle: FileHandle
  var buffer = Data()

  init(_ url: URL) throws(CLIError) {
    self.url = url
    guard FileManager.default.createFile(atPath: url.path, contents: nil),
      let handle = try? FileHandle(forWritingTo: url)
    else { throw CLIError("cannot create \(url.path)", code: .failure) }
    self.handle = handle
  }

  func write(_ text: String) throws(CLIError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 18 { try flush() }
  }

  func flush() throws(CLIError) {
    guard !buffer.isEmpty else { return }
    do {
      try handle.write(contentsOf: buffer)
    } catch {
      throw CLIError("cannot write \(url.path): \(error.localizedDescription)", code: .failure)
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Appends the contents of another file, a megabyte at a time (memory stays flat).
  func append(contentsOf other: URL) throws(CLIError) {
    try flush()
    guard let reader = try? FileHandle(forReadingFrom: other) else {
      throw CLIError("cannot read back \(other.path)", code: .failure)
    }
    defer { try? reader.close() }
    do {
      while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty {
        try handle.write(contentsOf: chunk)
      }
    } catch {
      throw CLIError(
        "cannot copy \(other.path) into \(url.path): \(error.localizedDescription)", code: .failure)
    }
  }

  func close() throws(CLIError) {
    try flush()
    try? handle.close()
  }
}
