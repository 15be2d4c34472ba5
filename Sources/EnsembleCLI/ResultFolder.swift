import EnsembleAnalysis
import EnsembleReport
import Foundation

extension ResultManifest {
  /// Reads `folder/manifest.json`; a missing or unreadable one is a user error naming it.
  static func read(_ folder: URL, command: String) throws(CLIError) -> ResultManifest {
    let url = folder.appendingPathComponent("manifest.json")
    guard let data = FileManager.default.contents(atPath: url.path) else {
      if FileManager.default.fileExists(
        atPath: folder.appendingPathComponent(".manifest.json.tmp").path)
        || FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs.csv").path)
      {
        throw CLIError("\(command): \(folder.path) has no manifest.json: its run did not finish")
      }
      throw CLIError("\(command): \(folder.path) holds no results (no manifest.json)")
    }
    do {
      return try ResultManifest(parsing: String(decoding: data, as: UTF8.self))
    } catch {
      throw CLIError("\(command): \(url.path): \(error.message)")
    }
  }
}

/// A `runs.csv` located section by section: each condition's rows are one contiguous byte
/// range (plan order), which lets statistics be rebuilt with one reader per condition
/// walking in step, in flat memory.
struct RunsFile {
  struct Section {
    var condition: String
    var offset: UInt64
    var length: UInt64
    var rows: Int
  }

  let url: URL
  let header: [String]
  let headerLength: UInt64
  let sections: [Section]

  /// Scans `url` once, checking that its rows are grouped by condition in `conditions`
  /// order with `rowsPerCondition` rows each.
  static func scan(
    _ url: URL, conditions: [String], rowsPerCondition: Int, command: String
  ) throws(CLIError) -> RunsFile {
    guard let reader = LineReader(url: url) else {
      throw CLIError("\(command): cannot read \(url.path)")
    }
    guard let first = reader.next() else { throw CLIError("\(command): \(url.path) is empty") }
    let header: [String]
    do {
      header = try CSV.fields(first.line)
    } catch {
      throw CLIError("\(command): \(url.path): \(error.message)")
    }
    var sections: [Section] = []
    var lineNumber = 1
    while let (line, offset) = reader.next() {
      lineNumber += 1
      let condition: String
      do {
        condition = try CSV.fields(line).first ?? ""
      } catch {
        throw CLIError("\(command): \(url.path) line \(lineNumber): \(error.message)")
      }
      let length = UInt64(line.utf8.count + 1)
      if let last = sections.last, last.condition == condition {
        sections[sections.count - 1].length += length
        sections[sections.count - 1].rows += 1
      } else {
        sections.append(Section(condition: condition, offset: offset, length: length, rows: 1))
      }
    }
    let found = sections.map(\.condition)
    let expected = rowsPerCondition > 0 ? conditions : []
    guard found == expected, sections.allSatisfy({ $0.rows == rowsPerCondition }) else {
      throw CLIError(
        "\(command): \(url.path) does not match its manifest (expected \(rowsPerCondition) rows "
          + "for each of \(conditions.joined(separator: ", ")); found "
          + sections.map { "\($0.rows) of \($0.condition)" }.joined(separator: ", ") + ")")
    }
    return RunsFile(
      url: url, header: header, headerLength: UInt64(first.line.utf8.count + 1),
      sections: sections)
  }

  /// Rebuilds the statistics: unit by unit, every condition's row, in the order a run adds
  /// them, so the result is identical to the run's own.
  func statistics(_ manifest: ResultManifest, command: String) throws(CLIError) -> ResultStatistics
  {
    let metricStart = ResultSchema.metricStart(sweptKeys: manifest.sweptKeys.count)
    let metrics = Array(header.dropFirst(metricStart))
    let layout = ResultLayout(
      conditions: manifest.conditions, baseline: manifest.baseline,
      sweptKeys: manifest.sweptKeys, points: manifest.points, metrics: metrics)
    var statistics = ResultStatistics(layout: layout)
    var readers: [LineReader] = []
    for section in sections {
      guard let reader = LineReader(url: url, offset: section.offset, length: section.length) else {
        throw CLIError("\(command): cannot read \(url.path)")
      }
      readers.append(reader)
    }
    let units = manifest.firstUnit..<manifest.endUnit
    for unit in units {
      let point = unit / manifest.replications
      let replication = unit % manifest.replications
      var values: [[Double?]] = []
      for reader in readers {
        guard let (line, _) = reader.next(),
          let fields = try? CSV.fields(line), fields.count == header.count,
          fields[1] == String(point), fields[2] == String(replication)
        else {
          throw CLIError(
            "\(command): \(url.path): the rows of point \(point), replication \(replication) "
              + "are missing or out of order")
        }
        values.append(fields[metricStart...].map { CSV.parseNumber($0) })
      }
      statistics.add(point: point, values: values)
    }
    return statistics
  }
}

/// Reads a file (or a byte range of it) line by line through a 1 MiB buffer.
final class LineReader {
  let handle: FileHandle
  var remaining: UInt64
  var buffer: [UInt8] = []
  var start = 0
  var position: UInt64

  init?(url: URL, offset: UInt64 = 0, length: UInt64 = .max) {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
    self.handle = handle
    remaining = length
    position = offset
    if offset > 0 { try? handle.seek(toOffset: offset) }
  }

  deinit { try? handle.close() }

  /// The next line without its line break, and the byte offset where it starts.
  func next() -> (line: String, offset: UInt64)? {
    while true {
      if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
        var end = newline
        if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: buffer[start..<end], as: UTF8.self)
        let offset = position
        position += UInt64(newline + 1 - start)
        start = newline + 1
        return (line, offset)
      }
      let chunk =
        remaining > 0 ? (try? handle.read(upToCount: Int(min(remaining, 1 << 20)))) ?? nil : nil
      guard let chunk, !chunk.isEmpty else {
        guard start < buffer.count else { return nil }
        let line = String(decoding: buffer[start...], as: UTF8.self)
        let offset = position
        position += UInt64(buffer.count - start)
        start = buffer.count
        return (line, offset)
      }
      remaining -= UInt64(chunk.count)
      buffer.removeFirst(start)
      start = 0
      buffer.append(contentsOf: chunk)
    }
  }
}
