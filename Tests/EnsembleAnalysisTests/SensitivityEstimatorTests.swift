import Testing

@testable import EnsembleAnalysis

@Suite("Sensitivity estimators")
struct SensitivityEstimatorTests {
  /// 40 outputs of a fictitious Saltelli run, k = 3 and N = 8, in design order:
  /// y_r = ((7r² + 13r) mod 31) / 4, exact in binary floating point.
  static let outputs: [Double] = (0..<40).map { (r: Int) -> Double in
    let residue: Int = (7 * r * r + 13 * r) % 31
    return Double(residue) / 4
  }

  static func accumulator() -> SobolAccumulator {
    var accumulator = SobolAccumulator(parameterCount: 3)
    for j in 0..<8 { accumulator.add(block: outputs[(j * 5)..<(j * 5 + 5)]) }
    return accumulator
  }

  @Test("Sobol' S1 and ST match SALib on a fixed dataset")
  func sobolMatchesSALib() throws {
    let indices = try #require(Self.accumulator().indices(seed: 1))
    #expect(indices.baseRowCount == 8)
    // SALib 1.6.0: SALib.analyze.sobol.analyze(problem, Y, calc_second_order=False) with
    // problem = {"num_vars": 3, "bounds": [[0, 1]] * 3}, Y as above
    // (Scripts/sensitivity-reference.py).
    let s1 = [0.4353802396605586, 0.4711894437450459, 0.061174056977665786]
    let st = [1.1399263300228468, 1.0966568750874246, 0.7027556301580639]
    for i in 0..<3 {
      #expect(isClose(indices.firstOrder[i].estimate, s1[i], relative: 1e-12))
      #expect(isClose(indices.totalOrder[i].estimate, st[i], relative: 1e-12))
    }
    // V: numpy.var(numpy.r_[Y[0::5], Y[4::5]]) (denominator 2N).
    var ab: [Double] = []
    for j in 0..<8 { ab += [Self.outputs[j * 5], Self.outputs[j * 5 + 4]] }
    let mean = ab.reduce(0, +) / 16
    let variance = ab.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
    #expect(isClose(indices.variance, variance, relative: 1e-12))
  }

  @Test("adding a base row by parts equals adding it as a block")
  func addFormsAgree() {
    var parts = SobolAccumulator(parameterCount: 3)
    for j in 0..<8 {
      let row = Array(Self.outputs[(j * 5)..<(j * 5 + 5)])
      parts.add(a: row[0], ab: Array(row[1...3]), b: row[4])
    }
    #expect(parts.indices(seed: 4) == Self.accumulator().indices(seed: 4))
  }

  @Test("bootstrap intervals are reproducible bit for bit and depend on the seed")
  func bootstrapDeterminism() throws {
    let accumulator = Self.accumulator()
    let one = try #require(accumulator.indices(resamples: 500, seed: 42))
    let two = try #require(accumulator.indices(resamples: 500, seed: 42))
    let other = try #require(accumulator.indices(resamples: 500, seed: 43))
    #expect(one == two)
    #expect(one.firstOrder.map(\.low) != other.firstOrder.map(\.low))
    #expect(one.firstOrder.map(\.estimate) == other.firstOrder.map(\.estimate))
    for index in one.firstOrder + one.totalOrder {
      #expect(index.low <= index.high)
      #expect(index.standardError > 0)
    }
  }

  @Test("a wider confidence level gives a wider interval")
  func levels() throws {
    let accumulator = Self.accumulator()
    let narrow = try #require(accumulator.indices(level: 0.5, seed: 9))
    let wide = try #require(accumulator.indices(level: 0.99, seed: 9))
    for (n, w) in zip(narrow.totalOrder, wide.totalOrder) {
      #expect(w.low < n.low && n.high < w.high)
    }
  }

  @Test("no indices without two base rows or without variance")
  func undefined() {
    var empty = SobolAccumulator(parameterCount: 2)
    #expect(empty.indices(seed: 1) == nil)
    empty.add(a: 1, ab: [2, 3], b: 4)
    #expect(empty.indices(seed: 1) == nil)
    var constant = SobolAccumulator(parameterCount: 2)
    for _ in 0..<10 { constant.add(a: 5, ab: [5, 7], b: 5) }
    #expect(constant.indices(seed: 1) == nil)
  }

  @Test("percentiles interpolate between order statistics as numpy does")
  func quantiles() {
    let sorted = [1.0, 2, 4, 8, 16]
    // numpy.percentile([1, 2, 4, 8, 16], [0, 2.5, 50, 97.5, 100])
    #expect(SobolAccumulator.quantile(sorted, 0) == 1)
    #expect(isClose(SobolAccumulator.quantile(sorted, 0.025), 1.1, relative: 1e-12))
    #expect(SobolAccumulator.quantile(sorted, 0.5) == 4)
    #expect(isClose(SobolAccumulator.quantile(sorted, 0.975), 15.2, relative: 1e-12))
    #expect(SobolAccumulator.quantile(sorted, 1) == 16)
  }

