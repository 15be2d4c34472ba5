#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A job: addressed to an agent's personal queue or waiting in the pool.
struct Job: BitwiseCopyable {
  var kind: JobKind
  /// An execute job that pairs the catalyst with the best AI agent (arrival step 2).
  var pair: Bool
  var task: Int32
  /// The attempt the job belongs to (execute jobs).
  var attempt: Int32
  /// The vote slot within the attempt (execute jobs; 0 without redundancy).
  var slot: Int32
  /// Intrusive link to the next job of the same queue; -1 at the tail.
  var next: Int32
}

/// A FIFO of jobs linked through `Job.next`.
struct JobList: BitwiseCopyable {
  var head: Int32 = -1
  var tail: Int32 = -1
  var count: Int = 0
}

/// What the engine reads of an agent at every step, in one record.
struct AgentProfile: BitwiseCopyable {
  var speed: Double
  var costPerHour: Double
  var edgePenalty: Double
  var ambiguityPenalty: Double
  var noveltyPenalty: Double
  var silentShare: Double
  var isHuman: Bool
}

/// An agent during a run.
struct AgentState: BitwiseCopyable {
  var busy = false
  var currentJob: Int32 = -1
  /// When the agent last became idle (the longest-idle rule).
  var idleSince = 0.0
  var jobStart = 0.0
  /// Hours of the job in progress, and the communication part of them.
  var jobHours = 0.0
  var jobComm = 0.0
  /// Busy hours so far in the run.
  var busyHours = 0.0
}

/// A task during a run.
struct TaskState: BitwiseCopyable {
  /// Effective ambiguity: the task's, reduced once translated.
  var alphaEff = 0.0
  var attempt: Int32 = 0
  var open = true
  var startedExecution = false
  /// Executions the current attempt still waits for.
  var votesLeft: Int32 = 0
  /// Vote slots of the current attempt already finished (the first copy counts).
  var slotsDone: UInt64 = 0
  var votersCount: Int32 = 0
  var correctVotes: Int32 = 0
  var incorrectVotes: Int32 = 0
  /// The first finished execution of the attempt and the first finished correct and
  /// incorrect votes: agent and routing regret (NaN for a pair, which has none).
  var firstAgent: Int32 = -1
  var firstRegret = Double.nan
  var correctAgent: Int32 = -1
  var correctRegret = Double.nan
  var incorrectAgent: Int32 = -1
  var incorrectRegret = Double.nan
  /// Hours of the counted executions of the current attempt.
  var attemptHours = 0.0
  /// The output on its way to delivery or delivered: true outcome and its agent.
  var outputCorrect = false
  var outputAgent: Int32 = -1
}

/// The state and rules of one run. Storage lives in ``Slab``s sized at the start of a run
/// and kept for the next, so the event loop does plain loads and stores and no allocation.
struct Engine: ~Copyable {
  let scenario: Scenario
  let team: Team
  let n: Int
  let domains: Int
  let profile: Slab<AgentProfile>
  /// The penalties again as columns, for loops over all agents.
  let edgePenalty: Slab<Double>
  let ambiguityPenalty: Slab<Double>
  let noveltyPenalty: Slab<Double>
  let initialSkill: Slab<Double>

  // Run configuration.
  var design = Design()
  var steepness = 10.0
  var overhead = 0.0
  var votes = 1
  var maxQueue = 2
  var abandonAfter = 6
  /// Role holders acting in this design, or -1 (a switch is inert without its holder).
  var conductor = -1
  var translator = -1
  var monitor = -1
  var catalyst = -1
  var escalationHumans: [Int] = []
  /// Scratch for routing under redundancy: agents already given a vote of the attempt.
  var chosen: [Int] = []

  var streams = RandomStreams(replicationSeed: 0)

  // Time and events. Arrivals are a sorted list, drift updates a heap, and job completions
  // a table with at most one entry per agent, whose earliest entry is cached: each agent
  // has at most one job in progress, so a scan of the table after each completion is
  // cheaper than keeping completions in a heap.
  var now = 0.0
  /// Drift updates, all scheduled before the run.
  var queue = EventQueue()
  /// When each agent's job in progress ends (infinity when none), and its scheduling order.
  var endTime: Slab<Double>
  var endSequence: Slab<UInt64>
  var nextSequence: UInt64 = 0
  /// The agent whose job ends first (-1: none), valid while `firstEndKnown`.
  var firstEnd = -1
  var firstEndKnown = false
  var nextArrival = 0
  var eventCount = 0
  var traceTimes = false
  var trace: [Double] = []

