/// The state and rules of one run, in named parts:
///
/// - **configuration** (the design's switches resolved against the team: who acts in each
///   role, the overhead, the votes);
/// - **time and events** (arrivals, the heap of queued events, the table of job ends; one
///   dispatch on ``EventKind``);
/// - **tasks** (``TaskState`` per task; ``StageState`` per stage, each with its current
///   ``AttemptState``);
/// - **agents** (``AgentState``, true skill and the team's estimate, personal queues);
/// - **jobs** (records in a table with a free list, linked into FIFO queues);
/// - **run totals** (``RunTotals``, reset in one assignment).
///
/// Storage lives in ``Slab``s sized at the start of a run and kept for the next, so the event
/// loop does plain loads and stores and no allocation.
///
/// The engine is generic over an ``EngineMode``: whether it records a trace, and whether
/// every task is a single stage. Both are constants in each specialisation, so an ordinary
/// run has no trace hooks and single-stage work none of the per-stage bookkeeping
/// (``Simulator`` picks ``OneStageRun`` or ``StagedRun`` from the scenario).
///
/// Helpers the event loop calls are `mutating` even when they only read. A non-mutating
/// method of this large non-copyable struct receives `self` by value, and the optimiser then
/// copies the whole engine onto the stack at each call: measured with callgrind, that cost
/// 15% more instructions per event. Through `inout` it passes one address. The rules are in the extensions:
/// `Engine+Competence` (success and regret), `Engine+Queues` (jobs, queues, the pool),
/// `Engine+JobKinds` (what each kind of job takes and does), `Engine+Process` (docs/MODEL.md
/// sections 3 and 7: arrival, placing stages, routing, execution, review, acceptance) and
/// `Engine+Verdicts` (blame, rework, sign-off, audit, the ledger, closing tasks).
struct Engine<Mode: EngineMode>: ~Copyable {
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

  // MARK: Configuration

  var design = Design()
  var steepness = 10.0
  var overhead = 0.0
  var votes = 1
  var maxQueue = 2
  var abandonAfter = 6
  /// Stages per task, their shape, and whether stage j + 1 of a fan-out waits for part j.
  var stagesPerTask = 1
  var shape = WorkShape.chain
  /// The accountable human who signs off (none: sign-off is inert or off).
  var signer = AgentID.none
  /// Role holders acting in this design, or none (a switch is inert without its holder).
  var conductor = AgentID.none
  var translator = AgentID.none
  var monitor = AgentID.none
  var catalyst = AgentID.none
  /// Humans an attempt may be escalated to (the acting conductor excluded), in index order.
  var escalationHumans: AgentList
  /// Scratch for routing under redundancy: agents already given a vote of the attempt.
  var chosen: AgentList

  var streams = RandomStreams(replicationSeed: 0)

  // MARK: Time and events
  // Arrivals are a sorted list, queued events (drift updates) a heap, and job ends a table
  // with at most one entry per agent, whose earliest entry is cached: each agent has at most
  // one job in progress, so a scan of the table after each completion is cheaper than
  // keeping completions in a heap.

  var now = 0.0
  var queue = EventQueue()
  /// When each agent's job in progress ends (infinity when none), and its scheduling order.
  var endTime: Slab<Double>
  var endSequence: Slab<UInt64>
  var nextSequence: UInt64 = 0
  /// The agent whose job ends first (none: no job in progress), valid while `firstEndKnown`.
  var firstEnd = AgentID.none
  var firstEndKnown = false
  var nextArrival = 0
  var eventCount = 0
  var traceTimes = false
  var trace: [Double] = []
  /// The trace so far (only an `Engine<TracedRun>` records one), and the index of the last
  /// job end recorded, whose outcome the job's rule fills in.
  var traceEvents: [TraceEvent] = []
  var lastFinish: Int?
  /// Debug builds check the engine's invariants after every event unless this is off.
  var checksInvariants = true

  // MARK: Tasks

