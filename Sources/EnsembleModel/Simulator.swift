/// The ensemble model as a discrete-event simulation: `(scenario, design, seed) -> Metrics`.
///
/// A `Simulator` holds one scenario and the working storage of a run. Calling
/// ``run(design:seed:)`` again reuses that storage, so after the first replications the
/// event loop allocates nothing. A simulator is non-copyable: it owns its storage, so
/// each thread makes its own. It runs the built-in policies; ``CustomSimulator`` runs your
/// own.
///
/// `docs/MODEL.md` describes the process and every reading taken where the specification
/// leaves a choice.
public struct Simulator: ~Copyable, @unchecked Sendable {
  public let scenario: Scenario
  public let team: Team
  /// The engine that runs this scenario's work: `single` when every task is one stage
  /// (compiled with the stage count a constant), `staged` otherwise. The other stays
  /// empty (its storage grows only in a run).
  let oneStage: Bool
  var single: Engine<OneStageRun>
  var staged: Engine<StagedRun>

  /// A simulator of `scenario`, whose limits it checks: `workload.stages` in 1...16 (1 for
  /// decisions), at least one domain, non-negative penalties, own domains among the domains.
  public init(scenario: Scenario) {
    Self.checkLimits(scenario)
    self.scenario = scenario
    team = Team(scenario)
    oneStage = scenario.workload.stages == 1
    single = Engine(
      scenario: scenario, team: team, routing: EstimateRouting(), verdicts: StandardVerdicts(),
      mechanism: NoMechanism(), observer: NoObserver())
    staged = Engine(
      scenario: scenario, team: team, routing: EstimateRouting(), verdicts: StandardVerdicts(),
      mechanism: NoMechanism(), observer: NoObserver())
  }

  /// Stops with a message naming the parameter when `scenario` is outside what the engine
  /// can run (the parameter registry refuses the same values with exit code 2).
  static func checkLimits(_ scenario: Scenario) {
    precondition(
      Limits.stages.contains(scenario.workload.stages),
      "workload.stages must be in \(Limits.stages), got \(scenario.workload.stages)")
    precondition(scenario.domains >= 1, "domains must be 1 or more, got \(scenario.domains)")
    precondition(
      scenario.workload.kind == .create || scenario.workload.stages == 1,
      "workload.kind = decide needs workload.stages = 1, got \(scenario.workload.stages)")
    precondition(
      scenario.horizon > 0 && scenario.horizon.isFinite,
      "horizon must be a positive number of hours, got \(scenario.horizon)")
  }

  /// Runs one replication of `design` with the replication seed `seed`. The design's
  /// `redundancy` must be in 1...64 and its `maxQueue` 1 or more.
  public mutating func run(design: Design, seed: UInt64) -> Metrics {
    oneStage ? single.run(design: design, seed: seed) : staged.run(design: design, seed: seed)
  }

  /// Runs one replication and also returns the time of every event taken off the queue,
  /// in the order taken (for tests of the event loop; allocates).
  public mutating func runTracingEventTimes(design: Design, seed: UInt64) -> (Metrics, [Double]) {
    if oneStage {
      single.keepsEventTimes = true
      single.eventTimes.removeAll()
      let metrics = single.run(design: design, seed: seed)
      single.keepsEventTimes = false
      return (metrics, single.eventTimes)
    }
    staged.keepsEventTimes = true
    staged.eventTimes.removeAll()
    let metrics = staged.run(design: design, seed: seed)
    staged.keepsEventTimes = false
    return (metrics, staged.eventTimes)
  }

  /// Runs one replication as ``run(design:seed:)`` does, and also returns its trace: every
  /// arrival, job start and end, drift update, rework, delivery and abandonment, in the
  /// order they happened (allocates; the metrics are the same as an untraced run's).
  public func trace(design: Design, seed: UInt64) -> (Metrics, [TraceEvent]) {
    var tracer = CustomSimulator(
      scenario: scenario, routing: EstimateRouting(), verdicts: StandardVerdicts(),
      mechanism: NoMechanism(), observer: TraceRecorder())
    tracer.checksInvariants = checksInvariants
    let metrics = tracer.run(design: design, seed: seed)
    return (metrics, tracer.observer.events)
  }

  /// Whether the engines check their invariants after each event: on in debug builds, off
  /// in release builds unless switched on (tests do). While on, each agent's busy hours must
  /// add up to its productive, communication, structure, rework and duplicate hours.
  public var checksInvariants: Bool {
    get { single.checksInvariants }
    set {
      single.checksInvariants = newValue
      staged.checksInvariants = newValue
    }
  }

  /// The team's estimate of skill at the end of the last run, `[agent * domains + domain]`.
  public var lastEstimate: [Double] {
    (0..<team.count * team.domains).map {
      oneStage ? single.estimates.values[$0] : staged.estimates.values[$0]
    }
  }
  /// The true skill at the end of the last run, `[agent * domains + domain]`.
  public var lastSkill: [Double] {
    (0..<team.count * team.domains).map {
      oneStage ? single.agents.skill[$0] : staged.agents.skill[$0]
    }
  }
  /// Per-run counters of the last run that are not metrics (for tests).
  public var lastCounters: RunCounters {
    oneStage ? single.totals.counters : staged.totals.counters
  }
}

