import EnsembleModel
import Testing

/// Each mechanism of docs/MODEL.md section 7 does what the text says, and each test would fail
/// without the mechanism. Statistical comparisons use z = 4 standard errors.
@Suite("Mechanisms")
struct MechanismTests {
  static let z = 4.0

  /// A scenario where success depends on ambiguity: identical AI agents, fixed ambiguity.
  static func ambiguous(_ ambiguity: Double, penalty: Double) -> Scenario {
    var scenario = identicalAgents(
      count: 6, skill: 0.6, silentShare: 1, arrivalRate: 3, horizon: 40, difficulty: 0.5)
    scenario.team[0].ambiguityPenalty = penalty
    scenario.team[0].roles = [.translator: .members([0])]
    scenario.workload.ambiguity = .fixed(ambiguity)
    return scenario
  }

  @Test("translation with quality 1 removes the ambiguity penalty")
  func translationRemovesAmbiguity() {
    var design = plainDesign
    design.translation = true
    design.translationQuality = 1
    let translated = SampleStats(
      collect(Self.ambiguous(0.5, penalty: 0.3), design, replications: 200) { $0.correctRate })
    let clear = SampleStats(
      collect(Self.ambiguous(0, penalty: 0.3), plainDesign, replications: 200) { $0.correctRate })
    design.translationQuality = 0
    let untranslated = SampleStats(
      collect(Self.ambiguous(0.5, penalty: 0.3), design, replications: 200) { $0.correctRate })
    let se =
      (translated.standardError * translated.standardError
      + clear.standardError * clear.standardError).squareRoot()
    #expect(abs(translated.mean - clear.mean) < Self.z * se)
    #expect(clear.mean - untranslated.mean > Self.z * se, "quality 0 must keep the penalty")
  }

  @Test("translation is a duty of the translator and runs once per ambiguous task")
  func translationJobs() {
    var design = plainDesign
    design.translation = true
    var simulator = Simulator(scenario: Self.ambiguous(0.4, penalty: 0.3))
    let m = simulator.run(design: design, seed: 3)
    #expect(simulator.lastCounters.started(.translate) == m.arrived)
    design.translation = false
    _ = simulator.run(design: design, seed: 3)
    #expect(simulator.lastCounters.started(.translate) == 0)
  }

  @Test("expert review finds wrong outputs at detectSkill times the expert's skill")
  func reviewDetectionRate() {
    var scenario = Scenario.default
    scenario.horizon = 20
    var design = Design.structured
    design.detectSkill = 0.9
    var simulator = Simulator(scenario: scenario)
    var wrong = 0
    var found = 0
    for seed in UInt64(0)..<60 {
      _ = simulator.run(design: design, seed: seed)
      wrong += simulator.lastCounters.reviewedWrong
      found += simulator.lastCounters.reviewsFindingWrong
    }
    let expected = 0.9 * 0.90  // detectSkill times the experts' own-domain skill
    let rate = Double(found) / Double(wrong)
    let se = (expected * (1 - expected) / Double(wrong)).squareRoot()
    #expect(wrong > 200)
    #expect(abs(rate - expected) < Self.z * se, "found \(rate) of \(wrong) wrong outputs")
  }

  @Test("expert review applies only to AI output in the experts' domains")
  func reviewScope() {
    var design = Design.unstructured
    design.review = .expert
    var simulator = Simulator(scenario: .default)
    _ = simulator.run(design: design, seed: 8)
    #expect(simulator.lastCounters.reviews > 0)
    var noExperts = Scenario.default
    noExperts.team[1].roles = [:]
    var other = Simulator(scenario: noExperts)
    _ = other.run(design: design, seed: 8)
    #expect(other.lastCounters.reviews == 0, "review needs an expert")
  }

  @Test("duplication hours are zero at rate 0 and positive at 0.15")
  func duplicationHours() {
    var design = Design.unstructured
    design.duplicationRate = 0
    let none = collect(.default, design, replications: 20) { $0.duplicateHours }
    #expect(none.allSatisfy { $0 == 0 })
    design.duplicationRate = 0.15
    let some = collect(.default, design, replications: 20) { $0.duplicateHours }
    #expect(some.reduce(0, +) > 0)
  }

  @Test("under conductor routing the conductor executes nothing and nothing is duplicated")
  func conductorOnlyRoutes() {
    var design = Design.structured
    design.duplicationRate = 0.5
    var simulator = Simulator(scenario: .default)
    for seed in UInt64(0)..<10 {
      let m = simulator.run(design: design, seed: seed)
      #expect(simulator.lastCounters.executionsByConductor == 0)
      #expect(simulator.lastCounters.duplicates == 0 && m.duplicateHours == 0)
      #expect(simulator.lastCounters.started(.route) >= m.delivered)
    }
  }

  /// A team whose AI agents fail visibly most of the time, so attempts run long.
  static var failingAI: Scenario {
    var scenario = Scenario.default
    scenario.horizon = 20
    scenario.team[3].skill = [0.1]
    scenario.team[3].expertise = nil
    scenario.team[3].silentShare = 0
    return scenario
  }

