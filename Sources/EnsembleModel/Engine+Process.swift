// The process of MODEL.md section 5: what happens at each event.
extension Engine {
  // MARK: - Drift and arrival

  /// A model update: every skill of the agent shifts by its pre-drawn Normal(0, driftSD)
  /// draw, clamped to [0, 1].
  mutating func applyDrift(_ update: Int) {
    counters.driftUpdates += 1
    let a = Int(driftAgent[update])
    for d in 0..<domains {
      let i = a * domains + d
      skill[i] = min(1, max(0, skill[i] + driftShift[update * domains + d]))
    }
  }

  /// Arrival step 1: a `translate` job for an ambiguous task when translation acts.
  mutating func arrive(_ t: Int) {
    inSystem += 1
    if translator >= 0 && tasks[t].ambiguity > 0 {
      address(newJob(.translate, task: t), to: translator)
    } else {
      dispatchNew(t)
    }
  }

  /// Arrival steps 2 and 3: the catalyst pair for a novel task, else routing or the pool.
  mutating func dispatchNew(_ t: Int) {
    state[t].attempt = 1
    if catalyst >= 0 && tasks[t].novel && queueLength(catalyst) < maxQueue {
      beginAttempt(t, votes: 1)
      address(newJob(.execute, task: t, pair: true), to: catalyst)
    } else {
      dispatchAttempt(t)
    }
  }

  /// Sends the current attempt to the conductor, or to the pool as `votes` jobs.
  mutating func dispatchAttempt(_ t: Int) {
    beginAttempt(t, votes: votes)
    if conductor >= 0 {
      address(newJob(.route, task: t), to: conductor)
    } else {
      for slot in 0..<votes { placeInPool(newJob(.execute, task: t, slot: slot)) }
    }
  }

  mutating func beginAttempt(_ t: Int, votes: Int) {
    counters.attempts += 1
    state[t].votesLeft = Int32(votes)
    state[t].slotsDone = 0
    state[t].votersCount = 0
    state[t].correctVotes = 0
    state[t].incorrectVotes = 0
    state[t].firstAgent = -1
    state[t].correctAgent = -1
    state[t].incorrectAgent = -1
    state[t].attemptHours = 0
  }

  // MARK: - Completions

  /// An agent finishes its current job. Jobs its completion creates are placed before the
  /// agent picks its next job, so until then it is neither idle nor a duplicate partner.
  mutating func finish(_ agent: Int) {
    let job = agents[agent].currentJob
    let j = jobs[Int(job)]
    let hours = agents[agent].jobHours
    agents[agent].busyHours += hours
    agents[agent].currentJob = -1
    commHours += agents[agent].jobComm
    release(job)
    let t = Int(j.task)
    switch j.kind {
    case .route:
      structureHours += hours
      route(t)
    case .translate:
      structureHours += hours
      state[t].alphaEff = tasks[t].ambiguity * (1 - design.translationQuality)
      dispatchNew(t)
    case .execute:
      executed(agent, j, hours: hours)
    case .review:
      structureHours += hours
      reviewed(agent, t)
    case .audit:
      structureHours += hours
      audited(t)
    }
    takeNext(agent)
  }

  /// The conductor addresses the attempt's executions to the agents with the highest
  /// estimated success among those whose queue is shorter than `maxQueue` (ties: shorter
  /// queue, then lower index); votes with no qualifying agent go to the pool. Success is
  /// increasing in competence, so agents are ranked by estimated competence.
  mutating func route(_ t: Int) {
    chosen.removeAll(keepingCapacity: true)
    for slot in 0..<votes {
      var best = -1
      var bestC = 0.0
      var bestQueue = 0
      for a in 0..<n where a != conductor {
        let queued = queueLength(a)
        if queued >= maxQueue || (slot > 0 && chosen.contains(a)) { continue }
        let c = competence(a, t, estimated: true)
        if best < 0 || c > bestC || (c == bestC && queued < bestQueue) {
          best = a
          bestC = c
          bestQueue = queued
        }
      }
      let job = newJob(.execute, task: t, slot: slot)
      if best >= 0 {
        if votes > 1 { chosen.append(best) }
        address(job, to: best)
      } else {
        placeInPool(job)
      }
    }
  }

