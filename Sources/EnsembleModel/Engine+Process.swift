// The process of docs/MODEL.md sections 3 and 7: arrival, placing stages, routing,
// execution and acceptance. Verdicts and closing tasks are in Engine+Verdicts.
extension Engine {
  // MARK: - Drift and arrival

  /// A model update: every skill of the agent shifts by its pre-drawn Normal(0, driftSD)
  /// draw, clamped to [0, 1].
  mutating func applyDrift(_ update: Int) {
    totals.counters.driftUpdates &+= 1
    let a = driftAgent[update].index
    if Mode.traces {
      var e = TraceEvent(time: now, kind: .drift)
      e.agent = a
      traceEvents.append(e)
    }
    for d in 0..<domains {
      let i = a * domains + d
      skill[i] = min(1, max(0, skill[i] + driftShift[update * domains + d]))
    }
  }

  /// Arrival step 1: a `translate` job for an ambiguous task when translation acts; it
  /// happens once per task, before any stage is placed.
  mutating func arrive(_ t: TaskID) {
    totals.inSystem += 1
    if Mode.traces { recordTask(.arrive, t) }
    if translator.exists && tasks[t].ambiguity > 0 {
      address(newJob(.translate, task: t, stage: 0), to: translator)
    } else {
      placeFirstStages(t)
    }
  }

  /// A translation ends: the task's ambiguity is reduced for every stage, then its first
  /// stages are placed.
  mutating func translated(_ t: TaskID) {
    state[t].alphaEff = tasks[t].ambiguity * (1 - design.translationQuality)
    placeFirstStages(t)
  }

  /// The stages ready when a task starts, in stage order: stage 0 of a chain; every part of
  /// a fan-out, or only part 0 under continuity (one owner works in sequence).
  mutating func placeFirstStages(_ t: TaskID) {
    if shape == .fanout && stageCount > 1 && !design.continuity {
      for j in 0..<(stageCount - 1) { place(t, j) }
    } else {
      place(t, 0)
    }
  }

  // MARK: - Placing a stage

  /// Places a ready stage (a first placement, a rerun or a redo), in this order: escalation
  /// when on and the stage's failures reach `maxAttempts`; the catalyst pair on stage 0's
  /// first placement; the owner under continuity; otherwise a `route` job under conductor
  /// routing, or `votes` executions in the pool.
  mutating func place(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let k = stageIndex(t, j)
    let number = stages[k].attempt.number + 1
    stages[k].home = j == 0 ? .none : inputAgent(t, j)
    if design.escalation && Int(stages[k].failures) >= design.maxAttempts
      && !escalationHumans.isEmpty
    {
      escalate(t, j, number: number)
    } else if j == 0 && number == 1 && catalyst.exists && tasks[t].novel
      && queueLength(catalyst) < maxQueue
    {
      beginAttempt(t, j, number: number, votes: 1)
      address(newJob(.execute, task: t, stage: j, pair: true), to: catalyst)
    } else if state[t].owner.exists {
      // Continuity: one execution addressed to the owner, whatever its queue; no votes.
      beginAttempt(t, j, number: number, votes: 1)
      address(newJob(.execute, task: t, stage: j), to: state[t].owner)
    } else {
      beginAttempt(t, j, number: number, votes: votes)
      if conductor.exists {
        address(newJob(.route, task: t, stage: j), to: conductor)
      } else {
        for slot in 0..<votes { placeInPool(newJob(.execute, task: t, stage: j, slot: slot)) }
      }
    }
  }

  /// The agent whose execution of stage `j` would be no hand-off: the agent of the accepted
  /// execution of its input (a chain's previous stage), or of all its inputs when they agree
  /// (a fan-out's merge); ``AgentID/mixed`` when they do not; none for a stage without
  /// inputs.
  mutating func inputAgent(_ t: TaskID, _ j: Int) -> AgentID {
    let j = stage(j)
    guard j > 0 else { return .none }
    if shape == .chain { return stages[stageIndex(t, j - 1)].attempt.outputAgent }
    guard j == stageCount - 1 else { return .none }
    let first = stages[stageIndex(t, 0)].attempt.outputAgent
    for part in 1..<(stageCount - 1) where stages[stageIndex(t, part)].attempt.outputAgent != first
    {
      return .mixed
    }
    return first
  }

  mutating func beginAttempt(_ t: TaskID, _ j: Int, number: Int32, votes: Int) {
    let j = stage(j)
    totals.counters.attempts &+= 1
    stages[stageIndex(t, j)].attempt = AttemptState(number: number, votes: votes)
  }

