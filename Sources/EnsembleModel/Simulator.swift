#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ensemble model as a discrete-event simulation: `(scenario, design, seed) -> Metrics`.
///
/// A `Simulator` holds one scenario and the working storage of a run. Calling
/// ``run(design:seed:)`` again reuses that storage, so after the first replications the
/// event loop allocates nothing. A simulator is non-copyable: it owns its storage, so
/// each thread makes its own.
///
/// `docs/MODEL.md` describes the process (sections 3 and 7) and every reading taken where
/// the specification leaves a choice (section 10).
public struct Simulator: ~Copyable, @unchecked Sendable {
  public let scenario: Scenario
  public let team: Team
  /// The engine that runs this scenario's work: `single` when every task is one stage
  /// (compiled with the stage count a constant), `staged` otherwise. The other stays
  /// empty (its storage grows only in a run).
  let oneStage: Bool
  var single: Engine<OneStageRun>
  var staged: Engine<StagedRun>

  public init(scenario: Scenario) {
    self.scenario = scenario
    team = Team(scenario)
    oneStage = max(1, scenario.workload.stages) == 1
    single = Engine<OneStageRun>(scenario: scenario, team: team)
    staged = Engine<StagedRun>(scenario: scenario, team: team)
  }

  /// Runs one replication of `design` with the replication seed `seed`.
  public mutating func run(design: Design, seed: UInt64) -> Metrics {
    oneStage ? single.run(design: design, seed: seed) : staged.run(design: design, seed: seed)
  }

  /// Runs one replication and also returns the time of every event taken off the queue,
  /// in the order taken (for tests of the event loop; allocates).
  public mutating func runTracingEventTimes(design: Design, seed: UInt64) -> (Metrics, [Double]) {
    if oneStage {
      single.traceTimes = true
      single.trace.removeAll()
      let metrics = single.run(design: design, seed: seed)
      single.traceTimes = false
      return (metrics, single.trace)
    }
    staged.traceTimes = true
    staged.trace.removeAll()
    let metrics = staged.run(design: design, seed: seed)
    staged.traceTimes = false
    return (metrics, staged.trace)
  }

  /// Runs one replication as ``run(design:seed:)`` does, and also returns its trace: every
  /// arrival, job start and end, drift update, rework, delivery and abandonment, in the
  /// order they happened (allocates; the metrics are the same as an untraced run's).
  public func trace(design: Design, seed: UInt64) -> (Metrics, [TraceEvent]) {
    var tracer = Engine<TracedRun>(scenario: scenario, team: team)
    let metrics = tracer.run(design: design, seed: seed)
    return (metrics, tracer.traceEvents)
  }

  /// Whether the engines check their invariants after each event (debug builds only).
  var checksInvariants: Bool {
    get { single.checksInvariants }
    set {
      single.checksInvariants = newValue
      staged.checksInvariants = newValue
    }
  }

  /// The team's estimate of skill at the end of the last run, `[agent * domains + domain]`.
  public var lastEstimate: [Double] {
    (0..<team.count * team.domains).map { oneStage ? single.estimate[$0] : staged.estimate[$0] }
  }
  /// The true skill at the end of the last run, `[agent * domains + domain]`.
  public var lastSkill: [Double] {
    (0..<team.count * team.domains).map { oneStage ? single.skill[$0] : staged.skill[$0] }
  }
  /// Per-run counters of the last run that are not metrics (for tests).
  public var lastCounters: RunCounters {
    oneStage ? single.totals.counters : staged.totals.counters
  }
}

/// Counts kept by a run beside its metrics, for tests and diagnostics.
public struct RunCounters: Sendable, Hashable {
  public var routes = 0
  public var translations = 0
  public var executions = 0
  public var reviewsStarted = 0
  public var auditsStarted = 0
  public var reviews: Int = 0
  public var reviewRejections: Int = 0
  public var reviewedWrong: Int = 0
  public var reviewsFindingWrong: Int = 0
  public var audits: Int = 0
  public var escalatedExecutions: Int = 0
  /// Executions started for attempts past `maxAttempts`, by humans and by AI agents.
  public var lateAttemptExecutionsByHuman: Int = 0
  public var lateAttemptExecutionsByAI: Int = 0
  /// Execute jobs started by the acting conductor under conductor routing.
  public var executionsByConductor: Int = 0
  /// Sign-off duties started, verdicts given, and rejections among them.
  public var signoffsStarted: Int = 0
  public var signoffs: Int = 0
  public var signoffRejections: Int = 0
  /// Executions that were hand-offs (their input came from another agent).
  public var handoffExecutions: Int = 0
  /// Rejections whose blame sent a chain back to an earlier stage.
  public var rewinds: Int = 0
  /// Waiting jobs removed unstarted when their task was abandoned.
  public var droppedJobs: Int = 0
  /// Executions that ended after their task had closed (no effect).
  public var lateExecutions: Int = 0
  /// Executions started for a task already closed: always 0, since closing a task removes
  /// its waiting jobs.
  public var executionsOfClosedTasks: Int = 0
  public var pairExecutions: Int = 0
  public var novelPairExecutions: Int = 0
  public var duplicates: Int = 0
  public var attempts: Int = 0
  public var driftUpdates: Int = 0

  /// Starts of jobs of each kind.
  public func started(_ kind: JobKind) -> Int {
    switch kind {
    case .route: routes
    case .translate: translations
    case .execute: executions
    case .review: reviewsStarted
    case .audit: auditsStarted
    case .signoff: signoffsStarted
    }
  }
}

/// The six kinds of job; all but `execute` are duties.
public enum JobKind: UInt8, Sendable, CaseIterable, BitwiseCopyable {
  case route, translate, execute, review, audit, signoff
}