  /// An execution ends: the discarded copy of a duplicated pair only adds hours; a counted
  /// one draws its outcome with the skills in force now and casts its vote. When the
  /// attempt's last vote is in, the majority decides (ties by a fair coin).
  mutating func executed(_ agent: Int, _ job: Job, hours: Double) {
    let t = Int(job.task)
    if isDiscarded(job) {
      duplicateHours += hours
      return
    }
    state[t].slotsDone |= 1 << UInt64(job.slot & 63)
    state[t].attemptHours += hours

    let p: Double
    let silentShare: Double
    let regretValue: Double
    if job.pair {
      p = success(pairCompetence(t), t)
      silentShare = profile[catalyst].silentShare
      regretValue = .nan
      counters.pairExecutions += 1
      if tasks[t].novel { counters.novelPairExecutions += 1 }
    } else {
      p = success(competence(agent, t), t)
      silentShare = profile[agent].silentShare
      regretValue = regret(p, t)
    }
    let isCorrect = streams.process.nextUniform() < p
    let visible = !isCorrect && streams.process.nextUniform() >= silentShare

    if state[t].firstAgent < 0 {
      state[t].firstAgent = Int32(agent)
      state[t].firstRegret = regretValue
    }
    if isCorrect {
      state[t].correctVotes += 1
      if state[t].correctAgent < 0 {
        state[t].correctAgent = Int32(agent)
        state[t].correctRegret = regretValue
      }
    } else if !visible {
      state[t].incorrectVotes += 1
      if state[t].incorrectAgent < 0 {
        state[t].incorrectAgent = Int32(agent)
        state[t].incorrectRegret = regretValue
      }
    }
    state[t].votesLeft -= 1
    if state[t].votesLeft > 0 { return }

    let correctVotes = state[t].correctVotes
    let incorrectVotes = state[t].incorrectVotes
    if correctVotes + incorrectVotes == 0 {
      // No votes: a visible error. The first finished execution is the counted one.
      countRegret(state[t].firstRegret)
      failAttempt(t)
      return
    }
    let majorityCorrect: Bool
    if correctVotes != incorrectVotes {
      majorityCorrect = correctVotes > incorrectVotes
    } else {
      majorityCorrect = streams.process.nextUniform() < 0.5
    }
    if majorityCorrect {
      state[t].outputAgent = state[t].correctAgent
      countRegret(state[t].correctRegret)
    } else {
      state[t].outputAgent = state[t].incorrectAgent
      countRegret(state[t].incorrectRegret)
    }
    state[t].outputCorrect = majorityCorrect
    apparentSuccess(t)
  }

  mutating func countRegret(_ value: Double) {
    if !value.isNaN {
      regretSum += value
      regretCount += 1
    }
  }

  /// An apparent success: reviewed if a review applies, otherwise delivered.
  mutating func apparentSuccess(_ t: Int) {
    let producer = Int(state[t].outputAgent)
    switch design.review {
    case .none:
      break
    case .expert:
      let experts = team.experts[tasks[t].domain]
      if !profile[producer].isHuman && !experts.isEmpty {
        var reviewer = experts[0]
        for e in experts.dropFirst() where queueLength(e) < queueLength(reviewer) {
          reviewer = e
        }
        if streams.process.bernoulli(design.reviewRate) {
          address(newJob(.review, task: t), to: reviewer)
          return
        }
      }
    case .peer:
      if n > 1 && streams.process.bernoulli(design.reviewRate) {
        var reviewer = min(Int(streams.process.nextUniform() * Double(n - 1)), n - 2)
        if reviewer >= producer { reviewer += 1 }
        address(newJob(.review, task: t), to: reviewer)
        return
      }
    }
    deliver(t)
  }

