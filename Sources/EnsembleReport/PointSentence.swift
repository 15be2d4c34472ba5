import EnsembleAnalysis
import EnsembleModel

/// One condition against the baseline at one point, for one metric: what a sentence about a
/// paired difference needs, and nothing else.
public struct PairedPoint: Sendable, Equatable {
  /// Complete pairs (replications where both conditions have the metric).
  public var n: Int
  /// The baseline's mean over the same pairs (the relative change's denominator).
  public var baselineMean: Double?
  /// The Student-t 95% interval of that mean.
  public var baselineLow: Double?
  public var baselineHigh: Double?
  /// The mean paired difference (condition − baseline) and its Student-t 95% interval.
  public var difference: Double?
  public var low: Double?
  public var high: Double?

  public init(
    n: Int, baselineMean: Double?, baselineLow: Double?, baselineHigh: Double?,
    difference: Double?, low: Double?, high: Double?
  ) {
    self.n = n
    self.baselineMean = baselineMean
    self.baselineLow = baselineLow
    self.baselineHigh = baselineHigh
    self.difference = difference
    self.low = low
    self.high = high
  }

  /// The point of a contrast and the summary of its paired baseline values.
  public init(_ contrast: Contrast, baseline: Summary) {
    self.init(
      n: contrast.n, baselineMean: baseline.mean, baselineLow: baseline.ciLow,
      baselineHigh: baseline.ciHigh, difference: contrast.meanDiff, low: contrast.ciLow,
      high: contrast.ciHigh)
  }

  /// +1 when the interval lies above zero, −1 below, 0 when it holds zero (or is missing).
  public var direction: Int {
    if let low, low > 0 { return 1 }
    if let high, high < 0 { return -1 }
    return 0
  }

  public var isClear: Bool { direction != 0 }

  /// Whether the baseline's mean is far enough from zero to carry a relative change: its
  /// own 95% interval excludes zero.
  public var baselineAwayFromZero: Bool {
    guard let mean = baselineMean, mean != 0, let low = baselineLow, let high = baselineHigh
    else { return false }
    return low > 0 || high < 0
  }

  /// The relative change d̄ / b̄, when the baseline carries one.
  public var relative: Double? {
    guard baselineAwayFromZero, let difference, let base = baselineMean else { return nil }
    return difference / base
  }

  /// The interval of the difference relative to the baseline mean.
  public var relativeInterval: (low: Double, high: Double)? {
    guard baselineAwayFromZero, let base = baselineMean, let low, let high else { return nil }
    let a = low / base
    let b = high / base
    return (min(a, b), max(a, b))
  }
}

/// The sentences about one paired difference. Each is a pure function of the metric's entry
/// in ``Metrics/table``, the names of the two conditions and a ``PairedPoint``, with every
/// number written by ``Wording``: an explorer can write the same words for any point.
public enum PointSentence {
  /// "36% more correct work", "4.76 tasks more backlog", "no clear difference in backlog";
  /// and whether the 95% interval of the difference excludes zero.
  public static func change(_ metric: MetricDescriptor, _ point: PairedPoint) -> (
    text: String, clear: Bool
  ) {
    let what = Wording.inSentence(metric.label)
    guard let diff = point.difference else { return ("no value for \(what)", false) }
    guard point.isClear else { return ("no clear difference in \(what)", false) }
    let words = diff > 0 ? metric.rise : metric.fall
    if let rel = point.relative, diff != 0 {
      return ("\(Wording.percent(abs(rel))) \(words)", true)
    }
    if Wording.isCounted(metric.unit) {
      return ("\(Wording.quantity(abs(diff), unit: metric.unit)) \(words)", true)
    }
    return ("\(words) (\(Wording.signed(diff)))", true)
  }

  /// "+39%" or "+0.252": the difference as a sentence's short form (relative when the
  /// baseline carries it).
  public static func short(_ metric: MetricDescriptor, _ point: PairedPoint) -> String {
    guard let diff = point.difference else { return "–" }
    if let rel = point.relative { return Wording.signedPercent(rel) }
    return Wording.quantity(diff, unit: metric.unit, signed: true)
  }

  /// "95% CI +35% to +36%", relative when the baseline carries it, else in the metric's
  /// unit ("95% CI -0.005 to +0.015 tasks"); empty without an interval.
  public static func interval(_ metric: MetricDescriptor, _ point: PairedPoint) -> String {
    if let rel = point.relativeInterval {
      return "95% CI \(Wording.signedPercent(rel.low)) to \(Wording.signedPercent(rel.high))"
    }
    guard let low = point.low, let high = point.high else { return "" }
    let unit = Wording.isCounted(metric.unit) ? " " + metric.unit : ""
    return "95% CI \(Wording.signed(low)) to \(Wording.signed(high))\(unit)"
  }

  /// "+39% (95% CI +38% to +40%)": the short form with its interval.
  public static func withInterval(_ metric: MetricDescriptor, _ point: PairedPoint) -> String {
    let interval = interval(metric, point)
    return short(metric, point) + (interval.isEmpty ? "" : " (\(interval))")
  }

  /// "+39%, 95% CI +38% to +40%": the same inside brackets of its own.
  public static func withIntervalInline(_ metric: MetricDescriptor, _ point: PairedPoint)
    -> String
  {
    let interval = interval(metric, point)
    return short(metric, point) + (interval.isEmpty ? "" : ", \(interval)")
  }

  /// A cell of a table of differences: "+0.252 ± 0.007 (+39%)", the mean difference ± the
  /// half-width of its 95% interval and, where the baseline carries one, the relative change.
  public static func cell(_ point: PairedPoint) -> String {
    let text = Wording.difference(point.difference, low: point.low, high: point.high)
    guard point.difference != nil, let rel = point.relative else { return text }
    return text + " (\(Wording.signedPercent(rel)))"
  }

  /// The sentence for one metric: "**structured** delivered 36% more correct work than
  /// **unstructured** (95% CI +35% to +36%, 1000 paired replications)", or "… showed no clear
  /// difference in correct rate from …". No final period, so that clauses can follow.
  public static func comparison(
    _ metric: MetricDescriptor, condition: String, baseline: String, _ point: PairedPoint
  ) -> String {
    let phrase = change(metric, point)
    var inside: [String] = []
    let interval = interval(metric, point)
    if !interval.isEmpty { inside.append(interval) }
    inside.append(Wording.count(point.n, "paired replication"))
    let note = " (" + inside.joined(separator: ", ") + ")"
    return phrase.clear
      ? "**\(condition)** \(metric.verb) \(phrase.text) than **\(baseline)**\(note)"
      : "**\(condition)** showed \(phrase.text) from **\(baseline)**\(note)"
  }

  /// The headline of a condition at one point: the first metric's sentence, then the other
  /// metrics' changes: "…, with 60% fewer escaped errors and 19% lower cost per correct task."
  public static func headline(
    _ metrics: [(MetricDescriptor, PairedPoint)], condition: String, baseline: String
  ) -> String {
    guard let (first, point) = metrics.first else { return "" }
    let lead = comparison(first, condition: condition, baseline: baseline, point)
    let rest = metrics.dropFirst().map { change($0.0, $0.1).text }
    return lead + (rest.isEmpty ? "." : ", with " + Wording.list(rest) + ".")
  }
}
