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
  /// The standard error from independent repeats of the design (scrambles): the standard
  /// deviation of the repeats' own estimates (n − 1 denominator) over √repeats; nil with one
  /// repeat. It does not assume that base rows are independent, as the bootstrap does.
  public var repeatError: Double?

  public init(
    estimate: Double, low: Double, high: Double, standardError: Double, repeatError: Double? = nil
  ) {
    self.estimate = estimate
    self.low = low
    self.high = high
    self.standardError = standardError
    self.repeatError = repeatError
  }

  /// The width of the interval, high − low.
  public var width: Double { high - low }

  /// The index with its estimate and bounds moved into `range` (the error estimates kept).
  /// The indices of a model's mean response lie in [0, 1], but their estimators, the
  /// noise-corrected ones more often, can fall outside it; the clamped estimate is never
  /// farther from the true index than the raw one, and clamping the bounds of a percentile
  /// interval is the interval of the clamped index.
  public func clamped(to range: ClosedRange<Double>) -> SobolIndex {
    func clamp(_ x: Double) -> Double { min(max(x, range.lowerBound), range.upperBound) }
    return SobolIndex(
      estimate: clamp(estimate), low: clamp(low), high: clamp(high),
      standardError: standardError, repeatError: repeatError)
  }
}

/// The replication noise of one point's mean in a Saltelli base row whose points ran on the
/// same replication seeds: the estimated variance of the mean, and its covariances with the
/// means at the row's A and B points (``ReplicationNoise/covarianceOfMeans(_:_:)``). These
/// are all the Sobol' noise correction needs of a point, whatever the number of replications.
public struct MeanNoise: Sendable, Hashable {
  /// Var(ȳ_p): s²_p / n_p.
  public var variance: Double
  /// Cov(ȳ_p, ȳ_A); for A itself its variance.
  public var covarianceWithA: Double
  /// Cov(ȳ_p, ȳ_B); for B itself its variance.
  public var covarianceWithB: Double

  public init(variance: Double, covarianceWithA: Double, covarianceWithB: Double) {
    self.variance = variance
    self.covarianceWithA = covarianceWithA
    self.covarianceWithB = covarianceWithB
  }