  /// A review verdict: a wrong output is found with probability `detectSkill * skill`, a
  /// correct one rejected with probability `falseAlarmRate`. Rejected outputs are redone.
  mutating func reviewed(_ reviewer: Int, _ t: Int) {
    let u = streams.process.nextUniform()
    let rejected: Bool
    counters.reviews += 1
    if state[t].outputCorrect {
      rejected = u < design.falseAlarmRate
    } else {
      counters.reviewedWrong += 1
      rejected = u < design.detectSkill * skill[reviewer * domains + tasks[t].domain]
      if rejected { counters.reviewsFindingWrong += 1 }
    }
    learn(t, found: rejected)
    if rejected {
      counters.reviewRejections += 1
      failAttempt(t)
    } else {
      deliver(t)
    }
  }

  /// An audit verdict: an escaped error is found with probability `auditSkill` (it stays
  /// delivered-incorrect but counts as caught late); a correct output always passes.
  mutating func audited(_ t: Int) {
    counters.audits += 1
    var found = false
    if !state[t].outputCorrect {
      found = streams.process.nextUniform() < design.auditSkill
      if found { caughtLate += 1 }
    }
    learn(t, found: found)
  }

  /// The ledger: `estimate += learningRate * (y - p_hat)` for the producing agent in the
  /// task's domain, clamped to [0, 1]; `y` is 1 when the verdict found no error.
  mutating func learn(_ t: Int, found: Bool) {
    guard design.ledger else { return }
    let agent = Int(state[t].outputAgent)
    let pHat = success(competence(agent, t, estimated: true), t)
    let y: Double = found ? 0 : 1
    let i = agent * domains + tasks[t].domain
    estimate[i] = min(1, max(0, estimate[i] + design.learningRate * (y - pHat)))
  }

  // MARK: - Closing tasks

  mutating func deliver(_ t: Int) {
    close(t)
    cycles[delivered] = now - tasks[t].arrival
    delivered += 1
    if state[t].outputCorrect {
      correct += 1
      if profile[Int(state[t].outputAgent)].isHuman { humanCorrect += 1 }
    }
    if monitor >= 0 && streams.process.bernoulli(design.auditRate) {
      address(newJob(.audit, task: t), to: monitor)
    }
  }

  mutating func close(_ t: Int) {
    state[t].open = false
    openTasks -= 1
    inSystem -= 1
    lastClose = now
  }

  /// A visible error or a rejected output: abandon after the last attempt, otherwise redo
  /// (escalated to a human past `maxAttempts` when escalation acts).
  mutating func failAttempt(_ t: Int) {
    let attempt = Int(state[t].attempt)
    if attempt >= abandonAfter {
      abandoned += 1
      close(t)
      return
    }
    reworkHours += state[t].attemptHours
    state[t].attempt += 1
    if design.escalation && attempt + 1 > design.maxAttempts && !escalationHumans.isEmpty {
      escalate(t)
    } else {
      dispatchAttempt(t)
    }
  }

  /// Addresses the attempt to the human (conductor excluded) with the highest estimated
  /// success among those with a short queue, or else to the human with the shortest queue
  /// (ties: shorter queue, then lower index).
  mutating func escalate(_ t: Int) {
    beginAttempt(t, votes: 1)
    var best = -1
    var bestC = 0.0
    var bestQueue = 0
    for h in escalationHumans {
      let queued = queueLength(h)
      if queued >= maxQueue { continue }
      let c = competence(h, t, estimated: true)
      if best < 0 || c > bestC || (c == bestC && queued < bestQueue) {
        best = h
        bestC = c
        bestQueue = queued
      }
    }
    if best < 0 {
      for h in escalationHumans where best < 0 || queueLength(h) < bestQueue {
        best = h
        bestQueue = queueLength(h)
      }
    }
    counters.escalatedExecutions += 1
    address(newJob(.execute, task: t), to: best)
  }
}
