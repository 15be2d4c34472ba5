/// A job: addressed to an agent's personal queue or waiting in the pool.
struct Job: BitwiseCopyable {
  var kind: JobKind
  /// An execute job that pairs the catalyst with the best AI agent (arrival step 2).
  var pair: Bool
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
  /// When the agent last became idle (the longest-idle rule).
  var idleSince = 0.0
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
}

/// One execution that counts in an attempt: its agent, and its routing regret (NaN for a
/// pair, which has none).
struct Execution: BitwiseCopyable {
  var agent = AgentID.none
  var regret = Double.nan
}

/// One attempt at a task's work: its votes, the execution that counts, and the output it
/// produced. A task holds one at a time; a redo starts the next.
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
  /// The output on its way to delivery or delivered: its true outcome and its agent.
  var outputCorrect = false
  var outputAgent = AgentID.none

  init() {}

  /// A new attempt numbered `number` that waits for `votes` executions.
  init(number: Int32, votes: Int) {
    self.number = number
    votesLeft = Int32(votes)
  }
}

/// Everything a run adds up, reset in one assignment at the start of a run.
struct RunTotals {
  var delivered = 0
  var correct = 0
  var humanCorrect = 0
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
