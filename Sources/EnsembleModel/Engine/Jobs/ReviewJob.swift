/// Review (docs/MODEL.md section 7, "Review" and "Blame and rework"): the design switch
/// `review` and its `review` job.
///
/// - **Where it acts:** at every apparent success of a stage execution (correct, or a silent
///   error), before the output is accepted (``Engine/apparentSuccess(_:_:)``). With `expert`,
///   an AI agent's output in domain d goes, with probability `reviewRate`, to the human
///   expert whose own domain is d (the shorter queue of two, then the lower index). With
///   `peer`, every output goes, with probability `reviewRate`, to an agent drawn uniformly
///   among the others.
/// - **Costs** `reviewEffort * stageWork / speed` hours; structure hours.
/// - **Ends** with the verdict step (``Engine/verdict(_:by:on:stage:domain:)``): a rejection
///   sends the work back (``Engine/reject(_:_:)``); a pass teaches the ledger, marks the
///   output as passed by a human when the reviewer is one, and accepts it. A review of a
///   closed task gives no verdict and draws nothing.
enum ReviewJob: JobRules {
  static let name = "review"

  /// Posts a review of stage `j`'s output if one applies; returns whether it did.
  @inline(__always)
  static func requested<S>(_ t: TaskID, _ j: Int, in e: inout Engine<S>) -> Bool {
    let j = e.stage(j)
    let producer = e.work.stages[e.stageIndex(t, j)].attempt.outputAgent
    switch e.config.design.review {
    case .none:
      return false
    case .expert:
      let experts = e.team.experts[e.domain(t, j)]
      guard !e.agents.profile[producer].isHuman && !experts.isEmpty else { return false }
      var reviewer = AgentID(experts[0])
      for x in experts.dropFirst()
      where e.jobs.queueLength(AgentID(x)) < e.jobs.queueLength(reviewer) {
        reviewer = AgentID(x)
      }
      guard e.streams.process.bernoulli(e.config.design.reviewRate) else { return false }
      e.address(e.newJob(.review, task: t, stage: j), to: reviewer)
      return true
    case .peer:
      let n = e.n
      guard n > 1 && e.streams.process.bernoulli(e.config.design.reviewRate) else { return false }
      var reviewer = min(Int(e.streams.process.nextUniform() * Double(n - 1)), n - 2)
      if reviewer >= producer.index { reviewer += 1 }
      e.address(e.newJob(.review, task: t, stage: j), to: AgentID(reviewer))
      return true
    }
  }

  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    let stageWork = e.work.specs[job.task].work / Double(e.stageCount)
    return JobHours(
      total: e.config.design.reviewEffort * stageWork / e.agents.profile[agent].speed, comm: 0)
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    e.countDuty(hours, of: agent)
    let t = job.task
    let j = e.stage(Int(job.stage))
    let domain = e.domain(t, j)
    guard let verdict = e.verdict(.review, by: agent, on: t, stage: j, domain: domain) else {
      return
    }
    let k = e.stageIndex(t, j)
    e.totals.counters.reviews &+= 1
    if e.work.stages[k].attempt.outputWrong {
      e.totals.counters.reviewedWrong &+= 1
      if verdict.rejects { e.totals.counters.reviewsFindingWrong &+= 1 }
    }
    if verdict.rejects {
      e.totals.counters.reviewRejections &+= 1
      e.reject(t, j)
    } else {
      e.learn(t, j, correct: true)
      if e.agents.profile[agent].isHuman { e.work.stages[k].attempt.humanPassed = true }
      e.accept(t, j)
    }
  }
}
