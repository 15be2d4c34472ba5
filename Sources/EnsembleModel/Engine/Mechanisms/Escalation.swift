/// Escalation (docs/MODEL.md section 7, "Failures, escalation,
/// abandonment"): the design switch `escalation`.
///
/// - **Where it acts:** first of all at every placement of a stage (``Engine/place(_:_:)``):
///   with escalation on and the stage found at fault `maxAttempts` times or more (`f_j`), the
///   attempt is one execution addressed directly to a human, the acting conductor excluded:
///   the one with the highest estimated success among those whose queue is shorter than
///   `maxQueue`, or else the one with the shortest queue (ties: lower index). No route job,
///   no votes.
extension Engine {
  /// Escalates stage `j`'s attempt `number` if this is where escalation acts; returns
  /// whether it did.
  @inline(__always)
  mutating func escalates(_ t: TaskID, _ j: Int, number: Int32) -> Bool {
    let j = stage(j)
    guard
      config.design.escalation
        && Int(work.stages[stageIndex(t, j)].failures) >= config.design.maxAttempts
        && !escalationHumans.isEmpty
    else { return false }
    beginAttempt(t, j, number: number, votes: 1)
    var best = rank(.escalationHumans, on: t, j, skipChosen: false)
    if !best.exists {
      var bestQueue = 0
      for i in 0..<escalationHumans.count {
        let h = escalationHumans[i]
        if !best.exists || jobs.queueLength(h) < bestQueue {
          best = h
          bestQueue = jobs.queueLength(h)
        }
      }
    }
    totals.counters.escalatedExecutions &+= 1
    address(ExecuteJob.new(t, j, in: &self), to: best)
    return true
  }
}