  var taskList: [TaskSpec] = []
  /// The scenario's cumulative domain weights, computed once.
  let cumulativeDomainWeights: [Double]
  /// The seed the task list was drawn for; a new seed draws a new list.
  var taskListSeed: UInt64?
  var taskCount = 0
  var tasks = Slab<TaskSpec>()
  /// The domain of each stage, `[task * stageCount + stage]`, drawn with the task list.
  var stageDomain = Slab<Int32>()
  var state = Slab<TaskState>()
  /// Every stage of every task, `[task * stageCount + stage]`.
  var stages = Slab<StageState>()
  /// `(task * stageCount + stage) * voterStride + i`: agents executing the stage's current
  /// attempt (under redundancy).
  var voters = Slab<AgentID>()
  var voterStride = 2
  /// Completion times of delivered tasks, in delivery order.
  var cycles = Slab<Double>()

  // MARK: Agents

  var agents: Slab<AgentState>
  /// How many agents are idle: when none is, a pool job waits without a scan of the team.
  var idleCount = 0
  /// When each agent last became idle, or infinity while it is busy: the longest-idle rule
  /// scans this column alone.
  var idleSince: Slab<Double>
  /// True skill and the team's estimate, `[agent * domains + domain]`.
  var skill: Slab<Double>
  var estimate: Slab<Double>
  /// Every job FIFO: `2a` holds agent a's duties, `2a + 1` its executes, `2n` the pool.
  var lists: Slab<JobList>
  let poolList: Int

  // MARK: Jobs

  var jobs = Slab<Job>(capacity: 64)
  var jobCount = 0
  var freeJob = JobID.none

  // MARK: Drift updates, drawn before the run

  var driftAgent = Slab<AgentID>()
  var driftShift = Slab<Double>()
  var driftCount = 0

  // MARK: Run totals

