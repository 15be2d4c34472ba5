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
  /// Executions the attempt waits for in all (declared here, where the layout has room).
  var votes: Int32 = 0
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
  /// Replaced by a judge's own answer (a decision task's override): the output is the
  /// judge's, and no execution.
  var overridden = false

  init() {}

  /// A new attempt numbered `number` that waits for `votes` executions.
  @inline(__always)
  init(number: Int32, votes: Int) {
    self.number = number
    self.votes = Int32(votes)
    votesLeft = Int32(votes)
  }

  /// Whether the votes are in and the output decided.
  var decided: Bool { number > 0 && votesLeft == 0 }
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

/// The counted execution of one vote slot of an attempt: who did it, and its hours and
/// their communication part. Kept so that rework can be charged to the agents who did it.
struct SlotRecord: BitwiseCopyable {
  var agent = AgentID.none
  var hours = 0.0
  var comm = 0.0
}

/// Tasks and their stages during a run: the pre-drawn task list, each task's state, each
/// stage's state and current attempt, the agents executing an attempt's votes, and the
/// cycle times of delivered tasks.
///
/// Per-stage tables are indexed `task * stageCount + stage` (the engine's `stageIndex`).
struct TaskBook: ~Copyable {
  /// The task list of the last seed drawn, and that seed: a new seed draws a new list.
  var list: [TaskSpec] = []
  var listSeed: UInt64?
  var count = 0
  var specs = Slab<TaskSpec>()
  /// The domain of each stage, drawn with the task list.
  var stageDomain = Slab<Int32>()
  var state = Slab<TaskState>()
  var stages = Slab<StageState>()
  /// `stage * voterStride + i`: agents executing the stage's current attempt (under
  /// redundancy; duplicates included).
  var voters = Slab<AgentID>()
  var voterStride = 2
  /// `stage * slotStride + slot`: the counted execution of each vote slot of the attempt.
  var slots = Slab<SlotRecord>()
  var slotStride = 1
  /// Completion times of delivered tasks, in delivery order.
  var cycles = Slab<Double>()

  /// Empties every task's and stage's state for a run of `stageCount` stages per task and
  /// `votes` votes per attempt.
  mutating func reset(stageCount: Int, votes: Int) {
    state.reserve(count)
    stages.reserve(count * stageCount)
    cycles.reserve(count)
    for t in 0..<count {
      var s = TaskState()
      s.alphaEff = specs[t].ambiguity
      state[t] = s
    }
    for k in 0..<(count * stageCount) { stages[k] = StageState() }
    voterStride = 2 * votes
    if votes > 1 { voters.fill(.none, count: count * stageCount * voterStride) }
    slotStride = votes
    slots.reserve(count * stageCount * slotStride)
  }

  /// Checks every arrived task's stages: attempts count their votes consistently, a stage's
  /// failures stay below abandonment while its task is open, an accepted output has an
  /// agent, and tasks not yet arrived are untouched. Returns the number of open tasks
  /// among the arrived. - Complexity: O(arrived × stages)
  mutating func _checkInvariants(arrived: Int, stageCount: Int, abandonAfter: Int) -> Int {
    var open = 0
    for t in 0..<count {
      let task = state[t]
      if t < arrived && task.open { open += 1 }
      for j in 0..<stageCount {
        let s = stages[t * stageCount + j]
        let a = s.attempt
        if t >= arrived {
          precondition(a.number == 0 && !s.accepted, "task \(t) has not arrived but has work")
          continue
        }
        precondition(
          s.failures >= 0 && Int(s.failures) <= abandonAfter,
          "task \(t) stage \(j): failures \(s.failures)")
        if task.open {
          precondition(Int(s.failures) < abandonAfter, "open task \(t) has an abandoned stage \(j)")
        }
        precondition(
          a.votesLeft >= 0 && a.votesLeft <= a.votes,
          "task \(t) stage \(j): votes left \(a.votesLeft) of \(a.votes)")
        precondition(
          a.correctVotes >= 0 && a.incorrectVotes >= 0
            && a.correctVotes + a.incorrectVotes + a.votesLeft <= a.votes,
          "task \(t) stage \(j): more votes cast than the attempt has")
        precondition(
          a.votes <= 64 && (a.votes == 64 || a.slotsDone >> UInt64(a.votes) == 0),
          "task \(t) stage \(j): a vote slot outside the attempt")
        precondition(a.hours >= 0, "task \(t) stage \(j): negative attempt hours")
        if s.accepted {
          precondition(
            a.decided && a.outputAgent.exists, "task \(t) stage \(j) accepted without an output")
        }
      }
    }
    return open
  }
}
