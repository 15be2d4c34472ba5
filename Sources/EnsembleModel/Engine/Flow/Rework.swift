// Failures, blame and rework (docs/MODEL.md section 7, "Failures, escalation, abandonment"
// and "Blame and rework"): what happens to an output that is not accepted.
extension Engine {
  /// An attempt of stage `j` ended in a visible error (every vote visible): one more
  /// failure of the stage; the task is abandoned when it reaches `abandonAfter`, otherwise
  /// the attempt's hours are rework and the stage is redone.
  mutating func visibleError(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let k = stageIndex(t, j)
    work.stages[k].failures += 1
    if Int(work.stages[k].failures) >= config.abandonAfter {
      abandon(t)
      return
    }
    discard(t, j)
    place(t, j)
  }

  /// The output of stage `j` goes back: the hours of its attempt's counted executions are
  /// rework (charged to the agents who did them), and it is no longer accepted.
  @inline(__always)
  mutating func discard(_ t: TaskID, _ j: Int) {
    let k = stageIndex(t, j)
    let hours = work.stages[k].attempt.hours
    totals.reworkHours += hours
    report(taskEvent(.rework, t, stage: j, hours: hours))
    work.stages[k].accepted = false
    if checksInvariants { chargeRework(k) }
  }

  /// Moves the hours of stage table entry `k`'s counted executions from productive and
  /// communication hours to rework, agent by agent.
  mutating func chargeRework(_ k: Int) {
    var done = work.stages[k].attempt.slotsDone
    while done != 0 {
      let slot = done.trailingZeroBitCount
      done &= done - 1
      let r = work.slots[k * work.slotStride + slot]
      guard r.agent.exists else { continue }
      agents.uses[r.agent].productive -= r.hours - r.comm
      agents.uses[r.agent].communication -= r.comm
      agents.uses[r.agent].rework += r.hours
    }
  }

  /// The stages at or upstream of `j` (the stage, its inputs, their inputs, ...), one bit
  /// per stage: stages 0 to j of a chain; every stage for a fan-out's merge; a part alone.
  /// (Mutating only so that the call passes the engine by reference, not by copy.)
  mutating func upstream(of j: Int) -> UInt32 {
    if config.shape == .chain || j == stageCount - 1 { return (1 << UInt32(j + 1)) - 1 }
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
      if !work.stages[stageIndex(t, i)].attempt.outputCorrect { blamed |= 1 << UInt32(i) }
    }
    if blamed == 0 { blamed = 1 << UInt32(j) }

    for i in 0...j where blamed & (1 << UInt32(i)) != 0 { learn(t, i, correct: false) }
    var abandoning = false
    for i in 0...j where blamed & (1 << UInt32(i)) != 0 {
      let k = stageIndex(t, i)
      work.stages[k].failures += 1
      if Int(work.stages[k].failures) >= config.abandonAfter { abandoning = true }
    }
    if abandoning {
      abandon(t)
      return
    }

    // Discard the outputs that go back, counting their hours as rework.
    var discarded: UInt32
    if config.shape == .chain {
      let earliest = blamed.trailingZeroBitCount
      discarded = (1 << UInt32(j + 1)) - (1 << UInt32(earliest))
      if earliest < j { totals.counters.rewinds &+= 1 }
    } else {
      discarded = blamed | (1 << UInt32(j))
    }
    for i in 0...j where discarded & (1 << UInt32(i)) != 0 { discard(t, i) }

    let parts = j == stageCount - 1 ? blamed & ~(1 << UInt32(j)) : 0
    if config.shape == .chain {
      place(t, blamed.trailingZeroBitCount)
    } else if parts != 0 {
      // The merge was rejected and parts are blamed: they are redone, all at once, or in
      // part order when parts go in sequence (the merge reruns once every part is accepted).
      for i in 0..<j where parts & (1 << UInt32(i)) != 0 {
        place(t, i)
        if partsInSequence { break }
      }
    } else {
      place(t, j)  // a part, or a merge blamed alone
    }
  }
}
