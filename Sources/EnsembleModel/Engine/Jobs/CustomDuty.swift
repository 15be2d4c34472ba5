/// A duty that a ``Mechanism`` of your own gives an agent with
/// ``RunState/assignDuty(to:hours:tag:first:)``: a meeting, a training, a stand-up.
///
/// - **Created** by the mechanism, for one agent, at the front or the back of its duties.
///   It belongs to no task: abandoning a task never removes it.
/// - **Costs** the hours the mechanism gave; structure hours.
/// - **Ends:** the mechanism hears of it (``Mechanism/dutyEnded(_:by:_:)``), with its tag.
enum CustomDuty: JobRules {
  static let name = "custom"

  static func assign<S>(
    to agent: AgentID, hours: Double, tag: Int32, first: Bool, in e: inout Engine<S>
  ) {
    precondition(agent.index >= 0 && agent.index < e.n, "a duty for \(agent), not in the team")
    precondition(hours >= 0 && hours.isFinite, "a duty of \(hours) hours")
    let id = e.jobs.new(
      Job(kind: .custom, pair: false, stage: 0, task: .none, attempt: tag, slot: 0, next: .none))
    e.jobs.dutyHours.reserve(e.jobs.count, keeping: e.jobs.dutyHours.capacity)
    e.jobs.dutyHours[id] = hours
    let list = e.jobs.dutyList(agent)
    if first { e.jobs.prepend(id, to: list) } else { e.jobs.append(id, to: list) }
    if !e.agents.state[agent].busy { e.takeNext(agent) }
  }

  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    JobHours(total: e.jobs.dutyHours[id], comm: 0)
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    e.countDuty(hours, of: agent)
    var mechanism = e.mechanism
    mechanism.dutyEnded(job.attempt, by: agent, &e)
    e.mechanism = mechanism
  }
}
