#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Who may be chosen by ``Engine/rank(_:on:_:skipChosen:)``, in index order.
enum Candidates {
  /// Every agent but the acting conductor: routing.
  case executors
  /// The humans but the acting conductor: escalation.
  case escalationHumans
}

// Competence and success (docs/MODEL.md section 7, "Competence and success"
// and "Hand-offs"), and the rankings built on them.
extension Engine {
  /// The competence formula `skill - edgePenalty * edge - ambiguityPenalty * alpha -
  /// noveltyPenalty * novel`, with `edge` and `novel` as 0 or 1. The one place it is
  /// written: every competence, estimated or true, single or in a loop, goes through it.
  @inline(__always)
  static func competence(
    skill: Double, edgePenalty: Double, ambiguityPenalty: Double, noveltyPenalty: Double,
    edge: Double, alpha: Double, novel: Double
  ) -> Double {
    skill - edgePenalty * edge - ambiguityPenalty * alpha - noveltyPenalty * novel
  }

  /// Where the inputs of stage `j` of task `t` come from (``StageState/home``): none for
  /// stage 0, which has no inputs.
  @inline(__always) mutating func inputHome(_ t: TaskID, _ j: Int) -> AgentID {
    stage(j) == 0 ? .none : work.stages[stageIndex(t, j)].home
  }

  /// Whether an execution of stage `j` of task `t` by `agent` is (or would be) a hand-off:
  /// its input came from another agent.
  @inline(__always) mutating func isHandoff(_ agent: AgentID, _ t: TaskID, _ j: Int) -> Bool {
    let home = inputHome(t, j)
    return home == .mixed || (home.exists && home != agent)
  }

  /// The competence of `agent` on stage `j` of task `t`, in the stage's domain, with the true
  /// skill in force now or, when `estimated`, the team's estimate; without the novelty
  /// penalty when `novelty` is false (a pair's members); with the hand-off loss added to the
  /// ambiguity when `handoff`.
  @inline(__always)
  mutating func competence(
    _ agent: AgentID, _ t: TaskID, _ j: Int, estimated: Bool = false, novelty: Bool = true,
    handoff: Bool = false
  ) -> Double {
    competence(
      agent, t, domain: domain(t, j), estimated: estimated, novelty: novelty, handoff: handoff)
  }

  /// ``competence(_:_:_:estimated:novelty:handoff:)`` with the skill read in `domain`.
  @inline(__always)
  mutating func competence(
    _ agent: AgentID, _ t: TaskID, domain d: Int, estimated: Bool = false,
    novelty: Bool = true, handoff: Bool = false
  ) -> Double {
    let task = work.specs[t]
    let p = agents.profile[agent]
    let i = agents.cell(agent, d)
    var alpha = work.state[t].alphaEff
    if handoff { alpha += config.design.handoffLoss }
    return Self.competence(
      skill: estimated ? estimates.values[i] : agents.skill[i], edgePenalty: p.edgePenalty,
      ambiguityPenalty: p.ambiguityPenalty, noveltyPenalty: p.noveltyPenalty,
      edge: task.edge ? 1 : 0, alpha: alpha, novel: novelty && task.novel ? 1 : 0)
  }

  /// The logistic success probability `1 / (1 + exp(-k (c - difficulty)))`.
  @inline(__always)
  mutating func success(_ c: Double, _ t: TaskID) -> Double {
    1 / (1 + exp(-config.steepness * (c - work.specs[t].difficulty)))
  }

  /// Routing regret of an execution of competence `c` and success probability `p` on stage
  /// `j` of task `t`: the highest true success among the agents allowed to execute (all but
  /// the acting conductor) minus `p`, both now, each agent's with the hand-off loss when its
  /// execution would be a hand-off. The logistic is increasing, so the best agent is the one
  /// of highest competence. When no allowed agent beats `c` (often: routing picks the best
  /// it knows), the regret is exactly 0 and the logistic need not be computed again.
  mutating func regret(competence c: Double, success p: Double, _ t: TaskID, _ j: Int) -> Double {
    let j = stage(j)
    let task = work.specs[t]
    let d = domain(t, j)
    let home = inputHome(t, j)
    let best =
      switch (task.edge, task.novel) {
      case (false, false): bestTrueCompetence(t, d, home: home, edge: false, novel: false)
      case (true, false): bestTrueCompetence(t, d, home: home, edge: true, novel: false)
      case (false, true): bestTrueCompetence(t, d, home: home, edge: false, novel: true)
      case (true, true): bestTrueCompetence(t, d, home: home, edge: true, novel: true)
      }
    return best == c ? 0 : success(best, t) - p
  }

