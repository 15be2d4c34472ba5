import EnsembleAnalysis
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

/// The journal of a run in progress, kept in the output folder's staging folder so that
/// `run --resume` can continue the run after Ctrl-C, `kill -9`, a crash or a lost node.
///
/// - `run.json` says what is being run (engine, shard, the resolved experiment); a resume
///   with other settings is refused, naming the difference. It is written once, through a
///   temporary file and a rename.
/// - `rows` holds the rows of finished units, in chunks: a chunk is a run of consecutive
///   units, and holds for each condition in turn that condition's rows of those units (the
///   order `runs.csv` needs, so the file handles stay two however many conditions there are).
/// - `journal` has one line per chunk, appended after the chunk's bytes:
///   `chunk FIRST END OFFSET SIZE0,SIZE1,... DATAHASH LINEHASH`, with the chunk's units, its
///   place in `rows`, each condition's byte count, and FNV-1a hashes of the chunk's bytes and
///   of the line itself.
///
/// Opening checks every line and every chunk's bytes and keeps the longest valid prefix, so a
/// process killed at any instant (in the middle of a write included) leaves a journal that
/// reads back as exactly the units completely written; the rest are run again. Rows are
/// text, written as `runs.csv` writes them and read back bit for bit, so the statistics and
/// files of a resumed run are those of an uninterrupted one.
final class RunJournal {
  static let identityName = "run.json"
  static let rowsName = "rows"
  static let journalName = "journal"
  static let names: Set<String> = [identityName, rowsName, journalName]

  struct Chunk {
    var first: Int
    var end: Int
    var offset: UInt64
    var sizes: [UInt64]
    var total: UInt64 { sizes.reduce(0, +) }
  }

  let folder: URL
  let conditions: Int
  private(set) var chunks: [Chunk] = []
  /// Units saved: the run has `start..<end` in `rows`.
  let start: Int
  private(set) var end: Int
  private var rowsSize: UInt64 = 0
  private var journalSize: UInt64 = 0
  private var rows: Int32 = -1
  private var journal: Int32 = -1
  private var buffers: [[UInt8]]
  private var bufferedEnd: Int
  private var bufferedBytes = 0
  private var lastCheckpoint = Date()
  private let started = Date()
  /// Seconds between checkpoints; `ENSEMBLE_CHECKPOINT_SECONDS` sets it (tests use 0: a
  /// checkpoint after every unit).
  private let fixedInterval: Double?

  var rowsURL: URL { folder.appendingPathComponent(Self.rowsName) }
  var journalURL: URL { folder.appendingPathComponent(Self.journalName) }

  private init(folder: URL, conditions: Int, start: Int) {
    self.folder = folder
    self.conditions = conditions
    self.start = start
    end = start
    bufferedEnd = start
    buffers = Array(repeating: [], count: conditions)
    fixedInterval = ProcessInfo.processInfo.environment["ENSEMBLE_CHECKPOINT_SECONDS"]
      .flatMap(Double.init)
  }

  deinit {
    if rows >= 0 { close(rows) }
    if journal >= 0 { close(journal) }
  }

  /// Starts a journal in `folder` for a run of `identity` from unit `start`.
  static func create(in folder: URL, identity: JSONValue, conditions: Int, start: Int)
    throws(CLIError) -> RunJournal
  {
    let journal = RunJournal(folder: folder, conditions: conditions, start: start)
    let temporary = folder.appendingPathComponent(".\(identityName).tmp")
    do {
      try Data((identity.render() + "\n").utf8).write(to: temporary)
    } catch {
      throw CLIError(
        "cannot write \(temporary.path): \(OutputDirectory.reason(error))", code: .failure)
    }
    try journal.openFiles(truncateRowsTo: 0, journalTo: 0)
    if rename(temporary.path, folder.appendingPathComponent(identityName).path) != 0 {
      throw CLIError(
        "cannot write \(folder.path)/\(identityName): \(String(cString: strerror(errno)))",
        code: .failure)
    }
    return journal
  }

