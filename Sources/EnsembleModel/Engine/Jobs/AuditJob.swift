/// Audit (docs/MODEL.md section 7, "Delivery and audit"): the design switch
/// `audit` and its `audit` job.
///
/// - **Where it acts:** at every delivery (``Engine/deliver(_:)``): with audit on and a
///   monitor in the team, the task is audited with probability `auditRate`.
/// - **Costs** `auditEffort * w / speed` hours, with the task's whole work `w`; structure
///   hours.
/// - **Ends** with the verdict step (``Engine/verdict(_:by:on:stage:domain:)``): an escaped
///   error is found with probability `auditSkill`; it stays delivered-incorrect but counts as
///   caught late. A correct result always passes. The ledger learns: a find blames every
///   stage at fault, a pass vouches for every stage. Nothing is reopened.
enum AuditJob: JobRules {
  static let name = "audit"

  /// After the delivery of `t`: an audit with probability `auditRate` when audit acts.
  @inline(__always)
  static func mayAudit<S>(_ t: TaskID, in e: inout Engine<S>) {
    if e.config.monitor.exists && e.streams.process.bernoulli(e.config.design.auditRate) {
      e.address(e.newJob(.audit, task: t, stage: e.stageCount - 1), to: e.config.monitor)
    }
  }

  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    let work = e.work.specs[job.task].work
    return JobHours(
      total: e.config.design.auditEffort * work / e.agents.profile[agent].speed, comm: 0)
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    e.countDuty(hours, of: agent)
    let t = job.task
    e.totals.counters.audits &+= 1
    let last = e.stageCount - 1
    let domain = e.work.specs[t].domain
    guard let verdict = e.verdict(.audit, by: agent, on: t, stage: last, domain: domain) else {
      return
    }
    if verdict.rejects { e.totals.caughtLate += 1 }
    for j in 0..<e.stageCount {
      if !verdict.rejects {
        e.learn(t, j, correct: true)
      } else if !e.work.stages[e.stageIndex(t, j)].attempt.outputCorrect {
        e.learn(t, j, correct: false)
      }
    }
  }
}
