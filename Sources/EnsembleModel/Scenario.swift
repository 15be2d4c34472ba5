/// Whether an agent is a person or an AI system.
public enum AgentKind: String, Sendable, Hashable, CaseIterable {
  case human
  case ai
}

/// A role adds duties to its holder (docs/MODEL.md section 2).
public enum Role: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Routes every task to the agent with the best estimated success.
  case conductor
  /// Reviews AI output in its own domain.
  case expert
  /// Rewrites ambiguous requests before they are worked on.
  case translator
  /// Audits a share of delivered work.
  case monitor
  /// Pairs with the best AI agent on novel tasks.
  case catalyst

  public static func < (lhs: Role, rhs: Role) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// Which members of a group hold a role.
public enum RoleMembers: Sendable, Hashable {
  /// Every member of the group.
  case all
  /// The members at these 0-based indices within the group (indices past the group's
  /// count are ignored).
  case members([Int])

  func includes(_ member: Int) -> Bool {
    switch self {
    case .all: return true
    case .members(let list): return list.contains(member)
    }
  }
}

/// Skill in the members' own domains, assigned round-robin through `domains`.
public struct Expertise: Sendable, Hashable {
  /// Own domains in the order they are handed out: member `j` gets `domains[j % count]`.
  public var domains: [Int]
  /// Skill in the own domain (replaces the group's skill there).
  public var skill: Double

  public init(domains: [Int], skill: Double) {
    self.domains = domains
    self.skill = skill
  }
}

/// A group of identical agents (docs/MODEL.md section 2): one line of the team table.
public struct AgentGroup: Sendable, Hashable {
  public var name: String
  public var kind: AgentKind
  public var count: Int
  /// Skill per domain: one value for every domain, or one value per domain.
  public var skill: [Double]
  public var expertise: Expertise?
  /// Work per hour, in standard hours of work per hour.
  public var speed: Double
  /// Cost of one busy hour.
  public var costPerHour: Double
  public var edgePenalty: Double
  public var ambiguityPenalty: Double
  public var noveltyPenalty: Double
  /// Share of errors that are confident and invisible to the agent.
  public var silentShare: Double
  /// Model updates per hour (Poisson).
  public var driftRate: Double
  /// Standard deviation of the skill shift at each update.
  public var driftSD: Double
  /// Roles and which members hold them, in a fixed order.
  public var roles: [Role: RoleMembers]

  /// A group with its kind's defaults (docs/MODEL.md section 2) for every attribute not given.
  public init(
    name: String, kind: AgentKind, count: Int, skill: [Double],
    expertise: Expertise? = nil, roles: [Role: RoleMembers] = [:]
  ) {
    self.name = name
    self.kind = kind
    self.count = count
    self.skill = skill
    self.expertise = expertise
    self.roles = roles
    switch kind {
    case .human:
      speed = 1.0
      costPerHour = 100
      edgePenalty = 0.05
      ambiguityPenalty = 0.10
      noveltyPenalty = 0.05
      silentShare = 0.3
      driftRate = 0
      driftSD = 0
    case .ai:
      speed = 4.0
      costPerHour = 8
      edgePenalty = 0.25
      ambiguityPenalty = 0.30
      noveltyPenalty = 0.20
      silentShare = 0.7
      driftRate = 0.02
      driftSD = 0.08
    }
  }

  /// The skill of member `member` in domain `domain`.
  public func skill(member: Int, domain: Int) -> Double {
    if let expertise, !expertise.domains.isEmpty,
      expertise.domains[member % expertise.domains.count] == domain
    {
      return expertise.skill
    }
    return skill.count == 1 ? skill[0] : skill[domain]
  }

  /// The own domain of member `member`, if the group has expertise.
  public func ownDomain(member: Int) -> Int? {
    guard let expertise, !expertise.domains.isEmpty else { return nil }
    return expertise.domains[member % expertise.domains.count]
  }
}

/// How a task's stages depend on each other (docs/MODEL.md section 2).
public enum WorkShape: String, Sendable, Hashable, CaseIterable {
  /// Stages 0, 1, ..., s − 1 in order; each takes the previous one's output.
  case chain
  /// Stages 0 ... s − 2 are parts, all ready at once; stage s − 1 merges them.
  case fanout
}

/// What a task asks for: something made, or a decision.
public enum WorkKind: String, Sendable, Hashable, CaseIterable {
  /// Content to create: a judge's push-back sends the work back.
  case create
  /// A decision: a judge's push-back replaces the output with the judge's own answer.
  /// One stage only.
  case decide
}

/// The task stream (docs/MODEL.md section 2).
public struct Workload: Sendable, Hashable {
  /// Tasks per hour (Poisson process on [0, horizon)).
  public var arrivalRate: Double = 12
  /// Relative weights of the domains; `nil` means equal weights.
  public var domainWeights: [Double]? = nil
  public var difficulty: Distribution = .uniform(0.2, 0.7)
  public var edgeCaseRate: Double = 0.4
  public var ambiguity: Distribution = .uniform(0, 0.5)
  public var noveltyRate: Double = 0.1
  /// Effort in standard hours.
  public var work: Distribution = .exponential(mean: 1.0)
  /// Stages per task (1 to 16), the same for every task; each has work `w / stages`.
  public var stages: Int = 1
  /// How the stages depend on each other.
  public var shape: WorkShape = .chain
  /// Probability that a task is high-stakes (drawn for every task from its own stream).
  public var stakesRate: Double = 0
  /// Whether tasks create content or decide (every task alike).
  public var kind: WorkKind = .create

  public init() {}
}

/// Constants of the model that are not organisational choices.
public struct ModelConstants: Sendable, Hashable {
  /// Steepness k of the logistic success curve.
  public var steepness: Double = 10
  /// A task whose attempt with this number fails is abandoned (docs/MODEL.md section 7: the sixth).
  public var abandonAfterAttempts: Int = 6

  public init() {}
}

/// Everything about the world a design is tested in: time, domains, work and team.
public struct Scenario: Sendable, Hashable {
  /// Arrivals stop at `horizon` hours; the run stops at the latest at twice that.
  public var horizon: Double = 40
  public var domains: Int = 4
  public var workload = Workload()
  public var team: [AgentGroup]
  public var model = ModelConstants()

  public init(team: [AgentGroup]) { self.team = team }

  /// The default scenario: the 9-agent team of docs/MODEL.md section 2 and its workload.
  public static var `default`: Scenario {
    Scenario(team: [
      AgentGroup(
        name: "lead", kind: .human, count: 1, skill: [0.65], roles: [.conductor: .all]),
      AgentGroup(
        name: "experts", kind: .human, count: 2, skill: [0.55],
        expertise: Expertise(domains: [0, 1], skill: 0.90), roles: [.expert: .all]),
      AgentGroup(
        name: "designer", kind: .human, count: 1, skill: [0.60], roles: [.catalyst: .all]),
      AgentGroup(
        name: "ai", kind: .ai, count: 5, skill: [0.60],
        expertise: Expertise(domains: [0, 1, 2, 3], skill: 0.85),
        roles: [.translator: .members([0]), .monitor: .members([1])]),
    ])
  }

  /// The team size: the sum of the groups' counts.
  public var teamSize: Int { team.reduce(0) { $0 + $1.count } }
}