  /// Whether all three are finite and the variance is not negative.
  public var isValid: Bool {
    variance.isFinite && variance >= 0 && covarianceWithA.isFinite && covarianceWithB.isFinite
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
  /// N, the number of base rows added (``rowsLeftOut`` of them not used).
  public var baseRowCount: Int
  /// Whether the estimates were corrected for replication noise (some base row came with
  /// two or more replications of every point).
  public var noiseCorrected: Bool
  /// The base rows left out of a noise-corrected estimate because their noise could not be
  /// measured (fewer than 2 replications with a value at a point and at A or B); 0 without
  /// the correction.
  public var rowsLeftOut: Int

  public init(
    firstOrder: [SobolIndex], totalOrder: [SobolIndex], variance: Double, baseRowCount: Int,
    noiseCorrected: Bool = false, rowsLeftOut: Int = 0
  ) {
    self.firstOrder = firstOrder
    self.totalOrder = totalOrder
    self.variance = variance
    self.baseRowCount = baseRowCount
    self.noiseCorrected = noiseCorrected
    self.rowsLeftOut = rowsLeftOut
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
/// its S1 and ST to rounding when each f is one number (``add(block:)``).
///
/// **Replication noise.** For a stochastic model f is a mean over R replications, and the
/// noise of those means biases every term: E[(ȳ_A − ȳ_AB)²] is the squared difference of the
/// true means plus Var(ȳ_A − ȳ_AB), so noise inflates ST like an interaction, and V by the
/// noise variance. Given the noise of each point's mean (``add(means:noise:)``: the variance
/// of the mean and its covariances with the means at A and B, estimated from the row's
/// replications, which ran on the same seeds at every point of the row), every term is
/// corrected by what the noise adds to it on average:
///
///     V    −= (1/2N) Σ_j (Var ȳ_A + Var ȳ_B)
///     S1_i: numerator −= (1/N) Σ_j Cov(ȳ_B, ȳ_AB⁽ⁱ⁾ − ȳ_A)
///                       = (1/N) Σ_j (Cov(ȳ_AB⁽ⁱ⁾, ȳ_B) − Cov(ȳ_A, ȳ_B))
///     ST_i: numerator −= (1/2N) Σ_j Var(ȳ_AB⁽ⁱ⁾ − ȳ_A)
///                       = (1/2N) Σ_j (Var ȳ_AB⁽ⁱ⁾ + Var ȳ_A − 2 Cov(ȳ_AB⁽ⁱ⁾, ȳ_A))
///
/// With unbiased estimates of those variances and covariances (sample ones over the
/// replications, divided as ``ReplicationNoise/covarianceOfMeans(_:_:)`` says), each
/// correction is unbiased for what the noise adds to its term, so the numerators and V
/// estimate those of the mean response, whatever R is, and a parameter with no effect gets 0
/// on average rather than a share of the noise. (The indices are ratios of these, so they are
/// consistent rather than exactly unbiased, as the uncorrected ones are.) A point that the
/// model cannot tell from A (a parameter with no effect, on common seeds) has the same
/// replications as A, so its corrections cancel exactly and its indices stay exactly 0.
///
/// Storage: per base row its k + 2 means and 2k + 1 noise terms; nothing else.
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
  /// Per base row: (s²_A + s²_B)/m, then cov(y_B, y_AB⁽ⁱ⁾ − y_A)/m for each i, then
  /// s²(y_AB⁽ⁱ⁾ − y_A)/m for each i; zeros for a row without replications.
  private var noise: [Double] = []
  /// Whether each base row's noise terms were estimated.
  private var corrected: [Bool] = []
  /// The number of base rows whose noise terms were estimated.
  public private(set) var correctedRowCount = 0

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
    add(block: [a] + ab + [b])
  }

  /// Adds the outputs of one base row given in design order, as k + 2 consecutive rows of a
  /// ``SaltelliDesign``-ordered run produce them: f(A), f(AB⁽¹⁾)…f(AB⁽ᵏ⁾), f(B). No noise
  /// correction for this row.
  ///
  /// - Precondition: `block.count == parameterCount + 2`; all values finite.
  public mutating func add<C: Collection>(block: C) where C.Element == Double {
    precondition(block.count == parameterCount + 2, "SobolAccumulator: need k + 2 outputs")
    precondition(block.allSatisfy(\.isFinite), "SobolAccumulator: non-finite output")
    values += block
    noise += repeatElement(0, count: 2 * parameterCount + 1)
    corrected.append(false)
  }

  /// Adds one base row from its points' means (design order, as ``add(block:)``) and the
  /// replication noise of each mean (``MeanNoise``); without noise (nil: fewer than two
  /// replications, or a points file that did not keep it) the row is not corrected.
  ///
  /// - Precondition: `means.count == parameterCount + 2`, and `noise` nil or as many, all
  ///   finite.
  public mutating func add(means: [Double], noise pointNoise: [MeanNoise]?) {
    let k = parameterCount
    add(block: means)
    guard let n = pointNoise else { return }
    precondition(n.count == k + 2, "SobolAccumulator: need the noise of k + 2 points")
    precondition(n.allSatisfy(\.isValid), "SobolAccumulator: non-finite noise")
    let offset = noise.count - (2 * k + 1)
    noise[offset] = n[0].variance + n[k + 1].variance
    for i in 0..<k {
      noise[offset + 1 + i] = n[1 + i].covarianceWithB - n[0].covarianceWithB
      noise[offset + 1 + k + i] =
        n[1 + i].variance + n[0].variance - 2 * n[1 + i].covarianceWithA
    }
    corrected[corrected.count - 1] = true
    correctedRowCount += 1
  }

  /// Adds one base row from its points' means and replications, `replications[point][r]`
  /// (nil where replication r has no value), all points on the same replication seeds: the
  /// noise is ``noise(ofRow:)`` of the replications.
  public mutating func add(means: [Double], replications: [[Double?]]) {
    add(means: means, noise: Self.noise(ofRow: replications))
  }

  /// The noise of each point's mean in a base row, from the row's replications
  /// (`replications[point][r]`, design order, nil where replication r has no value), or nil
  /// when some covariance is not measurable (fewer than 2 replications with both values).
  public static func noise(ofRow replications: [[Double?]]) -> [MeanNoise]? {
    guard let a = replications.first, let b = replications.last else { return nil }
    var result: [MeanNoise] = []
    result.reserveCapacity(replications.count)
    for point in replications {
      guard let variance = ReplicationNoise.covarianceOfMeans(point, point),
        let withA = ReplicationNoise.covarianceOfMeans(point, a),
        let withB = ReplicationNoise.covarianceOfMeans(point, b)
      else { return nil }
      result.append(MeanNoise(variance: variance, covarianceWithA: withA, covarianceWithB: withB))
    }
    return result
  }

  /// The indices with percentile bootstrap intervals, or nil when fewer than 2 base rows were
  /// added, every f(A) and f(B) is the same, or the noise-corrected V is not positive (the
  /// replication noise explains all the variance between points).
  ///
  /// Each of `resamples` bootstrap samples draws N base rows with replacement (all k + 2
  /// values of a row and its noise terms travel together) and recomputes every index,
  /// keeping the centring of the full sample. A resample whose indices are undefined (its
  /// A and B values all equal, or its noise-corrected V not positive) is left out; SALib
  /// counts one with equal values as 0 instead, which only pulls an interval towards 0. The
  /// interval is the (1 − level)/2 and (1 + level)/2 quantiles of
  /// the bootstrap estimates, interpolated linearly between order statistics (numpy's
  /// default). Rows are drawn with SplitMix64 seeded with `seed`, so the result depends only
  /// on the values, their order and the arguments.
  ///
  /// When each row runs on its own replication seeds, rows with their noise are independent
  /// draws, and resampling rows resamples the noise too: resampling the replications within
  /// rows as well would count the noise twice (Davison and Hinkley 1997, §3.8). The
  /// bootstrap treats base rows as independent, which the points of one Sobol' sample are
  /// not quite; with `repeats` > 1 (the rows being that many equal runs of independently
  /// scrambled samples, one after another) each index also gets the spread of the repeats'
  /// own estimates, which assumes nothing about rows.
  ///
  /// Cost: O(resamples · N · k) time, O(resamples · k) memory.
  ///
  /// - Precondition: `resamples ≥ 2`, `0 < level < 1`, `repeats ≥ 1`.
  public func indices(
    resamples: Int = 1000, level: Double = 0.95, seed: UInt64, repeats: Int = 1
  ) -> SobolIndices? {
    precondition(resamples >= 2, "SobolAccumulator: need at least 2 bootstrap resamples")
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1), got \(level)")
    precondition(repeats >= 1, "SobolAccumulator: repeats must be at least 1")
    let n = baseRowCount
    guard n >= 2 else { return nil }
    let k = parameterCount
    var center = 0.0
    for value in values { center += value }
    center /= Double(values.count)
    let centred = values.map { $0 - center }

    let all = Array(0..<n)
    guard let point = estimate(centred, rows: all) else { return nil }

    var repeatEstimates: [[Double]] = []
    if repeats > 1 && n % repeats == 0 && n / repeats >= 2 {
      let size = n / repeats
      for t in 0..<repeats {
        let rows = Array((t * size)..<((t + 1) * size))
        let e = estimate(centred, rows: rows)
        repeatEstimates.append((e?.first ?? Array(repeating: 0, count: k)) + (e?.total ?? []))
      }
    }

    var generator = ResampleGenerator(seed: seed)
    var rows = [Int](repeating: 0, count: n)
    // replicates[i]: the resamples' estimates of S1_i (i < k) or ST_(i−k) (i ≥ k), leaving
    // out resamples whose indices are undefined.
    var replicates = [[Double]](repeating: [], count: 2 * k)
    for i in replicates.indices { replicates[i].reserveCapacity(resamples) }
    for _ in 0..<resamples {
      for r in 0..<n { rows[r] = Int(generator.below(UInt64(n))) }
      guard let estimate = estimate(centred, rows: rows) else { continue }
      for i in 0..<k {
        replicates[i].append(estimate.first[i])
        replicates[k + i].append(estimate.total[i])
      }
    }
    func index(_ i: Int, _ estimate: Double) -> SobolIndex {
      // Every resample undefined (too few rows left V above the noise): no spread to show.
      let sorted = replicates[i].isEmpty ? [estimate] : replicates[i].sorted()
      var spread: Double?
      if repeatEstimates.count == repeats && repeatEstimates.allSatisfy({ $0.count == 2 * k }) {
        spread = RunningStats(repeatEstimates.map { $0[i] }).sd.map {
          $0 / Double(repeats).squareRoot()
        }
      }
      return SobolIndex(
        estimate: estimate,
        low: Self.quantile(sorted, (1 - level) / 2),
        high: Self.quantile(sorted, (1 + level) / 2),
        standardError: RunningStats(replicates[i]).sd ?? 0, repeatError: spread)
    }
    return SobolIndices(
      firstOrder: (0..<k).map { index($0, point.first[$0]) },
      totalOrder: (0..<k).map { index(k + $0, point.total[$0]) },
      variance: point.variance,
      baseRowCount: n, noiseCorrected: correctedRowCount > 0,
      rowsLeftOut: correctedRowCount > 0 ? n - correctedRowCount : 0)
  }

  /// S1, ST and V over the base rows `rows` (repeats allowed) of centred values, with the
  /// rows' noise corrections; nil when their f(A) and f(B) are all equal or V is not positive.
  private func estimate(_ values: [Double], rows all: [Int])
    -> (first: [Double], total: [Double], variance: Double)?
  {
    let k = parameterCount
    let width = k + 2
    let noiseWidth = 2 * k + 1
    // Once some rows are corrected, rows that could not be (too few replications with a
    // value at every point) are left out rather than mixed in with their noise.
    let rows = correctedRowCount > 0 ? all.filter { corrected[$0] } : all
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
      let n = r * noiseWidth
      squares += (a - mean) * (a - mean) + (b - mean) * (b - mean) - noise[n]
      for i in 0..<k {
        let difference = values[offset + 1 + i] - a
        first[i] += b * difference - noise[n + 1 + i]
        total[i] += difference * difference - noise[n + 1 + k + i]
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
