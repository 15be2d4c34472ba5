import Testing

@testable import EnsembleModel

/// The rules of model version 2, one test each, in scenarios where outcomes are certain:
/// steepness 100 and difficulty 0.5 make an agent of skill 1 always right and one of skill 0
/// always wrong, so each test can count exactly what the rule implies.
@Suite("Version-2 rules")
struct StageRuleTests {
  /// A group with the given skill per domain and no penalties.
  static func group(
    _ name: String, _ kind: AgentKind, count: Int, skills: [Double], silentShare: Double = 1,
    roles: [Role: RoleMembers] = [:], expertise: Expertise? = nil
  ) -> AgentGroup {
    var g = AgentGroup(
      name: name, kind: kind, count: count, skill: skills, expertise: expertise, roles: roles)
    g.edgePenalty = 0
    g.ambiguityPenalty = 0
    g.noveltyPenalty = 0
    g.silentShare = silentShare
    g.driftRate = 0
    return g
  }

  /// Certain outcomes, light load, `stages` stages of `shape`.
  static func scenario(
    _ team: [AgentGroup], domains: Int, stages: Int, shape: WorkShape = .chain,
    arrivalRate: Double = 1, horizon: Double = 60
  ) -> Scenario {
    var s = Scenario(team: team)
    s.domains = domains
    s.horizon = horizon
    s.workload.arrivalRate = arrivalRate
    s.workload.difficulty = .fixed(0.5)
    s.workload.edgeCaseRate = 0
    s.workload.noveltyRate = 0
    s.workload.ambiguity = .fixed(0)
    s.workload.stages = stages
    s.workload.shape = shape
    s.model.steepness = 100
    return s
  }

  static var plain: Design {
    var d = Design.unstructured
    d.commCost = 0
    d.duplicationRate = 0
    d.handoffLoss = 0
    d.handoffTime = 0
    return d
  }

  static let seeds = (0..<4).map { ReplicationSeed.derive(experimentSeed: 31, replication: $0) }

  /// Each task's stage domains, `domains[t]`.
  static func stageDomains(_ scenario: Scenario, _ seed: UInt64) -> [[Int]] {
    let s = scenario.workload.stages
    let flat = scenario.stageDomains(replicationSeed: seed)
    return stride(from: 0, to: flat.count, by: s).map { Array(flat[$0..<($0 + s)]) }
  }

  @Test("a silent error in stage 0 makes the delivered chain wrong")
  func propagation() {
    // Domain 0: always wrong (silently); domain 1: always right.
    let scenario = Self.scenario(
      [Self.group("ai", .ai, count: 3, skills: [0, 1])], domains: 2, stages: 2)
    var simulator = Simulator(scenario: scenario)
    for seed in Self.seeds {
      let m = simulator.run(design: Self.plain, seed: seed)
      let domains = Self.stageDomains(scenario, seed)
      #expect(m.delivered == m.arrived)
      // Only tasks whose both stages are in domain 1 are right: a wrong stage 0 makes the
      // result wrong even when stage 1's own work is right.
      #expect(m.correct == domains.filter { $0 == [1, 1] }.count)
      #expect(domains.contains([0, 1]), "the seed has a task that tests the rule")
      // Stage 0 wrong, stage 1 right: two wrong stages for one at fault.
      let atFault = domains.reduce(0) { $0 + $1.filter { $0 == 0 }.count }
      let wrong = domains.reduce(0) { $0 + ($1[0] == 0 ? 2 : ($1[1] == 0 ? 1 : 0)) }
      #expect(m.errorAmplification == Double(wrong) / Double(atFault))
    }
  }

  /// A conductor who reviews domain-2 work, AI agents always wrong in domain 0 and right in
  /// domains 1 and 2.
  static func reviewScenario(stages: Int, senior: Bool = false) -> Scenario {
    var team = [
      group(
        "lead", .human, count: 1, skills: [0, 0, 1], roles: [.conductor: .all, .expert: .all],
        expertise: Expertise(domains: [2], skill: 1)),
      group("ai", .ai, count: 4, skills: [0, 1, 1]),
    ]
    // A human who is always wrong: the only one escalation can reach (the conductor is
    // excluded), never chosen by routing (ties go to the lower-index AI agents).
    if senior { team.append(group("senior", .human, count: 1, skills: [0, 0, 0])) }
    return scenario(team, domains: 3, stages: stages, arrivalRate: 0.5, horizon: 80)
  }

