import EnsembleModel
import Testing

/// `CustomSimulator` runs each policy of one's own behind a box: the boxes must ask exactly
/// the policies, keep their state from run to run, and leave the results of the built-ins
/// unchanged.
@Suite("Custom simulator")
struct CustomSimulatorTests {
  /// The built-in routing rule, counting its decisions.
  struct CountingRouting: RoutingPolicy {
    var calls = 0
    mutating func choose<Run: RunState & ~Copyable>(
      for task: TaskID, stage: Int, vote: Int, in run: inout Run
    ) -> AgentID? {
      calls += 1
      var rule = EstimateRouting()
      return rule.choose(for: task, stage: stage, vote: vote, in: &run)
    }
  }

  /// The built-in verdicts, counting them.
  struct CountingVerdicts: VerdictPolicy {
    var calls = 0
    var rule = StandardVerdicts()
    mutating func verdict<Run: RunState & ~Copyable>(
      on request: VerdictRequest, in run: inout Run
    ) -> Verdict {
      calls += 1
      return rule.verdict(on: request, in: &run)
    }
  }

  /// A mechanism that only counts the runs it was started in; `Acting` says whether the
  /// engine should call it at all.
  struct CountingStarts<Acting: Flag>: Mechanism {
    var starts = 0
    static var acts: Bool { Acting.value }
    mutating func start<Run: RunState & ~Copyable>(_ run: inout Run) { starts += 1 }
    mutating func timer<Run: RunState & ~Copyable>(_ tag: Int32, _ run: inout Run) {}
    mutating func dutyEnded<Run: RunState & ~Copyable>(
      _ tag: Int32, by agent: AgentID, _ run: inout Run
    ) {}
  }

  /// An observer that counts what it hears; `Listening` says whether the engine should
  /// report to it at all.
  struct CountingEvents<Listening: Flag>: RunObserver {
    var events = 0
    var outcomes = 0
    static var observes: Bool { Listening.value }
    mutating func record(_ event: TraceEvent) { events += 1 }
    mutating func outcome(_ outcome: TraceEvent.Outcome) { outcomes += 1 }
  }

  protocol Flag { static var value: Bool { get } }
  enum Yes: Flag { static var value: Bool { true } }
  enum No: Flag { static var value: Bool { false } }

  /// Designs that ask every kind of policy: routing, reviews, sign-offs, audits and the
  /// judgment of model version 3.
  static var designs: [Design] {
    var audited = Design.structured
    audited.audit = true
    audited.signoff = .all
    var judged = Design.structured
    judged.judgment = .judge
    judged.signoff = .highStakes
    return [.structured, .unstructured, audited, judged]
  }

  static var scenarios: [Scenario] {
    var staged = Scenario.default
    staged.workload.stages = 3
    return [.default, staged]
  }

  @Test("with the built-ins it gives Simulator's results, single-stage and staged, every design")
  func builtInsAgree() {
    for scenario in Self.scenarios {
      var plain = Simulator(scenario: scenario)
      var custom = CustomSimulator(
        scenario: scenario, routing: EstimateRouting(), verdicts: StandardVerdicts(),
        mechanism: NoMechanism(), observer: NoObserver())
      for design in Self.designs {
        for seed in [UInt64(1), 2] {
          #expect(
            plain.run(design: design, seed: seed) == custom.run(design: design, seed: seed),
            "stages \(scenario.workload.stages), seed \(seed)")
        }
      }
    }
  }

  @Test("policies of one's own are asked at every decision, and keep their state between runs")
  func policiesAskedAndKept() {
    let scenario = Scenario.default
    let design = Self.designs[2]
    let seeds: [UInt64] = [7, 8, 9]
    var plain = Simulator(scenario: scenario)
    var custom = CustomSimulator(
      scenario: scenario, routing: CountingRouting(), verdicts: CountingVerdicts(),
      mechanism: CountingStarts<Yes>(), observer: NoObserver())
    var routedAlone = 0
    var judged = 0
    for seed in seeds {
      // Delegating to the built-ins, the counting policies change nothing.
      #expect(plain.run(design: design, seed: seed) == custom.run(design: design, seed: seed))
      var alone = CustomSimulator(
        scenario: scenario, routing: CountingRouting(), mechanism: NoMechanism())
      _ = alone.run(design: design, seed: seed)
      routedAlone += alone.routing.calls
      // A verdict per review, sign-off or audit that ended on an open task (the trace marks
      // the others void).
      let (_, events) = plain.trace(design: design, seed: seed)
      judged +=
        events.filter {
          $0.kind == .finish && [.review, .signoff, .audit].contains($0.job)
            && $0.outcome != .void
        }.count
    }
    #expect(routedAlone > 0 && judged > 0)
    #expect(custom.routing.calls == routedAlone, "one policy, asked in all three runs")
    #expect(custom.verdicts.calls == judged)
    #expect(custom.mechanism.starts == seeds.count, "started once per run, its count kept")
  }

  @Test(
    "a mechanism that does not act is never called, an observer that does not listen never hears")
  func quietPartsAreLeftAlone() {
    var silent = CustomSimulator(
      scenario: .default, routing: EstimateRouting(), verdicts: StandardVerdicts(),
      mechanism: CountingStarts<No>(), observer: CountingEvents<No>())
    var listening = CustomSimulator(
      scenario: .default, routing: EstimateRouting(), verdicts: StandardVerdicts(),
      mechanism: CountingStarts<Yes>(), observer: CountingEvents<Yes>())
    let plain = Simulator(scenario: .default)
    let silentRun = silent.run(design: .structured, seed: 3)
    let heard = listening.run(design: .structured, seed: 3)
    #expect(silentRun == heard)
    #expect(silent.mechanism.starts == 0)
    #expect(silent.observer.events == 0 && silent.observer.outcomes == 0)
    // The listening observer hears every event the trace holds.
    let (_, events) = plain.trace(design: .structured, seed: 3)
    #expect(listening.observer.events == events.count)
    #expect(listening.observer.outcomes > 0)
    #expect(listening.mechanism.starts == 1)
  }
}
