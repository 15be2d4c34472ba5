// The plain data a timeline draws: agents, the jobs they worked on and the errors marked on
// them. Times are hours since the start of the run, as in `events.csv`. The types know
// nothing of the simulation model; the caller translates its trace into them.

/// One row of a timeline: an agent of the team.
public struct TimelineAgent: Sendable, Equatable {
  /// Whether the agent is a person or an AI system; shown beside the name.
  public enum Kind: String, Sendable, CaseIterable {
    case human
    case ai = "AI"
  }

  /// The agent's name as the report calls it, e.g. "lead" or "ai 2".
  public var name: String
  /// Person or AI; the row label reads "human · conductor" or "AI · translator".
  public var kind: Kind
  /// Role words in display order, e.g. ["conductor"]; empty for none.
  public var roles: [String]

  /// An agent row; `roles` are shown as given, joined by commas.
  public init(name: String, kind: Kind, roles: [String] = []) {
    self.name = name
    self.kind = kind
    self.roles = roles
  }
}

/// What a job was for; sets a bar's colour.
public enum TimelineJobKind: String, Sendable, CaseIterable {
  /// Doing the task itself (alone, paired, redone or duplicated).
  case execute
  /// Choosing who executes a task (the conductor's duty).
  case route
  /// Making an ambiguous task clear before it is executed.
  case translate
  /// Checking an output before delivery.
  case review
  /// Checking a delivered output.
  case audit
  /// Approving an output at the end of a chain of stages.
  case signoff
  /// A duty of a mechanism of the user's own (a meeting, say).
  case custom

  /// The name shown in the legend and tooltips ("sign-off" for `signoff`).
  public var label: String { self == .signoff ? "sign-off" : rawValue }
}

/// What a job produced, as shown in its tooltip.
public enum TimelineOutcome: String, Sendable, CaseIterable {
  /// An execution that got it right.
  case correct
  /// An execution that got it wrong without anyone seeing it.
  case silentError = "silent error"
  /// An execution that got it wrong and saw so (it will be redone).
  case visibleError = "visible error"
  /// A review, audit or sign-off that found an error.
  case foundError = "found error"
  /// A review, audit or sign-off that found none.
  case passed
  /// A human judge whose own view agreed with the output.
  case agree
  /// A human judge who disagreed but relied on the output.
  case deferred = "defer"
  /// A human judge who disagreed and sent the work back.
  case pushBack = "push back"
  /// A human judge who disagreed and put its own answer in place of a decision.
  case override
  /// No outcome (a route or translate job, a discarded duplicate, a job cut off by the end).
  case none
}

/// One job: a bar on its agent's row from `start` to `end`.
public struct TimelineBar: Sendable, Equatable {
  /// Index of the agent's row in `TimelineCondition.agents`.
  public var agent: Int
  /// When the job started, in hours since the start of the run.
  public var start: Double
  /// When it ended (or the run did), in hours since the start of the run; `end >= start`.
  /// A zero-length job is drawn at the minimum bar width.
  public var end: Double
  /// What the job was for: sets the bar's colour.
  public var kind: TimelineJobKind
  /// Hours of the job spent on communication and reading in, drawn hatched over the first
  /// `overheadHours` of the bar (the share is exact; where in the job it fell is not shown).
  /// Clamped to [0, end − start].
  public var overheadHours: Double
  /// The task's number, as in `events.csv`; shown in the tooltip and, at close range, in
  /// the bar.
  public var task: Int
  /// The task's stage, or nil when the design has a single stage.
  public var stage: Int?
  /// 1 for a task's first attempt, 2 for its first redo, and so on.
  public var attempt: Int
  /// What the job produced; shown in the tooltip.
  public var outcome: TimelineOutcome

  /// A job; times in hours since the start of the run, `overheadHours` in hours.
  public init(
    agent: Int, start: Double, end: Double, kind: TimelineJobKind, overheadHours: Double = 0,
    task: Int, stage: Int? = nil, attempt: Int = 1, outcome: TimelineOutcome = .none
  ) {
    self.agent = agent
    self.start = start
    self.end = end
    self.kind = kind
    self.overheadHours = overheadHours
    self.task = task
    self.stage = stage
    self.attempt = attempt
    self.outcome = outcome
  }
}

extension TimelineBar {
  /// Whether the bar can be drawn in a team of `agents`: a row that exists, finite times, an
  /// end no earlier than the start.
  func isDrawable(agents: Int) -> Bool {
    agent >= 0 && agent < agents && start.isFinite && end.isFinite && end >= start
  }
}

