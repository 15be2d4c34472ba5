/// What a policy or a mechanism of your own may see and do during a run.
///
/// The engine conforms; a policy receives it as `inout some RunState`, generically, so a
/// built-in policy is compiled into the engine with no indirection. Everything here reads
/// the run as it stands at the moment of the call. Agents and tasks are named by
/// ``AgentID`` and ``TaskID``; a stage is a task and a stage number from 0.
public protocol RunState: ~Copyable {
  /// Hours since the start of the run.
  var now: Double { get }
  /// The team, expanded to one entry per agent.
  var team: Team { get }
  /// The design of this run.
  var design: Design { get }
  /// The acting conductor under conductor routing; nil under self-selection or without a
  /// conductor-role holder.
  var conductor: AgentID? { get }
  /// The task's attributes, drawn before the run.
  func task(_ task: TaskID) -> TaskSpec
  /// The domain of a stage (stage 0's is the task's).
  mutating func domain(of task: TaskID, stage: Int) -> Int
  /// Jobs waiting in the agent's personal queue (not the one in progress).
  mutating func queueLength(of agent: AgentID) -> Int
  /// Whether the agent has a job in progress.
  mutating func isBusy(_ agent: AgentID) -> Bool
  /// The agent's true skill in a domain, drift included.
  mutating func skill(of agent: AgentID, in domain: Int) -> Double
  /// The team's estimate of the agent's skill in a domain.
  mutating func estimate(of agent: AgentID, in domain: Int) -> Double
  /// Sets the team's estimate of the agent's skill in a domain (clamped to [0, 1]).
  mutating func setEstimate(of agent: AgentID, in domain: Int, to value: Double)
  /// The success probability `p` (docs/MODEL.md section 7) of `agent` on a stage: with its
  /// true skill or, when `estimated`, the team's estimate; with the hand-off loss when its
  /// execution of the stage would be a hand-off.
  mutating func success(
    of agent: AgentID, on task: TaskID, stage: Int, estimated: Bool
  ) -> Double
  /// The success probability `p` of `agent` on a stage with its skill read in `domain`
  /// (true, or the team's estimate when `estimated`), the hand-off loss included only when
  /// `handoff`: a judge's own view of a stage it checks (docs/MODEL.md section 7, "Judgment").
  mutating func success(
    of agent: AgentID, on task: TaskID, stage: Int, domain: Int, estimated: Bool, handoff: Bool
  ) -> Double
  /// The estimated success `p_hat` of a stage's counted execution, with its hand-off loss
  /// when it was a hand-off: what the ledger and a calibrated judge read.
  mutating func outputEstimate(of task: TaskID, stage: Int) -> Double
  /// Whether the agent is a person.
  mutating func isHuman(_ agent: AgentID) -> Bool
  /// The agent with the highest estimated success on the stage among those allowed to
  /// execute (all but the acting conductor) whose queue is shorter than `maxQueue`, and not
  /// already given a vote of the stage's attempt when `skippingChosen`; ties go to the
  /// shorter queue, then the lower index. The built-in routing rule.
  mutating func bestByEstimate(on task: TaskID, stage: Int, skippingChosen: Bool) -> AgentID?
  /// Whether the agent already has a vote of the stage attempt being routed.
  mutating func wasChosen(_ agent: AgentID) -> Bool
  /// One uniform draw on [0, 1) from the replication's process stream. Every draw changes
  /// what follows: a policy that draws gives other results than one that does not.
  mutating func uniform() -> Double
  /// Schedules a timer of the run's ``Mechanism`` at `time` (ignored at or past the end of
  /// the run, `2 * horizon`).
  mutating func setTimer(at time: Double, tag: Int32)
  /// Gives the agent a duty of `hours` hours on behalf of the run's ``Mechanism``, which
  /// hears of its end. At the front of the agent's personal queue when `first` (the agent
  /// takes it as soon as its current job ends), else behind the duties waiting. An idle
  /// agent starts it at once. Its hours are structure hours.
  mutating func assignDuty(to agent: AgentID, hours: Double, tag: Int32, first: Bool)
}

/// Who gets a stage under conductor routing: the rule a conductor's `route` job applies to
/// each of the attempt's executions (docs/MODEL.md section 7, "Routing").
///
/// The built-in rule is ``EstimateRouting``. A policy of your own returns an agent for each
/// vote, or nil to send the vote to the shared pool. It must not return the acting
/// conductor, which takes no execute job under conductor routing.
public protocol RoutingPolicy {
  mutating func choose<Run: RunState & ~Copyable>(
    for task: TaskID, stage: Int, vote: Int, in run: inout Run
  ) -> AgentID?
}

