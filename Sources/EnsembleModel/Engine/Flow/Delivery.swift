// Delivery and closing tasks (docs/MODEL.md section 7, "Delivery and audit"; section 3,
// "End"; section 8 for what a delivery counts).
extension Engine {
  /// The last stage's output is accepted: sign-off when it applies (``SignoffJob``),
  /// otherwise delivery.
  @inline(__always)
  mutating func lastStageAccepted(_ t: TaskID) {
    if !SignoffJob.requested(t, in: &self) { deliver(t) }
  }

  /// Delivers task `t`, correct or not as its last stage's output is, and counts what a
  /// delivery counts; then an audit may follow (``AuditJob``).
  mutating func deliver(_ t: TaskID) {
    close(t)
    work.cycles[totals.delivered] = clock.now - work.specs[t].arrival
    totals.delivered &+= 1
    let last = stageIndex(t, stageCount - 1)
    let wrong = work.stages[last].attempt.outputWrong
    // A task is answered for by a sign-off, or when a human reviewer passed every stage an
    // AI agent executed (a pair counts as the catalyst's).
    var allAIReviewed = true
    var humanStages = 0
    let base = stageIndex(t, 0)
    for k in base..<(base + stageCount) {
      let attempt = work.stages[k].attempt
      if agents.profile[attempt.outputAgent].isHuman {
        humanStages &+= 1
      } else if !attempt.humanPassed {
        allAIReviewed = false
      }
      if attempt.outputWrong { totals.wrongStages &+= 1 }
      if !attempt.outputCorrect { totals.faultStages &+= 1 }
      if attempt.outputHandoff { totals.handoffStages &+= 1 }
    }
    if work.state[t].signedOff || allAIReviewed { totals.answered &+= 1 }
    if !wrong {
      totals.correct &+= 1
      totals.humanStages &+= humanStages
    }
    report(
      taskEvent(
        .deliver, t, agent: work.stages[last].attempt.outputAgent,
        outcome: wrong ? .escaped : .correct))
    if work.specs[t].highStakes {
      totals.stakesDelivered &+= 1
      if wrong { totals.stakesIncorrect &+= 1 }
    }
    AuditJob.mayAudit(t, in: &self)
  }

  mutating func close(_ t: TaskID) {
    work.state[t].open = false
    totals.openTasks -= 1
    totals.inSystem -= 1
    totals.lastClose = clock.now
  }

  /// Closes the task as a failure: its waiting jobs are removed unstarted; its jobs in
  /// progress run to their end and have no effect.
  mutating func abandon(_ t: TaskID) {
    totals.abandoned += 1
    close(t)
    report(taskEvent(.abandon, t))
    totals.counters.droppedJobs &+= jobs.removeAll(of: t)
  }
}
