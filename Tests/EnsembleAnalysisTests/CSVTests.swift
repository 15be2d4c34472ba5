import Testing

@testable import EnsembleAnalysis

@Suite("CSV")
struct CSVTests {
  @Test("numbers format in their shortest round-trip form")
  func formatNumberExamples() {
    #expect(CSV.formatNumber(3.0) == "3")
    #expect(CSV.formatNumber(-2.0) == "-2")
    #expect(CSV.formatNumber(0.0) == "0")
    #expect(CSV.formatNumber(-0.0) == "-0")
    #expect(CSV.formatNumber(0.1) == "0.1")
    #expect(CSV.formatNumber(1e-05) == "1e-05")
    #expect(CSV.formatNumber(0.1 + 0.2) == "0.30000000000000004")
    #expect(CSV.formatNumber(2.5) == "2.5")
    #expect(CSV.formatNumber(9_007_199_254_740_991) == "9007199254740991")
    #expect(CSV.formatNumber(9_007_199_254_740_992) == "9007199254740992")
    #expect(CSV.formatNumber(1e16) == "1e+16")
    #expect(CSV.formatNumber(-123_456.0) == "-123456")
    #expect(CSV.formatNumber(0.0001) == "0.0001")
    #expect(CSV.formatNumber(1e300) == "1e+300")
    #expect(CSV.formatNumber(Double?.none) == "")
    #expect(CSV.formatNumber(Double?.some(7)) == "7")
  }

  @Test("format then parse reproduces the exact bits")
  func roundTripBits() throws {
    var generator = SplitMix64(seed: 0x5EED_CAFE)
    var checked = 0
    func check(_ x: Double) {
      let text = CSV.formatNumber(x)
      let back = CSV.parseNumber(text)
      #expect(back?.bitPattern == x.bitPattern, "\(x) -> \(text) -> \(String(describing: back))")
      checked += 1
    }
    // Arbitrary bit patterns: every finite Double, including subnormals.
    for _ in 0..<20_000 {
      let x = Double(bitPattern: generator.next())
      if x.isFinite { check(x) }
    }
    // Typical magnitudes of simulation output, and integers around 2^53.
    for _ in 0..<20_000 {
      let scale = Double(sign: .plus, exponent: Int(generator.next() % 80) - 40, significand: 1)
      check(Double.random(in: -1...1, using: &generator) * scale)
      check(Double(Int64.random(in: -(1 << 54)...(1 << 54), using: &generator)))
    }
    for x in [
      0.0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.ulpOfOne,
      .leastNormalMagnitude / 3,
    ] {
      check(x)
    }
    #expect(checked > 50_000)
  }

  @Test("parseNumber handles missing and invalid fields")
  func parseNumber() {
    #expect(CSV.parseNumber("") == nil)
    #expect(CSV.parseNumber("   ") == nil)
    #expect(CSV.parseNumber("abc") == nil)
    #expect(CSV.parseNumber("nan") == nil)
    #expect(CSV.parseNumber("inf") == nil)
    #expect(CSV.parseNumber("-1e400") == nil)
    #expect(CSV.parseNumber("42") == 42)
    #expect(CSV.parseNumber("-0.5") == -0.5)
    #expect(CSV.parseNumber("1e-05") == 1e-05)
    #expect(CSV.parseNumber("1E+16") == 1e16)
    #expect(CSV.parseNumber(Substring("x0.25").dropFirst()) == 0.25)
  }

  /// Issue 21: `0.675\0junk` read as 0.675 (the C parser stops at the NUL), and merge copied
  /// the junk on. The whole field must be the number.
  @Test(
    "parseNumber refuses anything but a whole decimal number",
    arguments: [
      "0.675\0junk", "0.675\0", "\00.675", " -0.5 ", "0.5 ", "+1", "1.", ".5", "1e", "1e+",
      "-", "--1", "0x1p3", "1_000", "1,5", "١٢", "1e5x", "Infinity", "0.5\n", "1.5.2", "e5",
    ])
  func parseNumberIsStrict(field: String) {
    #expect(CSV.parseNumber(field) == nil, "\(field.debugDescription)")
  }

  @Test("parseCount takes plain digits only")
  func parseCount() {
    #expect(CSV.parseCount("0") == 0)
    #expect(CSV.parseCount("9223372036854775807") == Int.max)
    for field in ["", "-1", "+1", " 1", "1 ", "1\0", "1e3", "9223372036854775808", "１"] {
      #expect(CSV.parseCount(field) == nil, "\(field.debugDescription)")
    }
  }

