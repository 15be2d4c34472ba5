/// One unit of work, with every attribute drawn once at creation (docs/MODEL.md section 2).
public struct TaskSpec: Sendable, Hashable, BitwiseCopyable {
  /// Arrival time in hours.
  public var arrival: Double
  public var domain: Int
  /// Difficulty δ, on the competence scale.
  public var difficulty: Double
  public var edge: Bool
  /// Ambiguity α before any translation.
  public var ambiguity: Double
  public var novel: Bool
  /// Effort in standard hours (hours at speed 1), shared equally by the task's stages.
  public var work: Double
  /// Whether the task is high-stakes (drawn from the stakes stream).
  public var highStakes: Bool

  public init(
    arrival: Double, domain: Int, difficulty: Double, edge: Bool, ambiguity: Double,
    novel: Bool, work: Double, highStakes: Bool = false
  ) {
    self.arrival = arrival
    self.domain = domain
    self.difficulty = difficulty
    self.edge = edge
    self.ambiguity = ambiguity
    self.novel = novel
    self.work = work
    self.highStakes = highStakes
  }
}

extension Scenario {
  /// Draws the replication's whole task list (docs/MODEL.md section 6).
  ///
  /// From the workload stream, first the arrival times of a Poisson process on [0, horizon)
  /// (exponential gaps), then each task's attributes in task order: domain, difficulty,
  /// edge, ambiguity, novelty, work. Then, from the stakes stream, one Bernoulli
  /// (`stakesRate`) per task in arrival order, whatever the rate. The list depends only on
  /// the streams and the workload, never on the design.
  ///
  /// - Parameter tasks: replaced by the new list; its storage is reused.
  public func drawTasks(_ streams: inout RandomStreams, into tasks: inout [TaskSpec]) {
    drawTasks(&streams, into: &tasks, cumulativeWeights: cumulativeDomainWeights)
  }

  /// As ``drawTasks(_:into:)``, with the cumulative domain weights computed beforehand (the
  /// engine keeps them, so drawing allocates nothing once `tasks` has grown).
  func drawTasks(
    _ streams: inout RandomStreams, into tasks: inout [TaskSpec],
    cumulativeWeights cumulative: [Double]
  ) {
    drawWorkload(&streams.workload, into: &tasks, cumulativeWeights: cumulative)
    // At rate 0 every draw is false: skipping them changes nothing, since the stakes
    // stream serves nothing else.
    let rate = workload.stakesRate
    guard rate > 0 else { return }
    tasks.withUnsafeMutableBufferPointer { list in
      for i in list.indices { list[i].highStakes = streams.stakes.bernoulli(rate) }
    }
  }

  /// The draws of the workload stream: arrivals, then each task's attributes.
  func drawWorkload(
    _ rng: inout Xoshiro256StarStar, into tasks: inout [TaskSpec],
    cumulativeWeights cumulative: [Double]
  ) {
    tasks.removeAll(keepingCapacity: true)
    let rate = workload.arrivalRate
    if rate > 0 {
      let mean = 1 / rate
      var t = rng.exponential(mean: mean)
      while t < horizon {
        tasks.append(
          TaskSpec(
            arrival: t, domain: 0, difficulty: 0, edge: false, ambiguity: 0, novel: false,
            work: 0))
        t += rng.exponential(mean: mean)
      }
    }
    let w = workload
    tasks.withUnsafeMutableBufferPointer { list in
      for i in list.indices {
        list[i].domain = Self.categorical(cumulative, rng.nextUniform())
        list[i].difficulty = w.difficulty.sample(&rng)
        list[i].edge = rng.bernoulli(w.edgeCaseRate)
        list[i].ambiguity = w.ambiguity.sample(&rng)
        list[i].novel = rng.bernoulli(w.noveltyRate)
        list[i].work = w.work.sample(&rng)
      }
    }
  }

  /// The task list of a replication seed, drawn as the simulator draws it.
  public func tasks(replicationSeed: UInt64) -> [TaskSpec] {
    var streams = RandomStreams(replicationSeed: replicationSeed)
    var tasks: [TaskSpec] = []
    drawTasks(&streams, into: &tasks)
    return tasks
  }

  /// The domain of every stage of every task, `[task * stages + stage]`: stage 0 has the
  /// task's domain; each later stage one uniform of the stage stream, inverted through the
  /// cumulative domain weights, task by task in arrival order.
  public func stageDomains(replicationSeed: UInt64) -> [Int] {
    var streams = RandomStreams(replicationSeed: replicationSeed)
    let list = tasks(replicationSeed: replicationSeed)
    let s = workload.stages
    let cumulative = cumulativeDomainWeights
    var domains: [Int] = []
    for task in list {
      domains.append(task.domain)
      for _ in 1..<max(1, s) {
        domains.append(Self.categorical(cumulative, streams.stages.nextUniform()))
      }
    }
    return domains
  }

  /// Cumulative domain probabilities; equal weights when none are given.
  var cumulativeDomainWeights: [Double] {
    let raw = workload.domainWeights ?? Array(repeating: 1, count: domains)
    let total = raw.reduce(0, +)
    var cumulative: [Double] = []
    var running = 0.0
    for w in raw {
      running += w / total
      cumulative.append(running)
    }
    return cumulative
  }

  /// The first index whose cumulative probability exceeds `u`.
  @inline(__always)
  static func categorical(_ cumulative: [Double], _ u: Double) -> Int {
    var i = 0
    let last = cumulative.count - 1
    while i < last && u >= cumulative[i] { i += 1 }
    return i
  }
}
