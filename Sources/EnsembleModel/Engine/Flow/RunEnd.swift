// The end of the run (docs/MODEL.md section 3, "End"; section 8): jobs still in
// progress count their hours up to the end, and the totals become metrics.
extension Engine {
  mutating func finishRun(end: Double) -> Metrics {
    // Jobs in progress count their hours up to the end, communication in proportion.
    for a in 0..<n where agents.state[a].busy {
      let agent = agents.state[a]
      let fraction =
        agent.jobHours > 0 ? min(1, max(0, (end - agent.jobStart) / agent.jobHours)) : 0
      let counted = JobHours(total: agent.jobHours * fraction, comm: agent.jobComm * fraction)
      agents.state[a].busyHours += counted.total
      totals.commHours += counted.comm
      cut(jobs.records[agent.currentJob], by: AgentID(a), counted, at: end)
    }
    if Setup.Observer.observes { observer.record(TraceEvent(time: end, kind: .end)) }
    if checksInvariants { agents._checkInvariants(clock: clock, hoursKept: true) }

    let t = totals
    var m = Metrics()
    m.arrived = work.count
    m.delivered = t.delivered
    m.correct = t.correct
    m.abandoned = t.abandoned
    m.backlog = work.count - t.delivered - t.abandoned
    m.caughtLate = t.caughtLate
    m.length = end
    m.events = clock.eventCount
    m.meanInSystem = t.inSystemArea / end
    if m.arrived > 0 { m.correctRate = Double(t.correct) / Double(m.arrived) }
    if t.delivered > 0 {
      m.escapeRate = Double(t.delivered - t.correct) / Double(t.delivered)
      var sum = 0.0
      for i in 0..<t.delivered { sum += work.cycles[i] }
      m.meanCycle = sum / Double(t.delivered)
      m.p90Cycle = Self.percentile90(work.cycles.base, count: t.delivered)
    }
    if t.waitCount > 0 { m.meanWait = t.waitSum / Double(t.waitCount) }
    m.throughput = Double(t.delivered) / end
    var busyTotal = 0.0
    var humanBusy = 0.0
    var aiBusy = 0.0
    for a in 0..<n {
      let hours = agents.state[a].busyHours
      busyTotal += hours
      m.cost += hours * agents.profile[a].costPerHour
      if agents.profile[a].isHuman { humanBusy += hours } else { aiBusy += hours }
    }
    if t.correct > 0 {
      m.costPerCorrect = m.cost / Double(t.correct)
      m.humanShare = Double(t.humanStages) / Double(stageCount * t.correct)
    }
    if t.delivered > 0 {
      m.handoffs = Double(t.handoffStages) / Double(t.delivered)
      m.accountabilityCoverage = Double(t.answered) / Double(t.delivered)
    }
    if t.faultStages > 0 { m.errorAmplification = Double(t.wrongStages) / Double(t.faultStages) }
    if t.stakesDelivered > 0 {
      m.stakesEscapeRate = Double(t.stakesIncorrect) / Double(t.stakesDelivered)
    }
    if t.humanVerdicts > 0 {
      m.pushbackRate = Double(t.pushbacks) / Double(t.humanVerdicts)
      m.verdictAccuracy = Double(t.rightVerdicts) / Double(t.humanVerdicts)
    }
    if t.disagreements > 0 {
      m.relianceAccuracy = Double(t.rightReliance) / Double(t.disagreements)
    }
    if busyTotal > 0 {
      m.overheadShare = t.commHours / busyTotal
      m.structureShare = t.structureHours / busyTotal
    }
    m.reworkHours = t.reworkHours
    m.duplicateHours = t.duplicateHours
    if !team.humans.isEmpty {
      m.humanUtilization = humanBusy / (Double(team.humans.count) * end)
    }
    if !team.ais.isEmpty { m.aiUtilization = aiBusy / (Double(team.ais.count) * end) }
    if t.regretCount > 0 { m.routingRegret = t.regretSum / Double(t.regretCount) }
    return m
  }

  /// The 90th percentile of `count` values: the value at rank `(count - 1) * 0.9` of the
  /// sorted values (from 0), interpolated linearly between neighbours. Reorders the values.
  /// - Complexity: O(count) expected (quickselect).
  static func percentile90(_ values: UnsafeMutablePointer<Double>, count: Int) -> Double {
    let rank = Double(count - 1) * 0.9
    let lower = Int(rank)
    let low = select(values, count: count, lower)
    guard lower + 1 < count else { return low }
    // After selection everything above `lower` is no smaller; the next order statistic
    // is their minimum.
    var high = values[lower + 1]
    for i in (lower + 1)..<count where values[i] < high { high = values[i] }
    return low + (high - low) * (rank - Double(lower))
  }

  /// Hoare's quickselect: reorders `values` so that `values[k]` is the k-th smallest (from
  /// 0), everything before it no larger and everything after it no smaller; returns it.
  /// - Complexity: O(n) expected; the pivot is the middle element, so sorted input is fine.
  static func select(_ values: UnsafeMutablePointer<Double>, count: Int, _ k: Int) -> Double {
    var low = 0
    var high = count - 1
    while low < high {
      let pivot = values[(low + high) / 2]
      var i = low
      var j = high
      while i <= j {
        while values[i] < pivot { i += 1 }
        while values[j] > pivot { j -= 1 }
        if i <= j {
          let swap = values[i]
          values[i] = values[j]
          values[j] = swap
          i += 1
          j -= 1
        }
      }
      if k <= j {
        high = j
      } else if k >= i {
        low = i
      } else {
        break
      }
    }
    return values[k]
  }
}