  static var reviewDesign: Design {
    var d = plain
    d.routing = .conductor
    d.routeTime = 0.01
    d.maxQueue = 100
    d.review = .expert
    d.detectSkill = 1
    d.falseAlarmRate = 0
    return d
  }

  @Test("a review at stage 2 that finds an inherited error rewinds to stage 0 and blames it")
  func blameUpstream() {
    let scenario = Self.reviewScenario(stages: 3)
    var simulator = Simulator(scenario: scenario)
    var tested = 0
    for seed in Self.seeds {
      let m = simulator.run(design: Self.reviewDesign, seed: seed)
      #expect(m.backlog == 0)
      let domains = Self.stageDomains(scenario, seed)
      for (t, d) in domains.enumerated() where d == [0, 1, 2] || d == [1, 1, 2] {
        var f: [Int] = []
        for j in 0..<3 { f.append(Int(simulator.staged.work.stages[t * 3 + j].failures)) }
        if d == [0, 1, 2] {
          // Stage 0 is wrong and unreviewed; stage 1 inherits it unreviewed; stage 2's
          // review finds it: stage 0 is blamed every time, until its sixth failure.
          tested += 1
          #expect(f == [6, 0, 0], "task \(t): failures \(f)")
          #expect(!simulator.staged.work.state[t].open)
        } else {
          #expect(f == [0, 0, 0], "task \(t): failures \(f)")
        }
      }
      #expect(m.abandoned >= domains.filter { $0 == [0, 1, 2] }.count)
      #expect(simulator.lastCounters.rewinds > 0)
    }
    #expect(tested > 0, "the seeds have tasks that test the rule")
  }

  @Test("escalation reads the stage's failures, not its attempts")
  func escalationReadsFailures() {
    // Two stages: a task whose stage 0 is in domain 0 and stage 1 in domain 2 goes back to
    // stage 0 after every review of stage 1. Stage 1 is rerun again and again without
    // failing, so only stage 0 may be escalated: at its failures 3, 4 and 5.
    let scenario = Self.reviewScenario(stages: 2, senior: true)
    var design = Self.reviewDesign
    design.escalation = true
    design.maxAttempts = 3
    var simulator = Simulator(scenario: scenario)
    for seed in Self.seeds {
      let m = simulator.run(design: design, seed: seed)
      let domains = Self.stageDomains(scenario, seed)
      let looping = domains.filter { $0 == [0, 2] }.count
      #expect(looping > 0)
      #expect(simulator.lastCounters.escalatedExecutions == 3 * looping)
      #expect(m.abandoned == looping)
      for (t, d) in domains.enumerated() where d == [0, 2] {
        #expect(Int(simulator.staged.work.stages[t * 2].failures) == 6)
        #expect(Int(simulator.staged.work.stages[t * 2 + 1].failures) == 0)
        #expect(simulator.staged.work.stages[t * 2 + 1].attempt.number == 6, "stage 1 ran 6 times")
      }
    }
  }

  /// AI agents always right, unless the execution is a hand-off and the loss of context
  /// (ambiguity 10 at ambiguity penalty 1) makes them always wrong.
  static func handoffScenario(stages: Int, agents: Int = 3) -> Scenario {
    var ai = group("ai", .ai, count: agents, skills: [1])
    ai.ambiguityPenalty = 1
    return scenario([ai], domains: 1, stages: stages, arrivalRate: 0.5)
  }