  /// Opens the journal of an interrupted run, refusing it if it ran other settings. Every
  /// row of every chunk must pass `checker`, as each row of `runs.csv` (or of a sensitivity
  /// analysis's `points.csv`) must: its place, seed, swept values and every number within
  /// bounds; the chunks from the first that does not are dropped (``dropped`` says where
  /// and why), and their units run again.
  /// - Parameter command: the command resuming (`run`, `sensitivity`), for messages.
  static func open(
    in folder: URL, identity: JSONValue, conditions: Int, units: Range<Int>, display: String,
    checker: some JournalRowChecker, command: String = "run"
  ) throws(CLIError) -> RunJournal {
    let identityURL = folder.appendingPathComponent(identityName)
    guard let data = FileManager.default.contents(atPath: identityURL.path),
      let saved = try? JSON5.parse(String(decoding: data, as: UTF8.self))
    else {
      throw CLIError(
        "\(command): \(display) holds an interrupted run whose \(identityName) cannot be read; "
          + "start over with --force")
    }
    let (was, now) = (Self.kind(of: saved.value), Self.kind(of: identity))
    if was != now {
      let other = was == "run" ? "ensemble run" : "ensemble sensitivity"
      throw CLIError(
        "\(command): --resume: \(display) holds an interrupted \(was), not \(now == "run" ? "a run" : "a sensitivity analysis"); "
          + "continue it with `\(other) ... --resume`, or start over with --force")
    }
    if let difference = JSONDifference.first(saved.value, identity) {
      throw CLIError(
        "\(command): --resume: the interrupted \(Self.kind(of: saved.value)) in \(display) was "
          + "run with other settings: \(difference); resume with the same command, experiment, "
          + "seed and options, or start over with --force")
    }
    let journal = RunJournal(folder: folder, conditions: conditions, start: units.lowerBound)
    let (validBytes, chunks) = journal.readJournal(units: units, checker: checker)
    journal.chunks = chunks
    journal.end = chunks.last?.end ?? units.lowerBound
    journal.bufferedEnd = journal.end
    let rowsEnd = chunks.last.map { $0.offset + $0.total } ?? 0
    try journal.openFiles(truncateRowsTo: rowsEnd, journalTo: validBytes)
    return journal
  }

