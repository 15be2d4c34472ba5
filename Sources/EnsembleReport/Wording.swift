import EnsembleAnalysis

/// How a report writes numbers and small pieces of text: one place, so that a value reads
/// the same in a sentence, a table and a chart, and so that another implementation (the
/// explorer's JavaScript) can follow the same rules.
///
/// Every number goes through ``NumberFormat/fixed(_:decimals:grouping:trimmingZeros:)``:
/// |x|·10ᵈ rounded half away from zero, digits printed, "-" only on what does not round to 0.
public enum Wording {
  /// A number with 3 significant digits (whole numbers from 1000 up): 0.853, 12.5, 16501.
  public static func number(_ x: Double) -> String { NumberFormat.brief(x) }

  /// ``number(_:)`` with a "+" on positive values.
  public static func signed(_ x: Double) -> String { NumberFormat.signed(x) }

  /// A relative change as a percentage: whole percent from 10% up, one decimal below.
  public static func percent(_ x: Double) -> String { NumberFormat.percent(x) }

  /// ``percent(_:)`` with a "+" on positive values.
  public static func signedPercent(_ x: Double) -> String { NumberFormat.signedPercent(x) }

  /// The decimals that give the largest magnitude among `values` 3 significant digits (at
  /// most 10); every number of one table cell uses them, so that they line up.
  public static func decimals(_ values: [Double]) -> Int {
    let largest = values.filter(\.isFinite).map(abs).max() ?? 0
    guard largest > 0 else { return 0 }
    return min(10, max(0, 2 - Int((log10Floor(largest)))))
  }

  /// ⌊log₁₀ x⌋ for x > 0, exact at powers of ten.
  static func log10Floor(_ x: Double) -> Int {
    var exponent = 0
    var scaled = x
    while scaled >= 10 {
      scaled /= 10
      exponent += 1
    }
    while scaled < 1 {
      scaled *= 10
      exponent -= 1
    }
    return exponent
  }

  /// `x` with `decimals` decimals, trailing zeros kept; "+" first when `signed` and x > 0.
  public static func fixed(_ x: Double, decimals: Int, signed: Bool = false) -> String {
    let text = NumberFormat.fixed(x, decimals: decimals, grouping: false, trimmingZeros: false)
    return signed && x > 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "+" + text : text
  }

  /// A mean and its 95% interval in one cell: "0.654 [0.649, 0.659]", all with the same
  /// decimals; the mean alone without an interval.
  public static func estimate(_ mean: Double?, low: Double?, high: Double?) -> String {
    guard let mean else { return "–" }
    guard let low, let high else { return number(mean) }
    let d = decimals([mean, low, high])
    return "\(fixed(mean, decimals: d)) [\(fixed(low, decimals: d)), \(fixed(high, decimals: d))]"
  }

  /// A paired difference and the half-width of its (symmetric, Student-t) 95% interval:
  /// "+0.252 ± 0.007", both with the same decimals.
  public static func difference(_ diff: Double?, low: Double?, high: Double?) -> String {
    guard let diff else { return "–" }
    guard let low, let high else { return signed(diff) }
    let d = decimals([diff, low, high])
    return "\(fixed(diff, decimals: d, signed: true)) ± \(fixed((high - low) / 2, decimals: d))"
  }

  /// Units a number is written with in a sentence, singular and plural.
  static let countedUnits: [String: (one: String, many: String)] = [
    "hours": ("hour", "hours"), "tasks": ("task", "tasks"),
    "cost units": ("cost unit", "cost units"),
  ]

  /// "1.5 hours", "1 hour", "4.76 tasks"; the number alone for a unit a sentence does not
  /// need ("share of tasks", "ratio").
  public static func quantity(_ x: Double, unit: String, signed: Bool = false) -> String {
    let text = signed ? self.signed(x) : number(x)
    guard let words = countedUnits[unit] else { return text }
    return "\(text) \(text == "1" || text == "+1" || text == "-1" ? words.one : words.many)"
  }

  /// Whether `unit` is written after a number in a sentence.
  public static func isCounted(_ unit: String) -> Bool { countedUnits[unit] != nil }

  /// "1 point", "6 points".
  public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
  }

  /// "a", "a and b", "a, b and c".
  public static func list(_ items: [String]) -> String {
    guard let last = items.last else { return "" }
    if items.count == 1 { return last }
    return items.dropLast().joined(separator: ", ") + " and " + last
  }

  /// A label inside a sentence: the first letter lowercased unless the word is an acronym
  /// ("Arrival rate" → "arrival rate", "AI agents" stays).
  public static func inSentence(_ label: String) -> String {
    let characters = Array(label)
    guard characters.count > 1, characters[0].isUppercase, !characters[1].isUppercase else {
      return label
    }
    return characters[0].lowercased() + String(characters.dropFirst())
  }

  /// A label with its first letter capitalised.
  public static func capitalised(_ text: String) -> String {
    text.prefix(1).uppercased() + text.dropFirst()
  }
}
