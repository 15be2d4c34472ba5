// Jobs, personal queues and the pool (docs/MODEL.md section 3, "Taking work" and
// "Completion"): how a
// job reaches an agent, starts and ends, whatever its kind.
extension Engine {
  /// A new job of `kind` on stage `stage` of `task`, for the stage's current attempt.
  @inline(__always)
  mutating func newJob(
    _ kind: JobKind, task: TaskID, stage: Int, pair: Bool = false, slot: Int = 0
  ) -> JobID {
    jobs.new(
      Job(
        kind: kind, pair: pair, stage: UInt8(stage), task: task,
        attempt: work.stages[stageIndex(task, stage)].attempt.number, slot: Int32(slot),
        next: .none))
  }

  /// Puts `job` in `agent`'s personal queue (duties before executes); an idle agent starts
  /// it at once.
  mutating func address(_ job: JobID, to agent: AgentID) {
    jobs.append(job, to: jobs.dutyList(agent) + (jobs.records[job].kind.isDuty ? 0 : 1))
    if !agents.state[agent].busy { takeNext(agent) }
  }

  /// Whether `agent` may take execute job `job` from the pool: the acting conductor never
  /// does, and under redundancy no agent executes two votes of one attempt.
  @inline(__always)
  mutating func mayTake(_ agent: AgentID, _ job: JobID) -> Bool {
    if agent == config.conductor { return false }
    return config.votes == 1 || !isVoter(agent, job)
  }

  /// The idle agent that has been idle longest (ties: lower index) and may take `job`.
  mutating func longestIdle(for job: JobID) -> AgentID {
    longestIdleTwo(for: job).first
  }

  /// The two idle agents that have been idle longest (ties: lower index) and may take
  /// `job`: the taker and, for duplication, the next. One scan of the team.
  mutating func longestIdleTwo(for job: JobID) -> (first: AgentID, second: AgentID) {
    var first = AgentID.none
    var second = AgentID.none
    var firstSince = Double.infinity
    var secondSince = Double.infinity
    for a in 0..<n {
      // A busy agent's time is infinity, never below secondSince.
      let since = agents.idleSince[a]
      guard since < secondSince, mayTake(AgentID(a), job) else { continue }
      if since < firstSince {
        second = first
        secondSince = firstSince
        first = AgentID(a)
        firstSince = since
      } else {
        second = AgentID(a)
        secondSince = since
      }
    }
    return (first, second)
  }

  /// Places an execute job in the shared pool: the longest-idle agent takes it at once,
  /// possibly with a duplicate (``duplicate(_:partner:)``); otherwise it waits at the tail.
  @inline(__always)
  mutating func placeInPool(_ job: JobID) {
    let (taker, next) =
      agents.idleCount == 0 ? (AgentID.none, AgentID.none) : longestIdleTwo(for: job)
    if taker.exists {
      start(taker, job)
      duplicate(job, partner: next)
    } else {
      jobs.append(job, to: jobs.pool)
    }
  }

  /// The agent takes the head of its personal queue (duties first), else the first pool
  /// job it may take (possibly duplicated), else becomes idle.
  mutating func takeNext(_ agent: AgentID) {
    let duties = jobs.dutyList(agent)
    if jobs.lists[duties].count > 0 {
      start(agent, jobs.popHead(duties))
      return
    }
    if jobs.lists[duties + 1].count > 0 {
      start(agent, jobs.popHead(duties + 1))
      return
    }
    let pool = jobs.pool
    if jobs.lists[pool].count > 0 && agent != config.conductor {
      var previous = JobID.none
      var job = jobs.lists[pool].head
      while job.exists {
        if mayTake(agent, job) {
          jobs.unlink(job, after: previous, from: pool)
          start(agent, job)
          if config.design.duplicationRate > 0 { duplicate(job, partner: longestIdle(for: job)) }
          return
        }
        previous = job
        job = jobs.records[job].next
      }
    }
    if agents.state[agent].busy { agents.idleCount &+= 1 }
    agents.state[agent].busy = false
    agents.idleSince[agent] = clock.now
  }

  /// Starts job `id` on `agent` now and schedules its end.
  mutating func start(_ agent: AgentID, _ id: JobID) {
    let job = jobs.records[id]
    totals.counters.startedByKind.increment(job.kind)
    let hours = self.hours(of: job, id, on: agent)
    report(jobEvent(.start, agent, job, hours: hours.total, comm: hours.comm))
    if !agents.state[agent].busy { agents.idleCount &-= 1 }
    agents.state[agent].busy = true
    agents.idleSince[agent] = .infinity
    agents.state[agent].currentJob = id
    agents.state[agent].jobStart = clock.now
    agents.state[agent].jobHours = hours.total
    agents.state[agent].jobComm = hours.comm
    clock.scheduleEnd(of: agent, at: clock.now + hours.total)
  }

  /// An agent finishes its job in progress: its busy and communication hours count, then
  /// the job's rule applies (``JobRules/ended(_:by:_:in:)``). Jobs the rule creates are
  /// placed before the agent picks its next job, so until then it is neither idle nor a
  /// duplicate partner.
  @inline(__always)
  mutating func finish(_ agent: AgentID) {
    let id = agents.state[agent].currentJob
    let job = jobs.records[id]
    let hours = JobHours(total: agents.state[agent].jobHours, comm: agents.state[agent].jobComm)
    agents.state[agent].busyHours += hours.total
    agents.state[agent].currentJob = .none
    totals.commHours += hours.comm
    jobs.release(id)
    report(jobEvent(.finish, agent, job, hours: hours.total, comm: hours.comm))
    ended(job, by: agent, hours)
    takeNext(agent)
  }
}