  var totals = RunTotals()

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
    idleSince = Slab(capacity: team.count)
    endSequence = Slab(capacity: team.count)
    escalationHumans = AgentList(capacity: team.count)
    chosen = AgentList(capacity: team.count)
  }

  // MARK: - The run

  mutating func run(design: Design, seed: UInt64) -> Metrics {
    configure(design)
    reset(seed: seed)
    let horizon = scenario.horizon
    let cap = 2 * horizon
    var end = cap
    while true {
      let event = nextEvent()
      if event.time == .infinity { break }
      if nextArrival == taskCount && totals.openTasks == 0 {
        end = max(horizon, totals.lastClose)
        if event.time >= end { break }
      }
      if event.time >= cap { break }
      advance(to: event.time)
      handle(event)
      #if DEBUG
        if checksInvariants { checkInvariants() }
      #endif
    }
    if nextArrival == taskCount && totals.openTasks == 0 { end = max(horizon, totals.lastClose) }
    totals.inSystemArea += Double(totals.inSystem) * max(0, end - now)
    return finishRun(end: end)
  }

  /// The earliest event of any source, not yet taken; at infinity when nothing is left.
  /// Ties in time go to the event scheduled first: arrivals (all scheduled before the run),
  /// then queued events (drift updates, scheduled next), then job ends in scheduling order.
  @inline(__always)
  mutating func nextEvent() -> Event {
    let arrivalTime = nextArrival < taskCount ? tasks[nextArrival].arrival : .infinity
    if !firstEndKnown { findFirstEnd() }
    let completionTime = firstEnd.exists ? endTime[firstEnd] : .infinity
    let queuedTime = queue.firstTime
    let time = min(arrivalTime, queuedTime, completionTime)
    if arrivalTime == time {
      return Event(time: time, sequence: 0, kind: .arrival, payload: Int32(nextArrival))
    }
    if queuedTime == time { return queue.first }
    return Event(time: time, sequence: 0, kind: .completion, payload: firstEnd.raw)
  }

  /// Moves the clock to `time`, integrating the number of tasks in the system.
  @inline(__always)
  mutating func advance(to time: Double) {
    eventCount &+= 1
    if traceTimes { trace.append(time) }
    totals.inSystemArea += Double(totals.inSystem) * (time - now)
    now = time
  }

  /// Takes `event` off its source and applies its rule.
  @inline(__always)
  mutating func handle(_ event: Event) {
    switch event.kind {
    case .arrival:
      nextArrival &+= 1
      arrive(TaskID(raw: event.payload))
    case .drift:
      _ = queue.popFirst()
      applyDrift(Int(event.payload))
    case .completion:
      let agent = AgentID(raw: event.payload)
      endTime[agent] = .infinity
      firstEndKnown = false
      finish(agent)
    }
  }

  mutating func configure(_ design: Design) {
    self.design = design
    steepness = scenario.model.steepness
    abandonAfter = scenario.model.abandonAfterAttempts
    stagesPerTask = max(1, scenario.workload.stages)
    precondition(
      !Mode.oneStage || stagesPerTask == 1, "a one-stage engine given \(stagesPerTask) stages")
    shape = scenario.workload.shape
    // Engine.bestTrueCompetence relies on it; the registry's range keeps it.
    precondition(design.handoffLoss >= 0, "the hand-off loss is non-negative")
    votes = max(1, design.redundancy)
    maxQueue = design.maxQueue
    switch design.communication {
    case .allToAll: overhead = design.commCost * Double(max(0, n - 1))
    case .hierarchy: overhead = design.commCost * 2
    }
    func holder(_ role: Role, if on: Bool) -> AgentID {
      on ? (team.firstHolder(of: role).map(AgentID.init) ?? .none) : .none
    }
    conductor = holder(.conductor, if: design.routing == .conductor)
    translator = holder(.translator, if: design.translation)
    monitor = holder(.monitor, if: design.audit)
    catalyst = holder(.catalyst, if: design.catalyst)
    // The accountable human: the lowest-index human holding the conductor role, whatever
    // the routing.
    signer = .none
    if design.signoff != .none, let h = team.humans.first(where: { team.holds($0, .conductor) }) {
      signer = AgentID(h)
    }
    escalationHumans.removeAll()
    for h in team.humans where AgentID(h) != conductor { escalationHumans.append(AgentID(h)) }
  }

  mutating func reset(seed: UInt64) {
    streams = RandomStreams(replicationSeed: seed)
    // The task list depends only on the seed and the scenario, so the conditions of one
    // replication, run one after another on this simulator, draw it once.
    if seed != taskListSeed {
      scenario.drawTasks(&streams, into: &taskList, cumulativeWeights: cumulativeDomainWeights)
      taskListSeed = seed
      taskCount = taskList.count
      tasks.reserve(taskCount)
      stageDomain.reserve(taskCount * stageCount)
      for t in 0..<taskCount {
        tasks[t] = taskList[t]
        // Stage 0 has the task's domain; later stages one draw each of the stage stream.
        stageDomain[t * stageCount] = Int32(taskList[t].domain)
        for j in 1..<stageCount {
          stageDomain[t * stageCount + j] = Int32(
            Scenario.categorical(cumulativeDomainWeights, streams.stages.nextUniform()))
        }
      }
    }
    state.reserve(taskCount)
    stages.reserve(taskCount * stageCount)
    cycles.reserve(taskCount)
    for t in 0..<taskCount {
      var s = TaskState()
      s.alphaEff = tasks[t].ambiguity
      state[t] = s
    }
    for k in 0..<(taskCount * stageCount) { stages[k] = StageState() }
    voterStride = 2 * votes
    if votes > 1 { voters.fill(.none, count: taskCount * stageCount * voterStride) }
    now = 0
    nextArrival = 0
    eventCount = 0
    totals = RunTotals()
    totals.openTasks = taskCount
    for a in 0..<n { agents[a] = AgentState() }
    idleCount = n
    idleSince.fill(0, count: n)
    for i in 0..<(2 * n + 1) { lists[i] = JobList() }
    jobCount = 0
    freeJob = .none
    for i in 0..<(n * domains) { skill[i] = initialSkill[i] }

    // Drift: every AI agent's update times on [0, 2 * horizon), each followed by one
    // Normal(0, driftSD) shift per domain, agent by agent; all scheduled before the run.
    queue.reset(capacity: 16)
    for a in 0..<n { endTime[a] = .infinity }
    nextSequence = 0
    firstEnd = .none
    firstEndKnown = true
    driftCount = 0
    let driftEnd = 2 * scenario.horizon
    for a in 0..<n where !team.isHuman[a] && team.driftRate[a] > 0 {
      let mean = 1 / team.driftRate[a]
      var t = streams.drift.exponential(mean: mean)
      while t < driftEnd {
        driftAgent.reserve(driftCount + 1, keeping: driftCount)
        driftShift.reserve((driftCount + 1) * domains, keeping: driftCount * domains)
        queue.schedule(at: t, kind: .drift, payload: Int32(driftCount))
        driftAgent[driftCount] = AgentID(a)
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
  }

  /// Schedules the end of `agent`'s job at `time`. - Complexity: O(1)
  @inline(__always)
  mutating func scheduleEnd(of agent: AgentID, at time: Double) {
    endTime[agent] = time
    endSequence[agent] = nextSequence
    nextSequence &+= 1
    // A later-scheduled end wins only if strictly earlier.
    if firstEndKnown && (!firstEnd.exists || time < endTime[firstEnd]) { firstEnd = agent }
  }

  /// Finds the earliest job end, ties by scheduling order. - Complexity: O(agents)
  mutating func findFirstEnd() {
    var best = AgentID.none
    var bestTime = Double.infinity
    var bestSequence = UInt64.max
    for a in 0..<n {
      let time = endTime[a]
      // Most ends are later than the best so far: one comparison rejects them.
      guard time <= bestTime else { continue }
      if time < bestTime || (time < .infinity && endSequence[a] < bestSequence) {
        best = AgentID(a)
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
      totals.commHours += agent.jobComm * fraction
      countPartialHours(counted, of: jobs[agent.currentJob])
      if Mode.traces {
        let job = jobs[agent.currentJob]
        var e = jobEvent(.cut, AgentID(a), job, hours: counted, comm: agent.jobComm * fraction)
        e.time = end
        if job.kind == .execute && isDiscarded(job) { e.outcome = .discarded }
        traceEvents.append(e)
      }
    }

    if Mode.traces { traceEvents.append(TraceEvent(time: end, kind: .end)) }
    let t = totals
    var m = Metrics()
    m.arrived = taskCount
    m.delivered = t.delivered
    m.correct = t.correct
    m.abandoned = t.abandoned
    m.backlog = taskCount - t.delivered - t.abandoned
    m.caughtLate = t.caughtLate
    m.length = end
    m.events = eventCount
    m.meanInSystem = t.inSystemArea / end
    if m.arrived > 0 { m.correctRate = Double(t.correct) / Double(m.arrived) }
    if t.delivered > 0 {
      m.escapeRate = Double(t.delivered - t.correct) / Double(t.delivered)
      var sum = 0.0
      for i in 0..<t.delivered { sum += cycles[i] }
      m.meanCycle = sum / Double(t.delivered)
      m.p90Cycle = Self.percentile90(cycles.base, count: t.delivered)
    }
    if t.waitCount > 0 { m.meanWait = t.waitSum / Double(t.waitCount) }
    m.throughput = Double(t.delivered) / end
    var busyTotal = 0.0
    var humanBusy = 0.0
    var aiBusy = 0.0
    for a in 0..<n {
      let hours = agents[a].busyHours
      busyTotal += hours
      m.cost += hours * profile[a].costPerHour
      if profile[a].isHuman { humanBusy += hours } else { aiBusy += hours }
    }
    if t.correct > 0 {
      m.costPerCorrect = m.cost / Double(t.correct)
      m.humanShare = Double(t.humanStages) / Double(stageCount * t.correct)
    }
    if t.delivered > 0 {
      m.handoffs = Double(t.handoffStages) / Double(t.delivered)
      m.accountabilityCoverage = Double(t.answered) / Double(t.delivered)
    }
    if t.faultStages > 0 { m.errorAmplification = Double(t.wrongStages) / Double(t.faultStages) }
    if t.stakesDelivered > 0 {
      m.stakesEscapeRate = Double(t.stakesIncorrect) / Double(t.stakesDelivered)
    }
    if busyTotal > 0 {
      m.overheadShare = t.commHours / busyTotal
      m.structureShare = t.structureHours / busyTotal
    }
    m.reworkHours = t.reworkHours
    m.duplicateHours = t.duplicateHours
    if !team.humans.isEmpty {
      m.humanUtilization = humanBusy / (Double(team.humans.count) * end)
    }
    if !team.ais.isEmpty { m.aiUtilization = aiBusy / (Double(team.ais.count) * end) }
    if t.regretCount > 0 { m.routingRegret = t.regretSum / Double(t.regretCount) }
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