  private func openFiles(truncateRowsTo rowsEnd: UInt64, journalTo journalEnd: UInt64)
    throws(CLIError)
  {
    for (url, size) in [(rowsURL, rowsEnd), (journalURL, journalEnd)] {
      let fd = posixOpen(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
      if fd < 0 || ftruncate(fd, off_t(size)) != 0 || lseek(fd, off_t(size), SEEK_SET) < 0 {
        throw CLIError(
          "cannot open \(url.path): \(String(cString: strerror(errno)))", code: .failure)
      }
      if url == rowsURL { rows = fd } else { journal = fd }
    }
    rowsSize = rowsEnd
    journalSize = journalEnd
  }

  /// Where the journal stopped being kept, when a chunk's rows failed their check: its
  /// first unit, and the reason (as `report` would give it for `runs.csv`).
  private(set) var dropped: (unit: Int, reason: String)?

  /// The valid chunks of the journal file, and its length up to the last of them.
  private func readJournal(units: Range<Int>, checker: some JournalRowChecker) -> (UInt64, [Chunk])
  {
    guard let journalSource = try? FileSource(path: journalURL.path),
      let rowsSource = try? FileSource(path: rowsURL.path)
    else {
      dropped = (units.lowerBound, "its journal or rows file cannot be read")
      return (0, [])
    }
    let rowsLength = rowsSource.size
    let reader = LineReader(journalSource)
    var chunks: [Chunk] = []
    var valid: UInt64 = 0
    var next = units.lowerBound
    var offset: UInt64 = 0
    // A last line without its line break is the torn tail of a hard kill, dropped without a
    // word; anything else that stops the reading is damage, and is named.
    while let line = try? reader.next(), line.terminated {
      func damaged(_ what: String) { dropped = (next, what) }
      let words = line.text.split(separator: " ", omittingEmptySubsequences: false)
      // Numbers are read as strictly as runs.csv's: plain digits, nothing else.
      guard words.count == 7, words[0] == "chunk",
        let first = CSV.parseCount(words[1]), let end = CSV.parseCount(words[2]),
        let at = CSV.parseCount(words[3]).map(UInt64.init),
        let dataHash = Self.hex(words[5]), let lineHash = Self.hex(words[6]),
        first == next, end > first, end <= units.upperBound, at == offset,
        Self.hash(Array(line.text.utf8.dropLast(words[6].utf8.count + 1))) == lineHash
      else {
        damaged("line \(line.number) of the journal is damaged")
        break
      }
      let sizeWords = words[4].split(separator: ",", omittingEmptySubsequences: false)
      let sizes = sizeWords.compactMap { CSV.parseCount($0).map(UInt64.init) }
      guard sizes.count == sizeWords.count else {
        damaged("line \(line.number) of the journal is damaged")
        break
      }
      let chunk = Chunk(first: first, end: end, offset: at, sizes: sizes)
      guard sizes.count == conditions, at + chunk.total <= rowsLength,
        (try? Self.hash(rowsSource, offset: at, length: chunk.total)) == dataHash
      else {
        damaged("the saved rows of units \(first)..<\(end) do not match their checksum")
        break
      }
      if let reason = Self.checkRows(chunk, rowsSource, checker: checker) {
        dropped = (first, reason)
        break
      }
      chunks.append(chunk)
      valid = line.offset + UInt64(line.length)
      next = end
      offset = at + chunk.total
    }
    return (valid, chunks)
  }

  /// Checks each condition's rows of `chunk`: one per unit, each in its place and within
  /// bounds. Nil when all pass, else what is wrong.
  static func checkRows(_ chunk: Chunk, _ source: ByteSource, checker: some JournalRowChecker)
    -> String?
  {
    var offset = chunk.offset
    for (c, size) in chunk.sizes.enumerated() {
      let reader = LineReader(source, offset: offset, length: size)
      offset += size
      do {
        for unit in chunk.first..<chunk.end {
          guard let line = try reader.next(), line.terminated else {
            return "condition \(c) has fewer rows than units \(chunk.first)..<\(chunk.end)"
          }
          try checker.checkJournalRow(line, condition: c, unit: unit, file: "the journal")
        }
        if try reader.next() != nil {
          return "condition \(c) has more rows than units \(chunk.first)..<\(chunk.end)"
        }
      } catch {
        return error.description
      }
    }
    return nil
  }

  /// What an interrupted command's identity (`run.json`) says it was: "run", or
  /// "sensitivity analysis".
  static func kind(of identity: JSONValue) -> String {
    guard case .object(let members) = identity,
      let format = members.first(where: { $0.key == "format" }),
      case .string(SensitivityCommand.format) = format.value.value
    else { return "run" }
    return "sensitivity analysis"
  }

  /// What the interrupted command in `folder` (a staging folder holding a journal) was:
  /// "run" or "sensitivity analysis" (a run when `run.json` does not read).
  static func kind(in folder: URL) -> String {
    let url = folder.appendingPathComponent(identityName)
    guard let data = FileManager.default.contents(atPath: url.path),
      let node = try? JSON5.parse(String(decoding: data, as: UTF8.self))
    else { return "run" }
    return kind(of: node.value)
  }

  // MARK: - Writing

  /// Buffers the rows of the next unit (one per condition, each ending with a line break).
  func add(_ unitRows: [String]) {
    for (c, row) in unitRows.enumerated() {
      buffers[c].append(contentsOf: row.utf8)
      bufferedBytes += row.utf8.count
    }
    bufferedEnd += 1
  }

  /// Writes a checkpoint when 4 MiB of rows wait or enough time has passed (from 5 s early
  /// in a run to a minute after an hour: a killed run loses at most that much work).
  func checkpointIfDue() throws(CLIError) {
    let now = Date()
    let interval =
      fixedInterval ?? min(60, max(5, now.timeIntervalSince(started) / 60))
    if bufferedBytes >= 1 << 22 || now.timeIntervalSince(lastCheckpoint) >= interval {
      try checkpoint()
    }
  }

  /// Appends the buffered units as one chunk, then its journal line.
  func checkpoint() throws(CLIError) {
    lastCheckpoint = Date()
    guard bufferedEnd > end else { return }
    var data: [UInt8] = []
    data.reserveCapacity(bufferedBytes)
    for buffer in buffers { data.append(contentsOf: buffer) }
    let chunk = Chunk(
      first: end, end: bufferedEnd, offset: rowsSize, sizes: buffers.map { UInt64($0.count) })
    // Each write starts where the valid part ends, so a failed checkpoint (a full disk)
    // leaves nothing in the way of the next one.
    lseek(rows, off_t(rowsSize), SEEK_SET)
    try BufferedFile.writeAll(rows, data, rowsURL)
    var line =
      "chunk \(chunk.first) \(chunk.end) \(chunk.offset) "
      + chunk.sizes.map(String.init).joined(separator: ",")
      + " \(String(Self.hash(data), radix: 16))"
    line += " \(String(Self.hash(Array(line.utf8)), radix: 16))\n"
    lseek(journal, off_t(journalSize), SEEK_SET)
    try BufferedFile.writeAll(journal, Array(line.utf8), journalURL)
    journalSize += UInt64(line.utf8.count)
    rowsSize += chunk.total
    chunks.append(chunk)
    end = chunk.end
    for c in buffers.indices { buffers[c].removeAll(keepingCapacity: true) }
    bufferedBytes = 0
  }

  // MARK: - Reading back

  /// The rows of condition `c` in each chunk, in unit order; reading them checks every row
  /// against the plan (they were written by this program, but a journal is a file).
  func segments(_ source: ByteSource) -> [[RowSegment]] {
    chunks.map { chunk in
      var offset = chunk.offset
      return chunk.sizes.map { size in
        defer { offset += size }
        return RowSegment(
          source: source, offset: offset, length: size, uncheckedFrom: chunk.first)
      }
    }
  }

  /// A hash as the journal writes it: lowercase hexadecimal digits, at most 16.
  static func hex(_ word: Substring) -> UInt64? {
    guard !word.isEmpty, word.utf8.count <= 16,
      word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
    else { return nil }
    return UInt64(word, radix: 16)
  }

  /// Writes every condition's rows, chunk by chunk, to `file`: the body of `runs.csv`.
  func copyRows(to file: BufferedFile, isCancelled: () -> Bool) throws(CLIError) -> Bool {
    let source: FileSource
    do {
      source = try FileSource(path: rowsURL.path)
    } catch {
      throw CLIError(error.description, code: .failure)
    }
    let segments = self.segments(source)
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    for c in 0..<conditions {
      for part in segments {
        if isCancelled() { return false }
        var left = part[c].length
        var at = part[c].offset
        while left > 0 {
          let want = Int(min(left, UInt64(buffer.count)))
          let read = Self.read(source, at: at, into: &buffer, count: want)
          guard case .success(let n) = read else {
            if case .failure(let error) = read { throw CLIError(error.description, code: .failure) }
            return false
          }
          if n == 0 {
            throw CLIError("\(rowsURL.path) is shorter than its journal says", code: .failure)
          }
          try file.write(bytes: Array(buffer[..<n]))
          left -= UInt64(n)
          at += UInt64(n)
        }
      }
    }
    return true
  }

  /// Reads up to `count` bytes of `source` at `offset` into the front of `buffer`.
  static func read(_ source: ByteSource, at offset: UInt64, into buffer: inout [UInt8], count: Int)
    -> Result<Int, ResultFileError>
  {
    buffer.withUnsafeMutableBytes { raw in
      Result { () throws(ResultFileError) -> Int in
        try source.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<count]))
      }
    }
  }

  // MARK: - Hashes

  /// FNV-1a, 64 bits.
  static func hash(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    bytes.withUnsafeBytes { raw in
      for byte in raw {
        h ^= UInt64(byte)
        h &*= 0x100_0000_01b3
      }
    }
    return h
  }

  static func hash(_ source: ByteSource, offset: UInt64, length: UInt64) throws(ResultFileError)
    -> UInt64
  {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var at = offset
    var left = length
    while left > 0 {
      let want = Int(min(left, UInt64(buffer.count)))
      let n = try read(source, at: at, into: &buffer, count: want).get()
      if n == 0 { throw ResultFileError(file: source.name, "shorter than expected") }
      buffer.withUnsafeBytes { raw in
        for byte in raw[..<n] {
          h ^= UInt64(byte)
          h &*= 0x100_0000_01b3
        }
      }
      at += UInt64(n)
      left -= UInt64(n)
    }
    return h
  }
}