  // MARK: - Routing and escalation

  /// The conductor addresses the attempt's executions to the agents with the highest
  /// estimated success among those whose queue is shorter than `maxQueue`; votes with no
  /// qualifying agent go to the pool. A route job of a closed task places nothing.
  mutating func route(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    guard state[t].open else {
      recordOutcome(.void)
      return
    }
    chosen.removeAll()
    for slot in 0..<votes {
      let best = bestByEstimate(.executors, on: t, j, skipChosen: slot > 0)
      let job = newJob(.execute, task: t, stage: j, slot: slot)
      if best.exists {
        if votes > 1 { chosen.append(best) }
        address(job, to: best)
      } else {
        placeInPool(job)
      }
    }
  }

  /// Addresses the stage to the human (conductor excluded) with the highest estimated
  /// success among those with a short queue, or else to the human with the shortest queue
  /// (ties: lower index). One execution, no votes.
  mutating func escalate(_ t: TaskID, _ j: Int, number: Int32) {
    let j = stage(j)
    beginAttempt(t, j, number: number, votes: 1)
    var best = bestByEstimate(.escalationHumans, on: t, j, skipChosen: false)
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
    totals.counters.escalatedExecutions &+= 1
    address(newJob(.execute, task: t, stage: j), to: best)
  }

  // MARK: - Execution

  /// An execution starts: the task's wait ends at its first, and the agent becomes one of
  /// the attempt's voters. Returns whether the execution is a hand-off.
  @inline(__always)
  mutating func startExecution(_ job: Job, on agent: AgentID) -> Bool {
    let t = job.task
    let j = stage(Int(job.stage))
    totals.counters.executions &+= 1
    if !state[t].open { totals.counters.executionsOfClosedTasks &+= 1 }
    if !state[t].startedExecution {
      state[t].startedExecution = true
      totals.waitSum += now - tasks[t].arrival
      totals.waitCount += 1
    }
    if votes > 1 {
      let k = stageIndex(t, j)
      let count = Int(stages[k].attempt.votersCount)
      if count < voterStride {
        voters[k * voterStride + count] = agent
        stages[k].attempt.votersCount += 1
      }
    }
    if Int(job.attempt) > design.maxAttempts {
      if profile[agent].isHuman {
        totals.counters.lateAttemptExecutionsByHuman &+= 1
      } else {
        totals.counters.lateAttemptExecutionsByAI &+= 1
      }
    }
    if agent == conductor { totals.counters.executionsByConductor &+= 1 }
    let handoff = j > 0 && !job.pair && isHandoff(agent, t, j)
    if handoff { totals.counters.handoffExecutions &+= 1 }
    return handoff
  }

  /// An execution ends. The discarded copy of a duplicated pair only adds duplicate hours; a
  /// first copy that ends after its task closed has no effect. A counted one draws its
  /// outcome with the skills in force now and casts its vote. When the attempt's last vote
  /// is in, the majority decides (ties by a fair coin).
  mutating func executed(_ agent: AgentID, _ job: Job, hours: Double) {
    let t = job.task
    let j = stage(Int(job.stage))
    let k = stageIndex(t, j)
    let slotBit: UInt64 = 1 << UInt64(job.slot & 63)
    if job.attempt != stages[k].attempt.number || stages[k].attempt.slotsDone & slotBit != 0 {
      totals.duplicateHours += hours
      recordOutcome(.discarded)
      return
    }
    stages[k].attempt.slotsDone |= slotBit
    guard state[t].open else {
      totals.counters.lateExecutions &+= 1
      recordOutcome(.void)
      return
    }
    stages[k].attempt.hours += hours

    let p: Double
    let silentShare: Double
    var execution = Execution(agent: agent)
    if job.pair {
      p = success(pairCompetence(t), t)
      silentShare = profile[catalyst].silentShare
      totals.counters.pairExecutions &+= 1
      if tasks[t].novel { totals.counters.novelPairExecutions &+= 1 }
    } else {
      execution.handoff = j > 0 && isHandoff(agent, t, j)
      let c = competence(agent, t, j, handoff: execution.handoff)
      p = success(c, t)
      silentShare = profile[agent].silentShare
      execution.regret = regret(competence: c, success: p, t, j)
    }
    let isCorrect = streams.process.nextUniform() < p
    let visible = !isCorrect && streams.process.nextUniform() >= silentShare
    recordOutcome(isCorrect ? .correct : (visible ? .visibleError : .silentError))

    if !stages[k].attempt.first.agent.exists { stages[k].attempt.first = execution }
    if isCorrect {
      stages[k].attempt.correctVotes += 1
      if !stages[k].attempt.firstCorrect.agent.exists { stages[k].attempt.firstCorrect = execution }
    } else if !visible {
      stages[k].attempt.incorrectVotes += 1
      if !stages[k].attempt.firstIncorrect.agent.exists {
        stages[k].attempt.firstIncorrect = execution
      }
    }
    stages[k].attempt.votesLeft -= 1
    if stages[k].attempt.votesLeft > 0 { return }

    let correctVotes = stages[k].attempt.correctVotes
    let incorrectVotes = stages[k].attempt.incorrectVotes
    if correctVotes + incorrectVotes == 0 {
      // No votes: a visible error. The first finished execution is the counted one.
      countRegret(stages[k].attempt.first.regret)
      visibleError(t, j)
      return
    }
    let majorityCorrect: Bool
    if correctVotes != incorrectVotes {
      majorityCorrect = correctVotes > incorrectVotes
    } else {
      majorityCorrect = streams.process.nextUniform() < 0.5
    }
    let counted =
      majorityCorrect ? stages[k].attempt.firstCorrect : stages[k].attempt.firstIncorrect
    countRegret(counted.regret)
    stages[k].attempt.outputAgent = counted.agent
    stages[k].attempt.outputHandoff = counted.handoff
    stages[k].attempt.outputCorrect = majorityCorrect
    // An inherited error is never visible: the output looks as its own outcome says.
    stages[k].attempt.outputWrong = !majorityCorrect || (j > 0 && inputWrong(t, j))
    apparentSuccess(t, j)
  }

