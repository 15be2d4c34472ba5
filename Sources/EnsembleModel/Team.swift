/// The team expanded to one entry per agent, in contiguous arrays indexed by agent id.
///
/// Agents are numbered in group order, members in order within a group. Built once per
/// scenario and shared by every run of it; nothing here changes during a run.
public struct Team: Sendable {
  /// Number of agents.
  public let count: Int
  /// Number of domains.
  public let domains: Int
  public let isHuman: [Bool]
  /// Initial skill, `skill[agent * domains + domain]`.
  public let skill: [Double]
  /// Own domain from the group's expertise, or -1.
  public let ownDomain: [Int]
  public let speed: [Double]
  public let costPerHour: [Double]
  public let edgePenalty: [Double]
  public let ambiguityPenalty: [Double]
  public let noveltyPenalty: [Double]
  public let silentShare: [Double]
  public let driftRate: [Double]
  public let driftSD: [Double]
  /// Roles held, one bit per ``Role`` in declaration order.
  public let roleBits: [UInt8]
  /// Experts by own domain: `experts[d]` lists the expert holders whose own domain is d.
  public let experts: [[Int]]
  public let humans: [Int]
  public let ais: [Int]

  /// Expands `scenario.team`; preconditions guard values a validated scenario never has.
  public init(_ scenario: Scenario) {
    let d = scenario.domains
    precondition(d > 0, "a scenario needs at least one domain")
    var isHuman: [Bool] = []
    var skill: [Double] = []
    var ownDomain: [Int] = []
    var speed: [Double] = []
    var cost: [Double] = []
    var edge: [Double] = []
    var ambiguity: [Double] = []
    var novelty: [Double] = []
    var silent: [Double] = []
    var driftRate: [Double] = []
    var driftSD: [Double] = []
    var roleBits: [UInt8] = []
    for spec in scenario.team {
      precondition(spec.skill.count == 1 || spec.skill.count == d, "skill per domain")
      // Engine.bestTrueCompetence relies on it; the registry's ranges keep it.
      precondition(
        spec.edgePenalty >= 0 && spec.ambiguityPenalty >= 0 && spec.noveltyPenalty >= 0,
        "penalties are non-negative")
      for m in 0..<max(0, spec.count) {
        isHuman.append(spec.kind == .human)
        for domain in 0..<d { skill.append(spec.skill(member: m, domain: domain)) }
        let own = spec.ownDomain(member: m) ?? -1
        precondition(own < d, "own domain \(own) outside 0..<\(d)")
        ownDomain.append(own)
        speed.append(spec.speed)
        cost.append(spec.costPerHour)
        edge.append(spec.edgePenalty)
        ambiguity.append(spec.ambiguityPenalty)
        novelty.append(spec.noveltyPenalty)
        silent.append(spec.silentShare)
        driftRate.append(spec.kind == .ai ? spec.driftRate : 0)
        driftSD.append(spec.kind == .ai ? spec.driftSD : 0)
        var bits: UInt8 = 0
        for (bit, role) in Role.allCases.enumerated() where spec.roles[role]?.includes(m) == true {
          bits |= 1 << UInt8(bit)
        }
        roleBits.append(bits)
      }
    }
    count = isHuman.count
    domains = d
    self.isHuman = isHuman
    self.skill = skill
    self.ownDomain = ownDomain
    self.speed = speed
    self.costPerHour = cost
    self.edgePenalty = edge
    self.ambiguityPenalty = ambiguity
    self.noveltyPenalty = novelty
    self.silentShare = silent
    self.driftRate = driftRate
    self.driftSD = driftSD
    self.roleBits = roleBits
    let expertBit = UInt8(1) << UInt8(Role.allCases.firstIndex(of: .expert)!)
    var experts = Array(repeating: [Int](), count: d)
    for a in 0..<isHuman.count where roleBits[a] & expertBit != 0 && ownDomain[a] >= 0 {
      experts[ownDomain[a]].append(a)
    }
    self.experts = experts
    humans = (0..<isHuman.count).filter { isHuman[$0] }
    ais = (0..<isHuman.count).filter { !isHuman[$0] }
  }

  /// Whether `agent` holds `role`.
  public func holds(_ agent: Int, _ role: Role) -> Bool {
    roleBits[agent] & (1 << UInt8(Role.allCases.firstIndex(of: role)!)) != 0
  }

  /// The lowest-index holder of `role`, or nil when the team has none.
  public func firstHolder(of role: Role) -> Int? {
    (0..<count).first { holds($0, role) }
  }
}