  @Test("escalation sends attempts after maxAttempts to a human")
  func escalationGoesToHumans() {
    var design = Design.structured
    var simulator = Simulator(scenario: Self.failingAI)
    var byAI = 0
    var byHuman = 0
    for seed in UInt64(0)..<10 {
      _ = simulator.run(design: design, seed: seed)
      byAI += simulator.lastCounters.lateAttemptExecutionsByAI
      byHuman += simulator.lastCounters.lateAttemptExecutionsByHuman
    }
    #expect(byHuman > 0)
    #expect(byAI == 0)
    design.escalation = false
    byAI = 0
    for seed in UInt64(0)..<10 {
      _ = simulator.run(design: design, seed: seed)
      byAI += simulator.lastCounters.lateAttemptExecutionsByAI
    }
    #expect(byAI > 0, "without escalation late attempts are routed as usual")
  }

  @Test("a task whose sixth attempt fails is abandoned")
  func abandonment() {
    // Every execution fails visibly; 6 agents carry 6 attempts of 0.3 tasks an hour easily.
    let scenario = identicalAgents(
      count: 6, skill: 0, silentShare: 0, arrivalRate: 0.3, horizon: 40, difficulty: 1)
    var simulator = Simulator(scenario: scenario)
    let m = simulator.run(design: plainDesign, seed: 2)
    #expect(m.abandoned == m.arrived)
    #expect(simulator.lastCounters.attempts == 6 * m.arrived)
    #expect(m.reworkHours > 0)
  }

  @Test("the catalyst pairing applies only to novel tasks")
  func catalystPairsNovelTasks() {
    var design = Design.unstructured
    design.catalyst = true
    var simulator = Simulator(scenario: .default)
    var pairs = 0
    for seed in UInt64(0)..<10 {
      _ = simulator.run(design: design, seed: seed)
      pairs += simulator.lastCounters.pairExecutions
      #expect(simulator.lastCounters.pairExecutions == simulator.lastCounters.novelPairExecutions)
    }
    #expect(pairs > 0)
    design.catalyst = false
    _ = simulator.run(design: design, seed: 1)
    #expect(simulator.lastCounters.pairExecutions == 0)
  }

  @Test(
    "a pair's output counts as the catalyst's: reviewed by an expert when the catalyst is an AI")
  func pairReviewFollowsCatalystKind() {
    // Every task is novel and goes to the pair (the catalyst's queue never fills), and the
    // pair never errs visibly: every first execution is a pair's apparent success.
    var scenario = Scenario.default
    scenario.horizon = 10
    scenario.workload.noveltyRate = 1
    scenario.team = [
      AgentGroup(
        name: "experts", kind: .human, count: 4, skill: [0.55],
        expertise: Expertise(domains: [0, 1, 2, 3], skill: 0.9), roles: [.expert: .all]),
      AgentGroup(name: "designer", kind: .ai, count: 1, skill: [0.6], roles: [.catalyst: .all]),
    ]
    scenario.team[1].silentShare = 1
    var design = Design.unstructured
    design.catalyst = true
    design.review = .expert
    design.maxQueue = 10_000
    var simulator = Simulator(scenario: scenario)
    let m = simulator.run(design: design, seed: 5)
    #expect(simulator.lastCounters.pairExecutions > 0)
    #expect(simulator.lastCounters.reviews >= m.delivered, "every pair output is reviewed")
    scenario.team[1].kind = .human
    var humanCatalyst = Simulator(scenario: scenario)
    _ = humanCatalyst.run(design: design, seed: 5)
    #expect(humanCatalyst.lastCounters.pairExecutions > 0)
    #expect(humanCatalyst.lastCounters.reviews == 0, "a human catalyst's pair is not AI output")
  }

  @Test("the pair's synergy raises success on novel tasks")
  func catalystSynergy() {
    var scenario = Scenario.default
    scenario.workload.noveltyRate = 1
    scenario.workload.arrivalRate = 3
    var design = Design.unstructured
    design.catalyst = true
    design.duplicationRate = 0
    design.synergy = 0.3
    let strong = SampleStats(collect(scenario, design, replications: 100) { $0.correctRate })
    design.synergy = -0.3
    let weak = SampleStats(collect(scenario, design, replications: 100) { $0.correctRate })
    let se =
      (strong.standardError * strong.standardError
      + weak.standardError * weak.standardError).squareRoot()
    #expect(strong.mean - weak.mean > Self.z * se)
  }

  /// AI agents that drift strongly, reviewed in every domain, so verdicts keep coming.
  static var drifting: Scenario {
    var scenario = Scenario.default
    scenario.horizon = 80
    scenario.team[1].expertise = Expertise(domains: [0, 1, 2, 3], skill: 0.9)
    scenario.team[1].count = 4
    scenario.team[3].driftRate = 0.2
    scenario.team[3].driftSD = 0.2
    return scenario
  }