  /// The highest true competence in domain `d` among all agents but the acting conductor,
  /// on task `t` with edge case and novelty as given (callers pass constants), the home
  /// agent's without and every other's with the hand-off loss when the stage has inputs.
  ///
  /// The loop reads the penalties from contiguous per-agent columns. A feature that is
  /// absent enters the formula as a constant 0 with a 0 penalty: the term `0 * 0` then
  /// folds away, and subtracting it (or the `penalty * 0` of the full formula) leaves the
  /// value unchanged. The loop takes every agent with the loss, then the home agent again
  /// without it: penalties and the loss are non-negative (``Team`` and ``configure(_:)``
  /// check it), so no agent's competence with the loss is above its competence without,
  /// and the maximum is the same bit for bit.
  @inline(__always)
  mutating func bestTrueCompetence(
    _ t: TaskID, _ d: Int, home: AgentID, edge: Bool, novel: Bool
  ) -> Double {
    let alpha = work.state[t].alphaEff
    let inputs = home.exists || home == .mixed
    let lossy = inputs ? alpha + config.design.handoffLoss : alpha
    var best = -Double.infinity
    var index = d
    for a in 0..<n {
      let c = Self.competence(
        skill: agents.skill[index], edgePenalty: edge ? agents.edgePenalty[a] : 0,
        ambiguityPenalty: agents.ambiguityPenalty[a],
        noveltyPenalty: novel ? agents.noveltyPenalty[a] : 0,
        edge: edge ? 1 : 0, alpha: lossy, novel: novel ? 1 : 0)
      if c > best && a != config.conductor.index { best = c }
      index &+= domains
    }
    if home.exists && home != config.conductor {
      let c = Self.competence(
        skill: agents.skill[agents.cell(home, d)],
        edgePenalty: edge ? agents.edgePenalty[home] : 0,
        ambiguityPenalty: agents.ambiguityPenalty[home],
        noveltyPenalty: novel ? agents.noveltyPenalty[home] : 0, edge: edge ? 1 : 0,
        alpha: alpha, novel: novel ? 1 : 0)
      if c > best { best = c }
    }
    return best
  }

  /// The candidate with the highest estimated competence on stage `j` of task `t` (so the
  /// highest `p_hat`, hand-off loss included) among those whose queue is shorter than
  /// `maxQueue` and, when `skipChosen`, not already given a vote of this attempt; ties go to
  /// the shorter queue, then the lower index. None when no candidate qualifies. Routing and
  /// escalation both rank by it.
  @inline(__always)
  mutating func rank(_ group: Candidates, on t: TaskID, _ j: Int, skipChosen: Bool)
    -> AgentID
  {
    // The task's features as constants, as in bestTrueCompetence: an absent one's term
    // folds away with the same result.
    switch (work.specs[t].edge, work.specs[t].novel) {
    case (false, false): rank(group, t, j, skipChosen: skipChosen, edge: false, novel: false)
    case (true, false): rank(group, t, j, skipChosen: skipChosen, edge: true, novel: false)
    case (false, true): rank(group, t, j, skipChosen: skipChosen, edge: false, novel: true)
    case (true, true): rank(group, t, j, skipChosen: skipChosen, edge: true, novel: true)
    }
  }

  /// ``rank(_:on:_:skipChosen:)`` for a task with edge case and novelty as given.
  @inline(__always)
  mutating func rank(
    _ group: Candidates, _ t: TaskID, _ j: Int, skipChosen: Bool, edge: Bool, novel: Bool
  ) -> AgentID {
    let j = stage(j)
    // What the task and stage give every candidate alike, read once.
    var ranking = Ranking(
      home: inputHome(t, j), domain: domain(t, j), edge: edge, novel: novel,
      alpha: work.state[t].alphaEff, lossyAlpha: work.state[t].alphaEff + config.design.handoffLoss,
      skipChosen: skipChosen)
    switch group {
    case .executors:
      for a in 0..<n where a != config.conductor.index { consider(AgentID(a), &ranking) }
    case .escalationHumans:
      for i in 0..<escalationHumans.count { consider(escalationHumans[i], &ranking) }
    }
    return ranking.agent
  }

  /// The state of ``rank(_:on:_:skipChosen:)``: what every candidate is measured on (the
  /// competence formula with the team's estimate, as
  /// ``competence(_:_:_:estimated:novelty:handoff:)`` computes it), and the best candidate
  /// so far.
  struct Ranking {
    let home: AgentID
    let domain: Int
    let edge: Bool
    let novel: Bool
    let alpha: Double
    let lossyAlpha: Double
    let skipChosen: Bool
    var agent = AgentID.none
    var competence = 0.0
    var queue = 0
  }

  /// One step of ``rank(_:on:_:skipChosen:)``: `a` replaces the best so far if it qualifies
  /// and ranks higher.
  @inline(__always)
  mutating func consider(_ a: AgentID, _ r: inout Ranking) {
    let queued = jobs.queueLength(a)
    if queued >= config.maxQueue || (r.skipChosen && chosen.contains(a)) { return }
    let handoff = r.home == .mixed || (r.home.exists && r.home != a)
    let c = Self.competence(
      skill: estimates.values[agents.cell(a, r.domain)],
      edgePenalty: r.edge ? agents.edgePenalty[a] : 0,
      ambiguityPenalty: agents.ambiguityPenalty[a],
      noveltyPenalty: r.novel ? agents.noveltyPenalty[a] : 0,
      edge: r.edge ? 1 : 0, alpha: handoff ? r.lossyAlpha : r.alpha, novel: r.novel ? 1 : 0)
    if !r.agent.exists || c > r.competence || (c == r.competence && queued < r.queue) {
      r.agent = a
      r.competence = c
      r.queue = queued
    }
  }
}
