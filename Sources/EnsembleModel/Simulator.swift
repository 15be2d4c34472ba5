#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ensemble model as a discrete-event simulation: `(scenario, design, seed) -> Metrics`.
///
/// A `Simulator` holds one scenario and the working storage of a run. Calling ``run(design:seed:)``
/// again reuses that storage, so after the first replication the event loop allocates
/// nothing. A simulator is a value: give each thread its own.
///
/// The process follows MODEL.md section 5; `docs/MODEL.md` in this repository describes
/// every reading taken where the specification leaves a choice.
public struct Simulator: Sendable {
  public let scenario: Scenario
  public let team: Team
  @usableFromInline var engine: Engine

  public init(scenario: Scenario) {
    self.scenario = scenario
    team = Team(scenario)
    engine = Engine(scenario: scenario, team: team)
  }

  /// Runs one replication of `design` with the replication seed `seed`.
  public mutating func run(design: Design, seed: UInt64) -> Metrics {
    engine.run(design: design, seed: seed)
  }

  /// Runs one replication and also returns the time of every event taken off the queue,
  /// in the order taken (for tests of the event loop; allocates).
  public mutating func runTracingEventTimes(design: Design, seed: UInt64) -> (Metrics, [Double]) {
    engine.traceTimes = true
    engine.trace.removeAll()
    let metrics = engine.run(design: design, seed: seed)
    engine.traceTimes = false
    return (metrics, engine.trace)
  }

  /// The team's estimate of skill at the end of the last run, `[agent * domains + domain]`.
  public var lastEstimate: [Double] { Array(engine.estimate) }
  /// The true skill at the end of the last run, `[agent * domains + domain]`.
  public var lastSkill: [Double] { Array(engine.skill) }
  /// Per-run counters of the last run that are not metrics (for tests).
  public var lastCounters: RunCounters { engine.counters }
}

/// Counts kept by a run beside its metrics, for tests and diagnostics.
public struct RunCounters: Sendable, Hashable {
  public var jobsStarted: [Int] = Array(repeating: 0, count: 5)
  public var reviews: Int = 0
  public var reviewRejections: Int = 0
  public var reviewedWrong: Int = 0
  public var reviewsFindingWrong: Int = 0
  public var audits: Int = 0
  public var escalatedExecutions: Int = 0
  /// Executions started for attempts past `maxAttempts`, by humans and by AI agents.
  public var lateAttemptExecutionsByHuman: Int = 0
  public var lateAttemptExecutionsByAI: Int = 0
  /// Execute jobs started by the acting conductor under conductor routing.
  public var executionsByConductor: Int = 0
  public var pairExecutions: Int = 0
  public var novelPairExecutions: Int = 0
  public var duplicates: Int = 0
  public var attempts: Int = 0
  public var driftUpdates: Int = 0

  /// Starts of jobs of each kind: route, translate, execute, review, audit.
  public func started(_ kind: JobKind) -> Int { jobsStarted[Int(kind.rawValue)] }
}

/// The five kinds of job; all but `execute` are duties.
public enum JobKind: UInt8, Sendable, CaseIterable {
  case route, translate, execute, review, audit
}

/// A job: addressed to an agent's personal queue or waiting in the pool.
@usableFromInline
struct Job: Sendable {
  @usableFromInline var kind: JobKind
  /// An execute job that pairs the catalyst with the best AI agent (arrival step 2).
  @usableFromInline var pair: Bool
  @usableFromInline var task: Int32
  /// The attempt the job belongs to (execute jobs).
  @usableFromInline var attempt: Int32
  /// The vote slot within the attempt (execute jobs; 0 without redundancy).
  @usableFromInline var slot: Int32
  /// Intrusive link to the next job of the same queue; -1 at the tail.
  @usableFromInline var next: Int32
}

/// A FIFO of jobs linked through `Job.next`.
@usableFromInline
struct JobList: Sendable {
  @usableFromInline var head: Int32 = -1
  @usableFromInline var tail: Int32 = -1
  @usableFromInline var count: Int = 0
}

