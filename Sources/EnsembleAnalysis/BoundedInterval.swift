#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A confidence interval for a mean that stays within the range its values can take.
///
/// The Student-t interval x̄ ± h (h = t₍₀.₉₇₅, n−1₎ s/√n) can leave a metric's range: a mean
/// backlog of 0.005 tasks gets [−0.005, 0.015], a share near 1 an upper end above 1. This
/// interval is the same t interval taken on a scale that maps the range onto the whole line
/// and transformed back (the delta method):
///
///     share in [a, b]:  logit scale, g(x) = log((x − a)/(b − x)), g′(x̄) = (b − a)/((x̄ − a)(b − x̄))
///     [a, ∞):           log scale,   g(x) = log(x − a),           g′(x̄) = 1/(x̄ − a)
///
/// giving g⁻¹(g(x̄) ± h g′(x̄)). Far from the bounds it agrees with the t interval to first
/// order; near them it is asymmetric and never crosses them.
///
/// A mean on a bound (every one of the n values on it, so s = 0) says nothing about spread;
/// it gets the rule of three's interval instead of [x̄, x̄]: up to 3/n away from the bound
/// (the 95% upper bound of a Poisson mean per replication when no event was seen, in the
/// metric's own unit), within the range. Any other zero width gives [x̄, x̄].
///
/// It is a pure function of (x̄, h, n, bounds), so an explorer written in another language
/// can compute the same numbers from `summary.csv` (h = (ci_high − ci_low)/2).
public enum BoundedInterval {
  /// The interval for mean `mean` with Student-t half-width `halfWidth` and values within
  /// `lower`...`upper` (`upper` infinite for a range open above).
  public static func interval(
    mean: Double, halfWidth: Double, n: Int, lower: Double, upper: Double
  ) -> (low: Double, high: Double) {
    guard mean.isFinite, halfWidth.isFinite else { return (mean, mean) }
    if halfWidth <= 0 {
      let reach = 3 / Double(max(1, n))
      if mean == lower { return (lower, min(upper, lower + reach)) }
      if mean == upper { return (max(lower, upper - reach), upper) }
      return (mean, mean)
    }
    if mean <= lower || (upper.isFinite && mean >= upper) {
      // Only a sample of values all on the bound has its mean there; clip what rounding left.
      return (
        max(lower, mean - halfWidth),
        upper.isFinite ? min(upper, mean + halfWidth) : mean + halfWidth
      )
    }
    if upper.isFinite {
      let width = upper - lower
      let p = (mean - lower) / width
      let centre = log(p / (1 - p))
      let spread = halfWidth / width / (p * (1 - p))
      func back(_ z: Double) -> Double { lower + width / (1 + exp(-z)) }
      return (back(centre - spread), back(centre + spread))
    }
    let excess = mean - lower
    let centre = log(excess)
    let spread = halfWidth / excess
    return (lower + exp(centre - spread), lower + exp(centre + spread))
  }

  /// The interval of `summary`'s mean within `range`, or nil without a t interval.
  public static func interval(_ summary: Summary, within range: ClosedRange<Double>) -> (
    low: Double, high: Double
  )? {
    guard let mean = summary.mean, let low = summary.ciLow, let high = summary.ciHigh else {
      return nil
    }
    return interval(
      mean: mean, halfWidth: (high - low) / 2, n: summary.n, lower: range.lowerBound,
      upper: range.upperBound)
  }
}
