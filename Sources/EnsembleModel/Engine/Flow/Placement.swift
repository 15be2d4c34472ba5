// Arrival and placing stages (docs/MODEL.md section 3, "Arrival" and "Placing a stage"): the order in which the design switches may claim a placement.
extension Engine {
  /// A task arrives: translation first when it acts (``TranslateJob``), else its first
  /// stages are placed.
  mutating func arrive(_ t: TaskID) {
    totals.inSystem += 1
    report(taskEvent(.arrive, t))
    if !TranslateJob.translates(t, in: &self) { placeFirstStages(t) }
  }

  /// The stages ready when a task starts, in stage order: stage 0 of a chain; every part of
  /// a fan-out, or only part 0 when parts go in sequence (``Engine/partsInSequence``).
  mutating func placeFirstStages(_ t: TaskID) {
    if config.shape == .fanout && stageCount > 1 && !partsInSequence {
      for j in 0..<(stageCount - 1) { place(t, j) }
    } else {
      place(t, 0)
    }
  }

  /// Places a ready stage (a first placement, a rerun or a redo). The first switch that
  /// claims it places it, in this order: escalation (``escalates(_:_:number:)``), the
  /// catalyst pair (``placesPair(_:_:number:)``), the owner under continuity
  /// (``placesWithOwner(_:_:number:)``); otherwise a `route` job under conductor routing
  /// (``RouteJob``), or `votes` executions in the pool (``placeVotesInPool(_:_:votes:)``).
  mutating func place(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let k = stageIndex(t, j)
    let number = work.stages[k].attempt.number + 1
    work.stages[k].home = j == 0 ? .none : inputAgent(t, j)
    if escalates(t, j, number: number) { return }
    if placesPair(t, j, number: number) { return }
    if placesWithOwner(t, j, number: number) { return }
    beginAttempt(t, j, number: number, votes: config.votes)
    if config.conductor.exists {
      RouteJob.post(t, j, in: &self)
    } else {
      placeVotesInPool(t, j, votes: config.votes)
    }
  }

  /// The agent whose execution of stage `j` would be no hand-off: the agent of the accepted
  /// execution of its input (a chain's previous stage), or of all its inputs when they agree
  /// (a fan-out's merge); ``AgentID/mixed`` when they do not; none for a stage without
  /// inputs.
  mutating func inputAgent(_ t: TaskID, _ j: Int) -> AgentID {
    let j = stage(j)
    guard j > 0 else { return .none }
    if config.shape == .chain { return work.stages[stageIndex(t, j - 1)].attempt.outputAgent }
    guard j == stageCount - 1 else { return .none }
    let first = work.stages[stageIndex(t, 0)].attempt.outputAgent
    for part in 1..<(stageCount - 1)
    where work.stages[stageIndex(t, part)].attempt.outputAgent != first {
      return .mixed
    }
    return first
  }

  /// Starts attempt `number` of stage `j`, waiting for `votes` executions.
  @inline(__always)
  mutating func beginAttempt(_ t: TaskID, _ j: Int, number: Int32, votes: Int) {
    let j = stage(j)
    totals.counters.attempts &+= 1
    work.stages[stageIndex(t, j)].attempt = AttemptState(number: number, votes: votes)
  }
}
