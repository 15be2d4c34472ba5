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
    func int(_ x: Int?) -> String { x.map(String.init) ?? "" }
    let hours = e.kind == .start || e.kind == .finish || e.kind == .cut || e.kind == .rework
    return CSV.line([
      CSV.formatNumber(e.time), e.kind.rawValue, int(e.agent?.index), e.job?.name ?? "",
      int(e.task?.index), int(e.stage), int(e.attempt), e.outcome?.rawValue ?? "",
      hours ? CSV.formatNumber(e.hours) : "", hours ? CSV.formatNumber(e.commHours) : "",
    ])
  }

  /// The events of a time window [from, to]: every event inside it, and both ends of every
  /// job that overlaps it (so a job running across an edge keeps its start and its end).
  public static func window(_ events: [TraceEvent], from: Double, to: Double) -> [TraceEvent] {
    // Pair each job's start with its end (each agent has one job at a time).
    var startIndex: [AgentID: Int] = [:]
    var keep = events.map { $0.time >= from && $0.time <= to }
    for (i, e) in events.enumerated() {
      guard let agent = e.agent else { continue }
      if e.kind == .start {
        startIndex[agent] = i
      } else if e.kind == .finish || e.kind == .cut, let s = startIndex.removeValue(forKey: agent) {
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
    var open: [AgentID: TraceEvent] = [:]
    var bars: [TimelineBar] = []
    var marks: [TimelineMark] = []
    for e in events {
      guard let agent = e.agent else { continue }
      switch e.kind {
      case .start:
        open[agent] = e
      case .finish, .cut:
        guard let start = open.removeValue(forKey: agent), let job = e.job else { continue }
        let kind = timelineKind(job)
        bars.append(
          TimelineBar(
            agent: agent.index, start: start.time, end: e.time, kind: kind,
            overheadHours: e.commHours, task: e.task?.index ?? -1, stage: e.stage,
            attempt: e.attempt ?? 1, outcome: timelineOutcome(e.outcome)))
        if e.kind == .finish, let mark = mark(for: e, kind: kind) {
          marks.append(
            TimelineMark(
              time: e.time, agent: agent.index, kind: mark, task: e.task?.index ?? -1,
              stage: e.stage))
        }
      case .deliver where e.outcome == .escaped:
        marks.append(
          TimelineMark(
            time: e.time, agent: agent.index, kind: .silentErrorEscaped,
            task: e.task?.index ?? -1))
      default:
        break
      }
    }
    let rows = agents.map {
      TimelineAgent(name: $0.name, kind: $0.isHuman ? .human : .ai, roles: $0.roles)
    }
    return TimelineCondition(name: name, agents: rows, bars: bars, marks: marks)
  }

  /// The timeline's kind of a job: the one of the job's name (a mechanism's custom duty
  /// has its own).
  static func timelineKind(_ job: JobKind) -> TimelineJobKind {
    TimelineJobKind(rawValue: job.name) ?? .custom
  }

  static func timelineOutcome(_ outcome: TraceEvent.Outcome?) -> TimelineOutcome {
    switch outcome {
    case .correct: .correct
    case .silentError: .silentError
    case .visibleError: .visibleError
    case .foundError, .falseAlarm: .foundError
    case .passed: .passed
    case .agree: .agree
    case .deferred: .deferred
    case .pushBack: .pushBack
    case .override: .override
    default: .none
    }
  }

  /// The error a job's end shows: a visible error of an execution, or an error a check
  /// (review, sign-off or audit) caught, named by the check (a false alarm is no error).
  static func mark(for e: TraceEvent, kind: TimelineJobKind) -> TimelineMarkKind? {
    switch e.outcome {
    case .visibleError: .visibleError
    case .foundError: TimelineMarkKind(rawValue: "caught by " + kind.label)
    case .pushBack: .pushBack
    case .override: .override
    default: nil
    }
  }
}
