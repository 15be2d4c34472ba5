/// How an arriving task finds the agent that executes it.
public enum Routing: String, Sendable, Hashable, CaseIterable {
  /// Tasks go to the shared pool; the longest-idle agent takes each.
  case selfSelect = "self-select"
  /// A conductor routes every task to the agent with the best estimated success.
  case conductor
}

/// How the team keeps itself informed; sets the communication overhead of executions.
public enum Communication: String, Sendable, Hashable, CaseIterable {
  /// Every member keeps every other informed: overhead `commCost * (n - 1)`.
  case allToAll = "all-to-all"
  /// Report up, hand off down: overhead `commCost * 2`.
  case hierarchy
}

/// Who reviews apparent successes.
public enum ReviewPolicy: String, Sendable, Hashable, CaseIterable {
  case none
  /// A human expert of the task's domain reviews AI output.
  case expert
  /// A uniformly drawn other agent reviews every output.
  case peer
}

/// Which delivered tasks a human must answer for by signing them off.
public enum SignoffPolicy: String, Sendable, Hashable, CaseIterable {
  case none
  /// Only high-stakes tasks.
  case highStakes = "high-stakes"
  /// Every task.
  case all
}

/// How a human who checks an output (a review or a sign-off) reaches its verdict.
public enum JudgmentRule: String, Sendable, Hashable, CaseIterable {
  /// Fixed chances: a wrong output is found with probability `detectSkill * skill`, a
  /// correct one rejected with probability `falseAlarmRate` (model versions 1 and 2).
  case detect
  /// The judge forms its own view and, where it disagrees with the output, relies on it or
  /// pushes back by its reliance policy (model version 3).
  case judge
}

/// How a judge resolves a disagreement with the output it checks.
public enum Reliance: String, Sendable, Hashable, CaseIterable {
  /// Defer to the output with probability `trust`.
  case fixed
  /// Push back when its own success beats the team's estimate of the output's author.
  case calibrated
}

/// The organisational design: every switch and number of `design.*` (docs/MODEL.md section 2).
///
/// Each switch turns one mechanism on independently of the others. The memberwise
/// defaults are the `unstructured` preset's.
public struct Design: Sendable, Hashable {
  public var routing: Routing = .selfSelect
  public var communication: Communication = .allToAll
  /// Probability that a pool execution is duplicated by the next idle agent.
  public var duplicationRate: Double = 0.15
  public var translation: Bool = false
  public var review: ReviewPolicy = .none
  public var reviewRate: Double = 1.0
  public var audit: Bool = false
  public var catalyst: Bool = false
  public var escalation: Bool = false
  public var ledger: Bool = false
  /// Votes per attempt (k); 1 means no redundancy.
  public var redundancy: Int = 1

  /// Overhead per informed colleague, as a share of execution time.
  public var commCost: Double = 0.02
  /// Hours of one `route` job.
  public var routeTime: Double = 0.05
  /// Routing and escalation only address agents whose queue is shorter than this.
  public var maxQueue: Int = 2
  /// How well the leader knows the team: estimate error sd is `0.3 * (1 - fluency)`.
  public var leaderFluency: Double = 0.5
  /// Step size of the ledger's update of the estimate.
  public var learningRate: Double = 0.05
  /// Translation hours per unit of ambiguity times work, at speed 1.
  public var translateEffort: Double = 0.2
  /// Share of ambiguity that translation removes.
  public var translationQuality: Double = 0.6
  /// Review hours per unit of work, at speed 1.
  public var reviewEffort: Double = 0.15
  /// A reviewer finds a wrong output with probability `detectSkill * skill`.
  public var detectSkill: Double = 0.9
  /// Probability that a review rejects a correct output.
  public var falseAlarmRate: Double = 0.03
  /// Share of delivered tasks the monitor audits.
  public var auditRate: Double = 0.25
  /// Audit hours per unit of work, at speed 1.
  public var auditEffort: Double = 0.2
  /// Probability that an audit finds an escaped error.
  public var auditSkill: Double = 0.8
  /// Competence added by pairing a catalyst with an AI agent.
  public var synergy: Double = 0.15
  /// A pair works this many times faster than the catalyst alone.
  public var pairSpeedup: Double = 1.5
  /// With escalation, a stage found at fault this many times goes to a human.
  public var maxAttempts: Int = 3
  /// One owner per task: once stage 0 is accepted, its agent executes every later stage.
  public var continuity: Bool = false
  /// Ambiguity added to an execution whose input came from another agent (a hand-off).
  public var handoffLoss: Double = 0.2
  /// Hours a hand-off execution spends reading in its input (communication, not scaled).
  public var handoffTime: Double = 0.1
  /// Which tasks the accountable human signs off before delivery.
  public var signoff: SignoffPolicy = .none
  /// Sign-off hours per unit of the task's work, at speed 1.
  public var signoffEffort: Double = 0.1
  /// How a human reviewer or signer reaches a verdict.
  public var judgment: JudgmentRule = .detect
  /// How a judge resolves a disagreement (read only under `judge`).
  public var reliance: Reliance = .fixed
  /// Under fixed reliance, the chance of deferring to the output on a disagreement.
  public var trust: Double = 0.5

  public init() {}

  /// No roles at work: self-selection from a pool, everyone informs everyone.
  public static var unstructured: Design { Design() }

  /// Every mechanism on: conductor, hierarchy, translation, expert review, audit,
  /// catalyst, escalation, the ledger, and sign-off of high-stakes work.
  public static var structured: Design {
    var design = Design()
    design.signoff = .highStakes
    design.routing = .conductor
    design.communication = .hierarchy
    design.duplicationRate = 0
    design.translation = true
    design.review = .expert
    design.audit = true
    design.catalyst = true
    design.escalation = true
    design.ledger = true
    return design
  }

  /// The built-in presets by name.
  public static let presets: [(name: String, design: Design)] = [
    ("unstructured", .unstructured), ("structured", .structured),
  ]

  /// The preset called `name`, if there is one.
  public static func preset(named name: String) -> Design? {
    presets.first { $0.name == name }?.design
  }
}
