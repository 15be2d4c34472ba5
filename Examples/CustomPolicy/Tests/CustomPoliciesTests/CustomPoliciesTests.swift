import CustomPolicies
import EnsembleModel
import Testing

/// Counts job starts by agent and kind: an observer of one's own.
struct StartCounter: RunObserver {
  var executions: [AgentID: Int] = [:]
  var customDuties = 0
  var customHours = 0.0
  static var observes: Bool { true }
  mutating func record(_ event: TraceEvent) {
    guard event.kind == .start, let agent = event.agent else { return }
    if event.job == .execute { executions[agent, default: 0] += 1 }
    if event.job == .custom {
      customDuties += 1
      customHours += event.hours
    }
  }
  mutating func outcome(_ outcome: TraceEvent.Outcome) {}
}

@Suite("Policies from outside the package")
struct CustomPoliciesTests {
  /// With the built-in parts, a custom simulator gives the built-in simulator's results.
  @Test("the built-in parts through CustomSimulator reproduce Simulator exactly")
  func builtInsAgree() {
    var plain = Simulator(scenario: .default)
    var custom = CustomSimulator(
      scenario: .default, routing: EstimateRouting(), mechanism: NoMechanism())
    for seed in [UInt64(1), 2, 3] {
      for design in [Design.structured, .unstructured] {
        #expect(plain.run(design: design, seed: seed) == custom.run(design: design, seed: seed))
      }
    }
  }

  /// Round-robin spreads executions over every agent but the conductor: under a light load,
  /// where queues never fill, each non-conductor agent executes within one of the others.
  @Test("round-robin routing hands executions out in turn")
  func roundRobinTurns() {
    var scenario = Scenario.default
    scenario.workload.arrivalRate = 1
    var design = Design.structured
    // Only routing decides who executes: no catalyst pair, no escalation, no review rework.
    design.catalyst = false
    design.escalation = false
    design.review = .none
    design.signoff = .none
    var simulator = CustomSimulator(
      scenario: scenario, routing: RoundRobin(), verdicts: StandardVerdicts(),
      mechanism: NoMechanism(), observer: StartCounter())
    _ = simulator.run(design: design, seed: 7)
    let counts = simulator.observer.executions
    let conductor = AgentID(index: 0)
    #expect(counts[conductor] == nil, "the conductor executes nothing")
    let others = (1..<scenario.teamSize).map { counts[AgentID(index: $0), default: 0] }
    #expect(others.max()! - others.min()! <= 1, "\(others)")
    #expect(others.reduce(0, +) > 10)
  }

  /// Every agent attends every stand-up: the meetings held before the end of the run, times
  /// the team, each of the meeting's length.
  @Test("a stand-up every 8 hours takes every agent's time")
  func standUpAttendance() {
    var simulator = CustomSimulator(
      scenario: .default, routing: EstimateRouting(), verdicts: StandardVerdicts(),
      mechanism: StandUp(interval: 8, hours: 0.25), observer: StartCounter())
    let metrics = simulator.run(design: .structured, seed: 11)
    let meetings = simulator.mechanism.meetings
    // Timers fire at 8, 16, ... before the run ends.
    #expect(meetings == Int((metrics.length - 1e-9) / 8))
    #expect(simulator.observer.customDuties >= (meetings - 1) * 9)
    #expect(simulator.observer.customDuties <= meetings * 9)
    #expect(
      abs(simulator.observer.customHours - 0.25 * Double(simulator.observer.customDuties)) < 1e-9)
  }

  /// With learning rate 1 a stand-up sets the team's estimate of every attendee to its true
  /// skill; with the ledger off nothing else moves it, so at the end of a run without drift
  /// the estimate equals the skill for everyone who attended.
  @Test("a stand-up with learning rate 1 makes the estimate exact")
  func standUpLearning() {
    var scenario = Scenario.default
    for g in scenario.team.indices { scenario.team[g].driftRate = 0 }
    var design = Design.structured
    design.ledger = false
    design.leaderFluency = 0
    var simulator = CustomSimulator(
      scenario: scenario, routing: EstimateRouting(),
      mechanism: StandUp(interval: 8, hours: 0.25, learningRate: 1))
    _ = simulator.run(design: design, seed: 3)
    let team = Team(scenario)
    for (i, estimate) in simulator.lastEstimate.enumerated() {
      #expect(abs(estimate - team.skill[i]) < 1e-12, "cell \(i)")
    }
  }
}
