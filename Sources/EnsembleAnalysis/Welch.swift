/// Welch's confidence interval for the difference of two means, μ_a − μ_b, from independent
/// samples with possibly unequal variances:
///
///     diff = x̄_a − x̄_b,   vₐ = s_a²/n_a,   v_b = s_b²/n_b,   SE = √(vₐ + v_b)
///     df   = (vₐ + v_b)² / (vₐ²/(n_a − 1) + v_b²/(n_b − 1))     (Welch–Satterthwaite)
///     CI   = diff ± t₍₁₋α/2, df₎ · SE,   α = 1 − level
///
/// Returns nil when either sample has fewer than two values. When both samples have zero
/// spread the interval is the point (diff, diff) and df is reported as n_a + n_b − 2.
///
/// - Precondition: `0 < level < 1`.
public func welchInterval(_ a: RunningStats, _ b: RunningStats, level: Double = 0.95) -> (
  diff: Double, low: Double, high: Double, df: Double
)? {
  precondition(level > 0 && level < 1, "confidence level must be in (0, 1), got \(level)")
  guard let meanA = a.mean, let meanB = b.mean, let varianceA = a.variance,
    let varianceB = b.variance
  else { return nil }
  let diff = meanA - meanB
  let na = Double(a.n)
  let nb = Double(b.n)
  let va = varianceA / na
  let vb = varianceB / nb
  let total = va + vb
  guard total > 0 else {
    return (diff, diff, diff, na + nb - 2)
  }
  // Shares of the total variance; this form of Welch–Satterthwaite cannot overflow.
  let shareA = va / total
  let shareB = vb / total
  let df = 1 / (shareA * shareA / (na - 1) + shareB * shareB / (nb - 1))
  let halfWidth = criticalT(level: level, degreesOfFreedom: df) * total.squareRoot()
  return (diff, diff - halfWidth, diff + halfWidth, df)
}
