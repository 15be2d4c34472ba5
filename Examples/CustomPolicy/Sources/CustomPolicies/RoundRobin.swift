import EnsembleModel

/// A routing policy of one's own: the conductor hands each execution to the next agent in
/// turn, skipping the conductor, agents whose queue is full (`maxQueue`) and, under
/// redundancy, agents that already have a vote of the attempt. It ignores skill and the
/// team's estimate entirely, which is what makes it a useful contrast to the built-in rule.
public struct RoundRobin: RoutingPolicy {
  /// The agent whose turn is next.
  public private(set) var next = 0

  public init() {}

  public mutating func choose<Run: RunState & ~Copyable>(
    for task: TaskID, stage: Int, vote: Int, in run: inout Run
  ) -> AgentID? {
    let n = run.team.count
    let maxQueue = run.design.maxQueue
    for step in 0..<n {
      let agent = AgentID(index: (next + step) % n)
      if agent == run.conductor || run.queueLength(of: agent) >= maxQueue { continue }
      if vote > 0 && run.wasChosen(agent) { continue }
      next = (agent.index + 1) % n
      return agent
    }
    return nil  // nobody free: the execution goes to the pool
  }
}
