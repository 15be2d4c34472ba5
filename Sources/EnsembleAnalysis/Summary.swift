/// A descriptive summary of one sample: its size, mean, standard deviation and a Student-t
/// confidence interval for the mean (see `RunningStats.confidenceInterval(level:)`).
///
/// `mean` is nil when n = 0; `sd`, `ciLow` and `ciHigh` are nil when n < 2.
public struct Summary: Sendable, Equatable {
  /// The number of values.
  public var n: Int
  /// The mean x̄ = Σxᵢ/n.
  public var mean: Double?
  /// The sample standard deviation s = √(Σ(xᵢ − x̄)²/(n − 1)).
  public var sd: Double?
  /// Lower end of x̄ ± t₍₁₋α/2, n−1₎ s/√n.
  public var ciLow: Double?
  /// Upper end of x̄ ± t₍₁₋α/2, n−1₎ s/√n.
  public var ciHigh: Double?

  /// A summary from explicit fields.
  public init(n: Int, mean: Double?, sd: Double?, ciLow: Double?, ciHigh: Double?) {
    self.n = n
    self.mean = mean
    self.sd = sd
    self.ciLow = ciLow
    self.ciHigh = ciHigh
  }

  /// The summary of an accumulator, with a `level` confidence interval (default 95%).
  ///
  /// - Precondition: `0 < level < 1`.
  public init(_ stats: RunningStats, level: Double = 0.95) {
    let interval = stats.confidenceInterval(level: level)
    self.init(
      n: stats.n, mean: stats.mean, sd: stats.sd, ciLow: interval?.low, ciHigh: interval?.high)
  }

  /// The summary of `values`, added in sequence order.
  public init<S: Sequence>(of values: S, level: Double = 0.95) where S.Element == Double {
    self.init(RunningStats(values), level: level)
  }
}
