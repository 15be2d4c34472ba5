// The engine as a policy or mechanism sees it (``RunState``).
extension Engine: RunState {
  @inline(__always) var now: Double { clock.now }
  @inline(__always) var design: Design { config.design }
  var conductor: AgentID? { config.conductor.optional }

  @inline(__always) func task(_ task: TaskID) -> TaskSpec { work.specs[task] }

  @inline(__always) mutating func domain(of task: TaskID, stage: Int) -> Int {
    checkStage(task, stage)
    return domain(task, stage)
  }

  @inline(__always) mutating func queueLength(of agent: AgentID) -> Int {
    jobs.queueLength(agent)
  }

  @inline(__always) mutating func isBusy(_ agent: AgentID) -> Bool { agents.state[agent].busy }

  @inline(__always) mutating func skill(of agent: AgentID, in domain: Int) -> Double {
    agents.skill[agents.cell(agent, domain)]
  }

  @inline(__always) mutating func estimate(of agent: AgentID, in domain: Int) -> Double {
    estimates.values[agents.cell(agent, domain)]
  }

  mutating func setEstimate(of agent: AgentID, in domain: Int, to value: Double) {
    precondition(value.isFinite, "an estimate must be a finite number, got \(value)")
    estimates.values[agents.cell(agent, domain)] = min(1, max(0, value))
  }

  mutating func success(of agent: AgentID, on task: TaskID, stage: Int, estimated: Bool)
    -> Double
  {
    checkStage(task, stage)
    let handoff = stage > 0 && isHandoff(agent, task, stage)
    return success(competence(agent, task, stage, estimated: estimated, handoff: handoff), task)
  }

  @inline(__always)
  mutating func success(
    of agent: AgentID, on task: TaskID, stage: Int, domain: Int, estimated: Bool, handoff: Bool
  ) -> Double {
    checkStage(task, stage)
    return success(
      competence(agent, task, domain: domain, estimated: estimated, handoff: handoff), task)
  }

  @inline(__always)
  mutating func outputEstimate(of task: TaskID, stage: Int) -> Double {
    checkStage(task, stage)
    return outputSuccessEstimate(task, stage)
  }

  @inline(__always) mutating func isHuman(_ agent: AgentID) -> Bool {
    agents.profile[agent].isHuman
  }

  @inline(__always)
  mutating func bestByEstimate(on task: TaskID, stage: Int, skippingChosen: Bool) -> AgentID? {
    rank(.executors, on: task, stage, skipChosen: skippingChosen).optional
  }

  @inline(__always) mutating func wasChosen(_ agent: AgentID) -> Bool { chosen.contains(agent) }

  @inline(__always) mutating func uniform() -> Double { streams.process.nextUniform() }

  mutating func setTimer(at time: Double, tag: Int32) {
    precondition(time >= clock.now, "a timer at \(time) h, before now (\(clock.now) h)")
    guard time < 2 * scenario.horizon else { return }
    clock.queue.schedule(at: time, kind: .timer, payload: tag)
  }

  mutating func assignDuty(to agent: AgentID, hours: Double, tag: Int32, first: Bool) {
    CustomDuty.assign(to: agent, hours: hours, tag: tag, first: first, in: &self)
  }

  /// Stops with a clear message when a policy names a stage that does not exist.
  @inline(__always)
  func checkStage(_ task: TaskID, _ stage: Int) {
    precondition(
      task.index >= 0 && task.index < work.count && stage >= 0 && stage < stageCount,
      "no stage \(stage) of \(task) in this run")
  }
}
