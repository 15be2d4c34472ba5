import EnsembleAnalysis
import EnsembleExperiments
import Foundation
import Testing

/// Designs and estimators together on test functions whose indices are known in closed form.
@Suite("Sensitivity analysis of analytic test functions")
struct SensitivityAnalysisTests {
  /// Runs `f` over a Saltelli design on `factors` and estimates the indices (seed 2024).
  static func sobol(
    _ factors: [SensitivityFactor], baseSampleSize n: Int, _ f: ([Double]) -> Double
  ) throws -> SobolIndices {
    let design = SaltelliDesign(parameterCount: factors.count, baseSampleSize: n)
    var accumulator = SobolAccumulator(parameterCount: factors.count)
    var block: [Double] = []
    for point in design {
      block.append(f(SensitivityFactor.values(at: point, of: factors)))
      if block.count == design.rowsPerBaseRow {
        accumulator.add(block: block)
        block.removeAll(keepingCapacity: true)
      }
    }
    #expect(accumulator.baseRowCount == n)
    return try #require(accumulator.indices(resamples: 1000, seed: 2024))
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

  @Test("Ishigami (a = 7, b = 0.1): analytic S1 and ST lie in the bootstrap intervals")
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
    let indices = try Self.sobol(factors, baseSampleSize: 1024) { x in
      sin(x[0]) + a * sin(x[1]) * sin(x[1]) + b * pow(x[2], 4) * sin(x[0])
    }
    #expect(abs(indices.variance - v) < 0.05 * v)
    Self.expectInside(indices, firstOrder: firstOrder, totalOrder: totalOrder)
    for index in indices.firstOrder + indices.totalOrder {
      #expect(index.high - index.low < 0.25, "intervals should be informative at N = 1024")
    }
  }

  @Test("Sobol' G function: analytic S1 and ST lie in the bootstrap intervals")
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
    let indices = try Self.sobol(factors, baseSampleSize: 1024) { x in
      zip(x, a).reduce(1) { $0 * (abs(4 * $1.0 - 2) + $1.1) / (1 + $1.1) }
    }
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
}
