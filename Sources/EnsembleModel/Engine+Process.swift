// The process of docs/MODEL.md sections 3 and 7: what happens at each event.
extension Engine {
  // MARK: - Drift and arrival

  /// A model update: every skill of the agent shifts by its pre-drawn Normal(0, driftSD)
  /// draw, clamped to [0, 1].
  mutating func applyDrift(_ update: Int) {
    totals.counters.driftUpdates += 1
    let a = driftAgent[update].index
    for d in 0..<domains {
      let i = a * domains + d
      skill[i] = min(1, max(0, skill[i] + driftShift[update * domains + d]))
    }
  }

  /// Arrival step 1: a `translate` job for an ambiguous task when translation acts.
  mutating func arrive(_ t: TaskID) {
    totals.inSystem += 1
    if translator.exists && tasks[t].ambiguity > 0 {
      address(newJob(.translate, task: t), to: translator)
    } else {
      dispatchNew(t)
    }
  }

  /// A translation ends: the task's ambiguity is reduced, then it goes on (steps 2 and 3).
  mutating func translated(_ t: TaskID) {
    state[t].alphaEff = tasks[t].ambiguity * (1 - design.translationQuality)
    dispatchNew(t)
  }

  /// Arrival steps 2 and 3: the catalyst pair for a novel task, else routing or the pool.
  mutating func dispatchNew(_ t: TaskID) {
    if catalyst.exists && tasks[t].novel && queueLength(catalyst) < maxQueue {
      beginAttempt(t, number: 1, votes: 1)
      address(newJob(.execute, task: t, pair: true), to: catalyst)
    } else {
      dispatchAttempt(t, number: 1)
    }
  }

  /// Starts attempt `number`: a `route` job for the conductor, or `votes` pool jobs.
  mutating func dispatchAttempt(_ t: TaskID, number: Int32) {
    beginAttempt(t, number: number, votes: votes)
    if conductor.exists {
      address(newJob(.route, task: t), to: conductor)
    } else {
      for slot in 0..<votes { placeInPool(newJob(.execute, task: t, slot: slot)) }
    }
  }

  mutating func beginAttempt(_ t: TaskID, number: Int32, votes: Int) {
    totals.counters.attempts += 1
    attempts[t] = AttemptState(number: number, votes: votes)
  }

  // MARK: - Routing

  /// The conductor addresses the attempt's executions to the agents with the highest
  /// estimated success among those whose queue is shorter than `maxQueue`; votes with no
  /// qualifying agent go to the pool.
  mutating func route(_ t: TaskID) {
    chosen.removeAll()
    for slot in 0..<votes {
      let best = bestByEstimate(.executors, on: t, skipChosen: slot > 0)
      let job = newJob(.execute, task: t, slot: slot)
      if best.exists {
        if votes > 1 { chosen.append(best) }
        address(job, to: best)
      } else {
        placeInPool(job)
      }
    }
  }

  /// Addresses the attempt to the human (conductor excluded) with the highest estimated
  /// success among those with a short queue, or else to the human with the shortest queue
  /// (ties: lower index).
  mutating func escalate(_ t: TaskID, number: Int32) {
    beginAttempt(t, number: number, votes: 1)
    var best = bestByEstimate(.escalationHumans, on: t, skipChosen: false)
    if !best.exists {
      var bestQueue = 0
      for i in 0..<escalationHumans.count {
        let h = escalationHumans[i]
        if !best.exists || queueLength(h) < bestQueue {
          best = h
          bestQueue = queueLength(h)
        }
      }
    }
    totals.counters.escalatedExecutions += 1
    address(newJob(.execute, task: t), to: best)
  }

  // MARK: - Execution

