import EnsembleModel
import Foundation
import Testing

/// The exact cases of model version 2 (docs/MODEL.md section 9): chains and fan-outs of
/// stages worked by identical agents of fixed success p, with silent errors only, no review,
/// sign-off or continuity, no hand-off loss or time, at light load.
///
/// The closed forms are computed here; the tolerance is `z` standard errors of the
/// fixed-seed sample of replications (z = 4).
@Suite("Validation cases of version 2 (docs/MODEL.md section 9)")
struct StageValidationTests {
  static let z = 4.0
  static let p = 0.8

  /// Nine identical agents of success `p` in every one of four domains, light load.
  static func scenario(stages: Int, shape: WorkShape) -> Scenario {
    // Competence c = skill with no penalties; p = 1 / (1 + exp(-10 (c - 0))).
    var scenario = identicalAgents(
      count: 9, skill: log(p / (1 - p)) / 10, silentShare: 1, arrivalRate: 2, horizon: 200)
    scenario.domains = 4
    scenario.workload.stages = stages
    scenario.workload.shape = shape
    return scenario
  }

  static var design: Design {
    var design = plainDesign
    design.handoffLoss = 0
    design.handoffTime = 0
    return design
  }

  /// Chain of L stages: `(L - p (1 - p^L) / (1 - p)) / (L (1 - p))`.
  static func chainAmplification(_ l: Int) -> Double {
    let lf = Double(l)
    return (lf - p * (1 - pow(p, lf)) / (1 - p)) / (lf * (1 - p))
  }

  /// Fan-out of s stages: `((s - 1)(1 - p) + 1 - p^s) / (s (1 - p))`.
  static func fanoutAmplification(_ s: Int) -> Double {
    let sf = Double(s)
    return ((sf - 1) * (1 - p) + 1 - pow(p, sf)) / (sf * (1 - p))
  }

  @Test("the closed forms give the values of the specification")
  func closedForms() {
    #expect(abs(Self.chainAmplification(4) - 2.048) < 1e-12)
    #expect(abs(Self.fanoutAmplification(4) - 1.488) < 1e-12)
    #expect(abs(Self.chainAmplification(2) - 1.4) < 1e-12)
    #expect(abs(Self.fanoutAmplification(2) - 1.4) < 1e-12)
    #expect(abs(Self.chainAmplification(1) - 1) < 1e-12)
  }

  /// Runs 40 replications and checks `correct_rate` against p^s and `error_amplification`
  /// against its closed form, each within z standard errors.
  func check(stages: Int, shape: WorkShape, amplification: Double) {
    let scenario = Self.scenario(stages: stages, shape: shape)
    var correctRates: [Double] = []
    var amplifications: [Double] = []
    var backlog = 0
    var handoffs = 0.0
    _ = collect(scenario, Self.design, replications: 40, seed: 97) { m in
      correctRates.append(m.correctRate!)
      amplifications.append(m.errorAmplification!)
      backlog += m.backlog + m.abandoned
      handoffs += m.handoffs!
      return nil
    }
    #expect(backlog == 0, "light load: every task is delivered")
    let correct = SampleStats(correctRates)
    let exactCorrect = pow(Self.p, Double(stages))
    #expect(
      abs(correct.mean - exactCorrect) < Self.z * correct.standardError,
      "correct rate \(correct.mean) vs p^s = \(exactCorrect), se \(correct.standardError)")
    let amplified = SampleStats(amplifications)
    #expect(
      abs(amplified.mean - amplification) < Self.z * amplified.standardError,
      "error amplification \(amplified.mean) vs \(amplification), se \(amplified.standardError)")
    if stages > 1 { #expect(handoffs > 0, "nine agents hand work to each other") }
  }

  @Test("chain of L stages: correct rate p^L and its error amplification", arguments: [2, 4, 6])
  func chain(stages: Int) {
    check(stages: stages, shape: .chain, amplification: Self.chainAmplification(stages))
  }

  @Test("fan-out of s stages: correct rate p^s and its error amplification", arguments: [2, 4, 6])
  func fanout(stages: Int) {
    check(stages: stages, shape: .fanout, amplification: Self.fanoutAmplification(stages))
  }

  /// With one stage, a chain and a fan-out are the same work: identical metrics.
  @Test("one stage is one stage, whatever the shape")
  func oneStage() {
    var chain = Simulator(scenario: Self.scenario(stages: 1, shape: .chain))
    var fanout = Simulator(scenario: Self.scenario(stages: 1, shape: .fanout))
    for seed in UInt64(1)...5 {
      #expect(
        chain.run(design: .structured, seed: seed) == fanout.run(design: .structured, seed: seed))
    }
  }
}
