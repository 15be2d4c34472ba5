/// Sign-off (docs/MODEL.md section 7, "Sign-off"): the design switch `signoff` and its `signoff` job.
///
/// - **Who:** the accountable human, the lowest-index human holding the conductor role,
///   whatever the routing; without one, sign-off is inert.
/// - **Where it acts:** when a task's last stage is accepted (``Engine/lastStageAccepted(_:)``):
///   with `all`, or with `high-stakes` and a high-stakes task, a `signoff` duty for the
///   accountable human comes before delivery.
/// - **Costs** `signoffEffort * w / speed` hours, with the task's whole work `w`; structure
///   hours.
/// - **Ends** with the verdict step (``Engine/verdict(_:by:on:stage:domain:)``), on the last
///   stage's output, with the signer's skill in the task's domain: a pass teaches the ledger
///   for every stage and delivers the task; a rejection is handled as a review's rejection
///   of the last stage. A sign-off of a closed task gives no verdict.
enum SignoffJob: JobRules {
  static let name = "signoff"

  /// The accountable human of `team` under `design`, or none.
  static func signer(_ design: Design, _ team: Team) -> AgentID {
    guard design.signoff != .none, let h = team.humans.first(where: { team.holds($0, .conductor) })
    else { return .none }
    return AgentID(h)
  }

  /// Posts the sign-off of task `t` if it needs one; returns whether it did.
  @inline(__always)
  static func requested<S>(_ t: TaskID, in e: inout Engine<S>) -> Bool {
    let policy = e.config.design.signoff
    guard
      e.config.signer.exists
        && (policy == .all || (policy == .highStakes && e.work.specs[t].highStakes))
    else { return false }
    e.address(e.newJob(.signoff, task: t, stage: e.stageCount - 1), to: e.config.signer)
    return true
  }

  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    let work = e.work.specs[job.task].work
    return JobHours(
      total: e.config.design.signoffEffort * work / e.agents.profile[agent].speed, comm: 0)
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    e.countDuty(hours, of: agent)
    let t = job.task
    let last = e.stageCount - 1
    let domain = e.work.specs[t].domain
    guard let verdict = e.verdict(.signoff, by: agent, on: t, stage: last, domain: domain) else {
      return
    }
    e.totals.counters.signoffs &+= 1
    if verdict.rejects {
      e.totals.counters.signoffRejections &+= 1
      e.reject(t, last)
    } else {
      for j in 0..<e.stageCount { e.learn(t, j, correct: true) }
      e.work.state[t].signedOff = true
      e.deliver(t)
    }
  }
}