  @Test("Morris μ, μ* and σ match SALib on a fixed set of trajectories")
  func morrisMatchesSALib() throws {
    // SALib 1.6.0: X = SALib.sample.morris.sample(problem, N=4, num_levels=4, seed=7) for 3
    // parameters on [0, 1]; here as grid levels (X · 3). Y = x1 + 2 x2² − 3 x1 x3.
    let levels: [[Double]] = [
      [1, 0, 0], [3, 0, 0], [3, 0, 2], [3, 2, 2],
      [0, 1, 2], [0, 3, 2], [0, 3, 0], [2, 3, 0],
      [2, 0, 3], [0, 0, 3], [0, 0, 1], [0, 2, 1],
      [3, 1, 1], [1, 1, 1], [1, 3, 1], [1, 3, 3],
    ]
    let points = levels.map { $0.map { $0 / 3 } }
    var accumulator = MorrisAccumulator(parameterCount: 3)
    for t in 0..<4 {
      let trajectory = Array(points[(t * 4)..<(t * 4 + 4)])
      let outputs = trajectory.map { x in x[0] + 2 * x[1] * x[1] - 3 * x[0] * x[2] }
      var parameters: [Int] = []
      var steps: [Double] = []
      for s in 0..<3 {
        let i = try #require((0..<3).first { trajectory[s][$0] != trajectory[s + 1][$0] })
        parameters.append(i)
        steps.append(trajectory[s + 1][i] > trajectory[s][i] ? 2.0 / 3 : -2.0 / 3)
      }
      accumulator.add(trajectory: outputs, parameters: parameters, steps: steps)
    }
    let indices = try #require(accumulator.indices)
    // SALib.analyze.morris.analyze(problem, X, Y, num_levels=4)
    let mu = [-1.249000902703301e-16, 2.0, -1.0]
    let muStar = [1.0, 2.0, 1.0]
    let sigma = [1.4142135623730951, 0.769800358919501, 1.4142135623730951]
    for i in 0..<3 {
      #expect(abs(indices[i].mu - mu[i]) < 1e-12)
      #expect(isClose(indices[i].muStar, muStar[i], relative: 1e-12))
      #expect(isClose(indices[i].sigma, sigma[i], relative: 1e-12))
      #expect(indices[i].effectCount == 4)
    }
  }

  @Test("Morris: no indices until every parameter has an effect; σ needs two")
  func morrisUndefined() throws {
    var accumulator = MorrisAccumulator(parameterCount: 2)
    accumulator.add(parameter: 0, before: 1, after: 2, step: 0.5)
    #expect(accumulator.indices == nil)
    accumulator.add(parameter: 1, before: 1, after: 0, step: -0.5)
    let indices = try #require(accumulator.indices)
    #expect(indices[0].mu == 2 && indices[0].muStar == 2 && indices[0].sigma == nil)
    #expect(indices[1].mu == 2 && indices[1].muStar == 2)
  }

