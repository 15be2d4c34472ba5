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

/// An agent's busy hours by what they were spent on. The five add up to the busy hours:
/// productive and communication hours of executions that count, structure hours of duties,
/// the hours of executions later discarded as rework, and of discarded duplicates. Kept
/// only while the engine checks its invariants, which is what they are for.
struct HoursByUse: BitwiseCopyable {
  var productive = 0.0
  var communication = 0.0
  var structure = 0.0
  var rework = 0.0
  var duplicate = 0.0

  var total: Double { productive + communication + structure + rework + duplicate }
}

/// An agent during a run.
struct AgentState: BitwiseCopyable {
  /// Busy exactly when a job is in progress (`currentJob` exists).
  var busy = false
  var currentJob = JobID.none
  var jobStart = 0.0
  /// Hours of the job in progress, and the communication part of them.
  var jobHours = 0.0
  var jobComm = 0.0
  /// Busy hours so far in the run.
  var busyHours = 0.0
}

/// The agents: what each brings (speed, cost, penalties, initial skill), its true skill now,
/// and its state during the run (the job in progress, idle since when, busy hours).
///
/// The penalties are kept a second time as columns, for loops over all agents.
struct AgentBook: ~Copyable {
  let count: Int
  let domains: Int
  let profile: Slab<AgentProfile>
  let edgePenalty: Slab<Double>
  let ambiguityPenalty: Slab<Double>
  let noveltyPenalty: Slab<Double>
  let initialSkill: Slab<Double>
  /// True skill now, `[agent * domains + domain]`: the initial skill moved by drift.
  var skill: Slab<Double>
  var state: Slab<AgentState>
  /// How many agents are idle: when none is, a pool job waits without a scan of the team.
  var idleCount = 0
  /// When each agent last became idle, or infinity while it is busy: the longest-idle rule
  /// scans this column alone.
  var idleSince: Slab<Double>
  /// Each agent's busy hours by use, kept while the engine checks its invariants (a column
  /// of its own, so that the state the event loop reads stays small).
  var uses: Slab<HoursByUse>
  /// The run's model updates, drawn before it starts: whose, and the shift of each of its
  /// skills (`[update * domains + domain]`).
  var driftAgent = Slab<AgentID>()
  var driftShift = Slab<Double>()
  var driftCount = 0

  init(_ team: Team) {
    count = team.count
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
    skill = Slab(copying: team.skill)
    state = Slab(capacity: team.count)
    idleSince = Slab(capacity: team.count)
    uses = Slab(capacity: team.count)
  }

  /// Everyone idle since time 0, with its initial skill and no hours.
  mutating func reset() {
    for a in 0..<count {
      state[a] = AgentState()
      uses[a] = HoursByUse()
    }
    idleCount = count
    idleSince.fill(0, count: count)
    for i in 0..<(count * domains) { skill[i] = initialSkill[i] }
  }

  /// The index of agent `a`'s skill (or estimate) in `domain`.
  @inline(__always) func cell(_ a: AgentID, _ domain: Int) -> Int { a.index &* domains &+ domain }

  /// Checks that an agent is busy exactly when it has a job in progress and a scheduled end,
  /// and is idle-since-infinity then; that the idle count is right; that skills stay in
  /// [0, 1]; that no hours are negative; and, when `hoursKept`, that each agent's busy hours
  /// add up: productive + communication + structure + rework + duplicate = busy.
  mutating func _checkInvariants(clock: borrowing Clock, hoursKept: Bool) {
    var idle = 0
    for a in 0..<count {
      let agent = state[a]
      if !agent.busy { idle += 1 }
      precondition(agent.busy == agent.currentJob.exists, "agent \(a): busy without a job")
      precondition(agent.busy == (clock.endTime[a] < .infinity), "agent \(a): busy without an end")
      precondition(agent.busy == (idleSince[a] == .infinity), "agent \(a): idle time when busy")
      precondition(agent.busyHours >= 0 && agent.jobHours >= 0 && agent.jobComm >= 0)
      precondition(agent.jobComm <= agent.jobHours * (1 + 1e-12), "agent \(a): comm over hours")
      if hoursKept {
        let u = uses[a]
        let slack = 1e-9 * max(1, agent.busyHours)
        precondition(
          u.productive >= -slack && u.communication >= -slack && u.structure >= 0
            && u.rework >= 0 && u.duplicate >= 0, "agent \(a): negative hours by use \(u)")
        precondition(
          abs(u.total - agent.busyHours) <= slack,
          "agent \(a): hours by use add up to \(u.total), busy \(agent.busyHours)")
      }
    }
    precondition(idle == idleCount, "\(idle) agents idle, counted \(idleCount)")
    for i in 0..<(count * domains) {
      precondition(skill[i] >= 0 && skill[i] <= 1, "skill \(skill[i]) outside [0, 1]")
    }
  }
}
