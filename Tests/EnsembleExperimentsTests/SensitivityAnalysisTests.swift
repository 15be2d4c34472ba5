import EnsembleAnalysis
import EnsembleExperiments
import Foundation
import Testing

/// Designs and estimators together on test functions whose indices are known in closed form.
@Suite("Sensitivity analysis of analytic test functions")
struct SensitivityAnalysisTests {
  /// Runs `f` over a scrambled Saltelli design on `factors` (`repeats` scrambles of `n` base
  /// rows, the experiment seed 2024) and estimates the indices.
  static func sobol(
    _ factors: [SensitivityFactor], baseSampleSize n: Int, repeats: Int = 1,
    _ f: ([Double]) -> Double
  ) throws -> SobolIndices {
    let spec = SensitivitySpec(method: .sobol, samples: n, repeats: repeats, factors: factors)
    var accumulator = SobolAccumulator(parameterCount: factors.count)
    var block: [Double] = []
    for point in spec.unitPoints(seed: 2024) {
      block.append(f(SensitivityFactor.values(at: point, of: factors)))
      if block.count == factors.count + 2 {
        accumulator.add(block: block)
        block.removeAll(keepingCapacity: true)
      }
    }
    #expect(accumulator.baseRowCount == n * repeats)
    return try #require(accumulator.indices(resamples: 1000, seed: 2024, repeats: repeats))
  }