  @Test("replication noise share: mean(s²/R) / var(point means), clamped, nil when undefined")
  func replicationNoise() throws {
    // Means 1, 2, 3, 6: sample variance 14/3. Variances 2, 4, 6, 8 over R = 4:
    // mean(s²/R) = 1.25, so the share is 1.25 / (14/3) = 15/56.
    let share = try #require(
      ReplicationNoise.share(means: [1, 2, 3, 6], variances: [2, 4, 6, 8], replications: 4))
    #expect(isClose(share, 15.0 / 56, relative: 1e-12))
    #expect(
      ReplicationNoise.share(means: [1, 1.1], variances: [50, 50], replications: 2) == 1)
    #expect(ReplicationNoise.share(means: [1, 2], variances: [0, 0], replications: 5) == 0)
    #expect(ReplicationNoise.share(means: [1], variances: [1], replications: 5) == nil)
    #expect(ReplicationNoise.share(means: [3, 3], variances: [1, 1], replications: 5) == nil)
    #expect(ReplicationNoise.share(means: [1, 2], variances: [1, 1], replications: 1) == nil)
    #expect(ReplicationNoise.share(means: [1, 2], variances: [1], replications: 5) == nil)

    // The same from each point's replications: point p has values p ± 1 (s² = 2, R = 3).
    let points = [1.0, 2, 4].map { RunningStats([$0 - 1, $0, $0 + 1]) }
    // var(1, 2, 4) = 7/3; mean(s²/R) = 1/3 → 1/7.
    #expect(isClose(ReplicationNoise.share(of: points), 1.0 / 7, relative: 1e-12))
    #expect(ReplicationNoise.share(of: points + [RunningStats([5])]) == nil)
  }

  @Test("covariance of means over shared seeds: c · n_xy / (n_x n_y); nil under 2 pairs")
  func covarianceOfMeans() throws {
    // No value missing: the sample covariance over R. x = 1, 2, 3, 6; y = 2, 2, 5, 7.
    // Means 3 and 4; Σ(x − 3)(y − 4) = 4 + 2 + 0 + 9 = 15; c = 5; / R = 5/4.
    let full = try #require(ReplicationNoise.covarianceOfMeans([1, 2, 3, 6], [2, 2, 5, 7]))
    #expect(isClose(full, 5.0 / 4, relative: 1e-12))
    // x with itself: s²/R = (4 + 1 + 0 + 9)/3/4 = 7/6.
    let variance = try #require(ReplicationNoise.covarianceOfMeans([1, 2, 3, 6], [1, 2, 3, 6]))
    #expect(isClose(variance, 7.0 / 6, relative: 1e-12))
    // Missing values: x has 3, y has 3, both at replications 0 and 1 only:
    // c = cov([1, 2], [2, 4]) = 1, so Cov(x̄, ȳ) = 1 · 2 / (3 · 3) = 2/9.
    let partial = try #require(ReplicationNoise.covarianceOfMeans([1, 2, 3, nil], [2, 4, nil, 8]))
    #expect(isClose(partial, 2.0 / 9, relative: 1e-12))
    #expect(ReplicationNoise.covarianceOfMeans([1, nil, 3], [nil, 2, 3]) == nil)
    #expect(ReplicationNoise.covarianceOfMeans([1], [1]) == nil)
  }

  @Test("the noise of a row: A, AB and B means' variances and covariances; inert AB = A")
  func rowNoise() throws {
    // k = 1: A, AB (equal to A: an inert parameter on common seeds), B.
    let a: [Double?] = [1, 2, 3, 6]
    let b: [Double?] = [2, 2, 5, 7]
    let noise = try #require(SobolAccumulator.noise(ofRow: [a, a, b]))
    #expect(noise[0] == noise[1])
    #expect(isClose(noise[0].variance, 7.0 / 6, relative: 1e-12))
    #expect(noise[0].covarianceWithA == noise[0].variance)
    #expect(isClose(noise[2].covarianceWithA, 5.0 / 4, relative: 1e-12))
    #expect(noise[2].covarianceWithB == noise[2].variance)
    // With one replication nothing can be measured.
    #expect(SobolAccumulator.noise(ofRow: [[1], [1], [2]]) == nil)
    // An inert parameter keeps exactly zero indices after the correction.
    var accumulator = SobolAccumulator(parameterCount: 2)
    for j in 0..<16 {
      let base = Double(j % 5)
      let replications: [[Double?]] = [
        [base, base + 1, base - 1],  // A
        [base + 3, base + 3.5, base + 2],  // AB⁽¹⁾: parameter 1 matters
        [base, base + 1, base - 1],  // AB⁽²⁾ = A: parameter 2 does nothing
        [base * 2, base * 2 + 1, base * 2 - 1.5],  // B
      ]
      let means = replications.map { r in r.map { $0! }.reduce(0, +) / 3 }
      accumulator.add(means: means, replications: replications)
    }
    let indices = try #require(accumulator.indices(seed: 8))
    #expect(indices.noiseCorrected)
    #expect(indices.totalOrder[1].estimate == 0 && indices.firstOrder[1].estimate == 0)
    #expect(indices.totalOrder[1].low == 0 && indices.totalOrder[1].high == 0)
    #expect(indices.totalOrder[0].estimate > 0.1)
  }

  @Test("a resample whose indices are undefined is left out, not counted as 0")
  func undefinedResamples() throws {
    // Three base rows, k = 1; only row 0 varies. A resample of rows 1 and 2 alone
    // (probability 8/27) has constant A and B values: its indices are undefined. Counted as
    // 0 they would pull the lower bound of ST to 0; left out, every resample has row 0 and
    // an ST above 0.
    var accumulator = SobolAccumulator(parameterCount: 1)
    accumulator.add(block: [0, 1, 1])
    accumulator.add(block: [0, 0, 0])
    accumulator.add(block: [0, 0, 0])
    let indices = try #require(accumulator.indices(resamples: 500, seed: 12))
    #expect(indices.totalOrder[0].low > 0, "\(indices.totalOrder[0])")
    #expect(indices.totalOrder[0].standardError.isFinite)
  }

  @Test("clamping keeps shares of variance in [0, 1] and the error estimates as they are")
  func clamping() {
    let raw = SobolIndex(
      estimate: -0.02, low: -0.1, high: 0.05, standardError: 0.04, repeatError: 0.03)
    let clamped = raw.clamped(to: 0...1)
    #expect(clamped.estimate == 0 && clamped.low == 0 && clamped.high == 0.05)
    #expect(clamped.standardError == 0.04 && clamped.repeatError == 0.03)
    let high = SobolIndex(estimate: 1.2, low: 0.9, high: 1.5, standardError: 0.1).clamped(
      to: 0...1)
    #expect(high.estimate == 1 && high.low == 0.9 && high.high == 1)
  }
}
