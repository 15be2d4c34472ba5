/// Redundancy, or voting (docs/MODEL.md section 7, "Redundancy"): the design parameter `redundancy` = k.
///
/// - **Where it acts:**
///   - placing an attempt (``Engine/place(_:_:)``, ``RouteJob``): k executions by k
///     distinct agents, k pool jobs under self-selection or the k best picks of the routing
///     policy (escalation, the catalyst and continuity place one);
///   - taking from the pool (``Engine/mayTake(_:_:)``): no agent executes two votes of one
///     attempt;
///   - the end of an attempt (``Engine/castVote(_:correct:visible:_:_:)``): the votes are the
///     outputs that are not visible errors; the output is correct when correct votes
///     outnumber incorrect ones, ties by a fair coin; no votes is a visible error. The first
///     finished vote that agrees with the majority is the attempt's counted execution.
/// - With k = 1 (the default) every attempt is one execution and its own majority.
extension Engine {
  /// `votes` executions of stage `j`'s new attempt, in the pool.
  @inline(__always)
  mutating func placeVotesInPool(_ t: TaskID, _ j: Int, votes: Int) {
    for slot in 0..<votes { placeInPool(ExecuteJob.new(t, j, slot: slot, in: &self)) }
  }

  /// `agent` starts an execution of stage `j`'s attempt: under redundancy, one of its
  /// voters (copies included).
  @inline(__always)
  mutating func recordVoter(_ agent: AgentID, _ t: TaskID, _ j: Int) {
    guard config.votes > 1 else { return }
    let k = stageIndex(t, j)
    let count = Int(work.stages[k].attempt.votersCount)
    if count < work.voterStride {
      work.voters[k * work.voterStride + count] = agent
      work.stages[k].attempt.votersCount += 1
    }
  }

  /// Whether `agent` already executes a vote of the attempt of pool job `job`.
  @inline(__always)
  mutating func isVoter(_ agent: AgentID, _ job: JobID) -> Bool {
    let k = stageIndex(jobs.records[job].task, Int(jobs.records[job].stage))
    let base = k * work.voterStride
    for i in 0..<Int(work.stages[k].attempt.votersCount) where work.voters[base + i] == agent {
      return true
    }
    return false
  }

  /// A counted execution of stage `j` ends: its vote is cast. When the attempt's last vote
  /// is in, the majority decides (ties by a fair coin) and the output is either a visible
  /// error or an apparent success.
  @inline(__always)
  mutating func castVote(
    _ execution: Execution, correct isCorrect: Bool, visible: Bool, _ t: TaskID, _ j: Int
  ) {
    let j = stage(j)
    let k = stageIndex(t, j)
    if !work.stages[k].attempt.first.agent.exists { work.stages[k].attempt.first = execution }
    if isCorrect {
      work.stages[k].attempt.correctVotes += 1
      if !work.stages[k].attempt.firstCorrect.agent.exists {
        work.stages[k].attempt.firstCorrect = execution
      }
    } else if !visible {
      work.stages[k].attempt.incorrectVotes += 1
      if !work.stages[k].attempt.firstIncorrect.agent.exists {
        work.stages[k].attempt.firstIncorrect = execution
      }
    }
    work.stages[k].attempt.votesLeft -= 1
    if work.stages[k].attempt.votesLeft > 0 { return }

    let correctVotes = work.stages[k].attempt.correctVotes
    let incorrectVotes = work.stages[k].attempt.incorrectVotes
    if correctVotes + incorrectVotes == 0 {
      // No votes: a visible error. The first finished execution is the counted one.
      countRegret(work.stages[k].attempt.first.regret)
      visibleError(t, j)
      return
    }
    let majorityCorrect: Bool
    if correctVotes != incorrectVotes {
      majorityCorrect = correctVotes > incorrectVotes
    } else {
      majorityCorrect = streams.process.nextUniform() < 0.5
    }
    let counted =
      majorityCorrect ? work.stages[k].attempt.firstCorrect : work.stages[k].attempt.firstIncorrect
    countRegret(counted.regret)
    work.stages[k].attempt.outputAgent = counted.agent
    work.stages[k].attempt.outputHandoff = counted.handoff
    work.stages[k].attempt.outputCorrect = majorityCorrect
    // An inherited error is never visible: the output looks as its own outcome says.
    work.stages[k].attempt.outputWrong = !majorityCorrect || (j > 0 && inputWrong(t, j))
    apparentSuccess(t, j)
  }

  mutating func countRegret(_ value: Double) {
    if !value.isNaN {
      totals.regretSum += value
      totals.regretCount += 1
    }
  }
}
