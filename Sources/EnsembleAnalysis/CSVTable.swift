/// A parsed CSV file: a header record and data rows, each row with as many fields as the header.
public struct CSVTable: Sendable, Equatable {
  /// Column names, from the first record.
  public var header: [String]
  /// Data records, in file order.
  public var rows: [[String]]

  /// A table from a header and rows.
  public init(header: [String], rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  /// The index of the first column called `name`, if any.
  public func columnIndex(_ name: String) -> Int? {
    header.firstIndex(of: name)
  }

  /// The fields of the first column called `name`, one per row; nil when there is no such column.
  public func column(_ name: String) -> [String]? {
    guard let index = columnIndex(name) else { return nil }
    return rows.map { index < $0.count ? $0[index] : "" }
  }

  /// The table as CSV text: `CSV.line(header)` followed by `CSV.line(row)` for every row.
  public var text: String {
    var result = CSV.line(header)
    for row in rows { result += CSV.line(row) }
    return result
  }
}

/// A malformed CSV input. `line` is the 1-based physical line on which the problem was found
/// (for an unterminated quote: the line where the quoted field starts; for a wrong field count:
/// the line where the record starts).
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The input holds no record, so there is no header.
    case missingHeader
    /// A quoted field is still open at the end of the input.
    case unterminatedQuote
    /// A double quote appears inside an unquoted field.
    case quoteInUnquotedField
    /// Something other than a comma or line end follows a closing quote.
    case characterAfterClosingQuote
    /// A record has a different number of fields than the header.
    case fieldCountMismatch(expected: Int, found: Int)
  }

  /// What went wrong.
  public var kind: Kind
  /// The 1-based line number.
  public var line: Int

  /// An error of `kind` at `line`.
  public init(_ kind: Kind, line: Int) {
    self.kind = kind
    self.line = line
  }

  /// A human-readable message that includes the line number.
  public var message: String {
    switch kind {
    case .missingHeader:
      return "CSV line \(line): empty input, expected a header record"
    case .unterminatedQuote:
      return "CSV line \(line): quoted field starting on this line is never closed"
    case .quoteInUnquotedField:
      return "CSV line \(line): double quote inside an unquoted field"
    case .characterAfterClosingQuote:
      return "CSV line \(line): unexpected character after a closing quote"
    case .fieldCountMismatch(let expected, let found):
      return "CSV line \(line): record has \(found) field(s), header has \(expected)"
    }
  }

  public var description: String { message }
}

extension CSV {
  /// Parses RFC 4180 text into a header and rows.
  ///
  /// - Fields may be quoted; quoted fields may hold commas, CR, LF and doubled quotes (`""`).
  /// - Records end with "\n", "\r\n" or a lone "\r"; a final line end is optional.
  /// - Blank lines (no characters at all) are skipped; a UTF-8 byte-order mark is ignored.
  /// - Every record must have as many fields as the header.
  ///
  /// - Throws: `CSVError` (with the line number) for a missing header, an unterminated quote, a
  ///   stray quote, text after a closing quote, or a record with the wrong number of fields.
  public static func parse(_ text: String) throws(CSVError) -> CSVTable {
    var parser = CSVParser(text)
    let records = try parser.parseRecords()
    guard let first = records.first else { throw CSVError(.missingHeader, line: 1) }
    let header = first.fields
    var rows: [[String]] = []
    rows.reserveCapacity(records.count - 1)
    for record in records.dropFirst() {
      guard record.fields.count == header.count else {
        throw CSVError(
          .fieldCountMismatch(expected: header.count, found: record.fields.count),
          line: record.line)
      }
      rows.append(record.fields)
    }
    return CSVTable(header: header, rows: rows)
  }
}

/// A byte-level RFC 4180 state machine over UTF-8 (the structural characters are ASCII, so
/// splitting UTF-8 at them never cuts a multi-byte character).
struct CSVParser {
  private enum State {
    case fieldStart
    case unquoted
    case quoted(startLine: Int)
    case afterClosingQuote
  }

  private let bytes: [UInt8]
  private var index = 0
  private var line = 1
  private var state = State.fieldStart
  private var field: [UInt8] = []
  private var fields: [String] = []
  private var recordLine = 1
  private var recordHasContent = false
  private var records: [(line: Int, fields: [String])] = []

  init(_ text: String) {
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    self.bytes = bytes
  }

  /// All records with the line on which each starts.
  mutating func parseRecords() throws(CSVError) -> [(line: Int, fields: [String])] {
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch state {
      case .fieldStart, .unquoted:
        switch byte {
        case ASCII.quote:
          guard case .fieldStart = state else {
            throw CSVError(.quoteInUnquotedField, line: line)
          }
          state = .quoted(startLine: line)
          recordHasContent = true
        case ASCII.comma:
          endField()
          recordHasContent = true
        case ASCII.cr, ASCII.lf:
          endLine(byte)
        default:
          field.append(byte)
          state = .unquoted
          recordHasContent = true
        }
      case .quoted:
        switch byte {
        case ASCII.quote:
          if index < bytes.count && bytes[index] == ASCII.quote {
            field.append(ASCII.quote)
            index += 1
          } else {
            state = .afterClosingQuote
          }
        case ASCII.lf:
          field.append(byte)
          line += 1
        case ASCII.cr:
          field.append(byte)
          if !(index < bytes.count && bytes[index] == ASCII.lf) { line += 1 }
        default:
          field.append(byte)
        }
      case .afterClosingQuote:
        switch byte {
        case ASCII.comma:
          endField()
        case ASCII.cr, ASCII.lf:
          endLine(byte)
        default:
          throw CSVError(.characterAfterClosingQuote, line: line)
        }
      }
    }
    if case .quoted(let startLine) = state {
      throw CSVError(.unterminatedQuote, line: startLine)
    }
    if recordHasContent { endRecord() }
    return records
  }

  private mutating func endField() {
    fields.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
    state = .fieldStart
  }

  /// Handles a line end outside quotes; `byte` (CR or LF) has been consumed.
  private mutating func endLine(_ byte: UInt8) {
    if byte == ASCII.cr && index < bytes.count && bytes[index] == ASCII.lf { index += 1 }
    if recordHasContent { endRecord() }
    line += 1
    recordLine = line
  }

  private mutating func endRecord() {
    endField()
    records.append((recordLine, fields))
    fields.removeAll()
    recordHasContent = false
  }
}
