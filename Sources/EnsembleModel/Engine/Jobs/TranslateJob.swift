/// Translation (docs/MODEL.md section 3, "Arrival"; section 7,
/// "Translation"): the design
/// switch `translation` and its `translate` job.
///
/// - **Where it acts:** at a task's arrival, once per task, before any stage is placed
///   (``Engine/arrive(_:)``), when the switch is on, the team has a translator and the task
///   is ambiguous.
/// - **Costs** `translateEffort * alpha * w / speed` hours, with the task's whole work `w`;
///   structure hours.
/// - **Ends:** the task's effective ambiguity becomes `alpha * (1 - translationQuality)` for
///   every stage, and its first stages are placed.
enum TranslateJob: JobRules {
  static let name = "translate"

  /// Whether the arriving task `t` is translated first; if so, the job is posted.
  @inline(__always)
  static func translates<S>(_ t: TaskID, in e: inout Engine<S>) -> Bool {
    guard e.config.translator.exists && e.work.specs[t].ambiguity > 0 else { return false }
    e.address(e.newJob(.translate, task: t, stage: 0), to: e.config.translator)
    return true
  }

  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    let task = e.work.specs[job.task]
    let speed = e.agents.profile[agent].speed
    return JobHours(
      total: e.config.design.translateEffort * task.ambiguity * task.work / speed, comm: 0)
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    e.countDuty(hours, of: agent)
    let t = job.task
    e.work.state[t].alphaEff =
      e.work.specs[t].ambiguity * (1 - e.config.design.translationQuality)
    e.placeFirstStages(t)
  }
}