  /// Whether the accepted output of any input of stage `j` is wrong.
  mutating func inputWrong(_ t: TaskID, _ j: Int) -> Bool {
    let j = stage(j)
    guard j > 0 else { return false }
    if shape == .chain { return stages[stageIndex(t, j - 1)].attempt.outputWrong }
    guard j == stageCount - 1 else { return false }
    for part in 0..<(stageCount - 1) where stages[stageIndex(t, part)].attempt.outputWrong {
      return true
    }
    return false
  }

  mutating func countRegret(_ value: Double) {
    if !value.isNaN {
      totals.regretSum += value
      totals.regretCount += 1
    }
  }

  // MARK: - Review and acceptance

  /// An apparent success: reviewed if a review applies, otherwise accepted.
  mutating func apparentSuccess(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let producer = stages[stageIndex(t, j)].attempt.outputAgent
    switch design.review {
    case .none:
      break
    case .expert:
      let experts = team.experts[domain(t, j)]
      if !profile[producer].isHuman && !experts.isEmpty {
        var reviewer = AgentID(experts[0])
        for e in experts.dropFirst() where queueLength(AgentID(e)) < queueLength(reviewer) {
          reviewer = AgentID(e)
        }
        if streams.process.bernoulli(design.reviewRate) {
          address(newJob(.review, task: t, stage: j), to: reviewer)
          return
        }
      }
    case .peer:
      if n > 1 && streams.process.bernoulli(design.reviewRate) {
        var reviewer = min(Int(streams.process.nextUniform() * Double(n - 1)), n - 2)
        if reviewer >= producer.index { reviewer += 1 }
        address(newJob(.review, task: t, stage: j), to: AgentID(reviewer))
        return
      }
    }
    accept(t, j)
  }

  /// The output of stage `j` is accepted: an apparent success that no review applies to, or
  /// one a review passed. The first acceptance of stage 0 makes its agent the owner under
  /// continuity. Then the next stages become ready, or the task goes to sign-off or
  /// delivery.
  @inline(__always)
  mutating func accept(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let k = stageIndex(t, j)
    stages[k].accepted = true
    if j == 0 && design.continuity && !state[t].owner.exists {
      state[t].owner = stages[k].attempt.outputAgent
    }
    if j == stageCount - 1 {
      lastStageAccepted(t)
    } else if shape == .chain {
      place(t, j + 1)
    } else if design.continuity {
      // One owner works in sequence: the next part not accepted, else the merge.
      var next = stageCount - 1
      for part in 0..<(stageCount - 1) where !stages[stageIndex(t, part)].accepted {
        next = part
        break
      }
      place(t, next)
    } else if allPartsAccepted(t) {
      place(t, stageCount - 1)
    }
  }

  mutating func allPartsAccepted(_ t: TaskID) -> Bool {
    for part in 0..<(stageCount - 1) where !stages[stageIndex(t, part)].accepted { return false }
    return true
  }
}