  // Tasks.
  var taskList: [TaskSpec] = []
  /// The scenario's cumulative domain weights, computed once.
  let cumulativeDomainWeights: [Double]
  /// The seed the task list was drawn for; a new seed draws a new list.
  var taskListSeed: UInt64?
  var taskCount = 0
  var tasks = Slab<TaskSpec>()
  var state = Slab<TaskState>()
  /// `task * voterStride + i`: agents executing the current attempt (under redundancy).
  var voters = Slab<Int32>()
  var voterStride = 2
  var openTasks = 0
  var lastClose = 0.0
  /// Tasks arrived and not yet closed, and its integral over time (for Little's law).
  var inSystem = 0
  var inSystemArea = 0.0

  // Agents.
  var agents: Slab<AgentState>
  /// True skill and the team's estimate, `[agent * domains + domain]`.
  var skill: Slab<Double>
  var estimate: Slab<Double>
  /// Every job FIFO: `2a` holds agent a's duties, `2a + 1` its executes, `2n` the pool.
  var lists: Slab<JobList>
  let poolList: Int

  // Job records: a free list over a growing slab.
  var jobs = Slab<Job>(capacity: 64)
  var jobCount = 0
  var freeJob: Int32 = -1

  // Drift updates, drawn before the run.
  var driftAgent = Slab<Int32>()
  var driftShift = Slab<Double>()
  var driftCount = 0

  // Accumulators.
  var counters = RunCounters()
  var delivered = 0
  var correct = 0
  var humanCorrect = 0
  var abandoned = 0
  var caughtLate = 0
  var waitSum = 0.0
  var waitCount = 0
  var cycles = Slab<Double>()
  var commHours = 0.0
  var structureHours = 0.0
  var reworkHours = 0.0
  var duplicateHours = 0.0
  var regretSum = 0.0
  var regretCount = 0

  init(scenario: Scenario, team: Team) {
    self.scenario = scenario
    self.team = team
    n = team.count
    domains = team.domains
    profile = Slab(
      copying: (0..<team.count).map { a in
        AgentProfile(
          speed: team.speed[a], costPerHour: team.costPerHour[a],
          edgePenalty: team.edgePenalty[a], ambiguityPenalty: team.ambiguityPenalty[a],
          noveltyPenalty: team.noveltyPenalty[a], silentShare: team.silentShare[a],
          isHuman: team.isHuman[a])
      })
    edgePenalty = Slab(copying: team.edgePenalty)
    ambiguityPenalty = Slab(copying: team.ambiguityPenalty)
    noveltyPenalty = Slab(copying: team.noveltyPenalty)
    initialSkill = Slab(copying: team.skill)
    cumulativeDomainWeights = scenario.cumulativeDomainWeights
    agents = Slab(capacity: team.count)
    skill = Slab(copying: team.skill)
    estimate = Slab(copying: team.skill)
    lists = Slab(capacity: 2 * team.count + 1)
    poolList = 2 * team.count
    endTime = Slab(capacity: team.count)
    endSequence = Slab(capacity: team.count)
  }

  // MARK: - The run

  mutating func run(design: Design, seed: UInt64) -> Metrics {
    configure(design)
    reset(seed: seed)
    let horizon = scenario.horizon
    let cap = 2 * horizon
    var end = cap
    while true {
      let arrivalTime = nextArrival < taskCount ? tasks[nextArrival].arrival : .infinity
      if !firstEndKnown { findFirstEnd() }
      let completionTime = firstEnd >= 0 ? endTime[firstEnd] : .infinity
      let driftTime = queue.firstTime
      let time = min(arrivalTime, driftTime, completionTime)
      if time == .infinity { break }
      if nextArrival == taskCount && openTasks == 0 {
        end = max(horizon, lastClose)
        if time >= end { break }
      }
      if time >= cap { break }
      eventCount &+= 1
      if traceTimes { trace.append(time) }
      inSystemArea += Double(inSystem) * (time - now)
      now = time
      // Ties in time go to the event scheduled first: arrivals (all scheduled before the
      // run), then drift updates (scheduled next), then completions in scheduling order.
      if arrivalTime == time {
        let t = nextArrival
        nextArrival &+= 1
        arrive(t)
      } else if driftTime == time {
        applyDrift(Int(queue.popFirst().payload))
      } else {
        let agent = firstEnd
        endTime[agent] = .infinity
        firstEndKnown = false
        finish(agent)
      }
    }
    if nextArrival == taskCount && openTasks == 0 { end = max(horizon, lastClose) }
    inSystemArea += Double(inSystem) * max(0, end - now)
    return finishRun(end: end)
  }