/// The state of a task during a run.
@usableFromInline
struct TaskState: Sendable {
  /// Effective ambiguity: the task's, reduced once translated.
  var alphaEff: Double = 0
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
  /// incorrect votes: agent, pair flag and routing regret (NaN for pairs).
  var firstAgent: Int32 = -1
  var firstPair = false
  var firstRegret = Double.nan
  var correctAgent: Int32 = -1
  var correctPair = false
  var correctRegret = Double.nan
  var incorrectAgent: Int32 = -1
  var incorrectPair = false
  var incorrectRegret = Double.nan
  /// Hours of the counted executions of the current attempt.
  var attemptHours: Double = 0
  /// The output on its way to delivery or delivered: true outcome and its agent.
  var outputCorrect = false
  var outputAgent: Int32 = -1
  var outputPair = false
}

@usableFromInline
struct Engine: Sendable {
  let scenario: Scenario
  let team: Team
  let n: Int
  let domains: Int

  // Run configuration.
  var design = Design()
  var steepness = 10.0
  var overhead = 0.0
  var votes = 1
  var maxQueue = 2
  var conductor = -1  // acting conductor under conductor routing, else -1
  var translator = -1
  var monitor = -1
  var catalyst = -1
  var escalationHumans: [Int] = []
  /// Scratch for routing under redundancy: agents already given a vote of the attempt.
  var chosen: [Int] = []

  // Random streams.
  var streams = RandomStreams(replicationSeed: 0)

  // Time and events.
  var now = 0.0
  var queue = EventQueue()
  var nextArrival = 0
  var eventCount = 0
  var traceTimes = false
  var trace: [Double] = []

  // Tasks.
  var tasks: [TaskSpec] = []
  var state: [TaskState] = []
  var voters: [Int32] = []  // task * 2 * votes + i: agents executing the current attempt
  var openTasks = 0
  var lastClose = 0.0
  /// Tasks arrived and not yet closed, and its integral over time (for Little's law).
  var inSystem = 0
  var inSystemArea = 0.0

  // Agents.
  var busy: [Bool]
  var idleSince: [Double]
  var currentJob: [Int32]
  var jobStart: [Double]
  var jobEnd: [Double]
  var jobHours: [Double]
  var jobComm: [Double]
  var skill: [Double]
  var estimate: [Double]
  var busyHours: [Double]
  /// Every job FIFO: `2a` holds agent a's duties, `2a + 1` its executes, `2n` the pool.
  var lists: [JobList]

  // Jobs and the pool.
  var jobs: [Job] = []
  var freeJob: Int32 = -1
  var poolList: Int { 2 * n }

  // Drift updates, drawn before the run.
  var driftAgent: [Int32] = []
  var driftShift: [Double] = []

