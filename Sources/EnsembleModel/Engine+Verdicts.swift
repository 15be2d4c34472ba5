// Verdicts and their consequences (docs/MODEL.md section 7): review, sign-off and audit;
// blame, failures, rework and rewinds; the ledger; delivery and abandonment.
extension Engine {
  // MARK: - Review

  /// A review verdict on stage `j`'s output: a wrong output (its own error or an inherited
  /// one) is found with probability `detectSkill * skill` in the stage's domain, a correct
  /// one rejected with probability `falseAlarmRate`. A review of a closed task gives no
  /// verdict and draws nothing.
  mutating func reviewed(_ reviewer: AgentID, _ t: TaskID, _ j: Int) {
    let j = stage(j)
    guard state[t].open else {
      recordOutcome(.void)
      return
    }
    let k = stageIndex(t, j)
    let u = streams.process.nextUniform()
    let rejected: Bool
    totals.counters.reviews &+= 1
    if !stages[k].attempt.outputWrong {
      rejected = u < design.falseAlarmRate
    } else {
      totals.counters.reviewedWrong &+= 1
      rejected = u < design.detectSkill * skill[reviewer.index * domains + domain(t, j)]
      if rejected { totals.counters.reviewsFindingWrong &+= 1 }
    }
    recordVerdict(rejected: rejected, wrong: stages[k].attempt.outputWrong)
    if rejected {
      totals.counters.reviewRejections &+= 1
      reject(t, j)
    } else {
      learn(t, j, correct: true)
      if profile[reviewer].isHuman { stages[k].attempt.humanPassed = true }
      accept(t, j)
    }
  }

  // MARK: - Failures, blame and rework

  /// An attempt of stage `j` ended in a visible error (every vote visible): one more
  /// failure of the stage; the task is abandoned when it reaches `abandonAfter`, otherwise
  /// the attempt's hours are rework and the stage is redone.
  mutating func visibleError(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let k = stageIndex(t, j)
    stages[k].failures += 1
    if Int(stages[k].failures) >= abandonAfter {
      abandon(t)
      return
    }
    totals.reworkHours += stages[k].attempt.hours
    if Mode.traces { recordTask(.rework, t, stage: j, hours: stages[k].attempt.hours) }
    place(t, j)
  }

  /// The outcome of a verdict in the trace: found error, false alarm or passed.
  @inline(__always)
  mutating func recordVerdict(rejected: Bool, wrong: Bool) {
    recordOutcome(rejected ? (wrong ? .foundError : .falseAlarm) : .passed)
  }

  /// The stages at or upstream of `j` (the stage, its inputs, their inputs, ...), one bit
  /// per stage: stages 0 to j of a chain; every stage for a fan-out's merge; a part alone.
  /// (Mutating only so that the call passes the engine by reference, not by copy.)
  mutating func upstream(of j: Int) -> UInt32 {
    if shape == .chain || j == stageCount - 1 { return (1 << UInt32(j + 1)) - 1 }
    return 1 << UInt32(j)
  }

