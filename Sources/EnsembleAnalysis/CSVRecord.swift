extension CSV {
  /// The fields of one record: a line of CSV without its line break.
  /// - Throws: ``CSVError`` for an unterminated quote or a stray quote.
  public static func fields(_ line: String) throws(CSVError) -> [String] {
    var parser = CSVParser(line)
    let records = try parser.parseRecords()
    return records.first?.fields ?? [""]
  }
}
