// A small, strict JSON5 parser that keeps object key order and source positions.
//
// Foundation's JSON5 support loses the order of object keys (which sets the grid order of
// sweeps) and reports positions only vaguely, so experiment files are parsed here instead.
// The grammar is JSON5 (https://spec.json5.org) with one deliberate restriction: only the
// well-known escapes are accepted in strings, so a typo such as `\q` is an error rather
// than a silent `q`.

/// A place in a source text. Both numbers are 1-based; `column` counts Unicode scalars.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
  /// The line, counting from 1. `\n`, `\r\n`, a lone `\r`, U+2028 and U+2029 each end a line.
  public var line: Int
  /// The column, counting Unicode scalars from 1 (a tab counts as one).
  public var column: Int

  /// Creates a position from a 1-based line and column.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// `line L, column C`.
  public var description: String { "line \(line), column \(column)" }
}

/// One member of a JSON object: a key, where the key was written, and the value.
public struct JSONMember: Sendable, Hashable {
  /// The key, with escapes resolved.
  public var key: String
  /// The position of the key's first character (its opening quote, if quoted).
  public var keyPosition: SourcePosition
  /// The member's value.
  public var value: JSONNode

  /// Creates an object member.
  public init(key: String, keyPosition: SourcePosition, value: JSONNode) {
    self.key = key
    self.keyPosition = keyPosition
    self.value = value
  }
}

/// A parsed JSON value. Objects keep their members in file order.
public indirect enum JSONValue: Sendable, Hashable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// Any number, including the JSON5 forms `Infinity`, `-Infinity` and `NaN`.
  case number(Double)
  /// A string, with escapes resolved.
  case string(String)
  /// An array, in file order.
  case array([JSONNode])
  /// An object, with its members in file order. Keys are unique.
  case object([JSONMember])
}

/// A parsed value together with the position of its first character.
public struct JSONNode: Sendable, Hashable {
  /// The value.
  public var value: JSONValue
  /// The position of the value's first character (a sign, a quote, a bracket, a letter…).
  public var position: SourcePosition

  /// Creates a node from a value and its position.
  public init(value: JSONValue, position: SourcePosition) {
    self.value = value
    self.position = position
  }
}

/// A syntax error in a JSON5 text, with the position where it was found.
public struct JSON5SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, e.g. `unexpected '}'`.
  public var message: String
  /// Where it went wrong.
  public var position: SourcePosition

  /// Set when the text is well-formed but a list or object holds more items than the
  /// ``JSON5Limits`` allow: the key path of that container (`[3]` for a list element).
  public var limitPath: [String]?

  /// Creates a syntax error.
  public init(message: String, position: SourcePosition, limitPath: [String]? = nil) {
    self.message = message
    self.position = position
    self.limitPath = limitPath
  }

  /// `line L, column C: message`.
  public var description: String { "\(position): \(message)" }
}

/// The JSON5 parser.
public enum JSON5 {
  /// The deepest nesting of arrays and objects that `parse` accepts.
  public static let maximumDepth = 256

  /// Parses a JSON5 text holding exactly one value (surrounded by optional whitespace and
  /// comments).
  ///
  /// - Throws: `JSON5SyntaxError` with the exact position of the first problem.
  public static func parse(_ text: String) throws(JSON5SyntaxError) -> JSONNode {
    var parser = JSON5Parser(text)
    return try parser.parseDocument()
  }

  /// Parses a text as ``parse(_:)`` does, refusing a list or object with more items than
  /// `limits` allow as soon as the first item too many begins: an over-long list costs the
  /// items up to its limit, not the whole text.
  public static func parse(_ text: String, limits: JSON5Limits) throws(JSON5SyntaxError)
    -> JSONNode
  {
    var parser = JSON5Parser(text)
    parser.limits = limits
    return try parser.parseDocument()
  }
}

/// How many items the lists and objects of a text may hold, by key path.
public struct JSON5Limits: Sendable {
  /// The most items of the container at a key path (object keys, and `[i]` for the element
  /// `i` of a list), and the message for one more; nil to use ``defaultItems``. Asked once
  /// per container.
  public var items: @Sendable (_ path: [String]) -> (maximum: Int, message: String)?
  /// The most items of any container `items` gives no limit for.
  public var defaultItems: Int