  /// A review or sign-off rejected stage `j`'s output. Blame falls on every stage at or
  /// upstream of `j` whose current output is at fault (its own outcome was an error), or on
  /// `j` alone when none is (a false alarm). The ledger learns first; then each blamed stage
  /// fails once, and the task is abandoned if a stage's failures reach `abandonAfter`.
  /// Otherwise the discarded outputs' hours are rework and the work goes back: a chain to its
  /// earliest blamed stage (later stages rerun as they become ready); a fan-out to its
  /// blamed parts (the merge reruns once every part is accepted), or to the merge alone.
  mutating func reject(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    var blamed: UInt32 = 0
    let candidates = upstream(of: j)
    for i in 0...j where candidates & (1 << UInt32(i)) != 0 {
      if !stages[stageIndex(t, i)].attempt.outputCorrect { blamed |= 1 << UInt32(i) }
    }
    if blamed == 0 { blamed = 1 << UInt32(j) }

    for i in 0...j where blamed & (1 << UInt32(i)) != 0 { learn(t, i, correct: false) }
    var abandoning = false
    for i in 0...j where blamed & (1 << UInt32(i)) != 0 {
      let k = stageIndex(t, i)
      stages[k].failures += 1
      if Int(stages[k].failures) >= abandonAfter { abandoning = true }
    }
    if abandoning {
      abandon(t)
      return
    }

    // Discard the outputs that go back, counting their hours as rework.
    var discarded: UInt32
    if shape == .chain {
      let earliest = blamed.trailingZeroBitCount
      discarded = (1 << UInt32(j + 1)) - (1 << UInt32(earliest))
      if earliest < j { totals.counters.rewinds &+= 1 }
    } else {
      discarded = blamed | (1 << UInt32(j))
    }
    for i in 0...j where discarded & (1 << UInt32(i)) != 0 {
      let k = stageIndex(t, i)
      totals.reworkHours += stages[k].attempt.hours
      if Mode.traces { recordTask(.rework, t, stage: i, hours: stages[k].attempt.hours) }
      stages[k].accepted = false
    }

    let parts = j == stageCount - 1 ? blamed & ~(1 << UInt32(j)) : 0
    if shape == .chain {
      place(t, blamed.trailingZeroBitCount)
    } else if parts != 0 {
      // The merge was rejected and parts are blamed: they are redone, all at once, or in
      // part order under continuity (the merge reruns once every part is accepted).
      for i in 0..<j where parts & (1 << UInt32(i)) != 0 {
        place(t, i)
        if design.continuity { break }
      }
    } else {
      place(t, j)  // a part, or a merge blamed alone
    }
  }

  // MARK: - Sign-off and delivery

  /// The last stage's output is accepted: with sign-off required for this task and an
  /// accountable human, a `signoff` duty for that human; otherwise the task is delivered.
  @inline(__always)
  mutating func lastStageAccepted(_ t: TaskID) {
    if signer.exists
      && (design.signoff == .all || (design.signoff == .highStakes && tasks[t].highStakes))
    {
      address(newJob(.signoff, task: t, stage: stageCount - 1), to: signer)
    } else {
      deliver(t)
    }
  }

  /// The sign-off verdict (one uniform): a wrong result is found with probability
  /// `detectSkill * skill` of the signer in the task's domain, a correct one rejected with
  /// probability `falseAlarmRate`. A pass delivers the task; a rejection is handled as a
  /// review's rejection of the last stage.
  mutating func signedOff(_ signer: AgentID, _ t: TaskID) {
    guard state[t].open else {
      recordOutcome(.void)
      return
    }
    let last = stageCount - 1
    let u = streams.process.nextUniform()
    totals.counters.signoffs &+= 1
    let rejected =
      stages[stageIndex(t, last)].attempt.outputWrong
      ? u < design.detectSkill * skill[signer.index * domains + tasks[t].domain]
      : u < design.falseAlarmRate
    recordVerdict(rejected: rejected, wrong: stages[stageIndex(t, last)].attempt.outputWrong)
    if rejected {
      totals.counters.signoffRejections &+= 1
      reject(t, last)
    } else {
      for j in 0..<stageCount { learn(t, j, correct: true) }
      state[t].signedOff = true
      deliver(t)
    }
  }

