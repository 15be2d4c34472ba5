/// A streaming accumulator of the count, mean and sample variance of a sequence of values,
/// using Welford's numerically stable update. For the k-th value xₖ:
///
///     δ = xₖ − m₍ₖ₋₁₎,   mₖ = m₍ₖ₋₁₎ + δ/k,   M₂,ₖ = M₂,₍ₖ₋₁₎ + δ (xₖ − mₖ)
///
/// so that the mean is mₙ and the sample variance is s² = M₂,ₙ/(n − 1).
///
/// The state (and therefore every result) depends only on the sequence of values added, in order.
public struct RunningStats: Sendable, Equatable {
  /// The number of values added.
  public private(set) var n: Int = 0
  private var runningMean: Double = 0
  /// Sum of squared deviations from the running mean, M₂.
  private var sumOfSquaredDeviations: Double = 0

  /// An empty accumulator.
  public init() {}

  /// An accumulator holding `values`, added in sequence order.
  public init<S: Sequence>(_ values: S) where S.Element == Double {
    for value in values { add(value) }
  }

  /// Adds one value (Welford's update).
  ///
  /// - Precondition: `x` is finite.
  public mutating func add(_ x: Double) {
    precondition(x.isFinite, "RunningStats.add: non-finite value \(x)")
    n += 1
    let delta = x - runningMean
    runningMean += delta / Double(n)
    sumOfSquaredDeviations += delta * (x - runningMean)
  }

  /// The arithmetic mean x̄ = Σxᵢ/n; nil when n = 0.
  public var mean: Double? {
    n > 0 ? runningMean : nil
  }

  /// The sample variance s² = Σ(xᵢ − x̄)²/(n − 1); nil when n < 2.
  public var variance: Double? {
    n > 1 ? max(0, sumOfSquaredDeviations) / Double(n - 1) : nil
  }

  /// The sample standard deviation s = √s²; nil when n < 2.
  public var sd: Double? {
    variance.map { $0.squareRoot() }
  }

  /// The standard error of the mean, s/√n; nil when n < 2.
  public var standardError: Double? {
    variance.map { ($0 / Double(n)).squareRoot() }
  }

  /// The two-sided Student-t confidence interval for the mean,
  ///
  ///     x̄ ± t₍₁₋α/2, n−1₎ · s/√n,   α = 1 − level,
  ///
  /// or nil when n < 2. A sample with zero spread gives the degenerate interval (x̄, x̄).
  ///
  /// - Precondition: `0 < level < 1`.
  public func confidenceInterval(level: Double = 0.95) -> (low: Double, high: Double)? {
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1), got \(level)")
    guard let mean, let standardError else { return nil }
    let halfWidth = criticalT(level: level, degreesOfFreedom: Double(n - 1)) * standardError
    return (mean - halfWidth, mean + halfWidth)
  }
}

/// The two-sided critical value t₍₁₋α/2, ν₎ for confidence `level` = 1 − α.
func criticalT(level: Double, degreesOfFreedom df: Double) -> Double {
  studentTQuantile(0.5 + level / 2, degreesOfFreedom: df)
}
