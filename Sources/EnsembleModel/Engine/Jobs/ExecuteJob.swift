/// An `execute` job: one execution of a stage (docs/MODEL.md section 7, "Competence and
/// success", "Execution time", "Hand-offs" and "Propagation").
///
/// - **Created** by placing a stage (``Engine/place(_:_:)``): for the catalyst pair, the
///   owner, an escalation target, a route job's picks, or the pool (one per vote); and by
///   duplication, as a copy of a pool job.
/// - **Costs** `stageWork / speed * (1 + overhead)` hours, plus `handoffTime` for a
///   hand-off; a pair works `pairSpeedup` times faster. The overhead and read-in hours are
///   communication hours; the rest are productive.
/// - **Ends:** a discarded copy of a duplicated pair only adds duplicate hours; an execution
///   of a closed task has no effect. A counted one draws its outcome with the skills in
///   force now (one uniform for success, one for a silent error) and casts its vote
///   (``Engine/castVote(_:correct:visible:_:_:)``).
enum ExecuteJob: JobRules {
  static let name = "execute"

  /// A new execution of stage `j` of task `t` for vote slot `slot` of its current attempt.
  @inline(__always)
  static func new<S>(
    _ t: TaskID, _ j: Int, pair: Bool = false, slot: Int = 0, in e: inout Engine<S>
  ) -> JobID {
    e.newJob(.execute, task: t, stage: j, pair: pair, slot: slot)
  }

  @inline(__always)
  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    let handoff = started(job, on: agent, in: &e)
    let speed = e.agents.profile[agent].speed
    let stageWork = e.work.specs[job.task].work / Double(e.stageCount)
    let productive =
      job.pair ? e.pairProductiveHours(stageWork, speed: speed) : stageWork / speed
    var comm = productive * e.config.overhead
    if handoff { comm += e.config.design.handoffTime }
    return JobHours(total: productive + comm, comm: comm)
  }

  /// An execution starts: the task's wait ends at its first, and the agent becomes one of
  /// the attempt's voters. Returns whether the execution is a hand-off.
  @inline(__always)
  static func started<S>(_ job: Job, on agent: AgentID, in e: inout Engine<S>) -> Bool {
    let t = job.task
    let j = e.stage(Int(job.stage))
    if !e.work.state[t].open { e.totals.counters.executionsOfClosedTasks &+= 1 }
    if !e.work.state[t].startedExecution {
      e.work.state[t].startedExecution = true
      e.totals.waitSum += e.clock.now - e.work.specs[t].arrival
      e.totals.waitCount += 1
    }
    e.recordVoter(agent, t, j)
    if Int(job.attempt) > e.config.design.maxAttempts {
      if e.agents.profile[agent].isHuman {
        e.totals.counters.lateAttemptExecutionsByHuman &+= 1
      } else {
        e.totals.counters.lateAttemptExecutionsByAI &+= 1
      }
    }
    if agent == e.config.conductor { e.totals.counters.executionsByConductor &+= 1 }
    let handoff = j > 0 && !job.pair && e.isHandoff(agent, t, j)
    if handoff { e.totals.counters.handoffExecutions &+= 1 }
    return handoff
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    let t = job.task
    let j = e.stage(Int(job.stage))
    let k = e.stageIndex(t, j)
    if e.isDiscarded(job) {
      e.totals.duplicateHours += hours.total
      if e.checksInvariants { e.agents.uses[agent].duplicate += hours.total }
      e.report(outcome: .discarded)
      return
    }
    e.work.stages[k].attempt.slotsDone |= 1 << UInt64(job.slot & 63)
    if e.checksInvariants {
      e.agents.uses[agent].productive += hours.total - hours.comm
      e.agents.uses[agent].communication += hours.comm
    }
    guard e.work.state[t].open else {
      e.totals.counters.lateExecutions &+= 1
      e.report(outcome: .void)
      return
    }
    e.work.stages[k].attempt.hours += hours.total
    if e.checksInvariants {
      e.work.slots[k &* e.work.slotStride &+ Int(job.slot)] = SlotRecord(
        agent: agent, hours: hours.total, comm: hours.comm)
    }

    let p: Double
    let silentShare: Double
    var execution = Execution(agent: agent)
    if job.pair {
      p = e.pairSuccess(t)
      silentShare = e.agents.profile[e.config.catalyst].silentShare
    } else {
      execution.handoff = j > 0 && e.isHandoff(agent, t, j)
      let c = e.competence(agent, t, j, handoff: execution.handoff)
      p = e.success(c, t)
      silentShare = e.agents.profile[agent].silentShare
      execution.regret = e.regret(competence: c, success: p, t, j)
    }
    let isCorrect = e.streams.process.nextUniform() < p
    let visible = !isCorrect && e.streams.process.nextUniform() >= silentShare
    e.report(outcome: isCorrect ? .correct : (visible ? .visibleError : .silentError))
    e.castVote(execution, correct: isCorrect, visible: visible, t, j)
  }

  static func cut<S>(
    _ job: Job, by agent: AgentID, _ hours: JobHours, at end: Double, in e: inout Engine<S>
  ) {
    let discarded = e.isDiscarded(job)
    if discarded {
      e.totals.duplicateHours += hours.total
      if e.checksInvariants { e.agents.uses[agent].duplicate += hours.total }
    } else if e.checksInvariants {
      e.agents.uses[agent].productive += hours.total - hours.comm
      e.agents.uses[agent].communication += hours.comm
    }
    e.reportCut(job, by: agent, hours, at: end, outcome: discarded ? .discarded : nil)
  }
}
