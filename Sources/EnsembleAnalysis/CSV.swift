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

  /// Parses a numeric field: nil for an empty field (a missing value) and also for text that is
  /// not a finite decimal number (e.g. "abc", "nan", "inf"). Surrounding spaces are ignored.
  public static func parseNumber(_ field: String) -> Double? {
    let trimmed = field.trimmingSpaces()
    guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
    return value
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

extension String {
  /// The string without leading and trailing ASCII spaces and tabs.
  fileprivate func trimmingSpaces() -> Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return self[first...last]
  }
}
