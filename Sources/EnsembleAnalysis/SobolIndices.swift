/// A Sobol' index: its point estimate and its bootstrap interval.
public struct SobolIndex: Sendable, Hashable {
  /// The estimate from all N base rows.
  public var estimate: Double
  /// The lower percentile bound of the bootstrap interval.
  public var low: Double
  /// The upper percentile bound of the bootstrap interval.
  public var high: Double
  /// The standard deviation of the bootstrap estimates (n − 1 denominator). SALib reports
  /// z₀.₉₇₅ times this as its `S1_conf`/`ST_conf`.
  public var standardError: Double

  public init(estimate: Double, low: Double, high: Double, standardError: Double) {
    self.estimate = estimate
    self.low = low
    self.high = high
    self.standardError = standardError
  }
}

/// First- and total-order Sobol' indices of one output, one of each per parameter.
public struct SobolIndices: Sendable, Hashable {
  /// S1_i, the share of the output variance due to parameter i alone.
  public var firstOrder: [SobolIndex]
  /// ST_i, the share due to parameter i with all its interactions.
  public var totalOrder: [SobolIndex]
  /// V, the variance of the 2N outputs of A and B (denominator 2N).
  public var variance: Double
  /// N, the number of base rows the estimates rest on.
  public var baseRowCount: Int

  public init(
    firstOrder: [SobolIndex], totalOrder: [SobolIndex], variance: Double, baseRowCount: Int
  ) {
    self.firstOrder = firstOrder
    self.totalOrder = totalOrder
    self.variance = variance
    self.baseRowCount = baseRowCount
  }
}

/// Collects one output's values over a Saltelli design, base row by base row, and estimates
/// its first- and total-order Sobol' indices.
///
/// For base row j the accumulator takes f(A_j), f(AB_j⁽¹⁾)…f(AB_j⁽ᵏ⁾) and f(B_j). With the
/// outputs first centred on the mean of all N(k + 2) values, as SALib does (the first-order
/// estimator is not shift-invariant in a sample, and centring lowers its variance):
///
///     V     = variance of the 2N values f(A_j), f(B_j), denominator 2N
///             (SALib: np.var(np.r_[A, B], axis=0))
///     S1_i  = (1/N) Σ_j f(B_j) (f(AB_j⁽ⁱ⁾) − f(A_j)) / V        Saltelli et al. (2010)
///     ST_i  = (1/2N) Σ_j (f(A_j) − f(AB_j⁽ⁱ⁾))² / V             Jansen (1999)
///
/// These are the estimators of SALib's `sobol.analyze(..., calc_second_order=False)` and give
/// its S1 and ST to rounding. The intervals differ from SALib's: a percentile bootstrap
/// (``indices(resamples:level:seed:)``) instead of SALib's normal approximation.
///
/// Storage: the N(k + 2) values, which the bootstrap resamples row by row; nothing else.
///
/// References: Saltelli, Annoni, Azzini, Campolongo, Ratto and Tarantola (2010), "Variance
/// based sensitivity analysis of model output. Design and estimator for the total sensitivity
/// index", Comput. Phys. Commun. 181:259–270; Jansen (1999), "Analysis of variance designs for
/// model output", Comput. Phys. Commun. 117:35–43.
public struct SobolAccumulator: Sendable {
  /// k, the number of parameters.
  public let parameterCount: Int
  /// The values in design order: per base row f(A), f(AB⁽¹⁾)…f(AB⁽ᵏ⁾), f(B).
  private var values: [Double] = []

  /// An empty accumulator for `parameterCount` parameters.
  ///
  /// - Precondition: `parameterCount ≥ 1`.
  public init(parameterCount: Int) {
    precondition(parameterCount >= 1, "SobolAccumulator: need at least 1 parameter")
    self.parameterCount = parameterCount
  }

  /// N, the number of base rows added.
  public var baseRowCount: Int { values.count / (parameterCount + 2) }

  /// Adds the outputs of one base row.
  ///
  /// - Precondition: `ab.count == parameterCount`; all values finite.
  public mutating func add(a: Double, ab: [Double], b: Double) {
    precondition(ab.count == parameterCount, "SobolAccumulator: need one f(AB) per parameter")
    precondition(
      a.isFinite && b.isFinite && ab.allSatisfy(\.isFinite),
      "SobolAccumulator: non-finite output")
    values.append(a)
    values += ab
    values.append(b)
  }

  /// Adds the outputs of one base row given in design order, as k + 2 consecutive rows of a
  /// ``SaltelliDesign``-ordered run produce them: f(A), f(AB⁽¹⁾)…f(AB⁽ᵏ⁾), f(B).
  ///
  /// - Precondition: `block.count == parameterCount + 2`; all values finite.
  public mutating func add<C: Collection>(block: C) where C.Element == Double {
    precondition(block.count == parameterCount + 2, "SobolAccumulator: need k + 2 outputs")
    precondition(block.allSatisfy(\.isFinite), "SobolAccumulator: non-finite output")
    values += block
  }