  mutating func configure(_ design: Design) {
    self.design = design
    steepness = scenario.model.steepness
    abandonAfter = scenario.model.abandonAfterAttempts
    votes = max(1, design.redundancy)
    maxQueue = design.maxQueue
    switch design.communication {
    case .allToAll: overhead = design.commCost * Double(max(0, n - 1))
    case .hierarchy: overhead = design.commCost * 2
    }
    conductor = design.routing == .conductor ? (team.firstHolder(of: .conductor) ?? -1) : -1
    translator = design.translation ? (team.firstHolder(of: .translator) ?? -1) : -1
    monitor = design.audit ? (team.firstHolder(of: .monitor) ?? -1) : -1
    catalyst = design.catalyst ? (team.firstHolder(of: .catalyst) ?? -1) : -1
    escalationHumans.removeAll(keepingCapacity: true)
    for h in team.humans where h != conductor { escalationHumans.append(h) }
  }

  mutating func reset(seed: UInt64) {
    streams = RandomStreams(replicationSeed: seed)
    // The task list depends only on the seed and the scenario, so the conditions of one
    // replication, run one after another on this simulator, draw it once.
    if seed != taskListSeed {
      scenario.drawTasks(
        &streams.workload, into: &taskList, cumulativeWeights: cumulativeDomainWeights)
      taskListSeed = seed
      taskCount = taskList.count
      tasks.reserve(taskCount)
      for t in 0..<taskCount { tasks[t] = taskList[t] }
    }
    state.reserve(taskCount)
    cycles.reserve(taskCount)
    for t in 0..<taskCount {
      var s = TaskState()
      s.alphaEff = tasks[t].ambiguity
      state[t] = s
    }
    voterStride = 2 * votes
    if votes > 1 { voters.fill(-1, count: taskCount * voterStride) }
    now = 0
    nextArrival = 0
    eventCount = 0
    openTasks = taskCount
    lastClose = 0
    inSystem = 0
    inSystemArea = 0
    for a in 0..<n { agents[a] = AgentState() }
    for i in 0..<(2 * n + 1) { lists[i] = JobList() }
    jobCount = 0
    freeJob = -1
    for i in 0..<(n * domains) { skill[i] = initialSkill[i] }

    // Drift: every AI agent's update times on [0, 2 * horizon), each followed by one
    // Normal(0, driftSD) shift per domain, agent by agent; all scheduled before the run.
    queue.reset(capacity: 16)
    for a in 0..<n { endTime[a] = .infinity }
    nextSequence = 0
    firstEnd = -1
    firstEndKnown = true
    driftCount = 0
    let driftEnd = 2 * scenario.horizon
    for a in 0..<n where !team.isHuman[a] && team.driftRate[a] > 0 {
      let mean = 1 / team.driftRate[a]
      var t = streams.drift.exponential(mean: mean)
      while t < driftEnd {
        driftAgent.reserve(driftCount + 1, keeping: driftCount)
        driftShift.reserve((driftCount + 1) * domains, keeping: driftCount * domains)
        queue.schedule(at: t, payload: Int32(driftCount))
        driftAgent[driftCount] = Int32(a)
        for d in 0..<domains {
          driftShift[driftCount * domains + d] = streams.drift.normal(
            mean: 0, sd: team.driftSD[a])
        }
        driftCount += 1
        t += streams.drift.exponential(mean: mean)
      }
    }

    // The team's estimate: initial skill plus a persistent Normal(0, sigma) error.
    let sigma = 0.3 * (1 - design.leaderFluency)
    for i in 0..<(n * domains) {
      estimate[i] = initialSkill[i] + streams.estimate.normal(mean: 0, sd: sigma)
    }

    counters = RunCounters()
    delivered = 0
    correct = 0
    humanCorrect = 0
    abandoned = 0
    caughtLate = 0
    waitSum = 0
    waitCount = 0
    commHours = 0
    structureHours = 0
    reworkHours = 0
    duplicateHours = 0
    regretSum = 0
    regretCount = 0
  }

  /// Schedules the end of `agent`'s job at `time`. - Complexity: O(1)
  @inline(__always)
  mutating func scheduleEnd(of agent: Int, at time: Double) {
    endTime[agent] = time
    endSequence[agent] = nextSequence
    nextSequence &+= 1
    // A later-scheduled end wins only if strictly earlier.
    if firstEndKnown && (firstEnd < 0 || time < endTime[firstEnd]) { firstEnd = agent }
  }