  /// An execution starts: the task's wait ends at its first, and the agent becomes one of
  /// the attempt's voters.
  @inline(__always)
  mutating func startExecution(_ job: Job, on agent: AgentID) {
    let t = job.task
    totals.counters.executions += 1
    if !state[t].startedExecution {
      state[t].startedExecution = true
      totals.waitSum += now - tasks[t].arrival
      totals.waitCount += 1
    }
    if votes > 1 {
      let count = Int(attempts[t].votersCount)
      if count < voterStride {
        voters[t.index * voterStride + count] = agent
        attempts[t].votersCount += 1
      }
    }
    if Int(job.attempt) > design.maxAttempts {
      if profile[agent].isHuman {
        totals.counters.lateAttemptExecutionsByHuman += 1
      } else {
        totals.counters.lateAttemptExecutionsByAI += 1
      }
    }
    if agent == conductor { totals.counters.executionsByConductor += 1 }
  }

  /// An execution ends: the discarded copy of a duplicated pair only adds hours; a counted
  /// one draws its outcome with the skills in force now and casts its vote. When the
  /// attempt's last vote is in, the majority decides (ties by a fair coin).
  mutating func executed(_ agent: AgentID, _ job: Job, hours: Double) {
    let t = job.task
    if isDiscarded(job) {
      totals.duplicateHours += hours
      return
    }
    attempts[t].slotsDone |= 1 << UInt64(job.slot & 63)
    attempts[t].hours += hours

    let p: Double
    let silentShare: Double
    var execution = Execution(agent: agent)
    if job.pair {
      p = success(pairCompetence(t), t)
      silentShare = profile[catalyst].silentShare
      totals.counters.pairExecutions += 1
      if tasks[t].novel { totals.counters.novelPairExecutions += 1 }
    } else {
      let c = competence(agent, t)
      p = success(c, t)
      silentShare = profile[agent].silentShare
      execution.regret = regret(competence: c, success: p, t)
    }
    let isCorrect = streams.process.nextUniform() < p
    let visible = !isCorrect && streams.process.nextUniform() >= silentShare

    if !attempts[t].first.agent.exists { attempts[t].first = execution }
    if isCorrect {
      attempts[t].correctVotes += 1
      if !attempts[t].firstCorrect.agent.exists { attempts[t].firstCorrect = execution }
    } else if !visible {
      attempts[t].incorrectVotes += 1
      if !attempts[t].firstIncorrect.agent.exists { attempts[t].firstIncorrect = execution }
    }
    attempts[t].votesLeft -= 1
    if attempts[t].votesLeft > 0 { return }

    let correctVotes = attempts[t].correctVotes
    let incorrectVotes = attempts[t].incorrectVotes
    if correctVotes + incorrectVotes == 0 {
      // No votes: a visible error. The first finished execution is the counted one.
      countRegret(attempts[t].first.regret)
      failAttempt(t)
      return
    }
    let majorityCorrect: Bool
    if correctVotes != incorrectVotes {
      majorityCorrect = correctVotes > incorrectVotes
    } else {
      majorityCorrect = streams.process.nextUniform() < 0.5
    }
    let counted = majorityCorrect ? attempts[t].firstCorrect : attempts[t].firstIncorrect
    countRegret(counted.regret)
    attempts[t].outputAgent = counted.agent
    attempts[t].outputCorrect = majorityCorrect
    apparentSuccess(t)
  }

  mutating func countRegret(_ value: Double) {
    if !value.isNaN {
      totals.regretSum += value
      totals.regretCount += 1
    }
  }

  // MARK: - Review and acceptance

  /// An apparent success: reviewed if a review applies, otherwise accepted.
  mutating func apparentSuccess(_ t: TaskID) {
    let producer = attempts[t].outputAgent
    switch design.review {
    case .none:
      break
    case .expert:
      let experts = team.experts[tasks[t].domain]
      if !profile[producer].isHuman && !experts.isEmpty {
        var reviewer = AgentID(experts[0])
        for e in experts.dropFirst() where queueLength(AgentID(e)) < queueLength(reviewer) {
          reviewer = AgentID(e)
        }
        if streams.process.bernoulli(design.reviewRate) {
          address(newJob(.review, task: t), to: reviewer)
          return
        }
      }
    case .peer:
      if n > 1 && streams.process.bernoulli(design.reviewRate) {
        var reviewer = min(Int(streams.process.nextUniform() * Double(n - 1)), n - 2)
        if reviewer >= producer.index { reviewer += 1 }
        address(newJob(.review, task: t), to: AgentID(reviewer))
        return
      }
    }
    accept(t)
  }

