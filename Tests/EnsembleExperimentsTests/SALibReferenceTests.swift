import EnsembleAnalysis
import Testing

@testable import EnsembleExperiments

/// The design and every index against SALib 1.6.0 on a committed dataset
/// (SALibReference.swift, written by `Scripts/sensitivity-reference.py --write`).
@Suite("SALib reference")
struct SALibReferenceTests {
  @Test("design \"sobol\" is SALib's unscrambled design, value for value")
  func design() {
    let factors = (1...3).map { SensitivityFactor(name: "x\($0)", low: -.pi, high: .pi) }
    let spec = SensitivitySpec(method: .sobol, samples: 32, design: .sobol, factors: factors)
    let values = spec.unitPoints(seed: 99).flatMap {
      SensitivityFactor.values(at: $0, of: factors)
    }
    #expect(values == SALibReference.sobolX)
  }

  @Test("S1 and ST equal SALib's sobol.analyze on the same outputs")
  func sobol() throws {
    var accumulator = SobolAccumulator(parameterCount: 3)
    let y = SALibReference.sobolY
    for j in 0..<32 { accumulator.add(block: y[(j * 5)..<(j * 5 + 5)]) }
    let indices = try #require(accumulator.indices(seed: 1))
    for i in 0..<3 {
      // The same sums in another order: equal to the last bits of a double.
      #expect(isClose(indices.firstOrder[i].estimate, SALibReference.s1[i], relative: 1e-13))
      #expect(isClose(indices.totalOrder[i].estimate, SALibReference.st[i], relative: 1e-13))
    }
    #expect(!indices.noiseCorrected)
  }

  @Test("μ, μ* and σ equal SALib's morris.analyze on the same trajectories")
  func morris() throws {
    let k = 4
    let x = SALibReference.morrisX
    let bounds = SALibReference.morrisBounds
    var accumulator = MorrisAccumulator(parameterCount: k)
    for t in 0..<10 {
      let rows = (0...k).map { s in Array(x[((t * (k + 1) + s) * k)..<((t * (k + 1) + s + 1) * k)])
      }
      var parameters: [Int] = []
      var steps: [Double] = []
      for s in 0..<k {
        let i = try #require((0..<k).first { rows[s][$0] != rows[s + 1][$0] })
        parameters.append(i)
        // The step in the unit cube: ±Δ = ±2/3 on a 4-level grid.
        steps.append(rows[s + 1][i] > rows[s][i] ? 2.0 / 3 : -2.0 / 3)
        #expect(
          isClose(
            abs(rows[s + 1][i] - rows[s][i]) / (bounds[i][1] - bounds[i][0]), 2.0 / 3,
            relative: 1e-12))
      }
      let outputs = Array(SALibReference.morrisY[(t * (k + 1))..<((t + 1) * (k + 1))])
      accumulator.add(trajectory: outputs, parameters: parameters, steps: steps)
    }
    let indices = try #require(accumulator.indices)
    for i in 0..<k {
      let scale = max(1, abs(SALibReference.muStar[i]))
      #expect(abs(indices[i].mu - SALibReference.mu[i]) <= 1e-12 * scale)
      #expect(abs(indices[i].muStar - SALibReference.muStar[i]) <= 1e-12 * scale)
      #expect(abs((indices[i].sigma ?? -1) - SALibReference.sigma[i]) <= 1e-12 * scale)
    }
  }
}

/// True when `actual` is within `relative` of `expected`, relative to |expected|.
private func isClose(_ actual: Double, _ expected: Double, relative: Double) -> Bool {
  abs(actual - expected) <= relative * abs(expected)
}
