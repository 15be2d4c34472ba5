import EnsembleAnalysis
import EnsembleModel

/// The files of `ensemble trace`: `events.csv` and `agents.csv` of one condition's
/// replication, and the timeline drawn from them.
public enum TraceSchema {
  /// One agent of the team: its index, a name (the group's, numbered when the group has
  /// several members), its kind, roles and hourly cost.
  public struct Agent: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var isHuman: Bool
    public var roles: [String]
    public var costPerHour: Double
  }

  /// The team of `scenario`, agent by agent, in the engine's order.
  public static func agents(_ scenario: Scenario) -> [Agent] {
    let team = Team(scenario)
    var agents: [Agent] = []
    for group in scenario.team {
      for member in 0..<max(0, group.count) {
        let index = agents.count
        let name = group.count == 1 ? group.name : "\(group.name) \(member + 1)"
        let roles = Role.allCases.filter { team.holds(index, $0) }.map(\.rawValue)
        agents.append(
          Agent(
            index: index, name: name, isHuman: group.kind == .human, roles: roles,
            costPerHour: group.costPerHour))
      }
    }
    return agents
  }

  /// Columns of `agents.csv`.
  public static let agentsHeader = ["agent", "name", "kind", "roles", "cost_per_hour"]

  public static func agentsCSV(_ agents: [Agent]) -> String {
    var text = CSV.line(agentsHeader)
    for a in agents {
      text += CSV.line([
        String(a.index), a.name, a.isHuman ? "human" : "AI", a.roles.joined(separator: " "),
        CSV.formatNumber(a.costPerHour),
      ])
    }
    return text
  }

  /// Columns of `events.csv`: when, what, who, which job of which task, stage and attempt,
  /// what came of it, and its hours (busy hours for a job's end, planned hours for its
  /// start, rework hours for rework) with their communication and read-in part.
  public static let eventsHeader = [
    "time", "event", "agent", "job", "task", "stage", "attempt", "outcome", "hours", "comm_hours",
  ]

  /// One row of `events.csv`; an empty cell where a field does not apply.
  public static func row(_ e: TraceEvent) -> String {
    func int(_ x: Int) -> String { x >= 0 ? String(x) : "" }
    let hours = e.kind == .start || e.kind == .finish || e.kind == .cut || e.kind == .rework
    return CSV.line([
      CSV.formatNumber(e.time), e.kind.rawValue, int(e.agent), e.job.map { "\($0)" } ?? "",
      int(e.task), int(e.stage), int(e.attempt), e.outcome?.rawValue ?? "",
      hours ? CSV.formatNumber(e.hours) : "", hours ? CSV.formatNumber(e.commHours) : "",
    ])
  }

  /// The events of a time window [from, to]: every event inside it, and both ends of every
  /// job that overlaps it (so a job running across an edge keeps its start and its end).
  public static func window(_ events: [TraceEvent], from: Double, to: Double) -> [TraceEvent] {
    // Pair each job's start with its end (each agent has one job at a time).
    var startIndex: [Int: Int] = [:]
    var keep = events.map { $0.time >= from && $0.time <= to }
    for (i, e) in events.enumerated() {
      if e.kind == .start {
        startIndex[e.agent] = i
      } else if e.kind == .finish || e.kind == .cut, let s = startIndex.removeValue(forKey: e.agent)
      {
        let overlaps = events[s].time <= to && e.time >= from
        keep[s] = keep[s] || overlaps
        keep[i] = keep[i] || overlaps
      }
    }
    return zip(events, keep).filter(\.1).map(\.0)
  }

  /// The timeline of one condition: a bar per job (start to end or cut), marks where errors
  /// showed or were caught.
  public static func timeline(name: String, agents: [Agent], events: [TraceEvent])
    -> TimelineCondition
  {
    var open: [Int: TraceEvent] = [:]
    var bars: [TimelineBar] = []
    var marks: [TimelineMark] = []
    for e in events {
      switch e.kind {
      case .start:
        open[e.agent] = e
      case .finish, .cut:
        guard let start = open.removeValue(forKey: e.agent), let job = e.job else { continue }
        bars.append(
          TimelineBar(
            agent: e.agent, start: start.time, end: e.time, kind: timelineKind(job),
            overheadHours: e.commHours, task: e.task, stage: e.stage, attempt: e.attempt,
            outcome: timelineOutcome(e.outcome)))
        if e.kind == .finish, let mark = mark(for: e, job: job) {
          marks.append(
            TimelineMark(time: e.time, agent: e.agent, kind: mark, task: e.task, stage: e.stage))
        }
      case .deliver where e.outcome == .escaped && e.agent >= 0:
        marks.append(
          TimelineMark(time: e.time, agent: e.agent, kind: .silentErrorEscaped, task: e.task))
      default:
        break
      }
    }
    let rows = agents.map {
      TimelineAgent(name: $0.name, kind: $0.isHuman ? .human : .ai, roles: $0.roles)
    }
    return TimelineCondition(name: name, agents: rows, bars: bars, marks: marks)
  }

  static func timelineKind(_ job: JobKind) -> TimelineJobKind {
    switch job {
    case .route: .route
    case .translate: .translate
    case .execute: .execute
    case .review: .review
    case .audit: .audit
    case .signoff: .signoff
    }
  }

  static func timelineOutcome(_ outcome: TraceEvent.Outcome?) -> TimelineOutcome {
    switch outcome {
    case .correct: .correct
    case .silentError: .silentError
    case .visibleError: .visibleError
    case .foundError, .falseAlarm: .foundError
    case .passed: .passed
    default: .none
    }
  }

  /// The error a job's end shows: a visible error of an execution, or an error a review,
  /// sign-off or audit caught (a false alarm is no error).
  static func mark(for e: TraceEvent, job: JobKind) -> TimelineMarkKind? {
    switch (job, e.outcome) {
    case (.execute, .visibleError): .visibleError
    case (.review, .foundError): .caughtByReview
    case (.audit, .foundError): .caughtByAudit
    case (.signoff, .foundError): .caughtBySignoff
    default: nil
    }
  }
}
