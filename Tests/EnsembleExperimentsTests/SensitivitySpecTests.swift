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
    // Shards take whole base rows (5 points, 2 replications each), and together all of them.
    var covered = 0
    for i in 1...3 {
      let shard = Plan(sensitivity: e, shard: (i, 3))
      #expect(shard.units.lowerBound == covered)
      #expect(shard.units.lowerBound % 10 == 0 && shard.units.upperBound % 10 == 0)
      covered = shard.units.upperBound
    }
    #expect(covered == 80)
    // 8 base rows in 3 shards: 2, 3 and 3 rows.
    #expect(Plan(sensitivity: e, shard: (1, 3)).units.count == 2 * 10)
    // More shards than base rows leave some empty.
    #expect(Plan(sensitivity: e, shard: (1, 9)).units.isEmpty)
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
      (
        #"{ design: "random", samples: 8, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#,
        #"sensitivity.design: "random" is not one of "scrambled""#
      ),
      (
        #"{ design: "sobol", repeats: 2, samples: 8, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#,
        #"repeats: 2 needs design: "scrambled""#
      ),
      (
        #"{ method: "morris", repeats: 2, samples: 8, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#,
        "sensitivity.repeats: applies to method \"sobol\" only"
      ),
      (
        #"{ dummy: 1, samples: 8, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#,
        "sensitivity.dummy: expects true or false"
      ),
      (
        #"{ method: "morris", samples: 8, parameters: { "team.ai.count": [2, 10], "design.auditRate": [0, 1] } }"#,
        "team.ai.count: [2, 10] cannot be split into 4 levels with equal whole-number steps"
      ),
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

  @Test("design, repeats and dummy: the defaults, and what they change")
  func designOptions() throws {
    let plain = try #require(
      try Self.load(
        #"{ samples: 8, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#
      ).sensitivity)
    // A file without `design` gets the scrambled design, one repeat and no dummy.
    #expect(plain.design == .scrambled && plain.repeats == 1 && plain.dummyIndex == nil)
    let full = try Self.load(
      #"{ samples: 8, repeats: 3, dummy: true, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#
    )
    let spec = try #require(full.sensitivity)
    #expect(spec.keys == ["design.reviewRate", "design.auditRate", "dummy"])
    #expect(spec.modelKeys == ["design.reviewRate", "design.auditRate"])
    #expect(spec.pointCount == 3 * 8 * (3 + 2))
    let plan = Plan(sensitivity: full)
    #expect(plan.keys == spec.modelKeys)
    // The dummy is in every point but never reaches the model: two points that differ only
    // in the dummy have the same configuration, on different seeds.
    let row = 5 * 4  // base row 4: A, AB(review), AB(audit), AB(dummy), B
    #expect(plan.points[row][2] != plan.points[row + 3][2])
    #expect(
      plan.configuration(point: row, condition: 0)
        == plan.configuration(point: row + 3, condition: 0))
    #expect(plan.seed(point: row, replication: 0) != plan.seed(point: row + 3, replication: 0))
    #expect(plan.seed(point: row, replication: 1) == plan.seed(point: row + 2, replication: 1))
    #expect(plan.seed(point: row, replication: 0) != plan.seed(point: row + 5, replication: 0))
    // Repeats are independent scrambles.
    let first = Array(plan.points[0..<40])
    let second = Array(plan.points[40..<80])
    #expect(first.map { $0[0] } != second.map { $0[0] })
    let unscrambled = try #require(
      try Self.load(
        #"{ design: "sobol", samples: 8, parameters: { "design.reviewRate": [0, 1], "design.auditRate": [0, 1] } }"#
      ).sensitivity)
    #expect(unscrambled.design == .sobol)
    #expect(
      unscrambled.unitPoints(seed: 3)
        == Array(SaltelliDesign(parameterCount: 2, baseSampleSize: 8, skip: 8)))
    #expect(throws: ExperimentError.self) {
      _ = try Self.load(
        #"{ samples: 8, parameters: { "dummy": [0, 1], "design.auditRate": [0, 1] } }"#)
    }
  }
}
