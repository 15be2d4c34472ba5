/// A job: addressed to an agent's personal queue or waiting in the pool.
struct Job: BitwiseCopyable {
  var kind: JobKind
  /// An execute job that pairs the catalyst with the best AI agent (arrival step 2).
  var pair: Bool
  /// The stage the job works on (0 to stages − 1).
  var stage: UInt8
  var task: TaskID
  /// The attempt the job belongs to: stale once the task has moved on to another.
  var attempt: Int32
  /// The vote slot within the attempt (execute jobs; 0 without redundancy).
  var slot: Int32
  /// Intrusive link to the next job of the same queue; none at the tail.
  var next: JobID
}

/// A FIFO of jobs linked through `Job.next`.
struct JobList: BitwiseCopyable {
  var head = JobID.none
  var tail = JobID.none
  var count = 0
}

/// What the engine reads of an agent at every step, in one record.
struct AgentProfile: BitwiseCopyable {
  var speed: Double
  var costPerHour: Double
  var edgePenalty: Double
  var ambiguityPenalty: Double
  var noveltyPenalty: Double
  var silentShare: Double
  var isHuman: Bool
}

/// An agent during a run.
struct AgentState: BitwiseCopyable {
  /// Busy exactly when a job is in progress (`currentJob` exists).
  var busy = false
  var currentJob = JobID.none
  var jobStart = 0.0
  /// Hours of the job in progress, and the communication part of them.
  var jobHours = 0.0
  var jobComm = 0.0
  /// Busy hours so far in the run.
  var busyHours = 0.0
}

/// What a task carries for its whole life during a run.
struct TaskState: BitwiseCopyable {
  /// Effective ambiguity: the task's, reduced once translated.
  var alphaEff = 0.0
  var open = true
  var startedExecution = false
  /// Passed a sign-off by the accountable human.
  var signedOff = false
  /// Under continuity, the agent of stage 0's first accepted execution; none before.
  var owner = AgentID.none
}

/// One execution that counts in an attempt: its agent, its routing regret (NaN for a pair,
/// which has none), and whether it was a hand-off.
struct Execution: BitwiseCopyable {
  var regret = Double.nan
  var agent = AgentID.none
  var handoff = false
}

/// One attempt at a stage's work: its votes, the execution that counts, and the output it
/// produced. A stage holds one at a time; a redo or a rerun starts the next.
struct AttemptState: BitwiseCopyable {
  /// The attempt's number, from 1; jobs carry it to tell a stale copy from a live one.
  var number: Int32 = 0
  /// Executions the attempt still waits for.
  var votesLeft: Int32 = 0
  /// Vote slots already finished (the first copy of a duplicated execution counts).
  var slotsDone: UInt64 = 0
  var votersCount: Int32 = 0
  var correctVotes: Int32 = 0
  var incorrectVotes: Int32 = 0
  /// The first finished execution, and the first finished correct and incorrect votes.
  var first = Execution()
  var firstCorrect = Execution()
  var firstIncorrect = Execution()
  /// Hours of the counted executions (all votes), communication included.
  var hours = 0.0
  /// The output, once the votes are in: whether its own outcome was correct (the
  /// majority's), the counted execution's agent and whether it was a hand-off, whether the
  /// output is wrong (its own error or an input's), and whether a human reviewer passed it.
  var outputCorrect = false
  var outputAgent = AgentID.none
  var outputHandoff = false
  var outputWrong = false
  var humanPassed = false

  init() {}

  /// A new attempt numbered `number` that waits for `votes` executions.
  @inline(__always)
  init(number: Int32, votes: Int) {
    self.number = number
    votesLeft = Int32(votes)
  }
}

/// A stage of a task during a run: its current attempt, how often it was found at fault,
/// whether its output is accepted, and where its inputs came from.
struct StageState: BitwiseCopyable {
  var attempt = AttemptState()
  /// `f_j`: visible errors of the stage and rejections that blamed it.
  var failures: Int32 = 0
  var accepted = false
  /// The agent whose inputs make an execution of this stage no hand-off: none when the
  /// stage has no inputs, ``AgentID/mixed`` when its inputs came from several agents.
  var home = AgentID.none
}

extension AgentID {
  /// A stage whose inputs came from different agents: every execution is a hand-off.
  static let mixed = AgentID(raw: -2)
}

/// Everything a run adds up, reset in one assignment at the start of a run.
struct RunTotals {
  var delivered = 0
  var correct = 0
  /// Accepted stages executed by humans, over correct deliveries.
  var humanStages = 0
  /// Over delivered tasks: accepted stages that were wrong, at fault, hand-offs.
  var wrongStages = 0
  var faultStages = 0
  var handoffStages = 0
  /// Delivered tasks a human answered for.
  var answered = 0
  /// High-stakes deliveries, and the incorrect ones among them.
  var stakesDelivered = 0
  var stakesIncorrect = 0
  var abandoned = 0
  var caughtLate = 0
  var waitSum = 0.0
  var waitCount = 0
  var commHours = 0.0
  var structureHours = 0.0
  var reworkHours = 0.0
  var duplicateHours = 0.0
  var regretSum = 0.0
  var regretCount = 0
  /// Tasks not yet delivered or abandoned, and when the last one closed.
  var openTasks = 0
  var lastClose = 0.0
  /// Tasks arrived and not yet closed, and its integral over time (for Little's law).
  var inSystem = 0
  var inSystemArea = 0.0
  /// Counts that are not metrics, for tests and diagnostics.
  var counters = RunCounters()
}

/// A short list of agents in uniquely owned storage, for the loops of the event loop (a
/// Swift array would be retained and bounds-checked at every use). Holds at most the team.
struct AgentList: ~Copyable {
  private let storage: Slab<AgentID>
  private(set) var count = 0

  init(capacity: Int) { storage = Slab(capacity: capacity) }

  var isEmpty: Bool { count == 0 }

  @inline(__always) subscript(_ i: Int) -> AgentID { storage[i] }

  mutating func removeAll() { count = 0 }

  mutating func append(_ agent: AgentID) {
    storage[count] = agent
    count += 1
  }

  @inline(__always) func contains(_ agent: AgentID) -> Bool {
    for i in 0..<count where storage[i] == agent { return true }
    return false
  }
}