/// The built-in routing rule: the agent with the highest estimated success among those whose
/// queue is shorter than `maxQueue` (ties: shorter queue, then lower index); under
/// redundancy, each vote to a different agent.
public struct EstimateRouting: RoutingPolicy {
  public init() {}

  @inline(__always)
  public mutating func choose<Run: RunState & ~Copyable>(
    for task: TaskID, stage: Int, vote: Int, in run: inout Run
  ) -> AgentID? {
    run.bestByEstimate(on: task, stage: stage, skippingChosen: vote > 0)
  }
}

/// A verdict that a review, a sign-off or an audit asks for.
public struct VerdictRequest: Sendable, Hashable {
  /// `.review`, `.signoff` or `.audit`.
  public var kind: JobKind
  /// Who gives the verdict.
  public var judge: AgentID
  public var task: TaskID
  /// The stage whose output is judged: the reviewed stage, or the last stage for a sign-off
  /// or an audit.
  public var stage: Int
  /// The domain the judge's skill is read in: the stage's for a review, the task's for a
  /// sign-off (docs/MODEL.md section 7, "Sign-off").
  public var domain: Int
  /// Whether the judged output is wrong (its own error or an inherited one): the truth the
  /// verdict rules are written in.
  public var outputWrong: Bool
}

/// What a verdict decided.
public struct Verdict: Sendable, Hashable {
  /// Whether the output is rejected (or, for an audit, found wrong).
  public var rejects: Bool
  /// Whether the judge's own view disagreed with the output; nil when the rule forms no view
  /// of its own (the fixed chances of `detect`, and audits).
  public var disagreed: Bool?

  public init(rejects: Bool, disagreed: Bool? = nil) {
    self.rejects = rejects
    self.disagreed = disagreed
  }
}

/// What a reviewer, signer or auditor decides (docs/MODEL.md section 7, "Review",
/// "Sign-off" and "Delivery and audit").
///
/// The built-in rule is ``DetectVerdicts``. A policy of your own decides from the request and
/// the run; its draws come from the process stream through ``RunState/uniform()``.
public protocol VerdictPolicy {
  mutating func verdict<Run: RunState & ~Copyable>(
    on request: VerdictRequest, in run: inout Run
  ) -> Verdict
}

/// The fixed chances of docs/MODEL.md section 7 ("Review", "Sign-off", "Delivery and
/// audit"): one uniform per review or
/// sign-off, which finds a wrong output with probability `detectSkill * skill` of the judge
/// in the request's domain and rejects a correct one with probability `falseAlarmRate`; an
/// audit finds a wrong output with probability `auditSkill` (one uniform) and always passes
/// a correct one (no draw).
public struct DetectVerdicts: VerdictPolicy {
  public init() {}

  @inline(__always)
  public mutating func verdict<Run: RunState & ~Copyable>(
    on request: VerdictRequest, in run: inout Run
  ) -> Verdict {
    if request.kind == .audit {
      return Verdict(rejects: request.outputWrong && run.uniform() < run.design.auditSkill)
    }
    let u = run.uniform()
    if !request.outputWrong { return Verdict(rejects: u < run.design.falseAlarmRate) }
    return Verdict(
      rejects: u < run.design.detectSkill * run.skill(of: request.judge, in: request.domain))
  }
}

/// A mechanism of your own, beside the built-in design switches: it can set timers, give
/// agents duties, and read and move the team's estimate.
///
/// The engine calls it at the start of every run, when one of its timers fires, and when a
/// duty it gave ends. ``NoMechanism`` is the empty one, and compiles to nothing.
public protocol Mechanism {
  /// Whether the engine calls this mechanism at all.
  static var acts: Bool { get }
  /// At the start of a run, once the task list, the drift updates and the team's estimate
  /// are drawn, before the first event.
  mutating func start<Run: RunState & ~Copyable>(_ run: inout Run)
  /// A timer set with ``RunState/setTimer(at:tag:)`` fires.
  mutating func timer<Run: RunState & ~Copyable>(_ tag: Int32, _ run: inout Run)
  /// A duty given with ``RunState/assignDuty(to:hours:tag:first:)`` ends.
  mutating func dutyEnded<Run: RunState & ~Copyable>(
    _ tag: Int32, by agent: AgentID, _ run: inout Run)
}

/// No mechanism beyond the built-in ones.
public struct NoMechanism: Mechanism {
  public init() {}
  @inline(__always) public static var acts: Bool { false }
  @inline(__always) public mutating func start<Run: RunState & ~Copyable>(_ run: inout Run) {}
  @inline(__always) public mutating func timer<Run: RunState & ~Copyable>(
    _ tag: Int32, _ run: inout Run
  ) {}
  @inline(__always) public mutating func dutyEnded<Run: RunState & ~Copyable>(
    _ tag: Int32, by agent: AgentID, _ run: inout Run
  ) {}
}