  /// The indices with percentile bootstrap intervals, or nil when fewer than 2 base rows were
  /// added or every f(A) and f(B) is the same (V = 0: no variance to apportion).
  ///
  /// Each of `resamples` bootstrap samples draws N base rows with replacement (all k + 2
  /// values of a row travel together) and recomputes every index, keeping the centring of the
  /// full sample; a resample whose A and B values are all equal gives 0, as in SALib. The
  /// interval is the (1 − level)/2 and (1 + level)/2 quantiles of the bootstrap estimates,
  /// interpolated linearly between order statistics (numpy's default). Rows are drawn with
  /// SplitMix64 seeded with `seed`, so the result depends only on the values, their order and
  /// the arguments. The bootstrap treats base rows as independent, which they are not in a
  /// Sobol' sample; the intervals are then wider than the error of a quasi-Monte Carlo
  /// estimate usually is.
  ///
  /// Cost: O(resamples · N · k) time, O(resamples · k) memory.
  ///
  /// - Precondition: `resamples ≥ 2`, `0 < level < 1`.
  public func indices(resamples: Int = 1000, level: Double = 0.95, seed: UInt64)
    -> SobolIndices?
  {
    precondition(resamples >= 2, "SobolAccumulator: need at least 2 bootstrap resamples")
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1), got \(level)")
    let n = baseRowCount
    guard n >= 2 else { return nil }
    let k = parameterCount
    let width = k + 2
    var center = 0.0
    for value in values { center += value }
    center /= Double(values.count)
    let centred = values.map { $0 - center }

    let all = Array(0..<n)
    guard let point = Self.estimate(centred, width: width, rows: all) else { return nil }

    var generator = ResampleGenerator(seed: seed)
    var rows = [Int](repeating: 0, count: n)
    // replicates[i][m]: resample m's estimate of S1_i (i < k) or ST_(i−k) (i ≥ k).
    var replicates = [[Double]](
      repeating: [Double](repeating: 0, count: resamples), count: 2 * k)
    for m in 0..<resamples {
      for r in 0..<n { rows[r] = Int(generator.below(UInt64(n))) }
      let estimate = Self.estimate(centred, width: width, rows: rows)
      for i in 0..<k {
        replicates[i][m] = estimate?.first[i] ?? 0
        replicates[k + i][m] = estimate?.total[i] ?? 0
      }
    }
    func index(_ estimate: Double, _ boot: [Double]) -> SobolIndex {
      let sorted = boot.sorted()
      return SobolIndex(
        estimate: estimate,
        low: Self.quantile(sorted, (1 - level) / 2),
        high: Self.quantile(sorted, (1 + level) / 2),
        standardError: RunningStats(boot).sd ?? 0)
    }
    return SobolIndices(
      firstOrder: (0..<k).map { index(point.first[$0], replicates[$0]) },
      totalOrder: (0..<k).map { index(point.total[$0], replicates[k + $0]) },
      variance: point.variance,
      baseRowCount: n)
  }

  /// S1, ST and V over the base rows `rows` (repeats allowed) of centred values; nil when
  /// their f(A) and f(B) are all equal.
  private static func estimate(_ values: [Double], width: Int, rows: [Int])
    -> (first: [Double], total: [Double], variance: Double)?
  {
    let k = width - 2
    let count = Double(rows.count)
    var sum = 0.0
    var lowest = Double.infinity
    var highest = -Double.infinity
    for r in rows {
      let a = values[r * width]
      let b = values[r * width + k + 1]
      sum += a + b
      lowest = min(lowest, a, b)
      highest = max(highest, a, b)
    }
    guard lowest < highest else { return nil }
    let mean = sum / (2 * count)
    var squares = 0.0
    var first = [Double](repeating: 0, count: k)
    var total = [Double](repeating: 0, count: k)
    for r in rows {
      let offset = r * width
      let a = values[offset]
      let b = values[offset + k + 1]
      squares += (a - mean) * (a - mean) + (b - mean) * (b - mean)
      for i in 0..<k {
        let difference = values[offset + 1 + i] - a
        first[i] += b * difference
        total[i] += difference * difference
      }
    }
    let variance = squares / (2 * count)
    guard variance > 0 else { return nil }
    return (
      first.map { $0 / count / variance }, total.map { $0 / (2 * count) / variance }, variance
    )
  }

  /// The q-quantile of sorted values, linear between order statistics: with h = (n − 1)q,
  /// x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) (Hyndman and Fan's type 7).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let h = Double(sorted.count - 1) * q
    let below = Int(h.rounded(.down))
    guard below + 1 < sorted.count else { return sorted[sorted.count - 1] }
    return sorted[below] + (h - Double(below)) * (sorted[below + 1] - sorted[below])
  }
}

/// SplitMix64 (Steele, Lea and Flood 2014) for drawing bootstrap rows: this module has no
/// dependencies, so it carries its own small generator.
struct ResampleGenerator: Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in 0..<bound by Lemire's multiply-and-reject.
  mutating func below(_ bound: UInt64) -> UInt64 {
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }
}