  @Test("hand-off loss and read-in time apply only when the agents differ")
  func handoffOnlyBetweenAgents() {
    let scenario = Self.handoffScenario(stages: 2)
    var design = Self.plain
    design.handoffLoss = 10
    design.handoffTime = 0.25
    var simulator = Simulator(scenario: scenario)
    for seed in Self.seeds {
      let m = simulator.run(design: design, seed: seed)
      let handoffStages = Int((m.handoffs! * Double(m.delivered)).rounded())
      #expect(m.delivered == m.arrived)
      // Under self-select the agent who finished stage 0 is not yet idle when stage 1 is
      // placed, so another idle agent takes it: a hand-off.
      #expect(handoffStages > 0)
      // Exactly the tasks whose stage 1 was a hand-off are wrong.
      #expect(m.correct == m.delivered - handoffStages)
      // Read-in time is the only communication: 0.25 h per hand-off execution.
      let busy = m.cost / 8
      let comm = m.overheadShare! * busy
      let expected = 0.25 * Double(simulator.lastCounters.handoffExecutions)
      #expect(abs(comm - expected) <= 1e-9 * max(1, expected), "\(comm) vs \(expected)")
    }
    // One agent does every stage: no hand-off, no loss, no read-in time.
    var alone = Simulator(scenario: Self.handoffScenario(stages: 2, agents: 1))
    let m = alone.run(design: design, seed: Self.seeds[0])
    #expect(m.handoffs == 0 && m.correct == m.delivered && m.overheadShare == 0)
  }

  @Test("continuity sends every later stage to the owner: no hand-off, one route per task")
  func continuity() {
    var team = [Self.group("lead", .human, count: 1, skills: [1], roles: [.conductor: .all])]
    team.append(Self.group("ai", .ai, count: 4, skills: [1]))
    team[1].ambiguityPenalty = 1
    let scenario = Self.scenario(team, domains: 1, stages: 4, arrivalRate: 1)
    var design = Self.plain
    design.routing = .conductor
    design.handoffLoss = 10
    var simulator = Simulator(scenario: scenario)
    for seed in Self.seeds {
      design.continuity = false
      let routed = simulator.run(design: design, seed: seed)
      let routes = simulator.lastCounters.routes
      design.continuity = true
      let owned = simulator.run(design: design, seed: seed)
      #expect(owned.handoffs == 0)
      #expect(owned.correct == owned.arrived, "no hand-off, so no loss of context")
      #expect(simulator.lastCounters.routes == owned.arrived, "only stage 0 is routed")
      #expect(routes == 4 * routed.arrived, "without continuity every stage is routed")
      // The conductor weighs the hand-off loss: it keeps a task with the agent who did its
      // previous stage, unless that agent's queue is full (of three later stages per task,
      // under 10% are handed off here).
      #expect(routed.handoffs! < 0.3)
    }
  }

  @Test("an abandoned fan-out drops its waiting parts")
  func abandonedFanout() {
    // One AI agent, visibly wrong in domain 0: a part in domain 0 fails six times while the
    // other parts wait in the pool; they are dropped when the task is abandoned.
    let scenario = Self.scenario(
      [Self.group("ai", .ai, count: 1, skills: [0, 1], silentShare: 0)], domains: 2,
      stages: 6, shape: .fanout, arrivalRate: 0.2, horizon: 100)
    var simulator = Simulator(scenario: scenario)
    var dropped = 0
    for seed in Self.seeds {
      let m = simulator.run(design: Self.plain, seed: seed)
      #expect(m.abandoned > 0)
      #expect(m.arrived == m.delivered + m.abandoned + m.backlog)
      dropped += simulator.lastCounters.droppedJobs
      #expect(simulator.lastCounters.executionsOfClosedTasks == 0)
    }
    #expect(dropped > 0)
  }

  /// A human lead who conducts (or not), AI agents always right, sign-off of every task.
  static func signoffScenario(leadKind: AgentKind) -> Scenario {
    let team = [
      group("lead", leadKind, count: 1, skills: [1], roles: [.conductor: .all]),
      group("ai", .ai, count: 4, skills: [1]),
    ]
    return scenario(team, domains: 1, stages: 2, arrivalRate: 1)
  }

