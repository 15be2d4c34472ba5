import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A mistake in a result file (`manifest.json`, `runs.csv`): the file, where in it, and what
/// is wrong and what would be right. Commands show it as one line and exit with code 2.
public struct ResultFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// 1-based line, or 0 when the mistake is not at one place (a count that does not add up).
  public var line: Int
  /// 1-based column (a CSV field number in `runs.csv`, a character in `manifest.json`), or 0.
  public var column: Int
  public var message: String

  public init(file: String, line: Int = 0, column: Int = 0, _ message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// `runs.csv:17:9: message`, `runs.csv:17: message` or `runs.csv: message`.
  public var description: String {
    var place = file
    if line > 0 { place += ":\(line)" }
    if line > 0 && column > 0 { place += ":\(column)" }
    return "\(place): \(message)"
  }
}

/// Bytes to read lines from: a file (read with `pread`, so any number of readers share one
/// open descriptor) or bytes in memory (the fuzz targets, tests).
public protocol ByteSource: AnyObject {
  /// A name for messages (a path).
  var name: String { get }
  /// Lets go of the file until the next read (nothing for bytes in memory).
  func close()
  /// Reads up to `buffer.count` bytes at `offset`; 0 at the end.
  func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws(ResultFileError)
    -> Int
}

/// A file to read: opened on the first read and open until ``close()`` (the next read opens
/// it again), so a command holding many files (the shards of a merge) keeps only those it
/// is reading open.
public final class FileSource: ByteSource {
  public let name: String
  let path: String
  var descriptor: Int32 = -1

  /// Opens `path` (to check that it can be read); `name` is how messages call it.
  public init(path: String, name: String? = nil) throws(ResultFileError) {
    self.name = name ?? path
    self.path = path
    try open()
  }

  deinit { close() }

  func open() throws(ResultFileError) {
    guard descriptor < 0 else { return }
    descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
      throw ResultFileError(file: name, "cannot open: \(String(cString: strerror(errno)))")
    }
  }

  /// Closes the file until the next read.
  public func close() {
    if descriptor >= 0 { Glibc.close(descriptor) }
    descriptor = -1
  }

  public func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer)
    throws(ResultFileError) -> Int
  {
    try open()
    while true {
      let n = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw ResultFileError(file: name, "cannot read: \(String(cString: strerror(errno)))")
    }
  }

  /// The size of the file in bytes.
  public var size: UInt64 {
    var info = stat()
    return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
  }
}

/// Bytes in memory.
public final class MemorySource: ByteSource {
  public let name: String
  let bytes: [UInt8]

  public init(_ bytes: [UInt8], name: String) {
    self.bytes = bytes
    self.name = name
  }

  public func close() {}

  public func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer)
    throws(ResultFileError) -> Int
  {
    guard offset < UInt64(bytes.count) else { return 0 }
    let start = Int(offset)
    let n = min(buffer.count, bytes.count - start)
    bytes.withUnsafeBytes { all in
      buffer.baseAddress!.copyMemory(from: all.baseAddress! + start, byteCount: n)
    }
    return n
  }
}

/// Reads lines from a byte range of a source. Time is linear in the bytes read (the search
/// for a line break never looks at a byte twice) and memory is bounded: a line longer than
/// ``maximumLineLength`` is an error, not a reason to read the whole file into memory.
///
/// A line ends with `\n` or `\r\n`; the line break is not part of the text.
public final class LineReader {
  /// The longest line accepted, line break included.
  public static let maximumLineLength = 1 << 20
  static let chunk = 1 << 16

  public struct Line {
    /// The text without its line break.
    public var text: String
    /// Where the line starts in the source.
    public var offset: UInt64
    /// Its bytes, line break included.
    public var length: Int
    /// Whether it ended with a line break (false only for an unterminated last line).
    public var terminated: Bool
    /// The 1-based line number within the range read.
    public var number: Int
  }

  let source: ByteSource
  /// Where the next read from the source starts, and where the range ends.
  var readOffset: UInt64
  let end: UInt64
  var buffer: [UInt8] = []
  /// The first byte of the next line in `buffer`, and how far `buffer` has been searched.
  var start = 0
  var scanned = 0
  /// The source offset of `buffer[0]`.
  var bufferOffset: UInt64
  var lineNumber = 0
  var exhausted = false

  /// Reads `length` bytes from `offset` (default: to the end).
  public init(_ source: ByteSource, offset: UInt64 = 0, length: UInt64 = .max) {
    self.source = source
    readOffset = offset
    bufferOffset = offset
    end = length == .max ? .max : offset + length
  }

  /// The next line, or nil at the end of the range.
  public func next() throws(ResultFileError) -> Line? {
    while true {
      if scanned < buffer.count {
        let found: Int? = buffer.withUnsafeBytes { raw in
          let base = raw.baseAddress! + scanned
          guard let hit = memchr(base, 0x0A, buffer.count - scanned) else { return nil }
          return scanned + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
        }
        if let newline = found {
          var stop = newline
          if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
          return take(textEnd: stop, next: newline + 1, terminated: true)
        }
        scanned = buffer.count
      }
      if buffer.count - start >= Self.maximumLineLength {
        throw ResultFileError(
          file: source.name, line: lineNumber + 1,
          "the line is longer than \(Self.maximumLineLength / 1024) KiB without a line break; "
            + "this is not a file Ensemble wrote")
      }
      if exhausted || readOffset >= end {
        exhausted = true
        guard start < buffer.count else { return nil }
        return take(textEnd: buffer.count, next: buffer.count, terminated: false)
      }
      try fill()
    }
  }

  func take(textEnd: Int, next: Int, terminated: Bool) -> Line {
    lineNumber += 1
    let text = String(decoding: buffer[start..<textEnd], as: UTF8.self)
    let line = Line(
      text: text, offset: bufferOffset + UInt64(start), length: next - start,
      terminated: terminated, number: lineNumber)
    start = next
    scanned = max(scanned, next)
    return line
  }

  /// Reads the next chunk, first dropping the lines already returned when they fill more
  /// than half the buffer (so each byte is moved a bounded number of times).
  func fill() throws(ResultFileError) {
    if start > 0 && start >= buffer.count / 2 {
      buffer.removeSubrange(0..<start)
      bufferOffset += UInt64(start)
      scanned -= start
      start = 0
    }
    let want = Int(min(UInt64(Self.chunk), end - readOffset))
    let old = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: want))
    let source = self.source
    let offset = readOffset
    let result: Result<Int, ResultFileError> = buffer.withUnsafeMutableBytes { raw in
      Result { () throws(ResultFileError) -> Int in
        try source.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[old...]))
      }
    }
    let n = try result.get()
    buffer.removeLast(want - n)
    readOffset += UInt64(n)
    if n == 0 { exhausted = true }
  }
}
