import EnsembleModel
import Foundation
import Testing

/// The exact cases of model version 3 (the specification's section 10.6; docs/MODEL.md
/// section 9): a human lead who routes and reviews with a view of its own, `q`, and one AI
/// agent of fixed success `a`, one domain, expert review of every output, light load.
///
/// The closed forms are computed here; each metric is checked within `z` standard errors of
/// the fixed-seed sample of replications (z = 4).
@Suite("Validation cases of version 3: judgment and reliance")
struct JudgmentValidationTests {
  static let z = 4.0

  /// The skill whose success is `p` at difficulty 0 and steepness 10, with no penalties.
  static func skill(_ p: Double) -> Double { log(p / (1 - p)) / 10 }

  /// The lead (conductor and expert of domain 0) with own success `q`, and one AI agent with
  /// success `a` whose errors are all silent; 200 tasks a replication at one an hour.
  static func scenario(a: Double, q: Double, kind: WorkKind) -> Scenario {
    var lead = AgentGroup(
      name: "lead", kind: .human, count: 1, skill: [skill(q)],
      expertise: Expertise(domains: [0], skill: skill(q)),
      roles: [.conductor: .all, .expert: .all])
    var ai = AgentGroup(name: "ai", kind: .ai, count: 1, skill: [skill(a)])
    for g in [0, 1] {
      var group = g == 0 ? lead : ai
      group.edgePenalty = 0
      group.ambiguityPenalty = 0
      group.noveltyPenalty = 0
      group.driftRate = 0
      group.silentShare = 1
      if g == 0 { lead = group } else { ai = group }
    }
    var scenario = Scenario(team: [lead, ai])
    scenario.domains = 1
    scenario.horizon = 200
    scenario.workload.arrivalRate = 1
    scenario.workload.difficulty = .fixed(0)
    scenario.workload.edgeCaseRate = 0
    scenario.workload.noveltyRate = 0
    scenario.workload.ambiguity = .fixed(0)
    scenario.workload.kind = kind
    return scenario
  }

  /// Conductor routing, expert review of every output under `judge`; nothing else on.
  static func design(_ reliance: Reliance, trust: Double = 0.5, fluency: Double = 0.5) -> Design {
    var design = Design.unstructured
    design.routing = .conductor
    design.communication = .hierarchy
    design.duplicationRate = 0
    design.review = .expert
    design.reviewRate = 1
    design.judgment = .judge
    design.reliance = reliance
    design.trust = trust
    design.leaderFluency = fluency
    return design
  }

  /// Runs 40 replications; every task must close, and each closes after exactly one human
  /// verdict under `decide`.
  static func run(_ scenario: Scenario, _ design: Design) -> [Metrics] {
    var simulator = Simulator(scenario: scenario)
    return (0..<40).map {
      simulator.run(
        design: design, seed: ReplicationSeed.derive(experimentSeed: 31, replication: $0))
    }
  }

  static func expectNear(
    _ values: [Double], _ expected: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let s = SampleStats(values)
    let tolerance = z * max(s.standardError, 1e-9)
    #expect(
      abs(s.mean - expected) <= tolerance,
      "\(what): \(s.mean) against \(expected) (tolerance \(tolerance))",
      sourceLocation: sourceLocation)
  }

  @Test(
    "decide, fixed trust: correct rate r·a + (1 − r)·q; push-back (1 − r)(a(1 − q) + (1 − a)q)",
    arguments: [0.2, 0.5, 0.8])
  func decideFixed(trust r: Double) {
    let (a, q) = (0.7, 0.8)
    let runs = Self.run(Self.scenario(a: a, q: q, kind: .decide), Self.design(.fixed, trust: r))
    #expect(runs.allSatisfy { $0.backlog == 0 && $0.abandoned == 0 })
    Self.expectNear(runs.compactMap(\.correctRate), r * a + (1 - r) * q, "correct rate")
    Self.expectNear(
      runs.compactMap(\.pushbackRate), (1 - r) * (a * (1 - q) + (1 - a) * q), "push-back rate")
    // Every task is one decision with one verdict: a right verdict is a correct delivery.
    for m in runs { #expect(m.verdictAccuracy == m.correctRate) }
    if r == 0.5 {
      #expect(abs((r * a + (1 - r) * q) - 0.75) < 1e-12)
      #expect(abs((1 - r) * (a * (1 - q) + (1 - a) * q) - 0.19) < 1e-12)
    }
  }

  @Test(
    "decide, calibrated with exact estimates: correct rate max(a, q), on both sides of a = q",
    arguments: [0.7, 0.9])
  func decideCalibrated(a: Double) {
    let q = 0.8
    let runs = Self.run(
      Self.scenario(a: a, q: q, kind: .decide), Self.design(.calibrated, fluency: 1))
    Self.expectNear(runs.compactMap(\.correctRate), max(a, q), "correct rate")
    // The judge overrides every disagreement when q > a and defers to every one otherwise.
    let reliance = runs.compactMap(\.relianceAccuracy)
    if q > a {
      Self.expectNear(runs.compactMap(\.pushbackRate), a * (1 - q) + (1 - a) * q, "push-back")
    } else {
      #expect(runs.allSatisfy { $0.pushbackRate == 0 })
    }
    #expect(!reliance.isEmpty)
  }

  @Test(
    "create, fixed trust: correct rate A(1 − F⁶)/(1 − F), abandoned share F⁶",
    arguments: [(0.7, 0.8, 0.5), (0.5, 0.5, 0.0)])
  func createFixed(a: Double, q: Double, r: Double) {
    let passCorrect = a * (q + (1 - q) * r)
    let passWrong = (1 - a) * (1 - q * (1 - r))
    let f = 1 - passCorrect - passWrong
    let runs = Self.run(Self.scenario(a: a, q: q, kind: .create), Self.design(.fixed, trust: r))
    #expect(runs.allSatisfy { $0.backlog == 0 })
    Self.expectNear(
      runs.compactMap(\.correctRate), passCorrect * (1 - pow(f, 6)) / (1 - f), "correct rate")
    // Abandonment is rare (4.7e-5 a task in the first case), so its tolerance is the
    // binomial standard error of the expected share over all tasks, not the sample's.
    let tasks = Double(runs.reduce(0) { $0 + $1.arrived })
    let abandoned = Double(runs.reduce(0) { $0 + $1.abandoned }) / tasks
    let share = pow(f, 6)
    let tolerance = Self.z * (share * (1 - share) / tasks).squareRoot()
    #expect(abs(abandoned - share) <= tolerance, "abandoned \(abandoned) against \(share)")
    if a == 0.7 {
      #expect(abs(passCorrect - 0.63) < 1e-12 && abs(passWrong - 0.18) < 1e-12)
      #expect(abs(passCorrect * (1 - pow(f, 6)) / (1 - f) - 0.77774) < 1e-5)
    }
  }

  @Test("under detect, push-back and verdict accuracy are counted and reliance accuracy is empty")
  func detectCounts() {
    var design = Self.design(.fixed)
    design.judgment = .detect
    let runs = Self.run(Self.scenario(a: 0.7, q: 0.8, kind: .decide), design)
    for m in runs {
      #expect(m.relianceAccuracy == nil)
      #expect(m.pushbackRate != nil && m.verdictAccuracy != nil)
    }
  }
}
