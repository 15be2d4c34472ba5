#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// Competence, job records, queues and the pool: the mechanics every rule stands on.
extension Engine {
  // MARK: - Competence

  /// `c = skill[d] - edgePenalty * edge - ambiguityPenalty * alpha_eff - noveltyPenalty *
  /// novel`, with the true skill in force now or, when `estimated`, the team's estimate.
  @inline(__always)
  mutating func competence(
    _ agent: Int, _ t: Int, estimated: Bool = false, novelty: Bool = true
  ) -> Double {
    let task = tasks[t]
    let p = profile[agent]
    let i = agent &* domains &+ task.domain
    var c = estimated ? estimate[i] : skill[i]
    if task.edge { c -= p.edgePenalty }
    c -= p.ambiguityPenalty * state[t].alphaEff
    if novelty && task.novel { c -= p.noveltyPenalty }
    return c
  }

  /// The logistic success probability `1 / (1 + exp(-k (c - difficulty)))`.
  @inline(__always)
  mutating func success(_ c: Double, _ t: Int) -> Double {
    1 / (1 + exp(-steepness * (c - tasks[t].difficulty)))
  }

  /// Competence of the catalyst–AI pair: the better of the two without the novelty
  /// penalty, plus synergy. The AI partner has the highest true skill in the domain now
  /// (lower index on ties); without AI agents the catalyst pairs alone.
  mutating func pairCompetence(_ t: Int) -> Double {
    let d = tasks[t].domain
    var best = competence(catalyst, t, novelty: false)
    var partner = -1
    for a in team.ais where partner < 0 || skill[a * domains + d] > skill[partner * domains + d] {
      partner = a
    }
    if partner >= 0 { best = max(best, competence(partner, t, novelty: false)) }
    return best + design.synergy
  }

  /// Routing regret of an execution of success probability `p` on task `t`: the highest
  /// true success among the agents allowed to execute (all but the acting conductor) minus
  /// `p`, both now. The logistic is increasing, so the best agent is the one of highest
  /// competence; the loop reads the penalties from contiguous per-agent columns.
  mutating func regret(_ p: Double, _ t: Int) -> Double {
    let task = tasks[t]
    let alpha = state[t].alphaEff
    let edge = task.edge ? 1.0 : 0.0
    let novel = task.novel ? 1.0 : 0.0
    var best = -Double.infinity
    var index = task.domain
    for a in 0..<n {
      let c =
        skill[index] - edgePenalty[a] * edge - ambiguityPenalty[a] * alpha - noveltyPenalty[a]
        * novel
      if c > best && a != conductor { best = c }
      index &+= domains
    }
    return success(best, t) - p
  }

  // MARK: - Job records and queues

  mutating func newJob(_ kind: JobKind, task: Int, pair: Bool = false, slot: Int = 0) -> Int32 {
    let job = Job(
      kind: kind, pair: pair, task: Int32(task), attempt: state[task].attempt,
      slot: Int32(slot), next: -1)
    if freeJob >= 0 {
      let index = freeJob
      freeJob = jobs[Int(index)].next
      jobs[Int(index)] = job
      return index
    }
    jobs.reserve(jobCount + 1, keeping: jobCount)
    jobs[jobCount] = job
    jobCount += 1
    return Int32(jobCount - 1)
  }

  mutating func release(_ job: Int32) {
    jobs[Int(job)].next = freeJob
    freeJob = job
  }

  mutating func append(_ job: Int32, to list: Int) {
    jobs[Int(job)].next = -1
    let tail = lists[list].tail
    if tail >= 0 { jobs[Int(tail)].next = job } else { lists[list].head = job }
    lists[list].tail = job
    lists[list].count += 1
  }

  mutating func popHead(_ list: Int) -> Int32 {
    let job = lists[list].head
    lists[list].head = jobs[Int(job)].next
    if lists[list].head < 0 { lists[list].tail = -1 }
    lists[list].count -= 1
    return job
  }

  /// Jobs waiting in the agent's personal queue (not the one in progress).
  @inline(__always) mutating func queueLength(_ agent: Int) -> Int {
    lists[2 &* agent].count &+ lists[2 &* agent &+ 1].count
  }

  /// Puts `job` in `agent`'s personal queue; an idle agent starts it at once.
  mutating func address(_ job: Int32, to agent: Int) {
    append(job, to: jobs[Int(job)].kind == .execute ? 2 * agent + 1 : 2 * agent)
    if !agents[agent].busy { takeNext(agent) }
  }

  /// Whether `agent` may take execute job `job` from the pool: the acting conductor never
  /// does, and under redundancy no agent executes two votes of one attempt.
  mutating func mayTake(_ agent: Int, _ job: Int32) -> Bool {
    if agent == conductor { return false }
    if votes > 1 {
      let t = Int(jobs[Int(job)].task)
      let base = t * voterStride
      for i in 0..<Int(state[t].votersCount) where voters[base + i] == Int32(agent) {
        return false
      }
    }
    return true
  }

  /// The idle agent that has been idle longest (ties: lower index) and may take `job`.
  mutating func longestIdle(for job: Int32) -> Int? {
    longestIdleTwo(for: job).first
  }

