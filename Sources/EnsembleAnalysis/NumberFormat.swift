#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How reports and charts write numbers: one formatter, so that a value reads the same in a
/// table, a sentence and a chart.
///
/// Every form rounds `|x| * 10^decimals` to the nearest integer (halves away from zero) and
/// prints its digits, so the output never depends on a locale or on `printf`.
public enum NumberFormat {
  /// A number with up to 3 significant digits, no trailing zeros and comma thousands
  /// separators: 0.853, 12.5, 1,250, 0.0012, -3. Magnitudes below 0.0001 or from 10¹⁵ up use
  /// scientific notation (1.23e-5). Non-finite values give "NaN", "∞" or "-∞". Charts' labels.
  public static func label(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "-∞") }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude < 1e-4 || magnitude >= 1e15 { return scientific(x) }
    let exponent = Int(floor(log10(magnitude)))
    guard exponent > 2 else { return fixed(x, decimals: 2 - exponent) }
    let unit = pow(10, Double(exponent - 2))
    return fixed((x / unit).rounded() * unit, decimals: 0)
  }

  /// A number for a report's text and tables: 3 significant digits below 1000 (0.853, 12.5),
  /// whole numbers in full from 1000 up (16501), no separators, no trailing zeros, never "-0".
  public static func brief(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    if x == 0 { return "0" }
    let magnitude = Int(floor(log10(abs(x))))
    return fixed(x, decimals: max(0, 2 - magnitude), grouping: false)
  }

  /// ``brief(_:)`` with a "+" on positive values.
  public static func signed(_ x: Double) -> String { x > 0 ? "+" + brief(x) : brief(x) }

  /// A share as a percentage: whole percent from 10% up (36%), one decimal below (4.5%,
  /// 0.3%, 2.0%); no minus sign on what rounds to zero.
  public static func percent(_ x: Double) -> String {
    let p = abs(x * 100)
    let text = fixed(p, decimals: p >= 9.95 ? 0 : 1, grouping: false, trimmingZeros: false)
    return (x < 0 && text != "0.0" ? "-" : "") + text + "%"
  }

  /// ``percent(_:)`` with a "+" on positive values that do not round to zero.
  public static func signedPercent(_ x: Double) -> String {
    let text = percent(x)
    return x > 0 && text != "0.0%" ? "+" + text : text
  }

  /// `x` with `decimals` decimals (at most 15), trailing zeros dropped unless
  /// `trimmingZeros` is false, and comma thousands separators when `grouping`; "-" for
  /// negative values, never "-0".
  public static func fixed(
    _ x: Double, decimals requested: Int, grouping: Bool = true, trimmingZeros: Bool = true
  ) -> String {
    guard x.isFinite else { return label(x) }
    let decimals = min(max(0, requested), 15)
    var power: UInt64 = 1
    for _ in 0..<decimals { power *= 10 }
    let scaled = (abs(x) * Double(power)).rounded()
    guard scaled < 9e15 else { return scientific(x) }
    let units = UInt64(scaled)
    let whole = units / power
    var fraction = decimals == 0 ? "" : String(units % power)
    if decimals > 0 {
      fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
      if trimmingZeros { while fraction.last == "0" { fraction.removeLast() } }
    }
    if units == 0 && trimmingZeros { return "0" }
    let digits = Array(String(whole))
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if grouping && index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
      grouped.append(digit)
    }
    let sign = x < 0 && units != 0 ? "-" : ""
    return sign + grouped + (fraction.isEmpty ? "" : "." + fraction)
  }

  /// 3-significant-digit scientific notation: "1.23e-5", "-2e20".
  public static func scientific(_ x: Double) -> String {
    var exponent = Int(floor(log10(abs(x))))
    var mantissa = x / pow(10, Double(exponent))
    if abs((mantissa * 100).rounded()) >= 1000 {
      exponent += 1
      mantissa /= 10
    }
    return fixed(mantissa, decimals: 2) + "e" + String(exponent)
  }
}
