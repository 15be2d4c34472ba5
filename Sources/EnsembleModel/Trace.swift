/// One thing that happened in a traced run (``Simulator/trace(design:seed:)``).
///
/// A trace lists, in the order they happened, every arrival, job start and end, drift
/// update, hour of rework, delivery and abandonment of one replication, and at the end the
/// jobs still in progress with the hours they counted. Summing it gives the run's metrics.
public struct TraceEvent: Sendable, Hashable {
  public enum Kind: String, Sendable, CaseIterable {
    /// A task arrived.
    case arrive
    /// An agent started a job; `hours` is how long it will take.
    case start
    /// An agent finished a job; `hours` are its busy hours, `commHours` the communication
    /// and read-in part of them, `outcome` what it produced.
    case finish
    /// The run ended with the job in progress; `hours` are the hours it counted.
    case cut
    /// An AI agent's model update.
    case drift
    /// A discarded output's hours became rework (`stage` is the discarded stage).
    case rework
    /// A task was delivered; `outcome` says whether its result is correct.
    case deliver
    /// A task was abandoned.
    case abandon
    /// The run ended (its length is `time`).
    case end
  }

  /// What a job produced, or how a delivery turned out.
  public enum Outcome: String, Sendable, CaseIterable {
    /// An execution whose output was correct; a delivery of a correct result.
    case correct
    /// An error the executor did not see.
    case silentError = "silent error"
    /// An error the executor saw: the stage is redone.
    case visibleError = "visible error"
    /// The discarded copy of a duplicated execution, or an execution after its task closed.
    case discarded
    /// A review, sign-off or audit that found a wrong output.
    case foundError = "found error"
    /// A review or sign-off that rejected a correct output.
    case falseAlarm = "false alarm"
    /// A review, sign-off or audit that found nothing wrong.
    case passed
    /// A delivery of a wrong result: an escaped error.
    case escaped
    /// A job of a task that had closed: no effect.
    case void
  }

  /// Hours since the start of the run.
  public var time: Double
  public var kind: Kind
  /// The agent's index in the team, or -1.
  public var agent: Int = -1
  public var job: JobKind?
  /// The task's index in arrival order, or -1.
  public var task: Int = -1
  public var stage: Int = -1
  public var attempt: Int = -1
  public var outcome: Outcome?
  public var hours: Double = 0
  public var commHours: Double = 0

  public init(time: Double, kind: Kind) {
    self.time = time
    self.kind = kind
  }
}

/// What an engine is compiled for: whether it records a trace, and whether every task is a
/// single stage (model version 1's work). The engine is generic over it, so each hook and
/// each stage count is a constant the optimiser folds: a run without a trace compiles to
/// the same code as an engine with no hooks at all, and single-stage work skips the
/// per-stage bookkeeping of hand-offs, parts and rewinds.
protocol EngineMode {
  static var traces: Bool { get }
  static var oneStage: Bool { get }
}

/// The engine of ordinary runs of single-stage work.
enum OneStageRun: EngineMode {
  @inline(__always) static var traces: Bool { false }
  @inline(__always) static var oneStage: Bool { true }
}

/// The engine of ordinary runs of multi-stage work.
enum StagedRun: EngineMode {
  @inline(__always) static var traces: Bool { false }
  @inline(__always) static var oneStage: Bool { false }
}

/// The engine of ``Simulator/trace(design:seed:)``, for any number of stages.
enum TracedRun: EngineMode {
  @inline(__always) static var traces: Bool { true }
  @inline(__always) static var oneStage: Bool { false }
}

// Recording, in an engine that traces.
extension Engine {
  /// An event of `kind` now about job `job` of `agent`.
  @inline(never)
  mutating func jobEvent(
    _ kind: TraceEvent.Kind, _ agent: AgentID, _ job: Job, hours: Double, comm: Double
  ) -> TraceEvent {
    var e = TraceEvent(time: now, kind: kind)
    e.agent = agent.index
    e.job = job.kind
    e.task = job.task.index
    e.stage = Int(job.stage)
    e.attempt = Int(job.attempt)
    e.hours = hours
    e.commHours = comm
    return e
  }

  /// Sets the outcome of the job end recorded last.
  @inline(__always)
  mutating func recordOutcome(_ outcome: TraceEvent.Outcome) {
    if Mode.traces, let last = lastFinish { traceEvents[last].outcome = outcome }
  }

  /// A task-level event now.
  @inline(never)
  mutating func recordTask(
    _ kind: TraceEvent.Kind, _ t: TaskID, stage: Int = -1, agent: AgentID = .none,
    outcome: TraceEvent.Outcome? = nil, hours: Double = 0
  ) {
    var e = TraceEvent(time: now, kind: kind)
    e.task = t.index
    e.stage = stage
    e.agent = agent.index
    e.outcome = outcome
    e.hours = hours
    traceEvents.append(e)
  }
}
