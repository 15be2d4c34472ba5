import EnsembleModel
import Testing

@testable import EnsembleExperiments

/// The `sensitivity` section of an experiment file: what it accepts and what it refuses.
@Suite("Sensitivity specification")
struct SensitivitySpecTests {
  static func load(_ sensitivity: String) throws(ExperimentError) -> Experiment {
    try ExperimentLoader.load(
      "{ seed: 3, replications: 2, sensitivity: \(sensitivity) }", source: "s.json",
      defaultName: "s")
  }

  @Test("a Sobol' plan: N (k + 2) points in Saltelli's order, integers rounded")
  func sobolPlan() throws {
    let e = try Self.load(
      #"{ method: "sobol", samples: 8, parameters: { "workload.edgeCaseRate": [0, 0.8], "team.ai.count": [1, 12], "design.reviewRate": [0, 1] } }"#
    )
    let spec = try #require(e.sensitivity)
    #expect(spec.keys == ["workload.edgeCaseRate", "team.ai.count", "design.reviewRate"])
    #expect(spec.factors[1].isInteger && !spec.factors[0].isInteger)
    let plan = Plan(sensitivity: e)
    #expect(plan.points.count == 8 * 5)
    #expect(plan.units == 0..<(40 * 2))
    for point in plan.points {
      guard case .integer(let count) = point[1] else {
        Issue.record("team.ai.count must be an integer")
        continue
      }
      #expect((1...12).contains(count))
    }
    // The point's values are applied to each condition's configuration.
    let configuration = plan.configuration(point: 7, condition: 1)
    guard case .number(let edge) = plan.points[7][0] else { return }
    #expect(configuration.scenario.workload.edgeCaseRate == edge)
    // Shards take whole points.
    let shard = Plan(sensitivity: e, shard: (2, 3))
    #expect(shard.units.lowerBound % 2 == 0 && shard.units.upperBound % 2 == 0)
  }

  @Test("a Morris plan: r trajectories of k + 1 points")
  func morrisPlan() throws {
    let e = try Self.load(
      #"{ method: "morris", samples: 5, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#
    )
    #expect(Plan(sensitivity: e).points.count == 5 * 3)
  }

  @Test(
    "bad sensitivity sections exit with a message naming the key",
    arguments: [
      (
        #"{ samples: 8, parameters: { "design.reviewRat": [0, 1], "design.auditRate": [0, 1] } }"#,
        #"did you mean "design.reviewRate"?"#
      ),
      (
        #"{ samples: 8, parameters: { "design.reviewRate": [1, 0], "design.auditRate": [0, 1] } }"#,
        "empty or reversed"
      ),
      (
        #"{ samples: 8, parameters: { "design.reviewRate": [0, 2], "design.auditRate": [0, 1] } }"#,
        "high 2 is out of range (allowed: 0 to 1)"
      ),
      (
        #"{ samples: 6, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#,
        "power of two"
      ),
      (#"{ samples: 8, parameters: { "design.reviewRate": [0, 1] } }"#, "at least 2 parameters"),
      (
        #"{ samples: 8, parameters: { "design.review": [0, 1], "design.auditRate": [0, 1] } }"#,
        "not a number"
      ),
      (#"{ method: "lhs", samples: 8, parameters: {} }"#, #""lhs" is not one of"#),
    ])
  func refusals(_ section: String, _ message: String) {
    do {
      _ = try Self.load(section)
      Issue.record("accepted \(section)")
    } catch {
      #expect(error.description.contains(message), "\(error.description)")
      #expect(error.description.contains("s.json"), "names the file")
    }
  }

  @Test("a sweep and a sensitivity analysis do not go together")
  func notWithSweep() {
    #expect(throws: ExperimentError.self) {
      _ = try ExperimentLoader.load(
        #"{ sweep: { "design.reviewRate": [0, 1] }, sensitivity: { samples: 4, parameters: { "design.auditRate": [0, 1], "design.detectSkill": [0, 1] } } }"#,
        source: "s.json", defaultName: "s")
    }
  }
}
