/// How much of the spread of a design's point means is replication noise.
///
/// A stochastic model run R times at each design point gives a point mean ȳ_p and a sample
/// variance s²_p over the replications. The variance of ȳ_p across points has two parts: the
/// variance of the true means (what a sensitivity analysis apportions) and the noise of each
/// mean, whose variance s²_p / R_p estimates. The noise share is
///
///     share = mean_p(s²_p / R_p) / var_p(ȳ_p),
///
/// with var_p the sample variance across points (denominator P − 1), clamped to [0, 1].
/// Near 0, the design's indices describe the model; near 1, they mostly describe noise
/// (the total-order indices, which include the noise as if it were an interaction, are
/// inflated and first-order indices deflated), and more replications are needed.
public enum ReplicationNoise {
  /// The noise share of points given as means, sample variances and a common replication
  /// count; nil when it is undefined: fewer than 2 points, counts that differ,
  /// `replications < 2`, a non-finite value, or point means that do not vary.
  public static func share(means: [Double], variances: [Double], replications: Int) -> Double? {
    guard means.count == variances.count else { return nil }
    var accumulator = Accumulator(replications: replications)
    for (mean, variance) in zip(means, variances) {
      accumulator.add(mean: mean, variance: variance)
    }
    return accumulator.share
  }

  /// The noise share of points that arrive one by one, in constant memory: the same value,
  /// bit for bit, as ``share(means:variances:replications:)`` of the same points in the same
  /// order (the sums run in that order).
  public struct Accumulator: Sendable {
    public let replications: Int
    var means = RunningStats()
    var count = 0
    var noiseSum = 0.0
    var valid = true

    public init(replications: Int) {
      self.replications = replications
    }

    /// Adds a point's mean and sample variance over its replications.
    public mutating func add(mean: Double, variance: Double) {
      count += 1
      let noise = variance / Double(replications)
      guard valid, mean.isFinite, noise.isFinite, noise >= 0 else {
        valid = false
        return
      }
      noiseSum += noise
      means.add(mean)
    }

    /// mean(noise) / var(means), clamped; nil when undefined (see
    /// ``ReplicationNoise/share(means:variances:replications:)``).
    public var share: Double? {
      guard valid, replications >= 2, count >= 2, let spread = means.variance, spread > 0
      else { return nil }
      return min(max(noiseSum / Double(count) / spread, 0), 1)
    }
  }

  /// The covariance of two points' means that comes from replication noise, when the
  /// points ran on the same replication seeds: `x[r]` and `y[r]` are replication r's values
  /// (nil where it had none). With n_x and n_y values and n_xy replications where both have
  /// one, each mean is over its own values and only the shared replications covary:
  ///
  ///     Cov(x̄, ȳ) = c_xy · n_xy / (n_x · n_y),
  ///
  /// c_xy the sample covariance (n − 1 denominator) over those n_xy replications. For x = y
  /// it is the variance of the mean, s²/n; with no value missing, c_xy / R. Unbiased when
  /// values are missing independently of their size; nil when fewer than 2 replications have
  /// both values. The same inputs give the same bits, and x = y and (x, x) give the same as
  /// (x, y) for an y equal to x.
  public static func covarianceOfMeans(_ x: [Double?], _ y: [Double?]) -> Double? {
    var nx = 0
    var ny = 0
    var sumX = 0.0
    var sumY = 0.0
    var pairs = 0
    for (u, v) in zip(x, y) {
      if u != nil { nx += 1 }
      if v != nil { ny += 1 }
      if let u, let v {
        pairs += 1
        sumX += u
        sumY += v
      }
    }
    // Values past the shorter list count towards their own mean only.
    nx += x.dropFirst(y.count).count { $0 != nil }
    ny += y.dropFirst(x.count).count { $0 != nil }
    guard pairs >= 2 else { return nil }
    let mx = sumX / Double(pairs)
    let my = sumY / Double(pairs)
    var sum = 0.0
    for (u, v) in zip(x, y) {
      if let u, let v { sum += (u - mx) * (v - my) }
    }
    return sum / Double(pairs - 1) * Double(pairs) / (Double(nx) * Double(ny))
  }

  /// The noise share of points given as their replications' running statistics (each point's
  /// own count R_p); nil when fewer than 2 points, a point with fewer than 2 replications, or
  /// point means that do not vary.
  public static func share(of points: [RunningStats]) -> Double? {
    var means: [Double] = []
    var noise: [Double] = []
    for point in points {
      guard let mean = point.mean, let variance = point.variance else { return nil }
      means.append(mean)
      noise.append(variance / Double(point.n))
    }
    return share(means: means, noise: noise)
  }

  /// mean(noise) / var(means), clamped; nil when undefined.
  private static func share(means: [Double], noise: [Double]) -> Double? {
    guard means.count >= 2, noise.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
    guard means.allSatisfy(\.isFinite), let spread = RunningStats(means).variance, spread > 0
    else { return nil }
    let meanNoise = noise.reduce(0, +) / Double(noise.count)
    return min(max(meanNoise / spread, 0), 1)
  }
}
