import EnsembleModel
import Foundation
import Testing

/// The rules of model version 3, one test each: who judges with a view of its own, what a
/// trace calls each verdict, what an override does and what it does not.
@Suite("Version-3 rules: judgment and reliance")
struct JudgmentRuleTests {
  typealias V = JudgmentValidationTests

  /// The validation team with certain outcomes: at steepness 100 and difficulty 0.5, skill 1
  /// succeeds with probability 1 − 2e-22 and skill 0 fails with the same.
  static func certain(aiRight: Bool, judgeRight: Bool, kind: WorkKind) -> Scenario {
    var scenario = V.scenario(a: 0.5, q: 0.5, kind: kind)
    scenario.model.steepness = 100
    scenario.workload.difficulty = .fixed(0.5)
    let judge = judgeRight ? 1.0 : 0.0
    scenario.team[0].skill = [judge]
    scenario.team[0].expertise = Expertise(domains: [0], skill: judge)
    scenario.team[1].skill = [aiRight ? 1 : 0]
    return scenario
  }

  /// Counts the human verdicts in a trace by what the trace calls them.
  static func verdicts(_ events: [TraceEvent], team: Team) -> [TraceEvent.Outcome: Int] {
    var counts: [TraceEvent.Outcome: Int] = [:]
    for e in events where e.kind == .finish && (e.job == .review || e.job == .signoff) {
      guard let agent = e.agent, team.isHuman[agent.index], let outcome = e.outcome else {
        continue
      }
      counts[outcome, default: 0] += 1
    }
    return counts
  }

  @Test(
    "a trace names every human verdict agree, defer, push back or override, and they add up to the metrics",
    arguments: [WorkKind.create, .decide])
  func traceOutcomes(kind: WorkKind) {
    let scenario = V.scenario(a: 0.7, q: 0.8, kind: kind)
    let simulator = Simulator(scenario: scenario)
    for seed in [UInt64(1), 2, 3] {
      let (metrics, events) = simulator.trace(design: V.design(.fixed, trust: 0.4), seed: seed)
      let counts = Self.verdicts(events, team: simulator.team)
      let judged = [TraceEvent.Outcome.agree, .deferred, .pushBack, .override]
      let total = counts.values.reduce(0, +)
      #expect(Set(counts.keys).isSubset(of: judged), "\(counts)")
      #expect(total > 100)
      let pushed = counts[.pushBack, default: 0] + counts[.override, default: 0]
      #expect(metrics.pushbackRate == Double(pushed) / Double(total))
      let disagreed = total - counts[.agree, default: 0]
      #expect(disagreed > 0 && metrics.relianceAccuracy != nil)
      // Under create a push-back sends work back; only a decision is overridden.
      if kind == .create {
        #expect(counts[.override] == nil && counts[.pushBack, default: 0] > 0)
      } else {
        #expect(counts[.pushBack] == nil && counts[.override, default: 0] > 0)
      }
      // The traced run is the run.
      var plain = Simulator(scenario: scenario)
      #expect(plain.run(design: V.design(.fixed, trust: 0.4), seed: seed) == metrics)
    }
  }

  /// A judge who is always right, an AI agent that is always wrong and no trust: every
  /// decision is overridden by the human, delivered at once, correct, and the human's.
  @Test("an override replaces the output with the judge's answer and delivers it at once")
  func overrideDelivers() {
    var scenario = Self.certain(aiRight: false, judgeRight: true, kind: .decide)
    scenario.workload.stakesRate = 1  // every task high-stakes, yet no sign-off follows
    var design = V.design(.fixed, trust: 0)
    design.signoff = .all
    design.ledger = true
    var simulator = Simulator(scenario: scenario)
    let (metrics, events) = simulator.trace(design: design, seed: 5)
    let counts = Self.verdicts(events, team: simulator.team)
    #expect(counts[.override, default: 0] == metrics.delivered)
    #expect(!events.contains { $0.job == .signoff }, "an override skips the sign-off")
    #expect(metrics.delivered == metrics.arrived && metrics.abandoned == 0)
    #expect(metrics.correctRate == 1)
    #expect(metrics.humanShare == 1 && metrics.accountabilityCoverage == 1)
    #expect(metrics.reworkHours == 0 && metrics.errorAmplification == nil)
    #expect(!events.contains { $0.kind == .rework })
  }

  /// The ledger learns y = 0 for the replaced execution's agent, as for a rejection, and
  /// never learns of the judge: its estimate keeps its initial value.
  @Test("an override teaches the ledger about the replaced agent, never about the judge")
  func overrideLedger() {
    let scenario = V.scenario(a: 0.7, q: 0.8, kind: .decide)
    var design = V.design(.fixed, trust: 0, fluency: 1)  // estimates start exact
    design.ledger = true
    var simulator = Simulator(scenario: scenario)
    let metrics = simulator.run(design: design, seed: 5)
    #expect(metrics.pushbackRate! > 0.2)
    let skill = Team(scenario).skill
    #expect(simulator.lastEstimate[0] == skill[0], "the judge's estimate never moves")
    // Replay the ledger from the trace: each pass (agree or defer) teaches y = 1 and each
    // override y = 0 about the AI agent, from p_hat = 1 / (1 + exp(-10 estimate)) (no
    // penalties, difficulty 0). The replay must land on the engine's estimate exactly.
    let (_, events) = simulator.trace(design: design, seed: 5)
    var estimate = skill[1]
    for e in events where e.kind == .finish && e.job == .review {
      let y: Double
      switch e.outcome {
      case .agree, .deferred: y = 1
      case .override: y = 0
      default: continue
      }
      let pHat = 1 / (1 + exp(-10 * (estimate - 0)))
      estimate = min(1, max(0, estimate + design.learningRate * (y - pHat)))
    }
    #expect(estimate == simulator.lastEstimate[1])
    #expect(estimate != skill[1])
  }