  /// The two idle agents that have been idle longest (ties: lower index) and may take
  /// `job`: the taker and, for duplication, the next. One scan of the team.
  mutating func longestIdleTwo(for job: Int32) -> (first: Int?, second: Int?) {
    var first = -1
    var second = -1
    var firstSince = Double.infinity
    var secondSince = Double.infinity
    for a in 0..<n where !agents[a].busy {
      let since = agents[a].idleSince
      guard since < secondSince, mayTake(a, job) else { continue }
      if since < firstSince {
        second = first
        secondSince = firstSince
        first = a
        firstSince = since
      } else {
        second = a
        secondSince = since
      }
    }
    return (first >= 0 ? first : nil, second >= 0 ? second : nil)
  }

  /// Places an execute job in the shared pool: the longest-idle agent takes it at once,
  /// possibly with a duplicate; otherwise it waits at the tail.
  mutating func placeInPool(_ job: Int32) {
    let (taker, next) = longestIdleTwo(for: job)
    if let taker {
      start(taker, job)
      duplicate(job, partner: next)
    } else {
      append(job, to: poolList)
    }
  }

  /// After a pool job is taken: with probability `duplicationRate` the next idle agent
  /// (`partner`, found by the same longest-idle rule) also executes it. The coin is drawn
  /// only when such an agent exists (and not at all at rate 0, which changes no outcome).
  mutating func duplicate(_ job: Int32, partner: Int?) {
    guard design.duplicationRate > 0, let partner else { return }
    guard streams.process.bernoulli(design.duplicationRate) else { return }
    let original = jobs[Int(job)]
    let copy = newJob(.execute, task: Int(original.task), pair: original.pair)
    jobs[Int(copy)].attempt = original.attempt
    jobs[Int(copy)].slot = original.slot
    counters.duplicates += 1
    start(partner, copy)
  }

  /// The agent takes the head of its personal queue (duties first), else the first pool
  /// job it may take, else becomes idle.
  mutating func takeNext(_ agent: Int) {
    if lists[2 * agent].count > 0 {
      start(agent, popHead(2 * agent))
      return
    }
    if lists[2 * agent + 1].count > 0 {
      start(agent, popHead(2 * agent + 1))
      return
    }
    let pool = poolList
    if lists[pool].count > 0 && agent != conductor {
      var previous: Int32 = -1
      var job = lists[pool].head
      while job >= 0 {
        if mayTake(agent, job) {
          let next = jobs[Int(job)].next
          if previous >= 0 { jobs[Int(previous)].next = next } else { lists[pool].head = next }
          if lists[pool].tail == job { lists[pool].tail = previous }
          lists[pool].count -= 1
          start(agent, job)
          duplicate(job, partner: design.duplicationRate > 0 ? longestIdle(for: job) : nil)
          return
        }
        previous = job
        job = jobs[Int(job)].next
      }
    }
    agents[agent].busy = false
    agents[agent].idleSince = now
  }

  /// Starts `job` on `agent` now and schedules its completion.
  mutating func start(_ agent: Int, _ job: Int32) {
    let j = jobs[Int(job)]
    let t = Int(j.task)
    let work = tasks[t].work
    let speed = profile[agent].speed
    var hours: Double
    var comm = 0.0
    switch j.kind {
    case .route:
      counters.routes += 1
      hours = design.routeTime
    case .translate:
      counters.translations += 1
      hours = design.translateEffort * tasks[t].ambiguity * work / speed
    case .review:
      counters.reviewsStarted += 1
      hours = design.reviewEffort * work / speed
    case .audit:
      counters.auditsStarted += 1
      hours = design.auditEffort * work / speed
    case .execute:
      counters.executions += 1
      if !state[t].startedExecution {
        state[t].startedExecution = true
        waitSum += now - tasks[t].arrival
        waitCount += 1
      }
      if votes > 1 {
        let count = Int(state[t].votersCount)
        if count < voterStride {
          voters[t * voterStride + count] = Int32(agent)
          state[t].votersCount += 1
        }
      }
      if Int(j.attempt) > design.maxAttempts {
        if profile[agent].isHuman {
          counters.lateAttemptExecutionsByHuman += 1
        } else {
          counters.lateAttemptExecutionsByAI += 1
        }
      }
      if agent == conductor { counters.executionsByConductor += 1 }
      let productive = j.pair ? work / (speed * design.pairSpeedup) : work / speed
      comm = productive * overhead
      hours = productive + comm
    }
    agents[agent].busy = true
    agents[agent].currentJob = job
    agents[agent].jobStart = now
    agents[agent].jobHours = hours
    agents[agent].jobComm = comm
    scheduleEnd(of: agent, at: now + hours)
  }

  /// Whether an execute job is a discarded copy: its task closed, its attempt over, or its
  /// vote slot already finished by the other copy of a duplicated pair.
  @inline(__always)
  mutating func isDiscarded(_ job: Job) -> Bool {
    let t = Int(job.task)
    let slotBit: UInt64 = 1 << UInt64(job.slot & 63)
    return !state[t].open || job.attempt != state[t].attempt || state[t].slotsDone & slotBit != 0
  }
}