  @Test("fields are escaped per RFC 4180")
  func escaping() {
    #expect(CSV.escape("plain") == "plain")
    #expect(CSV.escape("") == "")
    #expect(CSV.escape("a,b") == "\"a,b\"")
    #expect(CSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSV.escape("two\nlines") == "\"two\nlines\"")
    #expect(CSV.escape("crlf\r\nend") == "\"crlf\r\nend\"")
    #expect(CSV.escape("cr\r") == "\"cr\r\"")
    #expect(CSV.escape("naïve, ünïcödé") == "\"naïve, ünïcödé\"")
    #expect(CSV.line(["a", "b,c", ""]) == "a,\"b,c\",\n")
    #expect(CSV.line([]) == "\n")
    #expect(CSV.line([""]) == "\"\"\n")
  }

  @Test("tricky input parses")
  func parseTricky() throws {
    let text =
      "\u{FEFF}name,note,value\r\n"
      + "alpha,\"comma, inside\",1\r\n"
      + "\"beta\",\"quote \"\"here\"\"\",2.5\n"
      + "gamma,\"multi\nline\r\nfield\",\n"
      + "\n"
      + ",,\n"
      + "\"\",\"\",\"\"\n"
      + "last,no newline,-3"
    let table = try CSV.parse(text)
    #expect(table.header == ["name", "note", "value"])
    #expect(
      table.rows == [
        ["alpha", "comma, inside", "1"],
        ["beta", "quote \"here\"", "2.5"],
        ["gamma", "multi\nline\r\nfield", ""],
        ["", "", ""],
        ["", "", ""],
        ["last", "no newline", "-3"],
      ])
    #expect(table.column("value") == ["1", "2.5", "", "", "", "-3"])
    #expect(table.column("missing") == nil)
    #expect(table.columnIndex("note") == 1)
  }

  @Test("written tables parse back unchanged")
  func writeThenParse() throws {
    let table = CSVTable(
      header: ["id", "text", "x"],
      rows: [
        ["1", "plain", CSV.formatNumber(0.1)],
        ["2", "a,b \"c\"\nd\r\ne", CSV.formatNumber(Double?.none)],
        ["3", "", CSV.formatNumber(-1e-300)],
      ])
    #expect(try CSV.parse(table.text) == table)
    let single = CSVTable(header: ["only"], rows: [[""], ["x"], [""]])
    #expect(single.text == "only\n\"\"\nx\n\"\"\n")
    #expect(try CSV.parse(single.text) == single)
  }

  @Test("trailing newline and CRLF variants")
  func lineEndings() throws {
    let expected = CSVTable(header: ["a", "b"], rows: [["1", "2"], ["3", "4"]])
    #expect(try CSV.parse("a,b\n1,2\n3,4\n") == expected)
    #expect(try CSV.parse("a,b\r\n1,2\r\n3,4\r\n") == expected)
    #expect(try CSV.parse("a,b\n1,2\n3,4") == expected)
    #expect(try CSV.parse("a,b\n1,2\n\n3,4\n\n") == expected)
    #expect(try CSV.parse("a,b\n") == CSVTable(header: ["a", "b"], rows: []))
  }

  @Test("malformed input reports the line")
  func errors() {
    func parseError(_ text: String) -> CSVError? {
      do {
        _ = try CSV.parse(text)
        return nil
      } catch {
        return error
      }
    }
    #expect(parseError("") == CSVError(.missingHeader, line: 1))
    #expect(parseError("\n\n") == CSVError(.missingHeader, line: 1))

    let unterminated = parseError("a,b\n1,2\n3,\"open\nstill open\n")
    #expect(unterminated == CSVError(.unterminatedQuote, line: 3))
    #expect(unterminated?.message.contains("line 3") == true)

    let mismatch = parseError("a,b\n1,2\n\"x\ny\",2,3\n")
    #expect(mismatch == CSVError(.fieldCountMismatch(expected: 2, found: 3), line: 3))
    #expect(mismatch?.description == "CSV line 3: record has 3 field(s), header has 2")

    #expect(
      parseError("a,b\r\n1\r\n") == CSVError(.fieldCountMismatch(expected: 2, found: 1), line: 2))
    #expect(parseError("a,b\n1,x\"y\n") == CSVError(.quoteInUnquotedField, line: 2))
    #expect(parseError("a,b\n\"1\"x,2\n") == CSVError(.characterAfterClosingQuote, line: 2))
  }
}
