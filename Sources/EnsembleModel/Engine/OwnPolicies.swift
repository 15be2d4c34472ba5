/// The engine of ``CustomSimulator``: policies, a mechanism and an observer of one's own,
/// each behind a box.
///
/// A package of one's own cannot have the engine compiled for its types: they are not known
/// to this module, and the engine is not inlinable. Run generically, the engine would read
/// its setup's types and their conformances from the runtime at each step; measured from
/// outside, that made `CustomSimulator` with the built-in policies take 2.2 times as long as
/// ``Simulator``. Instead the engine is compiled here three more times, for these boxes
/// (this setup, for an observer that listens; ``QuietOwnPolicies``; and
/// ``QuietOneStageOwnPolicies``), and only the calls into the boxed parts are dynamic: one
/// per routing decision, verdict, mechanism call and observed event (1.12 to 1.15 times
/// ``Simulator``'s time).
enum OwnPolicies: EngineSetup {
  typealias Routing = SomeRouting
  typealias Verdicts = SomeVerdicts
  typealias Extension = SomeMechanism
  typealias Observer = SomeObserver
  @inline(__always) static var oneStage: Bool { false }
}

/// ``OwnPolicies`` for an observer that hears nothing (``RunObserver/observes`` false):
/// events are then never built, as in ordinary runs.
enum QuietOwnPolicies: EngineSetup {
  typealias Routing = SomeRouting
  typealias Verdicts = SomeVerdicts
  typealias Extension = SomeMechanism
  typealias Observer = NoObserver
  @inline(__always) static var oneStage: Bool { false }
}

/// ``QuietOwnPolicies`` for single-stage work, compiled with the stage count a constant as
/// ``OneStageRun`` is.
enum QuietOneStageOwnPolicies: EngineSetup {
  typealias Routing = SomeRouting
  typealias Verdicts = SomeVerdicts
  typealias Extension = SomeMechanism
  typealias Observer = NoObserver
  @inline(__always) static var oneStage: Bool { true }
}

/// A routing policy of any type.
struct SomeRouting: RoutingPolicy {
  var base: any RoutingPolicy

  mutating func choose<Run: RunState & ~Copyable>(
    for task: TaskID, stage: Int, vote: Int, in run: inout Run
  ) -> AgentID? {
    base.choose(for: task, stage: stage, vote: vote, in: &run)
  }
}

/// A verdict policy of any type.
struct SomeVerdicts: VerdictPolicy {
  var base: any VerdictPolicy

  mutating func verdict<Run: RunState & ~Copyable>(
    on request: VerdictRequest, in run: inout Run
  ) -> Verdict {
    base.verdict(on: request, in: &run)
  }
}

/// A mechanism of any type. The engine asks a box whether it acts before the run, so the
/// box asks its mechanism's type there.
struct SomeMechanism: Mechanism {
  var base: any Mechanism

  static var acts: Bool { true }

  mutating func start<Run: RunState & ~Copyable>(_ run: inout Run) {
    if type(of: base).acts { base.start(&run) }
  }

  mutating func timer<Run: RunState & ~Copyable>(_ tag: Int32, _ run: inout Run) {
    base.timer(tag, &run)
  }

  mutating func dutyEnded<Run: RunState & ~Copyable>(
    _ tag: Int32, by agent: AgentID, _ run: inout Run
  ) {
    base.dutyEnded(tag, by: agent, &run)
  }
}

/// An observer of any type that hears the run.
struct SomeObserver: RunObserver {
  var base: any RunObserver

  static var observes: Bool { true }

  mutating func record(_ event: TraceEvent) { base.record(event) }
  mutating func outcome(_ outcome: TraceEvent.Outcome) { base.outcome(outcome) }
}
