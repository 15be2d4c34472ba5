/// A comparison of a treatment against a baseline over paired observations, e.g. the same
/// replicate seed run under two conditions. With dᵢ = valueᵢ − baselineᵢ over the n complete pairs:
///
///     meanDiff   = d̄ = Σdᵢ/n                                   (nil when n = 0)
///     CI         = d̄ ± t₍₁₋α/2, n−1₎ · s_d/√n                   (nil when n < 2)
///     relChange  = d̄ / b̄,   b̄ = mean baseline over the same pairs (nil when b̄ = 0 or n = 0)
///     effectSize = Cohen's d_z = d̄ / s_d                        (nil when n < 2 or s_d = 0)
///
/// where s_d is the sample standard deviation of the differences.
public struct Contrast: Sendable, Equatable {
  /// The number of complete pairs.
  public var n: Int
  /// The mean paired difference d̄ (value − baseline).
  public var meanDiff: Double?
  /// Lower end of the paired Student-t interval for the mean difference.
  public var ciLow: Double?
  /// Upper end of the paired Student-t interval for the mean difference.
  public var ciHigh: Double?
  /// The relative change d̄ / b̄.
  public var relChange: Double?
  /// Cohen's d_z = d̄ / s_d.
  public var effectSize: Double?

  /// A contrast from explicit fields.
  public init(
    n: Int, meanDiff: Double?, ciLow: Double?, ciHigh: Double?, relChange: Double?,
    effectSize: Double?
  ) {
    self.n = n
    self.meanDiff = meanDiff
    self.ciLow = ciLow
    self.ciHigh = ciHigh
    self.relChange = relChange
    self.effectSize = effectSize
  }
}

/// Accumulates (value, baseline) pairs and yields their `Contrast`. A pair counts only when both
/// sides are present; the accumulated state depends only on the sequence of pairs added.
public struct PairedAccumulator: Sendable, Equatable {
  /// Statistics of the differences dᵢ = valueᵢ − baselineᵢ over complete pairs.
  public private(set) var differences = RunningStats()
  /// Statistics of the baseline values over the same complete pairs.
  public private(set) var baselines = RunningStats()

  /// An empty accumulator.
  public init() {}

  /// The number of complete pairs added.
  public var n: Int { differences.n }

  /// Adds one pair; ignored unless both `value` and `baseline` are non-nil.
  ///
  /// - Precondition: present values are finite.
  public mutating func add(_ value: Double?, baseline: Double?) {
    guard let value, let baseline else { return }
    precondition(
      value.isFinite && baseline.isFinite,
      "PairedAccumulator.add: non-finite pair (\(value), \(baseline))")
    differences.add(value - baseline)
    baselines.add(baseline)
  }

  /// The contrast of the pairs added so far, with a `level` paired Student-t interval
  /// (default 95%).
  ///
  /// - Precondition: `0 < level < 1`.
  public func contrast(level: Double = 0.95) -> Contrast {
    let meanDiff = differences.mean
    let interval = differences.confidenceInterval(level: level)
    var relChange: Double?
    if let meanDiff, let baselineMean = baselines.mean, baselineMean != 0 {
      relChange = meanDiff / baselineMean
    }
    var effectSize: Double?
    if let meanDiff, let sd = differences.sd, sd > 0 {
      effectSize = meanDiff / sd
    }
    return Contrast(
      n: n, meanDiff: meanDiff, ciLow: interval?.low, ciHigh: interval?.high,
      relChange: relChange, effectSize: effectSize)
  }
}