  mutating func deliver(_ t: TaskID) {
    close(t)
    cycles[totals.delivered] = now - tasks[t].arrival
    totals.delivered &+= 1
    let wrong = stages[stageIndex(t, stageCount - 1)].attempt.outputWrong
    // A task is answered for by a sign-off, or when a human reviewer passed every stage an
    // AI agent executed (a pair counts as the catalyst's).
    var allAIReviewed = true
    var humanStages = 0
    let base = stageIndex(t, 0)
    for k in base..<(base + stageCount) {
      if profile[stages[k].attempt.outputAgent].isHuman {
        humanStages &+= 1
      } else if !stages[k].attempt.humanPassed {
        allAIReviewed = false
      }
      if stages[k].attempt.outputWrong { totals.wrongStages &+= 1 }
      if !stages[k].attempt.outputCorrect { totals.faultStages &+= 1 }
      if stages[k].attempt.outputHandoff { totals.handoffStages &+= 1 }
    }
    if state[t].signedOff || allAIReviewed { totals.answered &+= 1 }
    if !wrong {
      totals.correct &+= 1
      totals.humanStages &+= humanStages
    }
    if Mode.traces {
      let agent = stages[stageIndex(t, stageCount - 1)].attempt.outputAgent
      recordTask(.deliver, t, agent: agent, outcome: wrong ? .escaped : .correct)
    }
    if tasks[t].highStakes {
      totals.stakesDelivered &+= 1
      if wrong { totals.stakesIncorrect &+= 1 }
    }
    if monitor.exists && streams.process.bernoulli(design.auditRate) {
      address(newJob(.audit, task: t, stage: stageCount - 1), to: monitor)
    }
  }

  mutating func close(_ t: TaskID) {
    state[t].open = false
    totals.openTasks -= 1
    totals.inSystem -= 1
    totals.lastClose = now
  }

  /// Closes the task as a failure: its waiting jobs are removed unstarted; its jobs in
  /// progress run to their end and have no effect.
  mutating func abandon(_ t: TaskID) {
    totals.abandoned += 1
    close(t)
    if Mode.traces { recordTask(.abandon, t) }
    for list in 0..<(2 * n + 1) where lists[list].count > 0 {
      var previous = JobID.none
      var job = lists[list].head
      while job.exists {
        let next = jobs[job].next
        if jobs[job].task == t {
          if previous.exists { jobs[previous].next = next } else { lists[list].head = next }
          if lists[list].tail == job { lists[list].tail = previous }
          lists[list].count -= 1
          release(job)
          totals.counters.droppedJobs &+= 1
        } else {
          previous = job
        }
        job = next
      }
    }
  }

  // MARK: - Audit and the ledger

  /// An audit verdict on a delivered task: an escaped error is found with probability
  /// `auditSkill` (it stays delivered-incorrect but counts as caught late); a correct result
  /// always passes. A find blames, for the ledger only, every stage at fault; a pass
  /// vouches for every stage.
  mutating func audited(_ t: TaskID) {
    totals.counters.audits &+= 1
    var found = false
    if stages[stageIndex(t, stageCount - 1)].attempt.outputWrong {
      found = streams.process.nextUniform() < design.auditSkill
      if found { totals.caughtLate += 1 }
    }
    recordOutcome(found ? .foundError : .passed)
    for j in 0..<stageCount {
      if !found {
        learn(t, j, correct: true)
      } else if !stages[stageIndex(t, j)].attempt.outputCorrect {
        learn(t, j, correct: false)
      }
    }
  }

  /// The ledger: `estimate += learningRate * (y - p_hat)` for the agent of stage `j`'s
  /// counted execution, in the stage's domain, clamped to [0, 1]; `y` is 1 when the verdict
  /// found no error, and `p_hat` includes the hand-off loss when that execution was a
  /// hand-off.
  mutating func learn(_ t: TaskID, _ j: Int, correct: Bool) {
    let j = stage(j)
    guard design.ledger else { return }
    let k = stageIndex(t, j)
    let agent = stages[k].attempt.outputAgent
    let pHat = success(
      competence(agent, t, j, estimated: true, handoff: stages[k].attempt.outputHandoff), t)
    let y: Double = correct ? 1 : 0
    let i = agent.index * domains + domain(t, j)
    estimate[i] = min(1, max(0, estimate[i] + design.learningRate * (y - pHat)))
  }
}