  public init(
    defaultItems: Int,
    items: @escaping @Sendable (_ path: [String]) -> (maximum: Int, message: String)?
  ) {
    self.defaultItems = defaultItems
    self.items = items
  }
}

// MARK: - Conveniences

extension JSONValue {
  /// A phrase naming the kind of value, for messages: "null", "a boolean", "a number",
  /// "a string", "a list" or "an object".
  public var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "a list"
    case .object: "an object"
    }
  }

  /// The value of the first member named `key`, if this is an object that has one.
  public subscript(key: String) -> JSONNode? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// Writes the value as standard JSON: 2-space indentation, keys in order, no trailing
  /// newline. Integral numbers below 2^53 in magnitude are written as integers, other finite
  /// numbers as Swift's shortest round-tripping form; non-finite numbers are written as the
  /// JSON5 words `Infinity`, `-Infinity` and `NaN` (which standard JSON lacks).
  public func render() -> String {
    var output = ""
    JSONRenderer.write(self, indent: 0, into: &output)
    return output
  }
}

extension JSONNode {
  /// A phrase naming the kind of value; see `JSONValue.typeName`.
  public var typeName: String { value.typeName }

  /// The value of the first member named `key`, if this is an object that has one.
  public subscript(key: String) -> JSONNode? { value[key] }

  /// Writes the value as standard JSON; see `JSONValue.render()`.
  public func render() -> String { value.render() }
}

enum JSONRenderer {
  static func write(_ value: JSONValue, indent: Int, into output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let flag): output += flag ? "true" : "false"
    case .number(let number): output += format(number)
    case .string(let string): writeString(string, into: &output)
    case .array(let elements):
      guard !elements.isEmpty else {
        output += "[]"
        return
      }
      output += "[\n"
      for (offset, element) in elements.enumerated() {
        if offset > 0 { output += ",\n" }
        writeIndent(indent + 1, into: &output)
        write(element.value, indent: indent + 1, into: &output)
      }
      output += "\n"
      writeIndent(indent, into: &output)
      output += "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      output += "{\n"
      for (offset, member) in members.enumerated() {
        if offset > 0 { output += ",\n" }
        writeIndent(indent + 1, into: &output)
        writeString(member.key, into: &output)
        output += ": "
        write(member.value.value, indent: indent + 1, into: &output)
      }
      output += "\n"
      writeIndent(indent, into: &output)
      output += "}"
    }
  }

  static func writeIndent(_ level: Int, into output: inout String) {
    output += String(repeating: "  ", count: level)
  }

  /// The shortest text that reads back as `number`.
  static func format(_ number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    if number == number.rounded(.towardZero) && abs(number) < 9_007_199_254_740_992 {
      return String(Int64(number))
    }
    return number.description
  }

  static func writeString(_ string: String, into output: inout String) {
    output += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      default:
        if scalar.value < 0x20 {
          output += "\\u" + hex4(scalar.value)
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }

  static func quoted(_ string: String) -> String {
    var output = ""
    writeString(string, into: &output)
    return output
  }

  static func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}

// MARK: - Parser

struct JSON5Parser {
  private let scalars: [Unicode.Scalar]
  private var index = 0
  private var line = 1
  private var lineStart = 0
  private var depth = 0
  /// Limits on the items of containers; when set, `path` follows the parse.
  var limits: JSON5Limits?
  private var path: [String] = []

  init(_ text: String) {
    scalars = Array(text.unicodeScalars)
  }

  // MARK: Reading

  private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

  private func peek(_ offset: Int) -> Unicode.Scalar? {
    let target = index + offset
    return target < scalars.count ? scalars[target] : nil
  }

  private var position: SourcePosition {
    SourcePosition(line: line, column: index - lineStart + 1)
  }

  /// Moves past the current scalar, keeping `line` and `lineStart` up to date.
  private mutating func advance() {
    guard index < scalars.count else { return }
    let scalar = scalars[index]
    index += 1
    switch scalar {
    case "\n", "\u{2028}", "\u{2029}":
      line += 1
      lineStart = index
    case "\r" where current != "\n":
      line += 1
      lineStart = index
    default:
      break
    }
  }

