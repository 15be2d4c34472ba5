import EnsembleModel
import Testing

/// Invariants that must hold in every run, checked over many seeds and designs.
@Suite("Invariants and determinism")
struct InvariantTests {
  /// Designs that exercise every switch: both presets, peer review with voting, and the
  /// structured design without its conductor.
  static var designs: [(String, Design)] {
    var peer = Design.unstructured
    peer.review = .peer
    peer.redundancy = 3
    peer.reviewRate = 0.5
    var noConductor = Design.structured
    noConductor.routing = .selfSelect
    noConductor.duplicationRate = 0.3
    var votingConductor = Design.structured
    votingConductor.redundancy = 2
    return [
      ("unstructured", .unstructured), ("structured", .structured), ("peer", peer),
      ("noConductor", noConductor), ("votingConductor", votingConductor),
    ]
  }

  @Test("conservation, bounds and monotone time over many seeds")
  func invariants() {
    var scenario = Scenario.default
    scenario.horizon = 10
    for (name, design) in Self.designs {
      var simulator = Simulator(scenario: scenario)
      for seed in UInt64(0)..<40 {
        let (m, times) = simulator.runTracingEventTimes(design: design, seed: seed)
        let context = "design \(name), seed \(seed)"
        #expect(m.arrived == m.delivered + m.abandoned + m.backlog, "\(context)")
        #expect(times.count == m.events, "\(context)")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "\(context)")
        #expect(m.length >= scenario.horizon && m.length <= 2 * scenario.horizon)
        for (metric, value) in zip(Metrics.table, m.values) {
          guard let value else { continue }
          #expect(
            metric.bounds.contains(value),
            "\(metric.name) = \(value) outside its bounds (\(metric.bounds)) in \(context)")
        }
        #expect(m.caughtLate <= m.delivered - m.correct, "\(context)")
      }
    }
  }

  @Test("same scenario, design and seed give identical metrics")
  func determinism() {
    for (_, design) in Self.designs {
      var first = Simulator(scenario: .default)
      var second = Simulator(scenario: .default)
      // The second simulator first runs another seed, so reused storage is exercised too.
      _ = second.run(design: design, seed: 99)
      for seed in UInt64(1)...5 {
        #expect(first.run(design: design, seed: seed) == second.run(design: design, seed: seed))
      }
    }
  }

  @Test("different seeds give different runs")
  func seedsMatter() {
    var simulator = Simulator(scenario: .default)
    let a = simulator.run(design: .structured, seed: 1)
    let b = simulator.run(design: .structured, seed: 2)
    #expect(a != b)
  }

  @Test("every design of a replication faces the same task list")
  func commonRandomNumbers() {
    let scenario = Scenario.default
    for r in 0..<5 {
      let seed = ReplicationSeed.derive(experimentSeed: 20_261_122, replication: r)
      let tasks = scenario.tasks(replicationSeed: seed)
      var simulator = Simulator(scenario: scenario)
      let unstructured = simulator.run(design: .unstructured, seed: seed)
      let structured = simulator.run(design: .structured, seed: seed)
      #expect(unstructured.arrived == tasks.count)
      #expect(structured.arrived == tasks.count)
      #expect(scenario.tasks(replicationSeed: seed) == tasks)
      #expect(!tasks.isEmpty && tasks.allSatisfy { $0.arrival < scenario.horizon })
    }
  }

  @Test("undefined metrics stay empty, not zero, when nothing is delivered")
  func undefinedMetrics() {
    // Skill far below difficulty and only visible errors: every task is abandoned.
    let scenario = identicalAgents(
      count: 3, skill: 0, silentShare: 0, arrivalRate: 1, horizon: 20, difficulty: 1)
    var simulator = Simulator(scenario: scenario)
    let m = simulator.run(design: plainDesign, seed: 4)
    #expect(m.arrived > 0)
    #expect(m.delivered == 0)
    #expect(m.abandoned + m.backlog == m.arrived)
    #expect(m.correctRate == 0)
    #expect(m.escapeRate == nil)
    #expect(m.meanCycle == nil && m.p90Cycle == nil)
    #expect(m.costPerCorrect == nil && m.humanShare == nil)
    #expect(m.aiUtilization == nil, "a team without AI has no AI utilization")
    #expect(m.meanWait != nil)
  }

  /// Multi-stage work under designs that exercise every version-2 rule.
  static var stageDesigns: [(String, Design)] {
    var owner = Design.structured
    owner.continuity = true
    owner.signoff = .all
    var peer = Design.unstructured
    peer.review = .peer
    peer.redundancy = 3
    peer.signoff = .highStakes
    var escalating = Design.structured
    escalating.routing = .selfSelect
    escalating.duplicationRate = 0.3
    escalating.handoffLoss = 0.6
    return [
      ("unstructured", .unstructured), ("structured", .structured), ("owner", owner),
      ("peer-votes", peer), ("self-select", escalating),
    ]
  }

  @Test(
    "version 2: conservation, amplification, hand-offs and bounds over many seeds",
    arguments: [(WorkShape.chain, 2), (.chain, 4), (.fanout, 3), (.fanout, 6)])
  func stageInvariants(shape: WorkShape, stages: Int) {
    var scenario = Scenario.default
    scenario.horizon = 8
    scenario.workload.stages = stages
    scenario.workload.shape = shape
    scenario.workload.stakesRate = 0.3
    for (name, design) in Self.stageDesigns {
      var simulator = Simulator(scenario: scenario)
      for seed in UInt64(0)..<12 {
        let (m, times) = simulator.runTracingEventTimes(design: design, seed: seed)
        let context = "\(shape) of \(stages), design \(name), seed \(seed)"
        #expect(m.arrived == m.delivered + m.abandoned + m.backlog, "\(context)")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "\(context)")
        if let amplification = m.errorAmplification {
          #expect(amplification >= 1, "\(context)")
        }
        if let handoffs = m.handoffs {
          #expect(handoffs <= (shape == .chain ? Double(stages - 1) : 1), "\(context)")
        }
        for (metric, value) in zip(Metrics.table, m.values) {
          guard let value else { continue }
          #expect(metric.bounds.contains(value), "\(metric.name) = \(value) in \(context)")
        }
        #expect(simulator.lastCounters.executionsOfClosedTasks == 0, "\(context)")
      }
    }
  }

  @Test("stages and stakes draw from their own streams: the task list is unchanged")
  func stageStreams() {
    let seed = ReplicationSeed.derive(experimentSeed: 5, replication: 2)
    var base = Scenario.default
    let tasks = base.tasks(replicationSeed: seed)
    base.workload.stages = 5
    base.workload.stakesRate = 0.5
    let staged = base.tasks(replicationSeed: seed)
    #expect(staged.count == tasks.count)
    for (a, b) in zip(tasks, staged) {
      var c = b
      c.highStakes = false
      #expect(a == c, "stages and stakes change no attribute of streams 1 to 4")
    }
    let stakes = staged.filter(\.highStakes).count
    #expect(abs(Double(stakes) / Double(staged.count) - 0.5) < 0.1)
    // Stage 0 has the task's domain; later stages are drawn and cover every domain.
    let domains = base.stageDomains(replicationSeed: seed)
    #expect(domains.count == 5 * tasks.count)
    for (t, task) in tasks.enumerated() { #expect(domains[5 * t] == task.domain) }
    #expect(Set(domains).count == base.domains)
  }
}