  /// Records an issue unless every index is within `z` standard errors of its analytic value,
  /// the standard error being the spread of the independent scrambles' estimates, and that
  /// error itself is below `largest` (what the sample size should give).
  static func expectClose(
    _ indices: SobolIndices, firstOrder: [Double], totalOrder: [Double], z: Double = 4,
    largest: Double, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let pairs =
      zip(indices.firstOrder, firstOrder).map { ("S1", $0, $1) }
      + zip(indices.totalOrder, totalOrder).map { ("ST", $0, $1) }
    for (i, (name, index, exact)) in pairs.enumerated() {
      let error = index.repeatError ?? .infinity
      #expect(
        abs(index.estimate - exact) <= z * error,
        "\(name)[\(i % firstOrder.count)] = \(index.estimate), exact \(exact), error \(error)",
        sourceLocation: sourceLocation)
      #expect(
        error <= largest, "\(name)[\(i % firstOrder.count)]: error \(error) above \(largest)",
        sourceLocation: sourceLocation)
    }
  }

  /// Records an issue unless every analytic value lies in its index's bootstrap interval.
  static func expectInside(
    _ indices: SobolIndices, firstOrder: [Double], totalOrder: [Double],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (i, (index, exact)) in zip(indices.firstOrder, firstOrder).enumerated() {
      #expect(
        index.low <= exact && exact <= index.high,
        "S1[\(i)] = \(exact) outside [\(index.low), \(index.high)]", sourceLocation: sourceLocation)
    }
    for (i, (index, exact)) in zip(indices.totalOrder, totalOrder).enumerated() {
      #expect(
        index.low <= exact && exact <= index.high,
        "ST[\(i)] = \(exact) outside [\(index.low), \(index.high)]", sourceLocation: sourceLocation)
    }
  }

  @Test("Ishigami (a = 7, b = 0.1): S1 and ST within 4 standard errors, errors of order 1/√N")
  func ishigami() throws {
    let a = 7.0
    let b = 0.1
    // f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i uniform on [−π, π]. Its ANOVA terms:
    // V1 = ½(1 + bπ⁴/5)², V2 = a²/8, V13 = b²π⁸(1/18 − 1/50), all others 0.
    let pi4 = pow(Double.pi, 4)
    let pi8 = pow(Double.pi, 8)
    let v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5)
    let v2 = a * a / 8
    let v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50)
    let v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5
    #expect(abs(v - (v1 + v2 + v13)) < 1e-12 * v)
    let firstOrder = [v1 / v, v2 / v, 0]
    let totalOrder = [(v1 + v13) / v, v2 / v, v13 / v]
    // The published values, to 4 decimals.
    #expect(firstOrder.map { ($0 * 10_000).rounded() } == [3139, 4424, 0])
    #expect(totalOrder.map { ($0 * 10_000).rounded() } == [5576, 4424, 2437])

    let factors = (1...3).map { SensitivityFactor(name: "x\($0)", low: -.pi, high: .pi) }
    // 8 independent scrambles of 256 base rows: 2048 rows in all.
    let n = 256
    let repeats = 8
    let indices = try Self.sobol(factors, baseSampleSize: n, repeats: repeats) { x in
      sin(x[0]) + a * sin(x[1]) * sin(x[1]) + b * pow(x[2], 4) * sin(x[0])
    }
    #expect(abs(indices.variance - v) < 0.05 * v)
    // The standard error of a mean of 2048 plain Monte Carlo rows of these estimators is
    // about 0.02–0.03 here (sd of a row's term up to 1.5, over √2048); scrambled points
    // must do no worse.
    let total = Double(n * repeats)
    Self.expectClose(
      indices, firstOrder: firstOrder, totalOrder: totalOrder, largest: 1.5 / total.squareRoot())
    Self.expectInside(indices, firstOrder: firstOrder, totalOrder: totalOrder)
    for index in indices.firstOrder + indices.totalOrder {
      #expect(index.high - index.low < 0.2, "intervals should be informative at N = 2048")
    }
  }

  @Test("Sobol' G function: S1 and ST within 4 standard errors, errors of order 1/√N")
  func gFunction() throws {
    let a = [0, 1, 4.5, 9, 99, 99]
    // g = Π (|4x_i − 2| + a_i)/(1 + a_i), x_i uniform on [0, 1]: V_i = 1/(3(1 + a_i)²),
    // V = Π(1 + V_i) − 1, ST_i = V_i Π_{j≠i}(1 + V_j) / V.
    let partial = a.map { 1 / (3 * (1 + $0) * (1 + $0)) }
    let v = partial.reduce(1) { $0 * (1 + $1) } - 1
    let firstOrder = partial.map { $0 / v }
    let totalOrder = partial.indices.map { i in
      partial.indices.reduce(partial[i]) { $1 == i ? $0 : $0 * (1 + partial[$1]) } / v
    }
    let factors = a.indices.map { SensitivityFactor(name: "x\($0)", low: 0, high: 1) }
    let n = 256
    let repeats = 8
    let indices = try Self.sobol(factors, baseSampleSize: n, repeats: repeats) { x in
      zip(x, a).reduce(1) { $0 * (abs(4 * $1.0 - 2) + $1.1) / (1 + $1.1) }
    }
    let total = Double(n * repeats)
    Self.expectClose(
      indices, firstOrder: firstOrder, totalOrder: totalOrder, largest: 1 / total.squareRoot())
    Self.expectInside(indices, firstOrder: firstOrder, totalOrder: totalOrder)
    // The ranking of the influential parameters comes out right.
    let order = indices.totalOrder.prefix(4).map(\.estimate)
    #expect(order == order.sorted(by: >))
  }

  @Test("Morris on a linear function: μ* = |c_i| · (high − low) exactly, σ = 0")
  func morrisLinear() throws {
    let c = [3.0, -0.5, 1.25, -8, 0.1]
    let factors = [
      SensitivityFactor(name: "a", low: 0, high: 10),
      SensitivityFactor(name: "b", low: -2, high: 2),
      SensitivityFactor(name: "c", low: 5, high: 6),
      SensitivityFactor(name: "d", low: 100, high: 100.5),
      SensitivityFactor(name: "e", low: -30, high: 70),
    ]
    let design = MorrisDesign(parameterCount: 5, trajectoryCount: 10, seed: 3)
    var accumulator = MorrisAccumulator(parameterCount: 5)
    for trajectory in design.trajectories {
      let outputs = trajectory.points.map { point in
        zip(c, SensitivityFactor.values(at: point, of: factors)).reduce(0) { $0 + $1.0 * $1.1 }
      }
      accumulator.add(
        trajectory: outputs, parameters: trajectory.steps.map(\.parameter),
        steps: trajectory.steps.map(\.delta))
    }
    let indices = try #require(accumulator.indices)
    let expected = zip(c, factors).map { abs($0) * ($1.high - $1.low) }  // 30, 2, 1.25, 4, 10
    for i in 0..<5 {
      #expect(abs(indices[i].muStar - expected[i]) <= 1e-9 * expected[i])
      #expect(abs(indices[i].mu - c[i] * (factors[i].high - factors[i].low)) <= 1e-9 * expected[i])
      #expect(try #require(indices[i].sigma) <= 1e-9 * expected[i])
      #expect(indices[i].effectCount == 10)
    }
    let ranking = (0..<5).sorted { indices[$0].muStar > indices[$1].muStar }
    #expect(ranking == [0, 4, 3, 1, 2])
  }

  @Test("Morris on an integer lever and a linear response: σ = 0, μ* = slope × step exactly")
  func morrisInteger() throws {
    // team.ai.count on [2, 11] with 4 levels: {2, 5, 8, 11}; a step of Δ = 2/3 of the range
    // moves it by 6 agents, everywhere.
    let experiment = try ExperimentLoader.load(
      #"{ seed: 4, sensitivity: { method: "morris", samples: 12, parameters: { "team.ai.count": [2, 11], "design.reviewRate": [0, 1] } } }"#,
      source: "m.json", defaultName: "m")
    let spec = try #require(experiment.sensitivity)
    let plan = Plan(sensitivity: experiment)
    let slope = 2.5
    func f(_ values: [ParameterValue]) -> Double {
      guard case .integer(let count) = values[0], case .number(let rate) = values[1] else {
        Issue.record("unexpected values \(values)")
        return 0
      }
      #expect([2, 5, 8, 11].contains(count))
      return slope * Double(count) + 3 * rate
    }
    var accumulator = MorrisAccumulator(parameterCount: 2)
    for (t, trajectory) in spec.morris(seed: 4).trajectories.enumerated() {
      let outputs = (0...2).map { f(plan.points[t * 3 + $0]) }
      accumulator.add(
        trajectory: outputs, parameters: trajectory.steps.map(\.parameter),
        steps: trajectory.steps.map(\.delta))
    }
    let indices = try #require(accumulator.indices(seed: 1))
    // An elementary effect is the change over the step divided by the step as a share of the
    // range: slope × 6 / (2/3) = slope × 9, the slope times the range.
    let step = 6.0
    #expect(indices[0].muStar == slope * step / (2.0 / 3))
    #expect(indices[0].muStar == slope * 9)
    #expect(indices[0].sigma == 0)
    #expect(indices[0].muStarLow == indices[0].muStar && indices[0].muStarHigh == indices[0].muStar)
  }

  /// f = x1 + 0.5 x2 plus noise of sd 0.5 per replication, half of it shared by the points
  /// of a base row (common seeds), x3 inert; each value missing with probability `missing`.
  /// Exact for the mean response: V = 1/12 + 0.25/12, S1 = ST = (0.8, 0.2, 0). Returns the
  /// corrected and the plain (uncorrected) indices, and those of the noise-free mean response
  /// on the same design (the design's own sampling error, without noise).
  static func noisy(
    replications r: Int, missing: Double, seed: UInt64, resamples: Int = 1000
  ) throws -> (corrected: SobolIndices, plain: SobolIndices, noiseFree: SobolIndices) {
    let k = 3
    let n = 512
    let design = SaltelliDesign(parameterCount: k, baseSampleSize: n, scramble: 5)
    var corrected = SobolAccumulator(parameterCount: k)
    var plain = SobolAccumulator(parameterCount: k)
    var noiseFree = SobolAccumulator(parameterCount: k)
    var generator = SplitMix64(seed: seed)
    func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
    func normal() -> Double {
      let u = (Double(generator.next() >> 11) + 0.5) * 0x1p-53
      return (-2 * log(u)).squareRoot() * cos(2 * .pi * uniform())
    }
    for j in 0..<n {
      // Per replication: a shared part (the seed's) and a part of each point.
      let shared = (0..<r).map { _ in normal() * 0.35 }
      var means: [Double] = []
      var replications: [[Double?]] = []
      for q in 0..<(k + 2) {
        let x = design[j * (k + 2) + q]
        var values: [Double?] = (0..<r).map { shared[$0] + normal() * 0.35 + x[0] + 0.5 * x[1] }
        for i in values.indices where uniform() < missing { values[i] = nil }
        // Keep at least one value at each point, as a point without any has no mean.
        if values.allSatisfy({ $0 == nil }) { values[0] = shared[0] + x[0] + 0.5 * x[1] }
        let present = values.compactMap { $0 }
        means.append(present.reduce(0, +) / Double(present.count))
        replications.append(values)
      }
      corrected.add(means: means, replications: replications)
      plain.add(block: means)
      noiseFree.add(
        block: (0..<(k + 2)).map { design[j * (k + 2) + $0] }.map { $0[0] + 0.5 * $0[1] })
    }
    return (
      try #require(corrected.indices(resamples: resamples, seed: 3)),
      try #require(plain.indices(resamples: resamples, seed: 3)),
      try #require(noiseFree.indices(resamples: 2, seed: 3))
    )
  }

  @Test(
    "replication noise: corrected indices find the mean response, plain ones do not",
    arguments: [(4, 0.0), (2, 0.0), (3, 0.15)])
  func noiseCorrection(replications: Int, missing: Double) throws {
    let exact = [0.8, 0.2, 0]
    let (good, bad, _) = try Self.noisy(replications: replications, missing: missing, seed: 77)
    #expect(good.noiseCorrected && !bad.noiseCorrected)
    // Rows whose noise cannot be measured (missing values) are left out, not mixed in.
    #expect((good.rowsLeftOut > 0) == (missing > 0), "\(good.rowsLeftOut) rows left out")
    // The noise of a point's mean (independent part 0.35²/R) is a third of V (0.104) or more:
    // uncorrected, the inert x3 gets ST ≈ 0.29 at R = 4; corrected, zero within its interval.
    #expect(bad.totalOrder[2].estimate > 0.2)
    for i in 0..<exact.count {
      let index = good.totalOrder[i]
      #expect(index.low <= exact[i] && exact[i] <= index.high, "ST[\(i)] \(index)")
      #expect(abs(index.estimate - exact[i]) <= 4 * index.standardError, "ST[\(i)] \(index)")
      let first = good.firstOrder[i]
      #expect(abs(first.estimate - exact[i]) <= 4 * first.standardError, "S1[\(i)] \(first)")
    }
  }

  @Test("the noise correction is unbiased: over 40 noise draws, within 4 SE of the noise-free")
  func noiseCorrectionUnbiased() throws {
    // Two replications, the hardest case for the correction. On one design, each noise
    // draw's corrected index differs from the noise-free one by what the noise leaves; the
    // mean of those differences must be within 4 standard errors of 0 (a bias of the
    // correction would move it; the plain ST of the inert x3, for comparison, is biased by
    // about +0.4).
    let draws = 40
    var differences = [RunningStats](repeating: RunningStats(), count: 6)
    var plainInert = RunningStats()
    for d in 0..<draws {
      let (good, bad, exact) = try Self.noisy(
        replications: 2, missing: 0, seed: 1000 + UInt64(d), resamples: 2)
      for i in 0..<3 {
        differences[i].add(good.firstOrder[i].estimate - exact.firstOrder[i].estimate)
        differences[3 + i].add(good.totalOrder[i].estimate - exact.totalOrder[i].estimate)
      }
      plainInert.add(bad.totalOrder[2].estimate - exact.totalOrder[2].estimate)
    }
    for (i, stats) in differences.enumerated() {
      let mean = try #require(stats.mean)
      let se = try #require(stats.sd) / Double(draws).squareRoot()
      #expect(abs(mean) <= 4 * se, "\(i < 3 ? "S1" : "ST")[\(i % 3)]: bias \(mean) ± \(se)")
    }
    #expect(try #require(plainInert.mean) > 0.2)
  }
}

/// SplitMix64 for reproducible test noise.
private struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
