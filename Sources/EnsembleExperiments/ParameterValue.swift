import EnsembleModel

/// The type of a tunable: what values a key takes.
public enum ParameterType: Sendable, Hashable {
  case number
  case integer
  case boolean
  /// One of the listed words.
  case choice([String])
  /// `{fixed: x}`, `{uniform: [a, b]}`, `{beta: [a, b]}`, `{exponential: mean}`,
  /// `{lognormal: {mean: m, sd: s}}`, or a bare number (fixed).
  case distribution
  /// A list of numbers (one per domain, for example).
  case numberList
  /// A list of whole numbers (domain indices).
  case integerList
  /// A number, or a list of numbers with one per domain.
  case numberOrList

  /// How the type reads in tables and messages.
  public var name: String {
    switch self {
    case .number: "number"
    case .integer: "integer"
    case .boolean: "boolean"
    case .choice(let words): words.joined(separator: "|")
    case .distribution: "distribution"
    case .numberList: "list of numbers"
    case .integerList: "list of integers"
    case .numberOrList: "number or list"
    }
  }
}

/// A value of a tunable.
public enum ParameterValue: Sendable, Hashable {
  case number(Double)
  case integer(Int)
  case boolean(Bool)
  case choice(String)
  case distribution(Distribution)
  case list([Double])

  /// The value as a CSV cell or a label: numbers in their shortest exact form, lists and
  /// distributions in a compact JSON-like form.
  public var text: String {
    switch self {
    case .number(let x): return Self.format(x)
    case .integer(let i): return String(i)
    case .boolean(let b): return b ? "true" : "false"
    case .choice(let word): return word
    case .list(let xs): return "[" + xs.map(Self.format).joined(separator: ", ") + "]"
    case .distribution(let d):
      switch d {
      case .fixed(let x): return Self.format(x)
      case .uniform(let a, let b): return "uniform(\(Self.format(a)), \(Self.format(b)))"
      case .beta(let a, let b): return "beta(\(Self.format(a)), \(Self.format(b)))"
      case .exponential(let m): return "exponential(\(Self.format(m)))"
      case .lognormal(let m, let s): return "lognormal(\(Self.format(m)), \(Self.format(s)))"
      }
    }
  }

  /// The value as JSON text (for manifests and `show`).
  public var json: String {
    switch self {
    case .number, .integer, .boolean: return text
    case .choice(let word): return "\"\(word)\""
    case .list: return text
    case .distribution(let d):
      switch d {
      case .fixed(let x): return Self.format(x)
      case .uniform(let a, let b): return "{\"uniform\": [\(Self.format(a)), \(Self.format(b))]}"
      case .beta(let a, let b): return "{\"beta\": [\(Self.format(a)), \(Self.format(b))]}"
      case .exponential(let m): return "{\"exponential\": \(Self.format(m))}"
      case .lognormal(let m, let s):
        return "{\"lognormal\": {\"mean\": \(Self.format(m)), \"sd\": \(Self.format(s))}}"
      }
    }
  }

  /// The shortest text that reads back to the same number; whole numbers without a point.
  public static func format(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e18 { return String(Int64(x)) }
    return "\(x)"
  }
}
