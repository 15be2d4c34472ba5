extension JobKind {
  /// Duties are every kind but `execute`: a personal queue serves them first, and their
  /// hours are structure hours.
  @inline(__always) var isDuty: Bool { self != .execute }
}

// What each kind of job takes and does, in one place: its duration when it starts, its rule
// when it ends, and how its hours count (docs/MODEL.md sections 7 and 8).
extension Engine {
  /// Counts the start of `job` on `agent` and returns its hours and the communication part
  /// of them.
  /// Translation, audit and sign-off take the task's whole work `w`; execution and review
  /// the stage's work `w / stages`.
  @inline(__always)
  mutating func begin(_ job: Job, on agent: AgentID) -> (hours: Double, comm: Double) {
    let t = job.task
    let work = tasks[t].work
    let speed = profile[agent].speed
    switch job.kind {
    case .route:
      totals.counters.routes &+= 1
      return (design.routeTime, 0)
    case .translate:
      totals.counters.translations &+= 1
      return (design.translateEffort * tasks[t].ambiguity * work / speed, 0)
    case .review:
      totals.counters.reviewsStarted &+= 1
      return (design.reviewEffort * (work / Double(stageCount)) / speed, 0)
    case .audit:
      totals.counters.auditsStarted &+= 1
      return (design.auditEffort * work / speed, 0)
    case .signoff:
      totals.counters.signoffsStarted &+= 1
      return (design.signoffEffort * work / speed, 0)
    case .execute:
      let handoff = startExecution(job, on: agent)
      // Execution time: stage work / speed * (1 + overhead); a pair works pairSpeedup times
      // faster; a hand-off adds its read-in time, which is communication.
      let stageWork = work / Double(stageCount)
      let productive = job.pair ? stageWork / (speed * design.pairSpeedup) : stageWork / speed
      var comm = productive * overhead
      if handoff { comm += design.handoffTime }
      return (productive + comm, comm)
    }
  }

  /// An agent finishes its current job: its hours count, then the job's rule applies. Jobs
  /// the rule creates are placed before the agent picks its next job, so until then it is
  /// neither idle nor a duplicate partner.
  mutating func finish(_ agent: AgentID) {
    let id = agents[agent].currentJob
    let job = jobs[id]
    let hours = agents[agent].jobHours
    agents[agent].busyHours += hours
    agents[agent].currentJob = .none
    totals.commHours += agents[agent].jobComm
    release(id)
    if job.kind.isDuty { totals.structureHours += hours }
    if Mode.traces {
      lastFinish = traceEvents.count
      traceEvents.append(jobEvent(.finish, agent, job, hours: hours, comm: agents[agent].jobComm))
    }
    let t = job.task
    let j = stage(Int(job.stage))
    switch job.kind {
    case .route: route(t, j)
    case .translate: translated(t)
    case .execute: executed(agent, job, hours: hours)
    case .review: reviewed(agent, t, j)
    case .audit: audited(t)
    case .signoff: signedOff(agent, t)
    }
    takeNext(agent)
  }

  /// Hours of a job still in progress when the run ends: a duty's are structure hours, a
  /// discarded duplicate's are duplicate hours; a live execution's count only as busy.
  mutating func countPartialHours(_ hours: Double, of job: Job) {
    if job.kind.isDuty {
      totals.structureHours += hours
    } else if isDiscarded(job) {
      totals.duplicateHours += hours
    }
  }
}