  private func error(_ message: String, at position: SourcePosition) -> JSON5SyntaxError {
    JSON5SyntaxError(message: message, position: position)
  }

  // MARK: Document

  mutating func parseDocument() throws(JSON5SyntaxError) -> JSONNode {
    let onlyWhitespace = scalars.allSatisfy(Self.isWhitespace)
    try skipWhitespaceAndComments()
    guard current != nil else {
      let message = onlyWhitespace ? "the file is empty" : "the file is empty (only comments)"
      throw error(message, at: SourcePosition(line: 1, column: 1))
    }
    let node = try parseValue()
    try skipWhitespaceAndComments()
    if let scalar = current {
      throw error(
        "unexpected \(Self.describe(scalar)) after the top-level value", at: position)
    }
    return node
  }

  // MARK: Whitespace and comments

  static func isLineTerminator(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\n", "\r", "\u{2028}", "\u{2029}": true
    default: false
    }
  }

  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{A0}", "\u{2028}", "\u{2029}",
      "\u{FEFF}":
      true
    default:
      scalar.properties.generalCategory == .spaceSeparator
    }
  }

  private mutating func skipWhitespaceAndComments() throws(JSON5SyntaxError) {
    while let scalar = current {
      if Self.isWhitespace(scalar) {
        advance()
      } else if scalar == "/" && peek(1) == "/" {
        while let next = current, !Self.isLineTerminator(next) { advance() }
      } else if scalar == "/" && peek(1) == "*" {
        let start = position
        advance()
        advance()
        while true {
          guard let next = current else {
            throw error("unterminated comment (missing '*/')", at: start)
          }
          if next == "*" && peek(1) == "/" {
            advance()
            advance()
            break
          }
          advance()
        }
      } else {
        return
      }
    }
  }

  // MARK: Values

  private mutating func parseValue() throws(JSON5SyntaxError) -> JSONNode {
    let start = position
    guard let scalar = current else {
      throw error("unexpected end of the file (expected a value)", at: start)
    }
    switch scalar {
    case "{":
      return try parseObject()
    case "[":
      return try parseArray()
    case "\"", "'":
      return JSONNode(value: .string(try parseString()), position: start)
    case "0"..."9", ".", "+", "-":
      return JSONNode(value: .number(try parseNumber()), position: start)
    default:
      guard Self.isIdentifierStart(scalar) else {
        throw error("unexpected \(Self.describe(scalar))", at: start)
      }
      let word = readWord()
      let value: JSONValue
      switch word {
      case "null": value = .null
      case "true": value = .bool(true)
      case "false": value = .bool(false)
      case "Infinity": value = .number(.infinity)
      case "NaN": value = .number(.nan)
      default:
        throw error("unexpected '\(word)' (strings must be quoted)", at: start)
      }
      return JSONNode(value: value, position: start)
    }
  }

  private mutating func enterContainer(at start: SourcePosition) throws(JSON5SyntaxError) {
    depth += 1
    if depth > JSON5.maximumDepth {
      throw error(
        "nesting is too deep (more than \(JSON5.maximumDepth) levels of lists and objects)",
        at: start)
    }
  }

  /// The most items of the container starting here, and the message for one more.
  private func itemLimit() -> (maximum: Int, message: String)? {
    guard let limits else { return nil }
    return limits.items(path)
      ?? (
        limits.defaultItems,
        "holds more than \(limits.defaultItems) items, more than any list or object of this file may"
      )
  }

  /// Refuses item number `count + 1` of a container whose limit is `limit`.
  private func checkItem(_ count: Int, _ limit: (maximum: Int, message: String)?)
    throws(JSON5SyntaxError)
  {
    guard let limit, count >= limit.maximum else { return }
    throw JSON5SyntaxError(message: limit.message, position: position, limitPath: path)
  }

  private mutating func parseArray() throws(JSON5SyntaxError) -> JSONNode {
    let start = position
    try enterContainer(at: start)
    advance()  // [
    var elements: [JSONNode] = []
    let limit = itemLimit()
    while true {
      try skipWhitespaceAndComments()
      if current == "]" {
        advance()
        break
      }
      try checkItem(elements.count, limit)
      if limits != nil { path.append("[\(elements.count)]") }
      elements.append(try parseValue())
      if limits != nil { path.removeLast() }
      try skipWhitespaceAndComments()
      switch current {
      case ",":
        advance()
      case "]":
        advance()
        depth -= 1
        return JSONNode(value: .array(elements), position: start)
      default:
        throw error("expected ',' or ']' after a list element, \(found)", at: position)
      }
    }
    depth -= 1
    return JSONNode(value: .array(elements), position: start)
  }

  private mutating func parseObject() throws(JSON5SyntaxError) -> JSONNode {
    let start = position
    try enterContainer(at: start)
    advance()  // {
    var members: [JSONMember] = []
    var seen: [String: SourcePosition] = [:]
    let limit = itemLimit()
    while true {
      try skipWhitespaceAndComments()
      if current == "}" {
        advance()
        break
      }
      try checkItem(members.count, limit)
      let keyPosition = position
      let key = try parseKey()
      if let first = seen[key] {
        throw error(
          "duplicate key \(JSONRenderer.quoted(key)) (first at line \(first.line))",
          at: keyPosition)
      }
      seen[key] = keyPosition
      try skipWhitespaceAndComments()
      guard current == ":" else {
        throw error(
          "expected ':' after the key \(JSONRenderer.quoted(key)), \(found)", at: position)
      }
      advance()
      try skipWhitespaceAndComments()
      if limits != nil { path.append(key) }
      let value = try parseValue()
      if limits != nil { path.removeLast() }
      members.append(JSONMember(key: key, keyPosition: keyPosition, value: value))
      try skipWhitespaceAndComments()
      switch current {
      case ",":
        advance()
      case "}":
        advance()
        depth -= 1
        return JSONNode(value: .object(members), position: start)
      default:
        throw error("expected ',' or '}' after an object member, \(found)", at: position)
      }
    }
    depth -= 1
    return JSONNode(value: .object(members), position: start)
  }

  /// "found 'x'" or "but the file ended", completing an "expected …" message.
  private var found: String {
    guard let scalar = current else { return "but the file ended" }
    return "found \(Self.describe(scalar))"
  }

  /// A scalar as it should appear in a message: `'x'`, `"'"`, or `U+000A` for invisible ones.
  static func describe(_ scalar: Unicode.Scalar) -> String {
    if scalar == "'" { return "\"'\"" }
    let properties = scalar.properties
    let invisible =
      isWhitespace(scalar)
      || [.control, .format, .surrogate, .privateUse, .unassigned].contains(
        properties.generalCategory)
    if invisible { return "character U+\(JSONRenderer.hex4(scalar.value))" }
    return "'\(Character(scalar))'"
  }

  // MARK: Keys

  private mutating func parseKey() throws(JSON5SyntaxError) -> String {
    let start = position
    guard let scalar = current else {
      throw error("expected an object key or '}', but the file ended", at: start)
    }
    if scalar == "\"" || scalar == "'" { return try parseString() }
    guard Self.isIdentifierStart(scalar) || scalar == "\\" else {
      throw error(
        "unexpected \(Self.describe(scalar)) (expected an object key or '}')", at: start)
    }
    var name = String.UnicodeScalarView()
    while let next = current {
      let part: Unicode.Scalar
      let partPosition = position
      if next == "\\" {
        advance()
        guard current == "u" else {
          throw error("invalid escape in a key (only \\uXXXX is allowed)", at: partPosition)
        }
        advance()
        guard let code = readHex(digits: 4), let decoded = Unicode.Scalar(code) else {
          throw error(
            "invalid Unicode escape (\\u must be followed by four hexadecimal digits)",
            at: partPosition)
        }
        let valid = name.isEmpty ? Self.isIdentifierStart(decoded) : Self.isIdentifierPart(decoded)
        guard valid else {
          throw error(
            "the escape \\u\(JSONRenderer.hex4(code)) is not allowed in an unquoted key",
            at: partPosition)
        }
        part = decoded
      } else if name.isEmpty ? Self.isIdentifierStart(next) : Self.isIdentifierPart(next) {
        part = next
        advance()
      } else {
        break
      }
      name.append(part)
    }
    return String(name)
  }

  static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "$" || scalar == "_" || scalar.properties.isIDStart
  }

  static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "$" || scalar == "\u{200C}" || scalar == "\u{200D}"
      || scalar.properties.isIDContinue
  }

  /// Reads an identifier without escapes (used for the words `true`, `null`, `NaN`…).
  private mutating func readWord() -> String {
    var word = String.UnicodeScalarView()
    while let scalar = current, Self.isIdentifierPart(scalar) {
      word.append(scalar)
      advance()
    }
    return String(word)
  }

  // MARK: Strings

  private mutating func parseString() throws(JSON5SyntaxError) -> String {
    let start = position
    guard let quote = current else {
      throw error("expected a string", at: start)
    }
    advance()
    var result = String.UnicodeScalarView()
    while true {
      guard let scalar = current else {
        throw error("unterminated string (missing closing \(Self.describe(quote)))", at: start)
      }
      if scalar == quote {
        advance()
        return String(result)
      }
      if scalar == "\n" || scalar == "\r" {
        throw error(
          "unterminated string (a line break inside a string must be written as \\n)",
          at: start)
      }
      if scalar == "\\" {
        try parseEscape(into: &result, stringStart: start)
      } else {
        result.append(scalar)
        advance()
      }
    }
  }

  private mutating func parseEscape(
    into result: inout String.UnicodeScalarView, stringStart: SourcePosition
  ) throws(JSON5SyntaxError) {
    let escapePosition = position
    advance()  // backslash
    guard let scalar = current else {
      throw error("unterminated string", at: stringStart)
    }
    switch scalar {
    case "\"", "'", "\\", "/":
      result.append(scalar)
      advance()
    case "b":
      result.append("\u{08}")
      advance()
    case "f":
      result.append("\u{0C}")
      advance()
    case "n":
      result.append("\n")
      advance()
    case "r":
      result.append("\r")
      advance()
    case "t":
      result.append("\t")
      advance()
    case "v":
      result.append("\u{0B}")
      advance()
    case "0":
      advance()
      if let next = current, ("0"..."9").contains(next) {
        throw error("invalid escape '\\0' followed by a digit", at: escapePosition)
      }
      result.append("\u{00}")
    case "x":
      advance()
      guard let code = readHex(digits: 2), let decoded = Unicode.Scalar(code) else {
        throw error(
          "invalid escape (\\x must be followed by two hexadecimal digits)", at: escapePosition)
      }
      result.append(decoded)
    case "u":
      advance()
      result.append(try parseUnicodeEscape(at: escapePosition))
    case "\n", "\u{2028}", "\u{2029}":
      advance()  // line continuation
    case "\r":
      advance()
      if current == "\n" { advance() }
    default:
      throw error("invalid escape '\\\(Character(scalar))'", at: escapePosition)
    }
  }

  /// Parses the `XXXX` of `\uXXXX` (the `\u` is consumed), joining surrogate pairs.
  private mutating func parseUnicodeEscape(
    at escapePosition: SourcePosition
  ) throws(JSON5SyntaxError) -> Unicode.Scalar {
    guard let code = readHex(digits: 4) else {
      throw error(
        "invalid Unicode escape (\\u must be followed by four hexadecimal digits)",
        at: escapePosition)
    }
    switch code {
    case 0xD800..<0xDC00:
      let lowPosition = position
      if current == "\\" && peek(1) == "u" {
        advance()
        advance()
        if let low = readHex(digits: 4), (0xDC00..<0xE000).contains(low),
          let scalar = Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
        {
          return scalar
        }
        throw error(
          "invalid Unicode escape (\\u\(JSONRenderer.hex4(code)) must be followed by a low "
            + "surrogate \\uDC00-\\uDFFF)", at: lowPosition)
      }
      throw error(
        "invalid Unicode escape (unpaired high surrogate \\u\(JSONRenderer.hex4(code)))",
        at: escapePosition)
    case 0xDC00..<0xE000:
      throw error(
        "invalid Unicode escape (unpaired low surrogate \\u\(JSONRenderer.hex4(code)))",
        at: escapePosition)
    default:
      guard let scalar = Unicode.Scalar(code) else {
        throw error("invalid Unicode escape", at: escapePosition)
      }
      return scalar
    }
  }

  /// Reads exactly `digits` hexadecimal digits; nil (having consumed only valid digits) if
  /// there are fewer.
  private mutating func readHex(digits: Int) -> UInt32? {
    var value: UInt32 = 0
    for _ in 0..<digits {
      guard let scalar = current, let digit = Self.hexValue(scalar) else { return nil }
      value = value * 16 + digit
      advance()
    }
    return value
  }

  static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar {
    case "0"..."9": scalar.value - 0x30
    case "a"..."f": scalar.value - 0x61 + 10
    case "A"..."F": scalar.value - 0x41 + 10
    default: nil
    }
  }

  // MARK: Numbers

  private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
    guard let scalar else { return false }
    return ("0"..."9").contains(scalar)
  }

  private mutating func parseNumber() throws(JSON5SyntaxError) -> Double {
    let start = position
    var negative = false
    if let sign = current, sign == "+" || sign == "-" {
      negative = sign == "-"
      advance()
    }
    let magnitude: Double
    switch current {
    case "I", "N":
      let wordPosition = position
      let word = readWord()
      switch word {
      case "Infinity": magnitude = .infinity
      case "NaN": magnitude = .nan
      default: throw error("unexpected '\(word)' (strings must be quoted)", at: wordPosition)
      }
    case "0" where peek(1) == "x" || peek(1) == "X":
      advance()
      advance()
      magnitude = try parseHexDigits()
    case let scalar? where Self.isDigit(scalar) || scalar == ".":
      magnitude = try parseDecimal(numberStart: start)
    default:
      let signText = negative ? "'-'" : "'+'"
      throw error("expected a number after \(signText), \(found)", at: position)
    }
    if let next = current, Self.isIdentifierPart(next) || next == "\\" {
      throw error("unexpected \(Self.describe(next)) after a number", at: position)
    }
    return negative ? -magnitude : magnitude
  }

  private mutating func parseHexDigits() throws(JSON5SyntaxError) -> Double {
    var exact: UInt64 = 0
    var approximate = 0.0
    var overflowed = false
    var count = 0
    while let scalar = current, let digit = Self.hexValue(scalar) {
      if !overflowed {
        let (shifted, overflow1) = exact.multipliedReportingOverflow(by: 16)
        let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
        if overflow1 || overflow2 {
          overflowed = true
          approximate = Double(exact)
        } else {
          exact = sum
        }
      }
      if overflowed { approximate = approximate * 16 + Double(digit) }
      count += 1
      advance()
    }
    guard count > 0 else {
      throw error("expected hexadecimal digits after '0x', \(found)", at: position)
    }
    return overflowed ? approximate : Double(exact)
  }

  private mutating func parseDecimal(
    numberStart: SourcePosition
  ) throws(JSON5SyntaxError) -> Double {
    var integerDigits = ""
    if current == "0" && Self.isDigit(peek(1)) {
      throw error("leading zeros are not allowed in numbers", at: numberStart)
    }
    while let scalar = current, Self.isDigit(scalar) {
      integerDigits.unicodeScalars.append(scalar)
      advance()
    }
    var fractionDigits = ""
    if current == "." {
      let pointPosition = position
      advance()
      while let scalar = current, Self.isDigit(scalar) {
        fractionDigits.unicodeScalars.append(scalar)
        advance()
      }
      if integerDigits.isEmpty && fractionDigits.isEmpty {
        throw error("expected a digit before or after '.'", at: pointPosition)
      }
    }
    var exponent = ""
    if current == "e" || current == "E" {
      advance()
      exponent = "e"
      if let sign = current, sign == "+" || sign == "-" {
        exponent.unicodeScalars.append(sign)
        advance()
      }
      var exponentDigits = 0
      while let scalar = current, Self.isDigit(scalar) {
        exponent.unicodeScalars.append(scalar)
        exponentDigits += 1
        advance()
      }
      if exponentDigits == 0 {
        throw error("expected digits in the exponent, \(found)", at: position)
      }
    }
    let normalized =
      (integerDigits.isEmpty ? "0" : integerDigits) + "."
      + (fractionDigits.isEmpty ? "0" : fractionDigits) + exponent
    guard let value = Double(normalized) else {
      throw error("invalid number", at: numberStart)
    }
    return value
  }
}
