/// The creative catalyst (docs/MODEL.md section 3, "Placing a stage" (b); section 7,
/// "Catalyst pair"): the
/// design switch `catalyst`.
///
/// - **Where it acts:** at the first placement of stage 0 of a novel task
///   (``Engine/place(_:_:)``), when the team has a catalyst whose queue is shorter than
///   `maxQueue`: one execution for the catalyst, paired with the AI agent of highest true
///   skill in the task's domain when the execution ends.
/// - **The pair's hours:** `stageWork / (speed_catalyst * pairSpeedup) * (1 + overhead)`
///   (``ExecuteJob``); only the catalyst's time is used.
/// - **The pair's success:** competence `max(c_catalyst, c_ai) + synergy`, both without the
///   novelty penalty; the catalyst's silent share. The output counts as the catalyst's, and
///   a pair has no routing regret.
/// - A novel task that reaches the catalyst any other way is executed by the catalyst alone.
extension Engine {
  /// Places stage `j`'s attempt `number` as a pair, if this is where the catalyst acts;
  /// returns whether it did.
  @inline(__always)
  mutating func placesPair(_ t: TaskID, _ j: Int, number: Int32) -> Bool {
    let j = stage(j)
    guard
      j == 0 && number == 1 && config.catalyst.exists && work.specs[t].novel
        && jobs.queueLength(config.catalyst) < config.maxQueue
    else { return false }
    beginAttempt(t, j, number: number, votes: 1)
    address(ExecuteJob.new(t, j, pair: true, in: &self), to: config.catalyst)
    return true
  }

  /// The productive hours of a pair's execution of `stageWork`, at the catalyst's speed.
  @inline(__always)
  func pairProductiveHours(_ stageWork: Double, speed: Double) -> Double {
    stageWork / (speed * config.design.pairSpeedup)
  }

  /// The pair's success probability on stage 0 of task `t`, now.
  mutating func pairSuccess(_ t: TaskID) -> Double {
    totals.counters.pairExecutions &+= 1
    if work.specs[t].novel { totals.counters.novelPairExecutions &+= 1 }
    return success(pairCompetence(t), t)
  }

  /// Competence of the catalyst–AI pair on stage 0: the better of the two without the
  /// novelty penalty, plus synergy. The AI partner has the highest true skill in the domain
  /// now (lower index on ties); without AI agents the catalyst pairs alone.
  mutating func pairCompetence(_ t: TaskID) -> Double {
    let d = domain(t, 0)
    var best = competence(config.catalyst, t, 0, novelty: false)
    var partner = -1
    for a in team.ais
    where partner < 0 || agents.skill[a * domains + d] > agents.skill[partner * domains + d] {
      partner = a
    }
    if partner >= 0 { best = max(best, competence(AgentID(partner), t, 0, novelty: false)) }
    return best + config.design.synergy
  }
}
