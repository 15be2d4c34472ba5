// Job records, queues and the pool: the mechanics every rule stands on (docs/MODEL.md section 3,
// "Jobs and queues").
extension Engine {
  // MARK: - Job records

  /// A new job of `kind` on stage `stage` of `task`, for the stage's current attempt.
  mutating func newJob(
    _ kind: JobKind, task: TaskID, stage: Int, pair: Bool = false, slot: Int = 0
  ) -> JobID {
    let job = Job(
      kind: kind, pair: pair, stage: UInt8(stage), task: task,
      attempt: stages[stageIndex(task, stage)].attempt.number, slot: Int32(slot), next: .none)
    if freeJob.exists {
      let id = freeJob
      freeJob = jobs[id].next
      jobs[id] = job
      return id
    }
    jobs.reserve(jobCount + 1, keeping: jobCount)
    jobs[jobCount] = job
    jobCount += 1
    return JobID(jobCount - 1)
  }

  mutating func release(_ job: JobID) {
    jobs[job].next = freeJob
    freeJob = job
  }

  // MARK: - Queues

  mutating func append(_ job: JobID, to list: Int) {
    jobs[job].next = .none
    let tail = lists[list].tail
    if tail.exists { jobs[tail].next = job } else { lists[list].head = job }
    lists[list].tail = job
    lists[list].count += 1
  }

  mutating func popHead(_ list: Int) -> JobID {
    let job = lists[list].head
    lists[list].head = jobs[job].next
    if !lists[list].head.exists { lists[list].tail = .none }
    lists[list].count -= 1
    return job
  }

  /// The list of `agent`'s duties; its executes are the next list.
  @inline(__always) func dutyList(_ agent: AgentID) -> Int { 2 &* agent.index }

  /// Jobs waiting in the agent's personal queue (not the one in progress).
  @inline(__always) mutating func queueLength(_ agent: AgentID) -> Int {
    lists[dutyList(agent)].count &+ lists[dutyList(agent) &+ 1].count
  }

  /// Puts `job` in `agent`'s personal queue (duties before executes); an idle agent starts
  /// it at once.
  mutating func address(_ job: JobID, to agent: AgentID) {
    append(job, to: dutyList(agent) + (jobs[job].kind.isDuty ? 0 : 1))
    if !agents[agent].busy { takeNext(agent) }
  }

  // MARK: - The pool

  /// Whether `agent` may take execute job `job` from the pool: the acting conductor never
  /// does, and under redundancy no agent executes two votes of one attempt.
  mutating func mayTake(_ agent: AgentID, _ job: JobID) -> Bool {
    if agent == conductor { return false }
    if votes > 1 {
      let k = stageIndex(jobs[job].task, Int(jobs[job].stage))
      let base = k * voterStride
      for i in 0..<Int(stages[k].attempt.votersCount) where voters[base + i] == agent {
        return false
      }
    }
    return true
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
      let since = idleSince[a]
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
  /// possibly with a duplicate; otherwise it waits at the tail.
  mutating func placeInPool(_ job: JobID) {
    let (taker, next) = idleCount == 0 ? (AgentID.none, AgentID.none) : longestIdleTwo(for: job)
    if taker.exists {
      start(taker, job)
      duplicate(job, partner: next)
    } else {
      append(job, to: poolList)
    }
  }

  /// After a pool job is taken: with probability `duplicationRate` the next idle agent
  /// (`partner`, found by the same longest-idle rule) also executes it. The coin is drawn
  /// only when such an agent exists (and not at all at rate 0, which changes no outcome).
  @inline(__always)
  mutating func duplicate(_ job: JobID, partner: AgentID) {
    guard design.duplicationRate > 0, partner.exists,
      streams.process.bernoulli(design.duplicationRate)
    else { return }
    startCopy(of: job, on: partner)
  }

  /// Starts a copy of pool job `job` on `partner`: a duplicate execution.
  mutating func startCopy(of job: JobID, on partner: AgentID) {
    let original = jobs[job]
    let copy = newJob(
      .execute, task: original.task, stage: Int(original.stage), pair: original.pair)
    jobs[copy].attempt = original.attempt
    jobs[copy].slot = original.slot
    totals.counters.duplicates &+= 1
    start(partner, copy)
  }

  /// The agent takes the head of its personal queue (duties first), else the first pool
  /// job it may take, else becomes idle.
  mutating func takeNext(_ agent: AgentID) {
    let duties = dutyList(agent)
    if lists[duties].count > 0 {
      start(agent, popHead(duties))
      return
    }
    if lists[duties + 1].count > 0 {
      start(agent, popHead(duties + 1))
      return
    }
    let pool = poolList
    if lists[pool].count > 0 && agent != conductor {
      var previous = JobID.none
      var job = lists[pool].head
      while job.exists {
        if mayTake(agent, job) {
          let next = jobs[job].next
          if previous.exists { jobs[previous].next = next } else { lists[pool].head = next }
          if lists[pool].tail == job { lists[pool].tail = previous }
          lists[pool].count -= 1
          start(agent, job)
          if design.duplicationRate > 0 { duplicate(job, partner: longestIdle(for: job)) }
          return
        }
        previous = job
        job = jobs[job].next
      }
    }
    if agents[agent].busy { idleCount &+= 1 }
    agents[agent].busy = false
    idleSince[agent] = now
  }

  /// Starts `job` on `agent` now and schedules its completion.
  mutating func start(_ agent: AgentID, _ job: JobID) {
    let (hours, comm) = begin(jobs[job], on: agent)
    if Mode.traces {
      traceEvents.append(jobEvent(.start, agent, jobs[job], hours: hours, comm: comm))
    }
    if !agents[agent].busy { idleCount &-= 1 }
    agents[agent].busy = true
    idleSince[agent] = .infinity
    agents[agent].currentJob = job
    agents[agent].jobStart = now
    agents[agent].jobHours = hours
    agents[agent].jobComm = comm
    scheduleEnd(of: agent, at: now + hours)
  }

  /// Whether an execute job is a discarded copy: its attempt over, or its vote slot already
  /// finished by the other copy of a duplicated pair. (Every execution still running once
  /// its attempt is decided is such a copy; only abandonment, which closes a task while
  /// other stages run, leaves first copies running on a closed task.)
  @inline(__always)
  mutating func isDiscarded(_ job: Job) -> Bool {
    let k = stageIndex(job.task, Int(job.stage))
    let slotBit: UInt64 = 1 << UInt64(job.slot & 63)
    return job.attempt != stages[k].attempt.number || stages[k].attempt.slotsDone & slotBit != 0
  }
}
