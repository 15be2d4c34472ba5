/// The kinds of job (docs/MODEL.md section 2). All but `execute` are duties: a personal queue
/// serves them first, and their hours are structure hours.
///
/// Each kind's rules are one type in `Engine/Jobs/` (``RouteJob``, ``TranslateJob``,
/// ``ExecuteJob``, ``ReviewJob``, ``AuditJob``, ``SignoffJob``, ``CustomDuty``); this file
/// holds the only dispatch on the kind.
public enum JobKind: UInt8, Sendable, CaseIterable, BitwiseCopyable {
  case route, translate, execute, review, audit, signoff
  /// A duty that a ``Mechanism`` of your own gave an agent.
  case custom

  /// What `events.csv` and the timeline call it.
  public var name: String {
    switch self {
    case .route: RouteJob.name
    case .translate: TranslateJob.name
    case .execute: ExecuteJob.name
    case .review: ReviewJob.name
    case .audit: AuditJob.name
    case .signoff: SignoffJob.name
    case .custom: CustomDuty.name
    }
  }

  /// The kind called `name` in `events.csv`, if there is one.
  public init?(name: String) {
    guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
    self = kind
  }

  /// Whether it is a duty: served first from a personal queue; structure hours.
  @inline(__always) public var isDuty: Bool { self != .execute }
}

/// A job's hours and their communication (and read-in) part.
struct JobHours: BitwiseCopyable {
  var total: Double
  var comm: Double
}

/// The rules of one kind of job, in one type: when it is created (the type's own functions),
/// what it costs, what its end does, how its hours count, and what a trace calls it.
protocol JobRules {
  /// Its name in `events.csv` and the timeline.
  static var name: String { get }
  /// Its hours, and their communication part, when it starts on `agent` (`id` is its record).
  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  /// Its end: its hours count (as structure, productive, communication or duplicate hours),
  /// then its rule applies. Jobs the rule creates are placed before the agent picks its next.
  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>)
  /// The run ended at `end` with it in progress: the part of its hours up to the end
  /// counts (`hours`), and the observer hears of it.
  static func cut<S>(
    _ job: Job, by agent: AgentID, _ hours: JobHours, at end: Double, in e: inout Engine<S>)
}

extension JobRules {
  /// A duty cut at the end of the run: its hours so far are structure hours.
  static func cut<S>(
    _ job: Job, by agent: AgentID, _ hours: JobHours, at end: Double, in e: inout Engine<S>
  ) {
    e.countDuty(hours, of: agent)
    e.reportCut(job, by: agent, hours, at: end, outcome: nil)
  }
}

// The only dispatch on the kind of job.
extension Engine {
  @inline(__always)
  mutating func hours(of job: Job, _ id: JobID, on agent: AgentID) -> JobHours {
    switch job.kind {
    case .route: RouteJob.hours(of: job, id, on: agent, in: &self)
    case .translate: TranslateJob.hours(of: job, id, on: agent, in: &self)
    case .execute: ExecuteJob.hours(of: job, id, on: agent, in: &self)
    case .review: ReviewJob.hours(of: job, id, on: agent, in: &self)
    case .audit: AuditJob.hours(of: job, id, on: agent, in: &self)
    case .signoff: SignoffJob.hours(of: job, id, on: agent, in: &self)
    case .custom: CustomDuty.hours(of: job, id, on: agent, in: &self)
    }
  }

  @inline(__always)
  mutating func ended(_ job: Job, by agent: AgentID, _ hours: JobHours) {
    switch job.kind {
    case .route: RouteJob.ended(job, by: agent, hours, in: &self)
    case .translate: TranslateJob.ended(job, by: agent, hours, in: &self)
    case .execute: ExecuteJob.ended(job, by: agent, hours, in: &self)
    case .review: ReviewJob.ended(job, by: agent, hours, in: &self)
    case .audit: AuditJob.ended(job, by: agent, hours, in: &self)
    case .signoff: SignoffJob.ended(job, by: agent, hours, in: &self)
    case .custom: CustomDuty.ended(job, by: agent, hours, in: &self)
    }
  }

  mutating func cut(_ job: Job, by agent: AgentID, _ hours: JobHours, at end: Double) {
    switch job.kind {
    case .route: RouteJob.cut(job, by: agent, hours, at: end, in: &self)
    case .translate: TranslateJob.cut(job, by: agent, hours, at: end, in: &self)
    case .execute: ExecuteJob.cut(job, by: agent, hours, at: end, in: &self)
    case .review: ReviewJob.cut(job, by: agent, hours, at: end, in: &self)
    case .audit: AuditJob.cut(job, by: agent, hours, at: end, in: &self)
    case .signoff: SignoffJob.cut(job, by: agent, hours, at: end, in: &self)
    case .custom: CustomDuty.cut(job, by: agent, hours, at: end, in: &self)
    }
  }

  /// Reports a job cut at the end of the run.
  @inline(__always)
  mutating func reportCut(
    _ job: Job, by agent: AgentID, _ hours: JobHours, at end: Double,
    outcome: TraceEvent.Outcome?
  ) {
    guard Setup.Observer.observes else { return }
    var e = jobEvent(.cut, agent, job, hours: hours.total, comm: hours.comm)
    e.time = end
    e.outcome = outcome
    observer.record(e)
  }

  /// A duty's hours: structure hours of the run and of the agent.
  @inline(__always)
  mutating func countDuty(_ hours: JobHours, of agent: AgentID) {
    totals.structureHours += hours.total
    if checksInvariants { agents.uses[agent].structure += hours.total }
  }
}