  @Test("sign-off goes to the human conductor, whatever the routing, and is inert without one")
  func signoff() {
    var design = Self.plain
    design.routing = .conductor
    design.routeTime = 0
    design.signoff = .all
    design.falseAlarmRate = 0
    for seed in Self.seeds {
      let scenario = Self.signoffScenario(leadKind: .human)
      var simulator = Simulator(scenario: scenario)
      let m = simulator.run(design: design, seed: seed)
      #expect(m.delivered == m.arrived)
      #expect(simulator.lastCounters.signoffs == m.delivered)
      #expect(m.accountabilityCoverage == 1)
      // The lead only routes (in no time) and signs off: its busy hours are the sign-offs',
      // 0.1 hours per hour of each task's whole work.
      let work = scenario.tasks(replicationSeed: seed).reduce(0) { $0 + $1.work }
      let leadHours = m.humanUtilization! * m.length
      #expect(abs(leadHours - 0.1 * work) <= 1e-9 * work, "\(leadHours) vs \(0.1 * work)")

      design.routing = .selfSelect
      _ = simulator.run(design: design, seed: seed)
      #expect(
        simulator.lastCounters.signoffs == m.delivered, "the lead signs off under self-select")
      design.routing = .conductor

      var inert = Simulator(scenario: Self.signoffScenario(leadKind: .ai))
      let n = inert.run(design: design, seed: seed)
      #expect(inert.lastCounters.signoffsStarted == 0)
      #expect(n.delivered == n.arrived)
      #expect(n.accountabilityCoverage == 0, "no sign-off and no human review")
    }
  }

  @Test("coverage counts AI stages passed by a human reviewer")
  func coverage() {
    let team = [
      Self.group(
        "expert", .human, count: 1, skills: [1], roles: [.expert: .all],
        expertise: Expertise(domains: [0], skill: 1)),
      Self.group("ai", .ai, count: 4, skills: [1]),
    ]
    let scenario = Self.scenario(team, domains: 1, stages: 2, arrivalRate: 1)
    var design = Self.plain
    design.review = .expert
    design.falseAlarmRate = 0
    var simulator = Simulator(scenario: scenario)
    for seed in Self.seeds {
      design.reviewRate = 1
      let reviewed = simulator.run(design: design, seed: seed)
      #expect(reviewed.accountabilityCoverage == 1, "every AI stage passed a human review")
      design.reviewRate = 0
      let unreviewed = simulator.run(design: design, seed: seed)
      // Only tasks whose every stage the human executed are answered for.
      #expect(unreviewed.accountabilityCoverage! < 0.5)
    }
    // Peer review by AI agents answers for nothing.
    var aiOnly = Simulator(
      scenario: Self.scenario([Self.group("ai", .ai, count: 4, skills: [1])], domains: 1, stages: 2)
    )
    design.review = .peer
    design.reviewRate = 1
    let peer = aiOnly.run(design: design, seed: Self.seeds[0])
    #expect(peer.accountabilityCoverage == 0)
  }

  @Test("a sign-off rejection is handled as a rejection of the last stage")
  func signoffRejects() {
    // AI agents silently wrong in domain 0: without sign-off those tasks escape; a lead who
    // always finds wrong results (skill 1, detectSkill 1) sends them back until abandoned,
    // so nothing wrong reaches high-stakes delivery.
    var scenario = Self.scenario(
      [
        Self.group("lead", .human, count: 1, skills: [1, 1], roles: [.conductor: .all]),
        Self.group("ai", .ai, count: 4, skills: [0, 1]),
      ], domains: 2, stages: 2, arrivalRate: 0.5, horizon: 80)
    scenario.workload.stakesRate = 1
    var design = Self.plain
    design.routing = .conductor
    design.routeTime = 0.01
    design.detectSkill = 1
    design.falseAlarmRate = 0
    var simulator = Simulator(scenario: scenario)
    for seed in Self.seeds {
      design.signoff = .none
      let open = simulator.run(design: design, seed: seed)
      design.signoff = .highStakes
      let signed = simulator.run(design: design, seed: seed)
      #expect(open.stakesEscapeRate! > 0.3)
      #expect(signed.stakesEscapeRate == 0)
      #expect(signed.accountabilityCoverage == 1)
      #expect(signed.abandoned == open.arrived - open.correct, "every wrong task is sent back")
      #expect(simulator.lastCounters.signoffRejections == 6 * signed.abandoned)
      #expect(signed.reworkHours > 0)
    }
  }
}
