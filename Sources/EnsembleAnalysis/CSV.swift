/// Reading and writing RFC 4180 comma-separated values.
///
/// Writing: fields are joined by commas and each record ends with "\n"; a field is quoted when
/// it contains a comma, a double quote, CR or LF, and quotes inside it are doubled. Numbers are
/// written in their shortest round-trip form (`formatNumber`), so a table written and read back
/// reproduces every Double bit for bit.
public enum CSV {
  /// The shortest text that reads back (with `Double.init(_: String)`) to exactly `x`.
  ///
  /// This is Swift's shortest round-trip `description` ("0.1", "1e-05", "0.30000000000000004",
  /// "1e+16") with the ".0" of integral values dropped, so integers print without a decimal
  /// point: "3", "-2", "0", and "-0" for negative zero so that its sign survives. Every integral
  /// value with |x| < 2⁵³ (indeed < 10¹⁶) therefore prints as a plain integer.
  ///
  /// - Precondition: `x` is finite.
  public static func formatNumber(_ x: Double) -> String {
    precondition(x.isFinite, "CSV.formatNumber: non-finite value \(x)")
    let text = x.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  /// `formatNumber(x)`, or the empty field "" when `x` is nil (a missing value).
  ///
  /// - Precondition: `x` is nil or finite.
  public static func formatNumber(_ x: Double?) -> String {
    guard let x else { return "" }
    return formatNumber(x)
  }

  /// Parses a numeric field strictly, the one number parser of every file this program reads
  /// back (`runs.csv`, `points.csv`, the run journal): the whole field must be one finite
  /// number in the decimal form ``formatNumber(_:)`` writes, `-?D+(.D+)?([eE][+-]?D+)?` with
  /// ASCII digits D, and nothing else — no spaces, no NUL byte and nothing after it, no
  /// `+`, `inf`, `nan` or hexadecimal. Nil for an empty field (a missing value) and for
  /// anything that is not such a number.
  ///
  /// - Complexity: O(n) in the length of the field.
  public static func parseNumber<S: StringProtocol>(_ field: S) -> Double? {
    guard isDecimalNumber(field.utf8), let value = Double(String(field)), value.isFinite else {
      return nil
    }
    return value
  }

  /// Parses a whole number of ASCII digits only (no sign, no spaces), as counts, indices and
  /// offsets are written; nil for anything else or above `Int.max`.
  public static func parseCount<S: StringProtocol>(_ field: S) -> Int? {
    guard !field.isEmpty, field.utf8.count <= 19, field.utf8.allSatisfy(isDigit) else {
      return nil
    }
    return Int(field)
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// Whether `bytes` are exactly `-?D+(.D+)?([eE][+-]?D+)?`.
  static func isDecimalNumber<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
    var i = bytes.startIndex
    let end = bytes.endIndex
    func digits() -> Bool {
      let start = i
      while i != end, isDigit(bytes[i]) { i = bytes.index(after: i) }
      return i != start
    }
    if i != end, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
    guard digits() else { return false }
    if i != end, bytes[i] == UInt8(ascii: ".") {
      i = bytes.index(after: i)
      guard digits() else { return false }
    }
    if i != end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i = bytes.index(after: i)
      if i != end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
        i = bytes.index(after: i)
      }
      guard digits() else { return false }
    }
    return i == end
  }

  /// The field as it must appear in a CSV file: unchanged unless it contains a comma, a double
  /// quote, CR or LF, in which case it is wrapped in double quotes with inner quotes doubled
  /// (`a"b` → `"a""b"`).
  public static func escape(_ field: String) -> String {
    let needsQuoting = field.utf8.contains { byte in
      byte == ASCII.comma || byte == ASCII.quote || byte == ASCII.cr || byte == ASCII.lf
    }
    guard needsQuoting else { return field }
    var result = "\""
    for scalar in field.unicodeScalars {
      if scalar == "\"" { result.unicodeScalars.append("\"") }
      result.unicodeScalars.append(scalar)
    }
    result.unicodeScalars.append("\"")
    return result
  }

  /// One record: the fields, each passed through `escape`, joined by commas and terminated by
  /// "\n". A record consisting of a single empty field is written as `""` so that it is not
  /// mistaken for a blank line (which `parse` skips).
  public static func line(_ fields: [String]) -> String {
    if fields == [""] { return "\"\"\n" }
    return fields.map(escape).joined(separator: ",") + "\n"
  }
}

/// Byte values of the ASCII characters that structure a CSV file.
enum ASCII {
  static let comma = UInt8(ascii: ",")
  static let quote = UInt8(ascii: "\"")
  static let cr = UInt8(ascii: "\r")
  static let lf = UInt8(ascii: "\n")
  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")
}