  /// A wrong override is an escaped error an audit may catch late, and the audit teaches the
  /// ledger nothing about the judge.
  @Test("an audit of an overridden decision counts a catch but leaves the judge's estimate")
  func auditOfOverride() {
    // The judge is always wrong and the AI always right: every override is wrong.
    var scenario = Self.certain(aiRight: true, judgeRight: false, kind: .decide)
    var monitor = AgentGroup(
      name: "monitor", kind: .ai, count: 1, skill: [0.5], roles: [.monitor: .all])
    monitor.driftRate = 0
    scenario.team.append(monitor)
    var design = V.design(.fixed, trust: 0)
    design.audit = true
    design.auditRate = 1
    design.auditSkill = 1
    design.ledger = true
    design.leaderFluency = 1
    var simulator = Simulator(scenario: scenario)
    let (metrics, events) = simulator.trace(design: design, seed: 8)
    #expect(metrics.correctRate == 0)
    // Every audit that finished found the wrong override (audits still open at the end of
    // the run give no verdict).
    let audits = events.filter { $0.kind == .finish && $0.job == .audit }
    #expect(
      audits.count >= metrics.delivered - 3 && audits.allSatisfy { $0.outcome == .foundError })
    #expect(metrics.caughtLate == audits.count)
    _ = simulator.run(design: design, seed: 8)
    #expect(
      simulator.lastEstimate[0] == Team(scenario).skill[0], "the judge's estimate never moves")
  }

  /// An AI reviewer keeps the fixed chances under judge, on decisions too: its rejection sends
  /// the work back and its verdicts are not human verdicts.
  @Test("AI reviewers keep the fixed chances under judge and are not human verdicts")
  func aiReviewersDetect() {
    var scenario = V.scenario(a: 0.7, q: 0.8, kind: .decide)
    scenario.team[0].roles = [.conductor: .all]  // the lead no longer reviews
    var reviewer = AgentGroup(name: "checker", kind: .ai, count: 1, skill: [0.5])
    reviewer.driftRate = 0
    scenario.team.append(reviewer)
    var design = V.design(.fixed)
    design.review = .peer
    let simulator = Simulator(scenario: scenario)
    let (metrics, events) = simulator.trace(design: design, seed: 4)
    let byAI = events.filter {
      $0.kind == .finish && $0.job == .review && !simulator.team.isHuman[$0.agent!.index]
    }
    #expect(!byAI.isEmpty)
    #expect(byAI.allSatisfy { [.foundError, .falseAlarm, .passed].contains($0.outcome) })
    let human = Self.verdicts(events, team: simulator.team).values.reduce(0, +)
    if human == 0 { #expect(metrics.pushbackRate == nil) }
  }

  /// The first reading of section 10.7: without a view of its own a reviewer has no answer
  /// to put in place, so under detect a decision is handled as content.
  @Test("under detect, decide gives exactly the results of create")
  func detectIgnoresKind() {
    var design = V.design(.fixed)
    design.judgment = .detect
    var create = Simulator(scenario: V.scenario(a: 0.7, q: 0.8, kind: .create))
    var decide = Simulator(scenario: V.scenario(a: 0.7, q: 0.8, kind: .decide))
    for seed in [UInt64(1), 2] {
      #expect(create.run(design: design, seed: seed) == decide.run(design: design, seed: seed))
    }
  }

  /// Calibrated reliance reads the team's estimate: with a perfect estimate of an author
  /// better than the judge, the judge defers to every disagreement.
  @Test("a calibrated judge defers to an author whose estimate beats its own view")
  func calibratedDefers() {
    let simulator = Simulator(scenario: V.scenario(a: 0.9, q: 0.8, kind: .create))
    let (metrics, events) = simulator.trace(design: V.design(.calibrated, fluency: 1), seed: 2)
    let counts = Self.verdicts(events, team: simulator.team)
    #expect(counts[.pushBack] == nil && counts[.deferred, default: 0] > 0)
    #expect(metrics.pushbackRate == 0)
    // The disagreements: a correct output and a wrong view, a (1 - q); a wrong output and a
    // right view, (1 - a) q. Deferring to all of them is right for the first kind.
    let (a, q) = (0.9, 0.8)
    let expected = a * (1 - q) / (a * (1 - q) + (1 - a) * q)
    let disagreements = Double(counts[.deferred, default: 0])
    let tolerance = 4 * (expected * (1 - expected) / disagreements).squareRoot()
    #expect(abs(metrics.relianceAccuracy! - expected) <= tolerance)
  }
}
