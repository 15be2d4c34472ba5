/// One thing that happened in a run, as the engine reports it to a ``RunObserver``.
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
    /// A judge whose own view agreed with the output: it passed.
    case agree
    /// A judge whose view disagreed, and who relied on the output: it passed.
    case deferred = "defer"
    /// A judge whose view disagreed, and who rejected the output: the work goes back.
    case pushBack = "push back"
    /// A judge whose view disagreed on a decision: its own answer replaced the output.
    case override
  }

  /// Hours since the start of the run.
  public var time: Double
  public var kind: Kind
  /// The agent, where one acted.
  public var agent: AgentID?
  public var job: JobKind?
  /// The task, where the event concerns one.
  public var task: TaskID?
  /// The stage of the task, from 0, where the event concerns one.
  public var stage: Int?
  /// The attempt at that stage, from 1, for a job.
  public var attempt: Int?
  public var outcome: Outcome?
  public var hours: Double = 0
  public var commHours: Double = 0

  public init(time: Double, kind: Kind) {
    self.time = time
    self.kind = kind
  }
}

/// What the engine tells about a run as it goes: the one channel through which tracing, and
/// any observer of your own, sees the events of a run.
///
/// The engine is generic over its observer. With ``NoObserver`` (``observes`` false) every
/// report folds away at compile time, so an ordinary run pays nothing for the hooks.
public protocol RunObserver {
  /// Whether the engine reports to this observer at all.
  static var observes: Bool { get }
  /// An event, in the order events happen.
  mutating func record(_ event: TraceEvent)
  /// The outcome of the job end recorded last: the job's rule decides it after the end is
  /// recorded (and after what the rule itself records, such as a delivery).
  mutating func outcome(_ outcome: TraceEvent.Outcome)
}

/// The observer of ordinary runs: hears nothing, costs nothing.
public struct NoObserver: RunObserver {
  public init() {}
  @inline(__always) public static var observes: Bool { false }
  @inline(__always) public mutating func record(_ event: TraceEvent) {}
  @inline(__always) public mutating func outcome(_ outcome: TraceEvent.Outcome) {}
}

/// The observer behind ``Simulator/trace(design:seed:)``: keeps every event in order.
public struct TraceRecorder: RunObserver {
  /// The events so far.
  public private(set) var events: [TraceEvent] = []
  /// Where the last job end is, whose outcome its rule fills in.
  var lastFinish: Int?

  public init() {}

  public static var observes: Bool { true }

  public mutating func record(_ event: TraceEvent) {
    if event.kind == .finish { lastFinish = events.count }
    events.append(event)
  }

  public mutating func outcome(_ outcome: TraceEvent.Outcome) {
    if let last = lastFinish { events[last].outcome = outcome }
  }
}
