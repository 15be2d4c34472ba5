/// What an engine is compiled for: its policies, its observer, and whether every task is a
/// single stage. The engine is generic over it, so each policy call, each report to the
/// observer and each stage count is resolved at compile time: a run without a trace
/// compiles to the same code as an engine with no hooks, and single-stage work skips the
/// per-stage bookkeeping of hand-offs, parts and rewinds.
protocol EngineSetup {
  associatedtype Routing: RoutingPolicy
  associatedtype Verdicts: VerdictPolicy
  associatedtype Extension: Mechanism
  associatedtype Observer: RunObserver
  static var oneStage: Bool { get }
}

/// The engine of ordinary runs of single-stage work.
enum OneStageRun: EngineSetup {
  typealias Routing = EstimateRouting
  typealias Verdicts = StandardVerdicts
  typealias Extension = NoMechanism
  typealias Observer = NoObserver
  @inline(__always) static var oneStage: Bool { true }
}

/// The engine of ordinary runs of multi-stage work.
enum StagedRun: EngineSetup {
  typealias Routing = EstimateRouting
  typealias Verdicts = StandardVerdicts
  typealias Extension = NoMechanism
  typealias Observer = NoObserver
  @inline(__always) static var oneStage: Bool { false }
}

/// The design resolved against the team for one run: the switches and numbers, and who acts
/// in each role (none: the switch is inert without its holder).
struct Configuration {
  var design = Design()
  var steepness = 10.0
  /// Communication overhead of an execution, as a share of its productive time.
  var overhead = 0.0
  var votes = 1
  var maxQueue = 2
  var abandonAfter = 6
  var stagesPerTask = 1
  var shape = WorkShape.chain
  var conductor = AgentID.none
  var translator = AgentID.none
  var monitor = AgentID.none
  var catalyst = AgentID.none
  /// The accountable human who signs off (none: sign-off is inert or off).
  var signer = AgentID.none
}

/// The state and rules of one run.
///
/// **State** is in a few parts, each a type with its own `_checkInvariants()`: the
/// ``Clock`` (time and events), the ``TaskBook`` (tasks, stages and attempts), the
/// ``AgentBook`` (agents, skills, busy state and hours), the ``Estimates`` (the team's
/// estimate of skill), the ``JobBoard`` (job records and queues) and the ``RunTotals``.
/// Storage lives in ``Slab``s sized at the start of a run and kept for the next, so the
/// event loop does plain loads and stores and no allocation.
///
/// **Rules** are in the files beside this one, each saying where it acts:
/// - `Jobs/`: one type per kind of job (route, translate, execute, review, audit, sign-off,
///   and a mechanism's custom duty), with everything about it: when it is created, what it
///   costs, what its end does, how its hours count, what a trace calls it;
/// - `Mechanisms/`: one file per design switch (catalyst, continuity, duplication,
///   escalation, the ledger, redundancy; translation, review, audit and sign-off live with
///   their jobs);
/// - `Flow/`: what every job stands on: placing stages, queues and the pool, verdicts,
///   acceptance, rework, delivery, competence and success.
///
/// The engine is generic over an ``EngineSetup``; ``Simulator`` picks ``OneStageRun`` or
/// ``StagedRun`` from the scenario.
///
/// Helpers the event loop calls are `mutating` even when they only read. A non-mutating
/// method of this large non-copyable struct receives `self` by value, and the optimiser then
/// copies the whole engine onto the stack at each call: measured with callgrind, that cost
/// 15% more instructions per event. Through `inout` it passes one address.
struct Engine<Setup: EngineSetup>: ~Copyable {
  let scenario: Scenario
  let team: Team
  let n: Int
  let domains: Int
  /// The scenario's cumulative domain weights, computed once.
  let cumulativeDomainWeights: [Double]

  var routing: Setup.Routing
  var verdicts: Setup.Verdicts
  var mechanism: Setup.Extension
  var observer: Setup.Observer

  var config = Configuration()
  /// Humans an attempt may be escalated to (the acting conductor excluded), in index order.
  var escalationHumans: AgentList
  /// Scratch for routing under redundancy: agents already given a vote of the attempt.
  var chosen: AgentList
  var streams = RandomStreams(replicationSeed: 0)

  var clock: Clock
  var work = TaskBook()
  var agents: AgentBook
  var estimates: Estimates
  var jobs: JobBoard
  var totals = RunTotals()