/// What an error mark says happened; each kind has its own symbol.
public enum TimelineMarkKind: String, Sendable, CaseIterable {
  /// An execution ended in an error the agent saw (×).
  case visibleError = "visible error"
  /// A silent error was delivered as if correct (filled ▼).
  case silentErrorEscaped = "silent error escaped"
  /// A review found an error (hollow ○).
  case caughtByReview = "caught by review"
  /// An audit found a delivered error (hollow ◇).
  case caughtByAudit = "caught by audit"
  /// A sign-off found an error (hollow □).
  case caughtBySignoff = "caught by sign-off"
  /// A human judge pushed back on an output (hollow △).
  case pushBack = "pushed back"
  /// A human judge overrode a decision with its own answer (hollow ⬠).
  case override = "overridden"
}

/// One error mark: a symbol on `agent`'s row at `time`.
public struct TimelineMark: Sendable, Equatable {
  /// Hours since the start of the run.
  public var time: Double
  /// Index of the row in `TimelineCondition.agents` the mark is drawn on (the caller chooses:
  /// the executor for a visible or escaped error, the checker for a catch, say).
  public var agent: Int
  /// What happened: sets the symbol.
  public var kind: TimelineMarkKind
  /// The task the error is in; shown in the tooltip.
  public var task: Int
  /// The task's stage, or nil when the design has a single stage.
  public var stage: Int?

  /// A mark at `time` hours since the start of the run.
  public init(time: Double, agent: Int, kind: TimelineMarkKind, task: Int, stage: Int? = nil) {
    self.time = time
    self.agent = agent
    self.kind = kind
    self.task = task
    self.stage = stage
  }
}

extension TimelineMark {
  /// Whether the mark can be drawn in a team of `agents`: a row that exists, a finite time.
  func isDrawable(agents: Int) -> Bool { agent >= 0 && agent < agents && time.isFinite }
}

/// One condition's replication: its team, in row order, and what happened.
public struct TimelineCondition: Sendable, Equatable {
  /// The condition's name, e.g. "structured"; heads its panel.
  public var name: String
  /// One row per agent, top to bottom.
  public var agents: [TimelineAgent]
  /// Every job, in any order. Jobs whose agent index is out of range, whose times are not
  /// finite or that end before they start are not drawn.
  public var bars: [TimelineBar]
  /// Every error mark, in any order; invalid ones are skipped like bars.
  public var marks: [TimelineMark]

  /// A condition; bar and mark `agent` fields index `agents`.
  public init(
    name: String, agents: [TimelineAgent], bars: [TimelineBar], marks: [TimelineMark] = []
  ) {
    self.name = name
    self.agents = agents
    self.bars = bars
    self.marks = marks
  }
}

/// The stretch of time a timeline shows, [from, to] in hours since the start of the run.
public struct TimelineWindow: Sendable, Equatable {
  /// The first hour shown (the plot's left edge).
  public var from: Double
  /// The last hour shown (the plot's right edge).
  public var to: Double

  /// A window; `from` and `to` must be finite with `from < to` (check user input first).
  public init(from: Double, to: Double) {
    precondition(from.isFinite && to.isFinite && from < to, "timeline window needs from < to")
    self.from = from
    self.to = to
  }

  /// From 0 (or the earliest start, if negative) to the latest end of any valid job or mark
  /// in `conditions`; [0, 1] when there is none.
  public static func covering(_ conditions: [TimelineCondition]) -> TimelineWindow {
    var low = 0.0
    var high = -Double.infinity
    for condition in conditions {
      for bar in condition.bars where bar.isDrawable(agents: condition.agents.count) {
        low = Swift.min(low, bar.start)
        high = Swift.max(high, bar.end)
      }
      for mark in condition.marks where mark.isDrawable(agents: condition.agents.count) {
        low = Swift.min(low, mark.time)
        high = Swift.max(high, mark.time)
      }
    }
    return high > low ? TimelineWindow(from: low, to: high) : TimelineWindow(from: low, to: low + 1)
  }

  /// Whether a job from `start` to `end` shows in the window: it overlaps the window for a
  /// positive time, or it lasts no time and falls inside it.
  public func shows(start: Double, end: Double) -> Bool {
    start == end ? (from <= start && start <= to) : (start < to && end > from)
  }
}
