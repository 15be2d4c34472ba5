import Testing

@testable import EnsembleExperiments

// MARK: - Helpers

/// Parses `text`, recording an issue (and returning nil) if it fails.
private func parsed(
  _ text: String, sourceLocation: SourceLocation = #_sourceLocation
) -> JSONNode? {
  do {
    return try JSON5.parse(text)
  } catch {
    Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// The value of `text`, ignoring positions.
private func value(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue?
{
  parsed(text, sourceLocation: sourceLocation)?.value
}

/// The error `JSON5.parse(text)` throws, recording an issue if it succeeds.
private func syntaxError(
  _ text: String, sourceLocation: SourceLocation = #_sourceLocation
) -> JSON5SyntaxError? {
  do {
    let node = try JSON5.parse(text)
    Issue.record("expected an error, got \(node.render())", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// Whether two values are equal ignoring positions (and treating NaN as equal to NaN).
private func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
  switch (a, b) {
  case (.null, .null): return true
  case (.bool(let x), .bool(let y)): return x == y
  case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
  case (.string(let x), .string(let y)): return x == y
  case (.array(let x), .array(let y)):
    return x.count == y.count && zip(x, y).allSatisfy { sameValue($0.value, $1.value) }
  case (.object(let x), .object(let y)):
    return x.count == y.count
      && zip(x, y).allSatisfy { $0.key == $1.key && sameValue($0.value.value, $1.value.value) }
  default: return false
  }
}

private func number(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double? {
  guard case .number(let x)? = value(text, sourceLocation: sourceLocation) else {
    Issue.record("\(text) is not a number", sourceLocation: sourceLocation)
    return nil
  }
  return x
}

private func string(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
  guard case .string(let s)? = value(text, sourceLocation: sourceLocation) else {
    Issue.record("\(text) is not a string", sourceLocation: sourceLocation)
    return nil
  }
  return s
}

private func keys(_ node: JSONNode?) -> [String] {
  guard case .object(let members)? = node?.value else { return [] }
  return members.map(\.key)
}

private func pos(_ line: Int, _ column: Int) -> SourcePosition {
  SourcePosition(line: line, column: column)
}

private let experimentFile = """
  {
    name: "structured-vs-unstructured",   // a comment
    seed: 20261122,
    replications: 1000,
    conditions: [
      { name: "unstructured", design: "unstructured" },
      { name: "structured",   design: "structured", set: { "design.review": "none" } },
    ],
    sweep: { "team.ai.count": [1, 3, 5, 10, 20] },
  }
  """

// MARK: - Accepted forms

@Suite("JSON5 parsing: accepted forms")
struct JSON5AcceptedTests {
  @Test("the literals null, true and false")
  func literals() {
    #expect(value("null") == .null)
    #expect(value("true") == .bool(true))
    #expect(value("false") == .bool(false))
    let list = value("[null,true,false]")
    guard case .array(let elements)? = list else {
      Issue.record("not a list")
      return
    }
    #expect(elements.map(\.value) == [.null, .bool(true), .bool(false)])
  }

  @Test(
    "decimal numbers",
    arguments: [
      ("0", 0.0), ("-0", -0.0), ("7", 7), ("42", 42), ("-17", -17), ("+5", 5),
      ("3.25", 3.25), ("-0.5", -0.5), (".5", 0.5), ("-.5", -0.5), ("+.25", 0.25),
      ("5.", 5), ("-5.", -5), ("1e3", 1000), ("1E3", 1000), ("2.5e+3", 2500), ("1e-2", 0.01),
      ("-1.5E-1", -0.15), (".5e1", 5), ("5.e1", 50), ("0.0", 0), ("0e0", 0),
      ("20261122", 20_261_122), ("9007199254740993", 9_007_199_254_740_992),
      ("1.7976931348623157e308", 1.7976931348623157e308), ("5e-324", .leastNonzeroMagnitude),
    ] as [(String, Double)])
  func decimalNumbers(text: String, expected: Double) {
    let x = number(text)
    #expect(x == expected, "\(text)")
    #expect(x?.sign == expected.sign, "\(text) sign")
  }

  @Test(
    "hexadecimal numbers",
    arguments: [
      ("0x1F", 31.0), ("0x1f", 31), ("0X1F", 31), ("0x0", 0), ("-0x10", -16), ("+0xff", 255),
      ("0xFFFFFFFFFFFFFFFF", 0x1p64),
      ("0x10000000000000000", 0x1p64), ("0x1FFFFFFFFFFFFF", 0x1p53 - 1),
    ] as [(String, Double)])
  func hexadecimalNumbers(text: String, expected: Double) {
    #expect(number(text) == expected, "\(text)")
  }

  @Test("Infinity, -Infinity, +Infinity and NaN")
  func nonFiniteNumbers() {
    #expect(number("Infinity") == .infinity)
    #expect(number("+Infinity") == .infinity)
    #expect(number("-Infinity") == -.infinity)
    #expect(number("NaN")?.isNaN == true)
    #expect(number("-NaN")?.isNaN == true)
    #expect(value("[-Infinity, NaN]").map { $0.typeName } == "a list")
  }

  @Test("strings in double and single quotes")
  func quotes() {
    #expect(string(#""hello""#) == "hello")
    #expect(string("'hello'") == "hello")
    #expect(string(#""it's""#) == "it's")
    #expect(string(#"'say "hi"'"#) == #"say "hi""#)
    #expect(string(#""""#) == "")
    #expect(string("''") == "")
    #expect(string("'héllo wörld 🎲'") == "héllo wörld 🎲")
    #expect(string("'a\tb'") == "a\tb")  // a literal tab is allowed
    #expect(string("'a\u{2028}b'") == "a\u{2028}b")  // JSON5 allows U+2028 in strings
  }

  @Test(
    "escape sequences",
    arguments: [
      (#""\"""#, "\""), (#"'\''"#, "'"), (#"'\"'"#, "\""), (#""\'""#, "'"), (#""\\""#, "\\"),
      (#""\/""#, "/"), (#""\b""#, "\u{08}"), (#""\f""#, "\u{0C}"), (#""\n""#, "\n"),
      (#""\r""#, "\r"), (#""\t""#, "\t"), (#""\v""#, "\u{0B}"), (#""\0""#, "\u{00}"),
      (#""a\0b""#, "a\u{00}b"), (#""\x41\x7a""#, "Az"), (#""\u0041""#, "A"),
      (#""\u00e9\u00E9""#, "éé"), (#""\u2028""#, "\u{2028}"), (#""\uD83C\uDFB2""#, "🎲"),
      (#""\ud83c\udfb2!""#, "🎲!"), ("\"one \\\ntwo\"", "one two"),
      ("\"one \\\r\ntwo\"", "one two"), ("'one \\\rtwo'", "one two"),
      ("'a\\\u{2028}b'", "ab"),
    ] as [(String, String)])
  func escapes(text: String, expected: String) {
    #expect(string(text) == expected, "\(text)")
  }

  @Test("line and block comments")
  func comments() {
    #expect(value("// leading\n1") == .number(1))
    #expect(value("1 // trailing, no newline") == .number(1))
    #expect(value("/* before */ 1 /* after */") == .number(1))
    #expect(
      value("/* multi\n line\r\n comment */\n[1, /* inside */ 2]// end").map {
        sameValue(
          $0,
          .array([
            JSONNode(value: .number(1), position: pos(1, 1)),
            JSONNode(value: .number(2), position: pos(1, 1)),
          ]))
      } == true)
    #expect(value("/**/1") == .number(1))
    #expect(value("/* ** / * */1") == .number(1))
    #expect(value("{a/*x*/:/*y*/1/*z*/,/*w*/}")?["a"]?.value == .number(1))
    #expect(string("'// not a comment /* nor this */'") == "// not a comment /* nor this */")
  }

  @Test("trailing commas and empty containers")
  func trailingCommas() {
    guard case .array(let list)? = value("[1, 2, 3,]") else {
      Issue.record("not a list")
      return
    }
    #expect(list.map(\.value) == [.number(1), .number(2), .number(3)])
    #expect(keys(parsed("{a: 1, b: 2,}")) == ["a", "b"])
    #expect(value("[]") == .array([]))
    #expect(value("[ ]") == .array([]))
    #expect(value("{}") == .object([]))
    #expect(value("{ // nothing\n}") == .object([]))
    #expect(
      value("[[],{},]").map {
        sameValue(
          $0,
          .array([
            JSONNode(value: .array([]), position: pos(1, 1)),
            JSONNode(value: .object([]), position: pos(1, 1)),
          ]))
      } == true)
  }

  @Test("object keys: identifiers, quoted, reserved words and escapes")
  func objectKeys() {
    let node = parsed(
      """
      {
        plain: 1, _under: 2, $dollar: 3, with9digits: 4, camelCase$_9: 5,
        "double quoted": 6, 'single quoted': 7, "": 8, "design.review": 9,
        true: 10, null: 11, NaN: 12, Infinity: 13, café: 14, 変数: 15,
        \\u0061bc: 16, x\\u0031: 17, 'a\\nb': 18, "0": 19,
      }
      """)
    #expect(
      keys(node) == [
        "plain", "_under", "$dollar", "with9digits", "camelCase$_9", "double quoted",
        "single quoted", "", "design.review", "true", "null", "NaN", "Infinity", "café", "変数",
        "abc", "x1", "a\nb", "0",
      ])
    #expect(node?["abc"]?.value == .number(16))
    #expect(node?["true"]?.value == .number(10))
    #expect(node?["missing"] == nil)
  }

  @Test("whitespace: CRLF, tabs, form feeds, BOM and non-breaking spaces")
  func whitespace() {
    let text = "\u{FEFF}{\r\n\ta:\u{0B}1,\u{0C}\r\n\u{A0}b :\u{2003}[ 2 ,\r\n3 ]\r\n}\r\n"
    let node = parsed(text)
    #expect(keys(node) == ["a", "b"])
    #expect(node?["b"]?.position == pos(3, 6))
    #expect(value("  \n\n 1 \n\n ") == .number(1))
    #expect(value("\u{2028}1\u{2029}") == .number(1))
  }
}

// MARK: - Order and positions

@Suite("JSON5 parsing: key order and positions")
struct JSON5PositionTests {
  @Test("object keys keep file order, at every level")
  func keyOrder() {
    let node = parsed(
      """
      { zeta: 1, alpha: 2, mid: { z: 1, y: 2, x: 3, a: 4 }, beta: 3, "0": 5, "10": 6, "9": 7 }
      """)
    #expect(keys(node) == ["zeta", "alpha", "mid", "beta", "0", "10", "9"])
    #expect(keys(node?["mid"]) == ["z", "y", "x", "a"])
    // Many keys, so that any hashing order would show.
    let many = (0..<100).map { "k\(($0 * 37) % 100)" }
    let text = "{" + many.enumerated().map { "\($1): \($0)" }.joined(separator: ",") + "}"
    #expect(keys(parsed(text)) == many)
  }

  @Test("the sweep's keys keep their order")
  func sweepOrder() {
    let node = parsed(
      """
      { sweep: { "team.ai.count": [1, 2], "design.review": ["none", "peer"], a: [true] } }
      """)
    #expect(keys(node?["sweep"]) == ["team.ai.count", "design.review", "a"])
  }

  @Test("positions of nested values and keys")
  func nestedPositions() throws {
    let text = """
      {
        a: 1,
        "b": [true, null,
              { c: 'x', d: -2.5 }],
      \te: /* c */ {},
      }
      """
    let node = try #require(parsed(text))
    #expect(node.position == pos(1, 1))
    guard case .object(let members) = node.value else {
      Issue.record("not an object")
      return
    }
    #expect(members.map(\.keyPosition) == [pos(2, 3), pos(3, 3), pos(5, 2)])
    #expect(node["a"]?.position == pos(2, 6))
    let b = try #require(node["b"])
    #expect(b.position == pos(3, 8))
    guard case .array(let elements) = b.value else {
      Issue.record("b is not a list")
      return
    }
    #expect(elements.map(\.position) == [pos(3, 9), pos(3, 15), pos(4, 9)])
    #expect(elements[2].position == pos(4, 9))
    #expect(elements[2]["c"]?.position == pos(4, 14))
    #expect(elements[2]["d"]?.position == pos(4, 22))  // the sign
    #expect(node["e"]?.position == pos(5, 13))
  }

  @Test("columns count Unicode scalars; CRLF and CR end lines")
  func columnsAndLineEndings() throws {
    let node = try #require(parsed("{ 'é🎲': 'ü', x: 1 }"))
    #expect(node["x"]?.position == pos(1, 17))
    let crlf = try #require(parsed("[\r\n1,\r\n  2]"))
    guard case .array(let elements) = crlf.value else {
      Issue.record("not a list")
      return
    }
    #expect(elements.map(\.position) == [pos(2, 1), pos(3, 3)])
    let cr = try #require(parsed("[\r1,\r\r  2]"))
    guard case .array(let crElements) = cr.value else {
      Issue.record("not a list")
      return
    }
    #expect(crElements.map(\.position) == [pos(2, 1), pos(4, 3)])
    // Line continuations and block comments move lines too.
    let continued = try #require(parsed("['a\\\nb', /*\n\n*/ 7]"))
    guard case .array(let continuedElements) = continued.value else {
      Issue.record("not a list")
      return
    }
    #expect(continuedElements.map(\.position) == [pos(1, 2), pos(4, 4)])
  }

  @Test("subscript finds object members and nothing else")
  func subscripts() {
    let node = parsed("{ a: { b: [1] } }")
    #expect(node?["a"]?["b"]?.typeName == "a list")
    #expect(node?["a"]?["b"]?["c"] == nil)
    #expect(node?["b"] == nil)
    #expect(node?.value["a"]?.position == pos(1, 6))
  }

  @Test("type names")
  func typeNames() {
    let cases: [(String, String)] = [
      ("null", "null"), ("true", "a boolean"), ("1", "a number"), ("NaN", "a number"),
      ("'s'", "a string"), ("[]", "a list"), ("{}", "an object"),
    ]
    for (text, name) in cases {
      #expect(parsed(text)?.typeName == name, "\(text)")
      #expect(value(text)?.typeName == name, "\(text)")
    }
  }
}

// MARK: - Errors

@Suite("JSON5 parsing: errors")
struct JSON5ErrorTests {
  @Test(
    "each error has its exact position and message",
    arguments: [
      // Empty input.
      ("", 1, 1, "the file is empty"),
      ("  \n\t\r\n ", 1, 1, "the file is empty"),
      ("// only a comment\n/* and another */", 1, 1, "the file is empty"),
      // Unexpected characters.
      ("}", 1, 1, "unexpected '}'"),
      ("[1, }", 1, 5, "unexpected '}'"),
      ("{a: }", 1, 5, "unexpected '}'"),
      ("[,]", 1, 2, "unexpected ','"),
      ("[1,,2]", 1, 4, "unexpected ','"),
      ("{,}", 1, 2, "unexpected ','"),
      ("{a: 1,,}", 1, 7, "unexpected ','"),
      ("\n  @", 2, 3, "unexpected '@'"),
      ("{a: hello}", 1, 5, "unexpected 'hello' (strings must be quoted)"),
      ("tru", 1, 1, "unexpected 'tru'"),
      ("trueish", 1, 1, "unexpected 'trueish'"),
      ("-Inf", 1, 2, "unexpected 'Inf'"),
      ("+true", 1, 2, "expected a number after '+', found 't'"),
      ("-", 1, 2, "expected a number after '-', but the file ended"),
      ("[\u{07}]", 1, 2, "unexpected character U+0007"),
      ("{1: 2}", 1, 2, "unexpected '1' (expected an object key or '}')"),
      ("{-a: 2}", 1, 2, "unexpected '-'"),
      ("{'a' 1}", 1, 6, "expected ':' after the key \"a\", found '1'"),
      ("{\n  seed 1\n}", 2, 8, "expected ':' after the key \"seed\""),
      ("{a: 1 b: 2}", 1, 7, "expected ',' or '}' after an object member, found 'b'"),
      ("{\n  a: 1\n  b: 2\n}", 3, 3, "expected ',' or '}' after an object member"),
      ("{a: 1", 1, 6, "expected ',' or '}' after an object member, but the file ended"),
      ("{a: 1]", 1, 6, "expected ',' or '}' after an object member, found ']'"),
      ("[1 2]", 1, 4, "expected ',' or ']' after a list element, found '2'"),
      ("[1, 2", 1, 6, "expected ',' or ']' after a list element, but the file ended"),
      ("[1}", 1, 3, "expected ',' or ']' after a list element, found '}'"),
      ("{", 1, 2, "expected an object key or '}', but the file ended"),
      ("[", 1, 2, "unexpected end of the file (expected a value)"),
      ("{a:", 1, 4, "unexpected end of the file (expected a value)"),
      // Trailing garbage.
      ("{} x", 1, 4, "unexpected 'x' after the top-level value"),
      ("1 2", 1, 3, "unexpected '2' after the top-level value"),
      ("{}\n\n}", 3, 1, "unexpected '}' after the top-level value"),
      ("'a''b'", 1, 4, "unexpected \"'\" after the top-level value"),
      // Strings.
      ("'abc", 1, 1, "unterminated string (missing closing \"'\")"),
      ("{\n  name: \"abc,\n  seed: 1\n}", 2, 9, "unterminated string"),
      ("\"a\r\nb\"", 1, 1, "a line break inside a string must be written as \\n"),
      ("\"abc\\", 1, 1, "unterminated string"),
      ("'\\q'", 1, 2, "invalid escape '\\q'"),
      ("\n  'ab\\1'", 2, 6, "invalid escape '\\1'"),
      ("'\\01'", 1, 2, "invalid escape '\\0' followed by a digit"),
      ("'\\x4'", 1, 2, "\\x must be followed by two hexadecimal digits"),
      ("'\\u12G4'", 1, 2, "\\u must be followed by four hexadecimal digits"),
      ("'\\u123'", 1, 2, "\\u must be followed by four hexadecimal digits"),
      ("'ab\\uD83C'", 1, 4, "unpaired high surrogate \\uD83C"),
      ("'\\uD83Cx'", 1, 2, "unpaired high surrogate"),
      ("'\\uD83C\\u0041'", 1, 8, "must be followed by a low surrogate"),
      ("'\\uDFB2'", 1, 2, "unpaired low surrogate \\uDFB2"),
      // Comments.
      ("/* never closed", 1, 1, "unterminated comment"),
      ("[1,\n  /* open * /\n]", 2, 3, "unterminated comment"),
      ("1 /", 1, 3, "unexpected '/' after the top-level value"),
      ("[1, / 2]", 1, 5, "unexpected '/'"),
      // Duplicate keys.
      (
        "{\n  name: 'a',\n  seed: 1,\n  seed: 2,\n}", 4, 3,
        "duplicate key \"seed\" (first at line 3)"
      ),
      ("{a: 1, 'a': 2}", 1, 8, "duplicate key \"a\" (first at line 1)"),
      ("{\"a\\u0062\": 1, ab: 2}", 1, 16, "duplicate key \"ab\""),
      // Numbers.
      ("012", 1, 1, "leading zeros are not allowed"),
      ("[-007]", 1, 2, "leading zeros are not allowed"),
      ("00", 1, 1, "leading zeros are not allowed"),
      ("0x", 1, 3, "expected hexadecimal digits after '0x', but the file ended"),
      ("0xG", 1, 3, "expected hexadecimal digits after '0x', found 'G'"),
      ("0x1G", 1, 4, "unexpected 'G' after a number"),
      ("1e", 1, 3, "expected digits in the exponent, but the file ended"),
      ("1e+", 1, 4, "expected digits in the exponent"),
      ("[.]", 1, 2, "expected a digit before or after '.'"),
      ("-.e1", 1, 2, "expected a digit before or after '.'"),
      ("1.2.3", 1, 4, "unexpected '.' after the top-level value"),
      ("12abc", 1, 3, "unexpected 'a' after a number"),
      ("3$", 1, 2, "unexpected '$' after a number"),
      ("Infinityx", 1, 1, "unexpected 'Infinityx'"),
      // Keys.
      ("{\\x41: 1}", 1, 2, "invalid escape in a key"),
      ("{\\u0031a: 1}", 1, 2, "not allowed in an unquoted key"),
    ] as [(String, Int, Int, String)])
  func errors(text: String, line: Int, column: Int, fragment: String) {
    guard let error = syntaxError(text) else { return }
    #expect(error.position == pos(line, column), "\(text.debugDescription): \(error)")
    #expect(error.message.contains(fragment), "\(text.debugDescription): \(error)")
  }

  @Test("the description reads 'line L, column C: message'")
  func errorDescription() {
    let error = syntaxError("{\n  a: 1\n  b: 2\n}")
    #expect(
      error?.description
        == "line 3, column 3: expected ',' or '}' after an object member, found 'b'"
    )
    #expect(pos(2, 7).description == "line 2, column 7")
  }

  @Test("256 levels of nesting parse; 257 are an error, not a crash")
  func depthLimit() {
    let deepest = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
    #expect(parsed(deepest) != nil)
    let tooDeep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
    let error = syntaxError(tooDeep)
    #expect(error?.position == pos(1, 257))
    #expect(error?.message.contains("nesting is too deep") == true)
    let objects = String(repeating: "{a:", count: 300) + "1" + String(repeating: "}", count: 300)
    #expect(syntaxError(objects)?.position == pos(1, 256 * 3 + 1))
    let huge = String(repeating: "[", count: 200_000)
    #expect(syntaxError(huge)?.message.contains("nesting is too deep") == true)
  }
}

// MARK: - Rendering

@Suite("JSON5 rendering")
struct JSON5RenderTests {
  @Test("render writes 2-space indented JSON with keys in order")
  func layout() {
    let node = parsed("{z: 1, a: [true, null, {}, []], 'm': {k: 'v'}, e: []}")
    #expect(
      node?.render() == """
        {
          "z": 1,
          "a": [
            true,
            null,
            {},
            []
          ],
          "m": {
            "k": "v"
          },
          "e": []
        }
        """)
    #expect(value("[]")?.render() == "[]")
    #expect(value("'x'")?.render() == "\"x\"")
  }

  @Test(
    "numbers render in the shortest form that reads back",
    arguments: [
      ("3", "3"), ("3.0", "3"), ("-0", "0"), ("-17", "-17"), ("0.1", "0.1"), ("2.5", "2.5"),
      ("1e3", "1000"), ("0x1F", "31"), ("9007199254740991", "9007199254740991"),
      ("-9007199254740991", "-9007199254740991"), ("9007199254740992", "9007199254740992.0"),
      ("1e16", "1e+16"),
      ("1e20", "1e+20"), ("1.5e-7", "1.5e-07"), ("123.456", "123.456"),
      ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("NaN", "NaN"),
    ] as [(String, String)])
  func numbers(text: String, expected: String) {
    #expect(value(text)?.render() == expected, "\(text)")
  }

  @Test("strings are escaped per JSON")
  func stringEscapes() {
    let text = #"'quote " backslash \\ slash / \b\f\n\r\t \u0001\u001f\x7f é 🎲 \u2028'"#
    #expect(
      value(text)?.render()
        == #""quote \" backslash \\ slash / \b\f\n\r\t \u0001\u001F"# + "\u{7F} é 🎲 \u{2028}\"")
    #expect(value("{'a\"b': 1}")?.render() == "{\n  \"a\\\"b\": 1\n}")
  }

  @Test(
    "parse(render(x)) equals x, ignoring positions",
    arguments: [
      experimentFile,
      "{ a: [1, -2.5, .5, 5., 0x10, 1e300, -1e-300, 3.141592653589793], b: { c: { d: [[[]]] } } }",
      "[null, true, false, '', 'tab\\tand\\nnewline', \"\\u0000\\u001b\", '\\uD83C\\uDFB2']",
      "{ '': 0, ' ': 1, 'a\\\\b': 2, z: Infinity, y: -Infinity, x: NaN }",
      "0.30000000000000004",
      "'just a string'",
      "[{}, [], {a: {}}, [[], {}]]",
    ])
  func roundTrip(text: String) throws {
    let original = try #require(parsed(text))
    let rendered = original.render()
    let reparsed = try #require(parsed(rendered))
    #expect(sameValue(original.value, reparsed.value), "\(rendered)")
    #expect(reparsed.render() == rendered)
  }

  @Test("the sameValue helper distinguishes what it should")
  func helper() {
    func v(_ text: String) -> JSONValue { value(text) ?? .null }
    #expect(sameValue(v("{a: 1, b: 2}"), v("\n{ a: 1,\n  b: 2 }")))
    #expect(!sameValue(v("{a: 1, b: 2}"), v("{b: 2, a: 1}")))
    #expect(!sameValue(v("[1, 2]"), v("[1, 2, 3]")))
    #expect(!sameValue(v("[1]"), v("['1']")))
    #expect(!sameValue(v("{a: 1}"), v("{a: 2}")))
    #expect(sameValue(v("NaN"), v("NaN")))
    // Positions are part of ==, but not of sameValue.
    #expect(parsed("[1]") != parsed(" [1]"))
  }
}

// MARK: - A realistic experiment file

@Suite("JSON5: a realistic experiment file")
struct JSON5ExperimentFileTests {
  @Test("the structured-vs-unstructured experiment parses as written")
  func experiment() throws {
    let node = try #require(parsed(experimentFile))
    #expect(keys(node) == ["name", "seed", "replications", "conditions", "sweep"])
    #expect(node["name"]?.value == .string("structured-vs-unstructured"))
    #expect(node["seed"]?.value == .number(20_261_122))
    #expect(node["seed"]?.position == pos(3, 9))
    #expect(node["replications"]?.value == .number(1000))

    let conditions = try #require(node["conditions"])
    #expect(conditions.position == pos(5, 15))
    guard case .array(let list) = conditions.value else {
      Issue.record("conditions is \(conditions.typeName)")
      return
    }
    #expect(list.count == 2)
    #expect(list.map(\.position) == [pos(6, 5), pos(7, 5)])
    #expect(keys(list[0]) == ["name", "design"])
    #expect(keys(list[1]) == ["name", "design", "set"])
    #expect(list[1]["design"]?.value == .string("structured"))
    #expect(list[1]["design"]?.position == pos(7, 37))
    #expect(list[1]["set"]?["design.review"]?.value == .string("none"))
    #expect(list[1]["set"]?["design.review"]?.position == pos(7, 75))

    let sweep = try #require(node["sweep"])
    #expect(keys(sweep) == ["team.ai.count"])
    guard case .array(let counts)? = sweep["team.ai.count"]?.value else {
      Issue.record("the sweep is not a list")
      return
    }
    #expect(counts.map(\.value) == [1, 3, 5, 10, 20].map { JSONValue.number($0) })
    #expect(counts.map(\.position.column) == [30, 33, 36, 39, 43])
    #expect(counts.allSatisfy { $0.position.line == 9 })

    #expect(
      node.render() == """
        {
          "name": "structured-vs-unstructured",
          "seed": 20261122,
          "replications": 1000,
          "conditions": [
            {
              "name": "unstructured",
              "design": "unstructured"
            },
            {
              "name": "structured",
              "design": "structured",
              "set": {
                "design.review": "none"
              }
            }
          ],
          "sweep": {
            "team.ai.count": [
              1,
              3,
              5,
              10,
              20
            ]
          }
        }
        """)
  }

  @Test("a mistake in the experiment file is reported where it is")
  func experimentMistake() {
    let broken = experimentFile.replacing("seed: 20261122,", with: "seed: 20261122")
    let error = syntaxError(broken)
    #expect(error?.position == pos(4, 3))
    #expect(error?.message == "expected ',' or '}' after an object member, found 'r'")
  }

  @Test("limits refuse the first item too many, naming the container's key path")
  func limits() throws {
    let limits = JSON5Limits(defaultItems: 3) { path in
      path == ["a", "[1]", "b"] ? (1, "at most one b") : nil
    }
    let fine = try JSON5.parse(#"{ a: [0, { b: [1] }], c: [1, 2, 3] }"#, limits: limits)
    guard case .array(let c)? = fine["c"]?.value else {
      Issue.record("c is not a list")
      return
    }
    #expect(c.count == 3, "a list of exactly the default limit is fine")
    do {
      _ = try JSON5.parse("{ a: [0, { b: [1, 2] }] }", limits: limits)
      Issue.record("expected an error")
    } catch {
      #expect(error.limitPath == ["a", "[1]", "b"])
      #expect(error.message == "at most one b")
      #expect(error.position == SourcePosition(line: 1, column: 19), "at the second item")
    }
    do {
      _ = try JSON5.parse("{ x: 1, y: 2, z: 3, w: 4 }", limits: limits)
      Issue.record("expected an error")
    } catch {
      #expect(error.limitPath == [])
      #expect(error.message.contains("more than 3 items"))
    }
    // Without limits the same texts parse, and a syntax error has no limit path.
    #expect(parsed("{ a: [0, { b: [1, 2] }] }") != nil)
    #expect(syntaxError("[1,,]")?.limitPath == nil)
  }
}