  @Test("the ledger tracks a drifted skill; the fixed estimate does not")
  func ledgerTracksDrift() {
    var design = Design.structured
    design.leaderFluency = 1  // no initial error: any gap comes from drift
    var withLedger: [Double] = []
    var without: [Double] = []
    for ledger in [true, false] {
      design.ledger = ledger
      var simulator = Simulator(scenario: Self.drifting)
      for seed in UInt64(0)..<20 {
        _ = simulator.run(design: design, seed: seed)
        let team = simulator.team
        var gap = 0.0
        var count = 0
        for a in team.ais {
          for d in 0..<team.domains {
            let i = a * team.domains + d
            gap += abs(simulator.lastEstimate[i] - simulator.lastSkill[i])
            count += 1
          }
          if !ledger {
            for d in 0..<team.domains {
              let i = a * team.domains + d
              #expect(simulator.lastEstimate[i] == team.skill[i], "estimate must stay fixed")
            }
          }
        }
        if ledger {
          withLedger.append(gap / Double(count))
        } else {
          without.append(gap / Double(count))
        }
      }
    }
    let on = SampleStats(withLedger)
    let off = SampleStats(without)
    let se = (on.standardError * on.standardError + off.standardError * off.standardError)
      .squareRoot()
    #expect(off.mean - on.mean > Self.z * se, "ledger gap \(on.mean) vs fixed \(off.mean)")
  }

  @Test("drift moves AI skills and never human skills, within [0, 1]")
  func drift() {
    var simulator = Simulator(scenario: Self.drifting)
    _ = simulator.run(design: .unstructured, seed: 6)
    let team = simulator.team
    #expect(simulator.lastCounters.driftUpdates > 0)
    var moved = false
    for a in 0..<team.count {
      for d in 0..<team.domains {
        let i = a * team.domains + d
        let now = simulator.lastSkill[i]
        #expect(now >= 0 && now <= 1)
        if team.isHuman[a] {
          #expect(now == team.skill[i])
        } else if now != team.skill[i] {
          moved = true
        }
      }
    }
    #expect(moved)
  }

  @Test("audit catches escaped errors at auditSkill, and audits about auditRate of deliveries")
  func audit() {
    var design = Design.structured
    design.auditRate = 0.5
    var simulator = Simulator(scenario: .default)
    var audits = 0
    var delivered = 0
    var caught = 0
    for seed in UInt64(0)..<20 {
      let m = simulator.run(design: design, seed: seed)
      audits += simulator.lastCounters.audits
      delivered += m.delivered
      caught += m.caughtLate
    }
    let share = Double(audits) / Double(delivered)
    let se = (0.25 / Double(delivered)).squareRoot()
    // Audits still waiting at the end give no verdict, so the share may fall a little short.
    #expect(share <= 0.5 + Self.z * se && share > 0.45)
    #expect(caught > 0)
    design.audit = false
    let m = simulator.run(design: design, seed: 1)
    #expect(m.caughtLate == 0)
  }

  @Test("communication overhead is commCost (n - 1) all-to-all and 2 commCost in a hierarchy")
  func communicationOverhead() {
    let scenario = identicalAgents(
      count: 5, skill: 1, silentShare: 0, arrivalRate: 2, horizon: 20, steepness: 100)
    var design = plainDesign
    design.commCost = 0.05
    var simulator = Simulator(scenario: scenario)
    let allToAll = simulator.run(design: design, seed: 1)
    let expectedAll = 0.05 * 4 / (1 + 0.05 * 4)
    #expect(abs(allToAll.overheadShare! - expectedAll) < 1e-9)
    design.communication = .hierarchy
    let hierarchy = simulator.run(design: design, seed: 1)
    #expect(abs(hierarchy.overheadShare! - 0.1 / 1.1) < 1e-9)
  }

  @Test("the conductor routes to agents with better estimated success: regret falls")
  func routingLowersRegret() {
    var design = Design.unstructured
    let selfSelect = SampleStats(collect(.default, design, replications: 40) { $0.routingRegret })
    design.routing = .conductor
    design.leaderFluency = 1
    let routed = SampleStats(collect(.default, design, replications: 40) { $0.routingRegret })
    let se =
      (selfSelect.standardError * selfSelect.standardError
      + routed.standardError * routed.standardError).squareRoot()
    #expect(selfSelect.mean - routed.mean > Self.z * se)
  }

  @Test("structured beats unstructured on the default scenario (paired replications)")
  func structureWins() {
    var simulator = Simulator(scenario: .default)
    var correctDiff: [Double] = []
    var escapeDiff: [Double] = []
    for r in 0..<300 {
      let seed = ReplicationSeed.derive(experimentSeed: 20_261_122, replication: r)
      let u = simulator.run(design: .unstructured, seed: seed)
      let s = simulator.run(design: .structured, seed: seed)
      correctDiff.append(s.correctRate! - u.correctRate!)
      escapeDiff.append(s.escapeRate! - u.escapeRate!)
    }
    let correct = SampleStats(correctDiff)
    let escape = SampleStats(escapeDiff)
    #expect(correct.mean > Self.z * correct.standardError, "correct_rate gain \(correct.mean)")
    #expect(-escape.mean > Self.z * escape.standardError, "escape_rate change \(escape.mean)")
  }
}