  /// Finds the earliest job end, ties by scheduling order. - Complexity: O(agents)
  mutating func findFirstEnd() {
    var best = -1
    var bestTime = Double.infinity
    var bestSequence = UInt64.max
    for a in 0..<n {
      let time = endTime[a]
      if time < bestTime || (time == bestTime && time < .infinity && endSequence[a] < bestSequence)
      {
        best = a
        bestTime = time
        bestSequence = endSequence[a]
      }
    }
    firstEnd = best
    firstEndKnown = true
  }

  // MARK: - End of the run

  mutating func finishRun(end: Double) -> Metrics {
    // Jobs in progress count their hours up to the end, communication in proportion.
    for a in 0..<n where agents[a].busy {
      let agent = agents[a]
      let fraction =
        agent.jobHours > 0 ? min(1, max(0, (end - agent.jobStart) / agent.jobHours)) : 0
      let counted = agent.jobHours * fraction
      agents[a].busyHours += counted
      commHours += agent.jobComm * fraction
      let job = jobs[Int(agent.currentJob)]
      if job.kind == .execute {
        if isDiscarded(job) { duplicateHours += counted }
      } else {
        structureHours += counted
      }
    }

    var m = Metrics()
    m.arrived = taskCount
    m.delivered = delivered
    m.correct = correct
    m.abandoned = abandoned
    m.backlog = taskCount - delivered - abandoned
    m.caughtLate = caughtLate
    m.length = end
    m.events = eventCount
    m.meanInSystem = inSystemArea / end
    if m.arrived > 0 { m.correctRate = Double(correct) / Double(m.arrived) }
    if delivered > 0 {
      m.escapeRate = Double(delivered - correct) / Double(delivered)
      var sum = 0.0
      for i in 0..<delivered { sum += cycles[i] }
      m.meanCycle = sum / Double(delivered)
      m.p90Cycle = Self.percentile90(cycles.base, count: delivered)
    }
    if waitCount > 0 { m.meanWait = waitSum / Double(waitCount) }
    m.throughput = Double(delivered) / end
    var busyTotal = 0.0
    var humanBusy = 0.0
    var aiBusy = 0.0
    for a in 0..<n {
      let hours = agents[a].busyHours
      busyTotal += hours
      m.cost += hours * profile[a].costPerHour
      if profile[a].isHuman { humanBusy += hours } else { aiBusy += hours }
    }
    if correct > 0 {
      m.costPerCorrect = m.cost / Double(correct)
      m.humanShare = Double(humanCorrect) / Double(correct)
    }
    if busyTotal > 0 {
      m.overheadShare = commHours / busyTotal
      m.structureShare = structureHours / busyTotal
    }
    m.reworkHours = reworkHours
    m.duplicateHours = duplicateHours
    if !team.humans.isEmpty {
      m.humanUtilization = humanBusy / (Double(team.humans.count) * end)
    }
    if !team.ais.isEmpty { m.aiUtilization = aiBusy / (Double(team.ais.count) * end) }
    if regretCount > 0 { m.routingRegret = regretSum / Double(regretCount) }
    return m
  }

  /// The 90th percentile of `count` values: the value at rank `(count - 1) * 0.9` of the
  /// sorted values (from 0), interpolated linearly between neighbours. Reorders the values.
  /// - Complexity: O(count) expected (quickselect).
  static func percentile90(_ values: UnsafeMutablePointer<Double>, count: Int) -> Double {
    let rank = Double(count - 1) * 0.9
    let lower = Int(rank)
    let low = select(values, count: count, lower)
    guard lower + 1 < count else { return low }
    // After selection everything above `lower` is no smaller; the next order statistic
    // is their minimum.
    var high = values[lower + 1]
    for i in (lower + 1)..<count where values[i] < high { high = values[i] }
    return low + (high - low) * (rank - Double(lower))
  }

  /// Hoare's quickselect: reorders `values` so that `values[k]` is the k-th smallest (from
  /// 0), everything before it no larger and everything after it no smaller; returns it.
  /// - Complexity: O(n) expected; the pivot is the middle element, so sorted input is fine.
  static func select(_ values: UnsafeMutablePointer<Double>, count: Int, _ k: Int) -> Double {
    var low = 0
    var high = count - 1
    while low < high {
      let pivot = values[(low + high) / 2]
      var i = low
      var j = high
      while i <= j {
        while values[i] < pivot { i += 1 }
        while values[j] > pivot { j -= 1 }
        if i <= j {
          let swap = values[i]
          values[i] = values[j]
          values[j] = swap
          i += 1
          j -= 1
        }
      }
      if k <= j {
        high = j
      } else if k >= i {
        low = i
      } else {
        break
      }
    }
    return values[k]
  }
}