  /// Whether the invariants of every part are checked after each event (on in debug builds;
  /// tests may switch it on in release builds). While on, the engine also keeps each agent's
  /// hours by use, which the checks add up.
  #if DEBUG
    var checksInvariants = true
  #else
    var checksInvariants = false
  #endif
  /// Event times, kept for tests of the event loop when `keepsEventTimes`.
  var keepsEventTimes = false
  var eventTimes: [Double] = []

  init(
    scenario: Scenario, team: Team, routing: Setup.Routing, verdicts: Setup.Verdicts,
    mechanism: Setup.Extension, observer: Setup.Observer
  ) {
    self.scenario = scenario
    self.team = team
    n = team.count
    domains = team.domains
    cumulativeDomainWeights = scenario.cumulativeDomainWeights
    self.routing = routing
    self.verdicts = verdicts
    self.mechanism = mechanism
    self.observer = observer
    escalationHumans = AgentList(capacity: team.count)
    chosen = AgentList(capacity: team.count)
    clock = Clock(agents: team.count)
    agents = AgentBook(team)
    estimates = Estimates(team)
    jobs = JobBoard(agents: team.count)
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
      if clock.nextArrival == work.count && totals.openTasks == 0 {
        end = max(horizon, totals.lastClose)
        if event.time >= end { break }
      }
      if event.time >= cap { break }
      advance(to: event.time)
      handle(event)
      if checksInvariants { checkInvariants() }
    }
    if clock.nextArrival == work.count && totals.openTasks == 0 {
      end = max(horizon, totals.lastClose)
    }
    totals.inSystemArea += Double(totals.inSystem) * max(0, end - clock.now)
    return finishRun(end: end)
  }

  /// The earliest event of any source, not yet taken; at infinity when nothing is left.
  /// Ties in time go to the event scheduled first: arrivals (all scheduled before the run),
  /// then queued events (scheduled next), then job ends in scheduling order.
  @inline(__always)
  mutating func nextEvent() -> Event {
    let arrivalTime =
      clock.nextArrival < work.count ? work.specs[clock.nextArrival].arrival : .infinity
    if !clock.firstEndKnown { clock.findFirstEnd(agents: n) }
    let completionTime = clock.firstEnd.exists ? clock.endTime[clock.firstEnd] : .infinity
    let queuedTime = clock.queue.firstTime
    let time = min(arrivalTime, queuedTime, completionTime)
    if arrivalTime == time {
      return Event(time: time, sequence: 0, kind: .arrival, payload: Int32(clock.nextArrival))
    }
    if queuedTime == time { return clock.queue.first }
    return Event(time: time, sequence: 0, kind: .completion, payload: clock.firstEnd.raw)
  }

  /// Moves the clock to `time`, integrating the number of tasks in the system.
  @inline(__always)
  mutating func advance(to time: Double) {
    clock.eventCount &+= 1
    if keepsEventTimes { eventTimes.append(time) }
    totals.inSystemArea += Double(totals.inSystem) * (time - clock.now)
    clock.now = time
  }

  /// Takes `event` off its source and applies its rule: the one dispatch on the kind of
  /// event.
  @inline(__always)
  mutating func handle(_ event: Event) {
    switch event.kind {
    case .arrival:
      clock.nextArrival &+= 1
      arrive(TaskID(raw: event.payload))
    case .drift:
      _ = clock.queue.popFirst()
      applyDrift(Int(event.payload))
    case .timer:
      _ = clock.queue.popFirst()
      var m = mechanism
      m.timer(event.payload, &self)
      mechanism = m
    case .completion:
      let agent = AgentID(raw: event.payload)
      clock.clearEnd(of: agent)
      finish(agent)
    }
  }

  // MARK: - Configuration and reset

  /// Resolves `design` against the team for the next run.
  mutating func configure(_ design: Design) {
    precondition(
      Limits.redundancy.contains(design.redundancy),
      "design.redundancy must be in \(Limits.redundancy), got \(design.redundancy)")
    precondition(design.maxQueue >= 1, "design.maxQueue must be 1 or more, got \(design.maxQueue)")
    // Engine.bestTrueCompetence relies on it; the registry's range keeps it.
    precondition(design.handoffLoss >= 0, "design.handoffLoss must be 0 or more")
    var c = Configuration()
    c.design = design
    c.steepness = scenario.model.steepness
    c.abandonAfter = scenario.model.abandonAfterAttempts
    c.stagesPerTask = scenario.workload.stages
    precondition(
      Limits.stages.contains(c.stagesPerTask),
      "workload.stages must be in \(Limits.stages), got \(c.stagesPerTask)")
    precondition(
      !Setup.oneStage || c.stagesPerTask == 1,
      "a one-stage engine given \(c.stagesPerTask) stages")
    c.shape = scenario.workload.shape
    c.votes = design.redundancy
    c.maxQueue = design.maxQueue
    switch design.communication {
    case .allToAll: c.overhead = design.commCost * Double(max(0, n - 1))
    case .hierarchy: c.overhead = design.commCost * 2
    }
    func holder(_ role: Role, if on: Bool) -> AgentID {
      on ? (team.firstHolder(of: role).map(AgentID.init) ?? .none) : .none
    }
    c.conductor = holder(.conductor, if: design.routing == .conductor)
    c.translator = holder(.translator, if: design.translation)
    c.monitor = holder(.monitor, if: design.audit)
    c.catalyst = holder(.catalyst, if: design.catalyst)
    c.signer = SignoffJob.signer(design, team)
    config = c
    escalationHumans.removeAll()
    for h in team.humans where AgentID(h) != config.conductor {
      escalationHumans.append(AgentID(h))
    }
  }

  /// The state before a run of `seed`: the task list (drawn once per seed: the conditions of
  /// one replication, run one after another on this engine, share it), empty queues, idle
  /// agents, the drift updates and the team's estimate, then the mechanism's start.
  mutating func reset(seed: UInt64) {
    streams = RandomStreams(replicationSeed: seed)
    if seed != work.listSeed { drawTasks(seed: seed) }
    work.reset(stageCount: stageCount, votes: config.votes)
    totals = RunTotals()
    totals.openTasks = work.count
    agents.reset()
    jobs.reset()
    clock.reset(agents: n)
    scheduleDrift()
    estimates.reset(
      initial: agents.initialSkill, fluency: config.design.leaderFluency,
      stream: &streams.estimate)
    if Setup.Extension.acts {
      var m = mechanism
      m.start(&self)
      mechanism = m
    }
  }

  /// Draws the task list of `seed` and the domain of every later stage (one draw of the
  /// stage stream each, task by task).
  mutating func drawTasks(seed: UInt64) {
    scenario.drawTasks(&streams, into: &work.list, cumulativeWeights: cumulativeDomainWeights)
    work.listSeed = seed
    work.count = work.list.count
    work.specs.reserve(work.count)
    work.stageDomain.reserve(work.count * stageCount)
    for t in 0..<work.count {
      work.specs[t] = work.list[t]
      // Stage 0 has the task's domain; later stages one draw each of the stage stream.
      work.stageDomain[t * stageCount] = Int32(work.list[t].domain)
      for j in 1..<stageCount {
        work.stageDomain[t * stageCount + j] = Int32(
          Scenario.categorical(cumulativeDomainWeights, streams.stages.nextUniform()))
      }
    }
  }

  // MARK: - Stages

  /// Stages per task: in a one-stage engine the constant 1, so that the optimiser removes
  /// the per-stage loops and the branches of later stages.
  @inline(__always) var stageCount: Int { Setup.oneStage ? 1 : config.stagesPerTask }

  /// Stage `j` as the optimiser should see it: the constant 0 in a one-stage engine, where
  /// there is no other. Functions of a stage begin with `let j = stage(j)`.
  @inline(__always) func stage(_ j: Int) -> Int { Setup.oneStage ? 0 : j }

  /// The index of stage `j` of task `t` in the per-stage tables.
  @inline(__always) func stageIndex(_ t: TaskID, _ j: Int) -> Int {
    t.index &* stageCount &+ stage(j)
  }

  /// The domain of stage `j` of task `t` (stage 0's is the task's).
  @inline(__always) mutating func domain(_ t: TaskID, _ j: Int) -> Int {
    stage(j) == 0 ? work.specs[t].domain : Int(work.stageDomain[stageIndex(t, j)])
  }

  // MARK: - Reports to the observer

  /// Reports `event` to the observer. Without one nothing is reported, and the event, built
  /// by an inlined function from plain loads, is never built.
  @inline(__always)
  mutating func report(_ event: TraceEvent) {
    if Setup.Observer.observes { observer.record(event) }
  }

  /// Reports the outcome of the job end reported last.
  @inline(__always)
  mutating func report(outcome: TraceEvent.Outcome) {
    if Setup.Observer.observes { observer.outcome(outcome) }
  }

  /// An event of `kind` now about job `job` of `agent`.
  @inline(__always)
  func jobEvent(
    _ kind: TraceEvent.Kind, _ agent: AgentID, _ job: Job, hours: Double, comm: Double
  ) -> TraceEvent {
    var e = TraceEvent(time: clock.now, kind: kind)
    e.agent = agent
    e.job = job.kind
    if job.kind != .custom {
      e.task = job.task
      e.stage = Int(job.stage)
      e.attempt = Int(job.attempt)
    }
    e.hours = hours
    e.commHours = comm
    return e
  }

  /// A task-level event now.
  @inline(__always)
  func taskEvent(
    _ kind: TraceEvent.Kind, _ t: TaskID, stage: Int? = nil, agent: AgentID? = nil,
    outcome: TraceEvent.Outcome? = nil, hours: Double = 0
  ) -> TraceEvent {
    var e = TraceEvent(time: clock.now, kind: kind)
    e.task = t
    e.stage = stage
    e.agent = agent
    e.outcome = outcome
    e.hours = hours
    return e
  }

  // MARK: - Drift

  /// Every AI agent's update times on [0, 2 * horizon), each followed by one
  /// Normal(0, driftSD) shift per domain, agent by agent; all scheduled before the run.
  mutating func scheduleDrift() {
    var driftCount = 0
    let driftEnd = 2 * scenario.horizon
    for a in 0..<n where !team.isHuman[a] && team.driftRate[a] > 0 {
      let mean = 1 / team.driftRate[a]
      var t = streams.drift.exponential(mean: mean)
      while t < driftEnd {
        agents.driftAgent.reserve(driftCount + 1, keeping: driftCount)
        agents.driftShift.reserve((driftCount + 1) * domains, keeping: driftCount * domains)
        clock.queue.schedule(at: t, kind: .drift, payload: Int32(driftCount))
        agents.driftAgent[driftCount] = AgentID(a)
        for d in 0..<domains {
          agents.driftShift[driftCount * domains + d] = streams.drift.normal(
            mean: 0, sd: team.driftSD[a])
        }
        driftCount += 1
        t += streams.drift.exponential(mean: mean)
      }
    }
    agents.driftCount = driftCount
  }

  /// A model update: every skill of the agent shifts by its pre-drawn Normal(0, driftSD)
  /// draw, clamped to [0, 1].
  mutating func applyDrift(_ update: Int) {
    totals.counters.driftUpdates &+= 1
    let a = agents.driftAgent[update]
    if Setup.Observer.observes {
      var e = TraceEvent(time: clock.now, kind: .drift)
      e.agent = a
      observer.record(e)
    }
    for d in 0..<domains {
      let i = agents.cell(a, d)
      agents.skill[i] = min(1, max(0, agents.skill[i] + agents.driftShift[update * domains + d]))
    }
  }

  // MARK: - Invariants

  /// Checks every part's invariants and what holds between them. Most checks run after
  /// every event. Walking the queues costs as many steps as jobs wait, so with more than 64
  /// waiting it runs every 64th event; the walk over every task's stages runs every 64th
  /// event.
  mutating func checkInvariants() {
    let sparse = clock.eventCount % 64 == 0
    clock._checkInvariants(agents: n, tasks: work.count)
    agents._checkInvariants(clock: clock, hoursKept: true)
    estimates._checkInvariants()
    if sparse || jobs.waiting() <= 64 {
      var busy = 0
      for a in 0..<n where agents.state[a].busy { busy += 1 }
      jobs._checkInvariants(inProgress: busy)
      checkIdleAgents()
    }
    var open: Int? = nil
    if sparse {
      open = work._checkInvariants(
        arrived: clock.nextArrival, stageCount: stageCount, abandonAfter: config.abandonAfter)
    }
    totals._checkInvariants(tasks: work.count, arrived: clock.nextArrival, open: open)
  }

  /// An idle agent has nothing waiting in its queue and no pool job it may take.
  mutating func checkIdleAgents() {
    for a in 0..<n where !agents.state[a].busy {
      let id = AgentID(a)
      precondition(jobs.queueLength(id) == 0, "agent \(a) is idle with jobs waiting")
      var job = jobs.lists[jobs.pool].head
      while job.exists {
        precondition(!mayTake(id, job), "agent \(a) is idle beside a pool job it may take")
        job = jobs.records[job].next
      }
    }
  }
}

/// Limits of the engine, which the parameter registry also enforces.
public enum Limits {
  /// Stages per task: blame and rework keep one bit per stage.
  public static let stages = 1...16
  /// Votes per attempt: an attempt keeps one bit per vote slot in 64.
  public static let redundancy = 1...64
}