/// A simulator with policies, a mechanism or an observer of your own: a routing policy
/// (who gets a stage under conductor routing), a verdict policy (what a reviewer, signer or
/// auditor decides), a mechanism (timers and duties of its own) and an observer (what the
/// run reports as it goes). Pass the built-ins ``EstimateRouting``, ``StandardVerdicts``,
/// ``NoMechanism`` and ``NoObserver`` for the parts you keep.
///
/// With the built-ins it gives exactly the results of ``Simulator``. Your types need not be
/// known to this module: the engine, compiled here, calls each of them through a box, one
/// dynamic call per routing decision, verdict, mechanism call and observed event; every other
/// step runs as fast as in ``Simulator``.
public struct CustomSimulator<
  Routing: RoutingPolicy, Verdicts: VerdictPolicy, Extension: Mechanism, Observer: RunObserver
>: ~Copyable {
  /// Which engine runs: `heard` when the observer hears the run; otherwise (events are never
  /// built) `single` for single-stage work and `quiet` for the rest. The others stay empty.
  enum Runner { case heard, quiet, single }
  let runner: Runner
  var heard: Engine<OwnPolicies>
  var quiet: Engine<QuietOwnPolicies>
  var single: Engine<QuietOneStageOwnPolicies>

  public init(
    scenario: Scenario, routing: Routing, verdicts: Verdicts, mechanism: Extension,
    observer: Observer
  ) {
    Simulator.checkLimits(scenario)
    let team = Team(scenario)
    runner =
      Observer.observes ? .heard : scenario.workload.stages == 1 ? .single : .quiet
    let routing = SomeRouting(base: routing)
    let verdicts = SomeVerdicts(base: verdicts)
    let mechanism = SomeMechanism(base: mechanism)
    // Only one of the engines runs; the others hold the same parts and are never used.
    heard = Engine(
      scenario: scenario, team: team, routing: routing, verdicts: verdicts,
      mechanism: mechanism, observer: SomeObserver(base: observer))
    quiet = Engine(
      scenario: scenario, team: team, routing: routing, verdicts: verdicts,
      mechanism: mechanism, observer: NoObserver())
    single = Engine(
      scenario: scenario, team: team, routing: routing, verdicts: verdicts,
      mechanism: mechanism, observer: NoObserver())
  }

  /// Runs one replication of `design` with the replication seed `seed`.
  public mutating func run(design: Design, seed: UInt64) -> Metrics {
    switch runner {
    case .heard: heard.run(design: design, seed: seed)
    case .quiet: quiet.run(design: design, seed: seed)
    case .single: single.run(design: design, seed: seed)
    }
  }

  public var scenario: Scenario { heard.scenario }
  public var team: Team { heard.team }
  /// The boxed parts of the engine that ran, as they stand after the last run.
  var parts: (routing: any RoutingPolicy, verdicts: any VerdictPolicy, mechanism: any Mechanism) {
    switch runner {
    case .heard: (heard.routing.base, heard.verdicts.base, heard.mechanism.base)
    case .quiet: (quiet.routing.base, quiet.verdicts.base, quiet.mechanism.base)
    case .single: (single.routing.base, single.verdicts.base, single.mechanism.base)
    }
  }
  /// The routing policy as it stands after the last run.
  public var routing: Routing { parts.routing as! Routing }
  /// The verdict policy as it stands after the last run.
  public var verdicts: Verdicts { parts.verdicts as! Verdicts }
  /// The mechanism as it stands after the last run.
  public var mechanism: Extension { parts.mechanism as! Extension }
  /// The observer, with what it heard.
  public var observer: Observer {
    get { heard.observer.base as! Observer }
    set { heard.observer.base = newValue }
  }

  /// Whether the engine checks its invariants after each event (see
  /// ``Simulator/checksInvariants``).
  public var checksInvariants: Bool {
    get { heard.checksInvariants }
    set {
      heard.checksInvariants = newValue
      quiet.checksInvariants = newValue
      single.checksInvariants = newValue
    }
  }

  /// The team's estimate of skill at the end of the last run, `[agent * domains + domain]`.
  public var lastEstimate: [Double] {
    (0..<heard.team.count * heard.team.domains).map {
      switch runner {
      case .heard: heard.estimates.values[$0]
      case .quiet: quiet.estimates.values[$0]
      case .single: single.estimates.values[$0]
      }
    }
  }
}

extension CustomSimulator where Verdicts == StandardVerdicts, Observer == NoObserver {
  /// A simulator with your routing policy and mechanism, and the built-in verdicts.
  public init(scenario: Scenario, routing: Routing, mechanism: Extension) {
    self.init(
      scenario: scenario, routing: routing, verdicts: StandardVerdicts(), mechanism: mechanism,
      observer: NoObserver())
  }
}