  // Accumulators.
  var counters = RunCounters()
  var delivered = 0
  var correct = 0
  var humanCorrect = 0
  var abandoned = 0
  var caughtLate = 0
  var waitSum = 0.0
  var waitCount = 0
  var cycles: [Double] = []
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
    busy = Array(repeating: false, count: n)
    idleSince = Array(repeating: 0, count: n)
    currentJob = Array(repeating: -1, count: n)
    jobStart = Array(repeating: 0, count: n)
    jobEnd = Array(repeating: 0, count: n)
    jobHours = Array(repeating: 0, count: n)
    jobComm = Array(repeating: 0, count: n)
    skill = team.skill
    estimate = team.skill
    busyHours = Array(repeating: 0, count: n)
    lists = Array(repeating: JobList(), count: 2 * n + 1)
  }

  // MARK: - The run

  mutating func run(design: Design, seed: UInt64) -> Metrics {
    configure(design)
    reset(seed: seed)
    let horizon = scenario.horizon
    let cap = 2 * horizon
    var end = cap
    while true {
      let arrivalTime = nextArrival < tasks.count ? tasks[nextArrival].arrival : Double.infinity
      let eventTime = queue.first?.time ?? Double.infinity
      let time = min(arrivalTime, eventTime)
      if time == Double.infinity { break }
      if nextArrival == tasks.count && openTasks == 0 {
        end = max(horizon, lastClose)
        if time >= end { break }
      }
      if time >= cap { break }
      eventCount += 1
      if traceTimes { trace.append(time) }
      inSystemArea += Double(inSystem) * (time - now)
      now = time
      // Arrivals were all scheduled before the run, so they win ties in time.
      if arrivalTime <= eventTime {
        let t = nextArrival
        nextArrival += 1
        arrive(t)
      } else {
        let event = queue.popFirst()
        if event.payload >= 0 {
          finish(Int(event.payload))
        } else {
          applyDrift(Int(-(event.payload + 1)))
        }
      }
    }
    if nextArrival == tasks.count && openTasks == 0 { end = max(horizon, lastClose) }
    inSystemArea += Double(inSystem) * max(0, end - now)
    return finishRun(end: end)
  }

  mutating func configure(_ design: Design) {
    self.design = design
    steepness = scenario.model.steepness
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
    escalationHumans = team.humans.filter { $0 != conductor }
  }

  mutating func reset(seed: UInt64) {
    streams = RandomStreams(replicationSeed: seed)
    scenario.drawTasks(&streams.workload, into: &tasks)
    now = 0
    queue.removeAll()
    nextArrival = 0
    eventCount = 0
    openTasks = tasks.count
    lastClose = 0
    inSystem = 0
    inSystemArea = 0
    state.removeAll(keepingCapacity: true)
    for t in tasks.indices {
      var s = TaskState()
      s.alphaEff = tasks[t].ambiguity
      state.append(s)
    }
    let voterSlots = tasks.count * 2 * votes
    voters.removeAll(keepingCapacity: true)
    voters.append(contentsOf: repeatElement(-1, count: voterSlots))
    for a in 0..<n {
      busy[a] = false
      idleSince[a] = 0
      currentJob[a] = -1
      busyHours[a] = 0
    }
    for i in lists.indices { lists[i] = JobList() }
    jobs.removeAll(keepingCapacity: true)
    freeJob = -1
    for i in skill.indices { skill[i] = team.skill[i] }

    // Drift: every AI agent's update times on [0, 2 * horizon), each followed by one
    // Normal(0, driftSD) shift per domain, agent by agent.
    driftAgent.removeAll(keepingCapacity: true)
    driftShift.removeAll(keepingCapacity: true)
    let driftEnd = 2 * scenario.horizon
    for a in 0..<n where !team.isHuman[a] && team.driftRate[a] > 0 {
      let mean = 1 / team.driftRate[a]
      var t = streams.drift.exponential(mean: mean)
      while t < driftEnd {
        queue.schedule(at: t, payload: -Int32(driftAgent.count) - 1)
        driftAgent.append(Int32(a))
        for _ in 0..<domains {
          driftShift.append(streams.drift.normal(mean: 0, sd: team.driftSD[a]))
        }
        t += streams.drift.exponential(mean: mean)
      }
    }

    // The team's estimate: initial skill plus a persistent Normal(0, sigma) error.
    let sigma = 0.3 * (1 - design.leaderFluency)
    for i in estimate.indices {
      estimate[i] = team.skill[i] + streams.estimate.normal(mean: 0, sd: sigma)
    }

    counters = RunCounters()
    delivered = 0
    correct = 0
    humanCorrect = 0
    abandoned = 0
    caughtLate = 0
    waitSum = 0
    waitCount = 0
    cycles.removeAll(keepingCapacity: true)
    commHours = 0
    structureHours = 0
    reworkHours = 0
    duplicateHours = 0
    regretSum = 0
    regretCount = 0
  }

  // MARK: - Competence

  /// Competence of `agent` on task `t` with skill table `table` (true skill or estimate).
  @inline(__always)
  func competence(_ agent: Int, _ t: Int, _ table: [Double], novelty: Bool = true) -> Double {
    let task = tasks[t]
    var c = table[agent &* domains &+ task.domain]
    if task.edge { c -= team.edgePenalty[agent] }
    c -= team.ambiguityPenalty[agent] * state[t].alphaEff
    if novelty && task.novel { c -= team.noveltyPenalty[agent] }
    return c
  }

  /// The logistic success probability `1 / (1 + exp(-k (c - difficulty)))`.
  @inline(__always)
  func success(_ c: Double, _ t: Int) -> Double {
    1 / (1 + exp(-steepness * (c - tasks[t].difficulty)))
  }

  /// Competence of the catalyst–AI pair: the better of the two without the novelty
  /// penalty, plus synergy. The AI partner has the highest true skill in the domain now.
  func pairCompetence(_ t: Int) -> Double {
    let d = tasks[t].domain
    var best = competence(catalyst, t, skill, novelty: false)
    var partner = -1
    for a in team.ais where partner < 0 || skill[a * domains + d] > skill[partner * domains + d] {
      partner = a
    }
    if partner >= 0 { best = max(best, competence(partner, t, skill, novelty: false)) }
    return best + design.synergy
  }

  /// Highest true success among the agents allowed to execute minus the agent's own.
  func regret(_ agent: Int, _ t: Int) -> Double {
    var best = -Double.infinity
    for a in 0..<n where a != conductor {
      best = max(best, competence(a, t, skill))
    }
    return success(best, t) - success(competence(agent, t, skill), t)
  }

  // MARK: - Jobs and queues

  mutating func newJob(_ kind: JobKind, task: Int, pair: Bool = false, slot: Int = 0) -> Int32 {
    let job = Job(
      kind: kind, pair: pair, task: Int32(task), attempt: state[task].attempt,
      slot: Int32(slot), next: -1)
    if freeJob >= 0 {
      let index = freeJob
      freeJob = jobs[Int(index)].next
      jobs[Int(index)] = job
      return index
    }
    jobs.append(job)
    return Int32(jobs.count - 1)
  }

  mutating func release(_ job: Int32) {
    jobs[Int(job)].next = freeJob
    freeJob = job
  }

  mutating func append(_ job: Int32, to list: Int) {
    jobs[Int(job)].next = -1
    let tail = lists[list].tail
    if tail >= 0 { jobs[Int(tail)].next = job } else { lists[list].head = job }
    lists[list].tail = job
    lists[list].count += 1
  }

  mutating func popHead(_ list: Int) -> Int32 {
    let job = lists[list].head
    lists[list].head = jobs[Int(job)].next
    if lists[list].head < 0 { lists[list].tail = -1 }
    lists[list].count -= 1
    return job
  }

  /// Jobs waiting in the agent's personal queue (not the one in progress).
  @inline(__always) func queueLength(_ agent: Int) -> Int {
    lists[2 &* agent].count &+ lists[2 &* agent &+ 1].count
  }

  /// Puts `job` in `agent`'s personal queue; an idle agent starts it at once.
  mutating func address(_ job: Int32, to agent: Int) {
    append(job, to: jobs[Int(job)].kind == .execute ? 2 * agent + 1 : 2 * agent)
    if !busy[agent] { takeNext(agent) }
  }

  /// Whether `agent` may take execute job `job` from the pool: the acting conductor never
  /// does, and under redundancy no agent executes two votes of one attempt.
  func mayTake(_ agent: Int, _ job: Int32) -> Bool {
    if agent == conductor { return false }
    if votes > 1 {
      let t = Int(jobs[Int(job)].task)
      let base = t * 2 * votes
      for i in 0..<Int(state[t].votersCount) where voters[base + i] == Int32(agent) {
        return false
      }
    }
    return true
  }

  /// The idle agent that has been idle longest (ties: lower index) and may take `job`.
  func longestIdle(for job: Int32) -> Int? {
    var best = -1
    for a in 0..<n where !busy[a] && (best < 0 || idleSince[a] < idleSince[best]) {
      if mayTake(a, job) { best = a }
    }
    return best >= 0 ? best : nil
  }

  /// Places an execute job in the shared pool: the longest-idle agent takes it at once,
  /// possibly with a duplicate; otherwise it waits at the tail.
  mutating func placeInPool(_ job: Int32) {
    if let taker = longestIdle(for: job) {
      start(taker, job)
      duplicate(job)
    } else {
      append(job, to: poolList)
    }
  }

  /// After a pool job is taken: with probability `duplicationRate` the next idle agent
  /// also executes it (the coin is drawn only when such an agent exists).
  mutating func duplicate(_ job: Int32) {
    guard design.duplicationRate > 0, let partner = longestIdle(for: job) else { return }
    guard streams.process.bernoulli(design.duplicationRate) else { return }
    let original = jobs[Int(job)]
    let copy = newJob(.execute, task: Int(original.task), pair: original.pair)
    jobs[Int(copy)].attempt = original.attempt
    jobs[Int(copy)].slot = original.slot
    counters.duplicates += 1
    start(partner, copy)
  }

  /// The agent takes the head of its personal queue (duties first), else the first pool job
  /// it may take, else becomes idle.
  mutating func takeNext(_ agent: Int) {
    if lists[2 * agent].count > 0 {
      start(agent, popHead(2 * agent))
      return
    }
    if lists[2 * agent + 1].count > 0 {
      start(agent, popHead(2 * agent + 1))
      return
    }
    let pool = poolList
    if lists[pool].count > 0 && agent != conductor {
      var previous: Int32 = -1
      var job = lists[pool].head
      while job >= 0 {
        if mayTake(agent, job) {
          let next = jobs[Int(job)].next
          if previous >= 0 { jobs[Int(previous)].next = next } else { lists[pool].head = next }
          if lists[pool].tail == job { lists[pool].tail = previous }
          lists[pool].count -= 1
          start(agent, job)
          duplicate(job)
          return
        }
        previous = job
        job = jobs[Int(job)].next
      }
    }
    busy[agent] = false
    idleSince[agent] = now
  }

  /// Starts `job` on `agent` now and schedules its completion.
  mutating func start(_ agent: Int, _ job: Int32) {
    let j = jobs[Int(job)]
    let t = Int(j.task)
    let work = tasks[t].work
    let speed = team.speed[agent]
    var hours: Double
    var comm = 0.0
    switch j.kind {
    case .route:
      hours = design.routeTime
    case .translate:
      hours = design.translateEffort * tasks[t].ambiguity * work / speed
    case .review:
      hours = design.reviewEffort * work / speed
    case .audit:
      hours = design.auditEffort * work / speed
    case .execute:
      if !state[t].startedExecution {
        state[t].startedExecution = true
        waitSum += now - tasks[t].arrival
        waitCount += 1
      }
      if votes > 1 {
        let count = Int(state[t].votersCount)
        if count < 2 * votes {
          voters[t * 2 * votes + count] = Int32(agent)
          state[t].votersCount += 1
        }
      }
      if Int(j.attempt) > design.maxAttempts {
        if team.isHuman[agent] {
          counters.lateAttemptExecutionsByHuman += 1
        } else {
          counters.lateAttemptExecutionsByAI += 1
        }
      }
      if agent == conductor { counters.executionsByConductor += 1 }
      let productive = j.pair ? work / (speed * design.pairSpeedup) : work / speed
      comm = productive * overhead
      hours = productive + comm
    }
    counters.jobsStarted[Int(j.kind.rawValue)] += 1
    busy[agent] = true
    currentJob[agent] = job
    jobStart[agent] = now
    jobEnd[agent] = now + hours
    jobHours[agent] = hours
    jobComm[agent] = comm
    queue.schedule(at: now + hours, payload: Int32(agent))
  }

  // MARK: - Events

  mutating func applyDrift(_ update: Int) {
    counters.driftUpdates += 1
    let a = Int(driftAgent[update])
    for d in 0..<domains {
      let i = a * domains + d
      skill[i] = min(1, max(0, skill[i] + driftShift[update * domains + d]))
    }
  }

  mutating func arrive(_ t: Int) {
    inSystem += 1
    if translator >= 0 && tasks[t].ambiguity > 0 {
      address(newJob(.translate, task: t), to: translator)
    } else {
      dispatchNew(t)
    }
  }

  /// Arrival steps 2 and 3: the catalyst pair for a novel task, else routing or the pool.
  mutating func dispatchNew(_ t: Int) {
    state[t].attempt = 1
    if catalyst >= 0 && tasks[t].novel && queueLength(catalyst) < maxQueue {
      beginAttempt(t, votes: 1)
      address(newJob(.execute, task: t, pair: true), to: catalyst)
    } else {
      dispatchAttempt(t)
    }
  }

  /// Sends the current attempt to the conductor, or to the pool as `votes` jobs.
  mutating func dispatchAttempt(_ t: Int) {
    beginAttempt(t, votes: votes)
    if conductor >= 0 {
      address(newJob(.route, task: t), to: conductor)
    } else {
      for slot in 0..<votes { placeInPool(newJob(.execute, task: t, slot: slot)) }
    }
  }

  mutating func beginAttempt(_ t: Int, votes: Int) {
    counters.attempts += 1
    state[t].votesLeft = Int32(votes)
    state[t].slotsDone = 0
    state[t].votersCount = 0
    state[t].correctVotes = 0
    state[t].incorrectVotes = 0
    state[t].firstAgent = -1
    state[t].correctAgent = -1
    state[t].incorrectAgent = -1
    state[t].attemptHours = 0
  }

  /// An agent finishes its current job.
  mutating func finish(_ agent: Int) {
    let job = currentJob[agent]
    let j = jobs[Int(job)]
    let hours = jobHours[agent]
    busyHours[agent] += hours
    commHours += jobComm[agent]
    currentJob[agent] = -1
    release(job)
    let t = Int(j.task)
    switch j.kind {
    case .route:
      structureHours += hours
      route(t)
    case .translate:
      structureHours += hours
      state[t].alphaEff = tasks[t].ambiguity * (1 - design.translationQuality)
      dispatchNew(t)
    case .execute:
      executed(agent, j, hours: hours)
    case .review:
      structureHours += hours
      reviewed(agent, t)
    case .audit:
      structureHours += hours
      audited(t)
    }
    takeNext(agent)
  }

  /// The conductor addresses the attempt's executions to the agents with the highest
  /// estimated success among those whose queue is shorter than `maxQueue` (ties: shorter
  /// queue, then lower index); votes with no qualifying agent go to the pool.
  mutating func route(_ t: Int) {
    chosen.removeAll(keepingCapacity: true)
    for slot in 0..<votes {
      var best = -1
      var bestC = 0.0
      for a in 0..<n where a != conductor && queueLength(a) < maxQueue {
        if slot > 0 && chosen.contains(a) { continue }
        let c = competence(a, t, estimate)
        if best < 0 || c > bestC || (c == bestC && queueLength(a) < queueLength(best)) {
          best = a
          bestC = c
        }
      }
      let job = newJob(.execute, task: t, slot: slot)
      if best >= 0 {
        chosen.append(best)
        address(job, to: best)
      } else {
        placeInPool(job)
      }
    }
  }

  /// An execution ends: the discarded copy of a duplicated pair only adds hours; the counted
  /// one draws its outcome with the skills in force now and votes.
  mutating func executed(_ agent: Int, _ job: Job, hours: Double) {
    let t = Int(job.task)
    let slotBit: UInt64 = 1 << UInt64(job.slot & 63)
    if !state[t].open || job.attempt != state[t].attempt || state[t].slotsDone & slotBit != 0 {
      duplicateHours += hours
      return
    }
    state[t].slotsDone |= slotBit
    state[t].attemptHours += hours

    let p: Double
    let silentShare: Double
    let regretValue: Double
    if job.pair {
      p = success(pairCompetence(t), t)
      silentShare = team.silentShare[catalyst]
      regretValue = .nan
      counters.pairExecutions += 1
      if tasks[t].novel { counters.novelPairExecutions += 1 }
    } else {
      p = success(competence(agent, t, skill), t)
      silentShare = team.silentShare[agent]
      regretValue = regret(agent, t)
    }
    let isCorrect = streams.process.nextUniform() < p
    let visible = !isCorrect && streams.process.nextUniform() >= silentShare

    if state[t].firstAgent < 0 {
      state[t].firstAgent = Int32(agent)
      state[t].firstPair = job.pair
      state[t].firstRegret = regretValue
    }
    if isCorrect {
      state[t].correctVotes += 1
      if state[t].correctAgent < 0 {
        state[t].correctAgent = Int32(agent)
        state[t].correctPair = job.pair
        state[t].correctRegret = regretValue
      }
    } else if !visible {
      state[t].incorrectVotes += 1
      if state[t].incorrectAgent < 0 {
        state[t].incorrectAgent = Int32(agent)
        state[t].incorrectPair = job.pair
        state[t].incorrectRegret = regretValue
      }
    }
    state[t].votesLeft -= 1
    if state[t].votesLeft > 0 { return }

    let correctVotes = state[t].correctVotes
    let incorrectVotes = state[t].incorrectVotes
    if correctVotes + incorrectVotes == 0 {
      countRegret(state[t].firstRegret)
      failAttempt(t)
      return
    }
    let majorityCorrect: Bool
    if correctVotes != incorrectVotes {
      majorityCorrect = correctVotes > incorrectVotes
    } else {
      majorityCorrect = streams.process.nextUniform() < 0.5
    }
    if majorityCorrect {
      state[t].outputAgent = state[t].correctAgent
      state[t].outputPair = state[t].correctPair
      countRegret(state[t].correctRegret)
    } else {
      state[t].outputAgent = state[t].incorrectAgent
      state[t].outputPair = state[t].incorrectPair
      countRegret(state[t].incorrectRegret)
    }
    state[t].outputCorrect = majorityCorrect
    apparentSuccess(t)
  }

  mutating func countRegret(_ value: Double) {
    if !value.isNaN {
      regretSum += value
      regretCount += 1
    }
  }

  /// An apparent success: reviewed if a review applies, otherwise delivered.
  mutating func apparentSuccess(_ t: Int) {
    let producer = Int(state[t].outputAgent)
    switch design.review {
    case .none:
      break
    case .expert:
      let d = tasks[t].domain
      let experts = team.experts[d]
      if !team.isHuman[producer] && !state[t].outputPair && !experts.isEmpty {
        var reviewer = experts[0]
        for e in experts.dropFirst() where queueLength(e) < queueLength(reviewer) {
          reviewer = e
        }
        if streams.process.bernoulli(design.reviewRate) {
          address(newJob(.review, task: t), to: reviewer)
          return
        }
      }
    case .peer:
      if n > 1 && streams.process.bernoulli(design.reviewRate) {
        var reviewer = Int(streams.process.nextUniform() * Double(n - 1))
        if reviewer >= producer { reviewer += 1 }
        address(newJob(.review, task: t), to: min(reviewer, n - 1))
        return
      }
    }
    deliver(t)
  }

  mutating func reviewed(_ reviewer: Int, _ t: Int) {
    let u = streams.process.nextUniform()
    let rejected: Bool
    counters.reviews += 1
    if state[t].outputCorrect {
      rejected = u < design.falseAlarmRate
    } else {
      counters.reviewedWrong += 1
      rejected = u < design.detectSkill * skill[reviewer * domains + tasks[t].domain]
      if rejected { counters.reviewsFindingWrong += 1 }
    }
    learn(t, found: rejected)
    if rejected {
      counters.reviewRejections += 1
      failAttempt(t)
    } else {
      deliver(t)
    }
  }

  mutating func audited(_ t: Int) {
    counters.audits += 1
    var found = false
    if !state[t].outputCorrect {
      found = streams.process.nextUniform() < design.auditSkill
      if found { caughtLate += 1 }
    }
    learn(t, found: found)
  }

  /// The ledger: `estimate += learningRate * (y - p_hat)`, clamped to [0, 1].
  mutating func learn(_ t: Int, found: Bool) {
    guard design.ledger else { return }
    let agent = Int(state[t].outputAgent)
    let pHat = success(competence(agent, t, estimate), t)
    let y: Double = found ? 0 : 1
    let i = agent * domains + tasks[t].domain
    estimate[i] = min(1, max(0, estimate[i] + design.learningRate * (y - pHat)))
  }

  mutating func deliver(_ t: Int) {
    close(t)
    delivered += 1
    cycles.append(now - tasks[t].arrival)
    if state[t].outputCorrect {
      correct += 1
      if team.isHuman[Int(state[t].outputAgent)] { humanCorrect += 1 }
    }
    if monitor >= 0 && streams.process.bernoulli(design.auditRate) {
      address(newJob(.audit, task: t), to: monitor)
    }
  }

  mutating func close(_ t: Int) {
    state[t].open = false
    openTasks -= 1
    inSystem -= 1
    lastClose = now
  }

  /// A visible error or a rejected output: redo, escalate, or abandon after the last attempt.
  mutating func failAttempt(_ t: Int) {
    let attempt = Int(state[t].attempt)
    if attempt >= scenario.model.abandonAfterAttempts {
      abandoned += 1
      close(t)
      return
    }
    reworkHours += state[t].attemptHours
    state[t].attempt += 1
    if design.escalation && attempt + 1 > design.maxAttempts && !escalationHumans.isEmpty {
      escalate(t)
    } else {
      dispatchAttempt(t)
    }
  }

  /// Addresses the attempt to the human (conductor excluded) with the highest estimated
  /// success among those with a short queue, or else to the human with the shortest queue.
  mutating func escalate(_ t: Int) {
    beginAttempt(t, votes: 1)
    var best = -1
    var bestC = 0.0
    for h in escalationHumans where queueLength(h) < maxQueue {
      let c = competence(h, t, estimate)
      if best < 0 || c > bestC || (c == bestC && queueLength(h) < queueLength(best)) {
        best = h
        bestC = c
      }
    }
    if best < 0 {
      for h in escalationHumans where best < 0 || queueLength(h) < queueLength(best) {
        best = h
      }
    }
    counters.escalatedExecutions += 1
    address(newJob(.execute, task: t), to: best)
  }

  // MARK: - End of the run

  mutating func finishRun(end: Double) -> Metrics {
    // Jobs in progress count their hours up to the end, communication in proportion.
    for a in 0..<n where busy[a] && currentJob[a] >= 0 {
      let hours = jobHours[a]
      let fraction = hours > 0 ? min(1, max(0, (end - jobStart[a]) / hours)) : 0
      let counted = hours * fraction
      busyHours[a] += counted
      commHours += jobComm[a] * fraction
      let j = jobs[Int(currentJob[a])]
      switch j.kind {
      case .execute:
        let t = Int(j.task)
        let slotBit: UInt64 = 1 << UInt64(j.slot & 63)
        if !state[t].open || j.attempt != state[t].attempt || state[t].slotsDone & slotBit != 0 {
          duplicateHours += counted
        }
      default:
        structureHours += counted
      }
    }

    var m = Metrics()
    m.arrived = tasks.count
    m.delivered = delivered
    m.correct = correct
    m.abandoned = abandoned
    m.backlog = tasks.count - delivered - abandoned
    m.caughtLate = caughtLate
    m.length = end
    m.events = eventCount
    m.meanInSystem = inSystemArea / end
    if m.arrived > 0 { m.correctRate = Double(correct) / Double(m.arrived) }
    if delivered > 0 {
      m.escapeRate = Double(delivered - correct) / Double(delivered)
      var sum = 0.0
      for c in cycles { sum += c }
      m.meanCycle = sum / Double(delivered)
      cycles.sort()
      let rank = Double(delivered - 1) * 0.9
      let lower = Int(rank)
      let upper = min(lower + 1, delivered - 1)
      m.p90Cycle = cycles[lower] + (cycles[upper] - cycles[lower]) * (rank - Double(lower))
    }
    if waitCount > 0 { m.meanWait = waitSum / Double(waitCount) }
    m.throughput = Double(delivered) / end
    var busyTotal = 0.0
    var humanBusy = 0.0
    var aiBusy = 0.0
    for a in 0..<n {
      busyTotal += busyHours[a]
      m.cost += busyHours[a] * team.costPerHour[a]
      if team.isHuman[a] { humanBusy += busyHours[a] } else { aiBusy += busyHours[a] }
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
    if !team.humans.isEmpty { m.humanUtilization = humanBusy / (Double(team.humans.count) * end) }
    if !team.ais.isEmpty { m.aiUtilization = aiBusy / (Double(team.ais.count) * end) }
    if regretCount > 0 { m.routingRegret = regretSum / Double(regretCount) }
    return m
  }
}