/// Checks one row of a journal before `--resume` keeps it: a row of `runs.csv` for a run
/// (``RowChecker``), a row of `points.csv` for a sensitivity analysis.
protocol JournalRowChecker {
  func checkJournalRow(_ line: LineReader.Line, condition: Int, unit: Int, file: String)
    throws(ResultFileError)
}

extension RowChecker: JournalRowChecker {
  func checkJournalRow(_ line: LineReader.Line, condition: Int, unit: Int, file: String)
    throws(ResultFileError)
  {
    try checkRow(line, condition: condition, unit: unit, file: file)
  }
}

/// The first difference between two JSON values, as `path: A (then), B (now)`.
enum JSONDifference {
  static func first(_ old: JSONValue, _ new: JSONValue, path: String = "") -> String? {
    switch (old, new) {
    case (.object(let a), .object(let b)):
      for member in a {
        let here = path.isEmpty ? member.key : "\(path).\(member.key)"
        guard let other = b.first(where: { $0.key == member.key }) else {
          return "\(here) was \(brief(member.value.value)), now it is not set"
        }
        if let difference = first(member.value.value, other.value.value, path: here) {
          return difference
        }
      }
      for member in b where !a.contains(where: { $0.key == member.key }) {
        let here = path.isEmpty ? member.key : "\(path).\(member.key)"
        return "\(here) was not set, now it is \(brief(member.value.value))"
      }
      return nil
    case (.array(let a), .array(let b)):
      for (i, (x, y)) in zip(a, b).enumerated() {
        if let difference = first(x.value, y.value, path: "\(path)[\(i)]") { return difference }
      }
      if a.count != b.count {
        return "\(path) had \(a.count) entries, now \(b.count)"
      }
      return nil
    default:
      return old == new ? nil : "\(path) was \(brief(old)), now \(brief(new))"
    }
  }

  static func brief(_ value: JSONValue) -> String {
    let text = value.render().replacingOccurrences(of: "\n", with: " ")
    return text.count > 80 ? String(text.prefix(77)) + "..." : text
  }
}
