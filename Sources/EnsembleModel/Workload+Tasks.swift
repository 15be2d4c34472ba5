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
  /// Effort in standard hours (hours at speed 1).
  public var work: Double

  public init(
    arrival: Double, domain: Int, difficulty: Double, edge: Bool, ambiguity: Double,
    novel: Bool, work: Double
  ) {
    self.arrival = arrival
    self.domain = domain
    self.difficulty = difficulty
    self.edge = edge
    self.ambiguity = ambiguity
    self.novel = novel
    self.work = work
  }
}

extension Scenario {
  /// Draws the replication's whole task list from the workload stream (docs/MODEL.md section 6).
  ///
  /// First the arrival times of a Poisson process on [0, horizon) (exponential gaps), then
  /// each task's attributes in task order: domain, difficulty, edge, ambiguity, novelty,
  /// work. The list depends only on the stream and the workload, never on the design.
  ///
  /// - Parameter tasks: replaced by the new list; its storage is reused.
  public func drawTasks(_ rng: inout Xoshiro256StarStar, into tasks: inout [TaskSpec]) {
    drawTasks(&rng, into: &tasks, cumulativeWeights: cumulativeDomainWeights)
  }

  /// As ``drawTasks(_:into:)``, with the cumulative domain weights computed beforehand (the
  /// engine keeps them, so drawing allocates nothing once `tasks` has grown).
  func drawTasks(
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
    drawTasks(&streams.workload, into: &tasks)
    return tasks
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