  /// A review verdict: a wrong output is found with probability `detectSkill * skill`, a
  /// correct one rejected with probability `falseAlarmRate`. Rejected outputs are redone.
  mutating func reviewed(_ reviewer: AgentID, _ t: TaskID) {
    let u = streams.process.nextUniform()
    let rejected: Bool
    totals.counters.reviews += 1
    if attempts[t].outputCorrect {
      rejected = u < design.falseAlarmRate
    } else {
      totals.counters.reviewedWrong += 1
      rejected = u < design.detectSkill * skill[reviewer.index * domains + tasks[t].domain]
      if rejected { totals.counters.reviewsFindingWrong += 1 }
    }
    learn(t, found: rejected)
    if rejected {
      totals.counters.reviewRejections += 1
      failAttempt(t)
    } else {
      accept(t)
    }
  }

  /// The output is accepted: an apparent success that no review applies to, or one a review
  /// passed. The task is delivered.
  mutating func accept(_ t: TaskID) {
    deliver(t)
  }

  // MARK: - Closing tasks

  mutating func deliver(_ t: TaskID) {
    close(t)
    cycles[totals.delivered] = now - tasks[t].arrival
    totals.delivered += 1
    if attempts[t].outputCorrect {
      totals.correct += 1
      if profile[attempts[t].outputAgent].isHuman { totals.humanCorrect += 1 }
    }
    if monitor.exists && streams.process.bernoulli(design.auditRate) {
      address(newJob(.audit, task: t), to: monitor)
    }
  }

  mutating func close(_ t: TaskID) {
    state[t].open = false
    totals.openTasks -= 1
    totals.inSystem -= 1
    totals.lastClose = now
  }

  /// A visible error or a rejected output: abandon after the last attempt, otherwise redo
  /// (escalated to a human past `maxAttempts` when escalation acts).
  mutating func failAttempt(_ t: TaskID) {
    let attempt = attempts[t].number
    if Int(attempt) >= abandonAfter {
      totals.abandoned += 1
      close(t)
      return
    }
    totals.reworkHours += attempts[t].hours
    if design.escalation && Int(attempt) + 1 > design.maxAttempts && !escalationHumans.isEmpty {
      escalate(t, number: attempt + 1)
    } else {
      dispatchAttempt(t, number: attempt + 1)
    }
  }

  // MARK: - Audit and the ledger

  /// An audit verdict: an escaped error is found with probability `auditSkill` (it stays
  /// delivered-incorrect but counts as caught late); a correct output always passes.
  mutating func audited(_ t: TaskID) {
    totals.counters.audits += 1
    var found = false
    if !attempts[t].outputCorrect {
      found = streams.process.nextUniform() < design.auditSkill
      if found { totals.caughtLate += 1 }
    }
    learn(t, found: found)
  }

  /// The ledger: `estimate += learningRate * (y - p_hat)` for the producing agent in the
  /// task's domain, clamped to [0, 1]; `y` is 1 when the verdict found no error.
  mutating func learn(_ t: TaskID, found: Bool) {
    guard design.ledger else { return }
    let agent = attempts[t].outputAgent
    let pHat = success(competence(agent, t, estimated: true), t)
    let y: Double = found ? 0 : 1
    let i = agent.index * domains + tasks[t].domain
    estimate[i] = min(1, max(0, estimate[i] + design.learningRate * (y - pHat)))
  }
}
