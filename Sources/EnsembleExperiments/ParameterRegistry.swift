import EnsembleModel

/// A scenario and a design: everything one run needs besides its seed.
public struct Configuration: Sendable, Hashable {
  public var scenario: Scenario
  public var design: Design

  public init(scenario: Scenario, design: Design) {
    self.scenario = scenario
    self.design = design
  }
}

/// One tunable of the model under one dotted key.
public struct Parameter: Sendable {
  public let key: String
  public let type: ParameterType
  /// Allowed values of a number or integer, of each list element, or the support a
  /// distribution must stay within.
  public let range: ClosedRange<Double>?
  public let unit: String
  public let meaning: String
  let get: @Sendable (Configuration) -> ParameterValue
  let set: @Sendable (inout Configuration, ParameterValue) -> Void

  /// The value in `configuration`.
  public func value(in configuration: Configuration) -> ParameterValue { get(configuration) }

  /// Sets the value; `value` must have passed ``problem(with:)``.
  public func apply(_ value: ParameterValue, to configuration: inout Configuration) {
    set(&configuration, value)
  }

  /// The range as text, e.g. "0 to 1"; empty when any value goes.
  public var rangeText: String {
    guard let range else { return "" }
    let low = range.lowerBound == -.infinity ? "-inf" : ParameterValue.format(range.lowerBound)
    let high = range.upperBound == .infinity ? "inf" : ParameterValue.format(range.upperBound)
    return "\(low) to \(high)"
  }

  /// Why `value` is not allowed for this key, or nil when it is.
  public func problem(with value: ParameterValue) -> String? {
    func outside(_ x: Double) -> Bool {
      guard let range else { return !x.isFinite }
      return !x.isFinite || !range.contains(x)
    }
    let rangeNote = range.map { _ in " (allowed: \(rangeText))" } ?? ""
    switch (type, value) {
    case (.number, .number(let x)), (.numberOrList, .number(let x)):
      return outside(x) ? "\(ParameterValue.format(x)) is out of range\(rangeNote)" : nil
    case (.integer, .integer(let i)):
      return outside(Double(i)) ? "\(i) is out of range\(rangeNote)" : nil
    case (.boolean, .boolean):
      return nil
    case (.choice(let words), .choice(let word)):
      if words.contains(word) { return nil }
      let hint = nearest(word, among: words).map { "; did you mean \"\($0)\"?" } ?? ""
      return "\"\(word)\" is not one of \(words.map { "\"\($0)\"" }.joined(separator: ", "))\(hint)"
    case (.numberList, .list(let xs)), (.numberOrList, .list(let xs)):
      if xs.isEmpty { return "the list is empty" }
      if let bad = xs.first(where: outside) {
        return "\(ParameterValue.format(bad)) is out of range\(rangeNote)"
      }
      return nil
    case (.integerList, .list(let xs)):
      // An empty list of own domains means no expertise.
      if let bad = xs.first(where: { outside($0) || $0 != $0.rounded() }) {
        return "\(ParameterValue.format(bad)) is not a whole number in range\(rangeNote)"
      }
      return nil
    case (.distribution, .distribution(let d)):
      return Self.problem(with: d, support: range ?? -Double.infinity...Double.infinity)
    default:
      return "expects \(type.name)"
    }
  }

  /// Why a distribution is malformed, could draw a non-finite value (see
  /// ``Distribution/problem``), or can leave `support`; nil when none of these.
  static func problem(with d: Distribution, support: ClosedRange<Double>) -> String? {
    if let problem = d.problem { return problem }
    let f = ParameterValue.format
    let within = "values must stay within \(f(support.lowerBound)) to \(f(support.upperBound))"
    switch d {
    case .fixed(let x):
      return support.contains(x) ? nil : "\(f(x)): \(within)"
    case .uniform(let a, let b):
      return support.contains(a) && support.contains(b)
        ? nil : "uniform [\(f(a)), \(f(b))]: \(within)"
    case .beta:
      return support.contains(0) && support.contains(1) ? nil : "beta lies on [0, 1]: \(within)"
    case .exponential:
      return support.lowerBound <= 0 && support.upperBound == .infinity
        ? nil : "exponential is unbounded: \(within)"
    case .lognormal:
      return support.lowerBound <= 0 && support.upperBound == .infinity
        ? nil : "lognormal is unbounded: \(within)"
    }
  }
}

/// Every tunable of the model, each under one dotted key (docs/ARCHITECTURE.md: the parameter
/// registry). Group keys (`team.<group>.<field>`) exist for the groups of the scenario the
/// registry is made for.
public struct ParameterRegistry: Sendable {
  /// Parameters in display order.
  public let parameters: [Parameter]
  let index: [String: Int]

  public init(scenario: Scenario) {
    var list = Self.fixedParameters
    for (g, group) in scenario.team.enumerated() {
      list += Self.groupParameters(group.name, index: g)
    }
    parameters = list
    var index: [String: Int] = [:]
    for (i, p) in list.enumerated() { index[p.key] = i }
    self.index = index
  }

  public subscript(key: String) -> Parameter? { index[key].map { parameters[$0] } }

  public var keys: [String] { parameters.map(\.key) }

  /// The known key nearest to `key` by edit distance, when it is close enough to be a typo.
  public func suggestion(for key: String) -> String? { nearest(key, among: keys) }

  // MARK: - The keys

  static let unit = 0.0...1.0
  static let nonNegative = 0.0...Double.infinity

  static var fixedParameters: [Parameter] {
    var list: [Parameter] = [
      number(
        "horizon", 0.001...1_000_000, "hours", "arrivals stop at this time; the run at twice it",
        \.scenario.horizon),
      integer("domains", 1...64, "count", "number of work domains", \.scenario.domains),
      number(
        "workload.arrivalRate", 0...100_000, "tasks/hour", "Poisson arrival rate of tasks",
        \.scenario.workload.arrivalRate),
      Parameter(
        key: "workload.domainWeights", type: .numberList, range: nonNegative, unit: "weight",
        meaning: "relative frequency of each domain (default: equal)",
        get: {
          .list(
            $0.scenario.workload.domainWeights ?? Array(repeating: 1, count: $0.scenario.domains))
        },
        set: { c, v in if case .list(let xs) = v { c.scenario.workload.domainWeights = xs } }),
      distribution(
        "workload.difficulty", -1_000...1_000, "competence",
        "task difficulty on the competence scale",
        \.scenario.workload.difficulty),
      number(
        "workload.edgeCaseRate", unit, "probability", "share of tasks that are edge cases",
        \.scenario.workload.edgeCaseRate),
      distribution(
        "workload.ambiguity", nonNegative, "alpha",
        "how context-rich and unstructured requests are",
        \.scenario.workload.ambiguity),
      number(
        "workload.noveltyRate", unit, "probability",
        "share of tasks that need novel, creative work",
        \.scenario.workload.noveltyRate),
      distribution(
        "workload.work", nonNegative, "hours at speed 1", "effort of a task",
        \.scenario.workload.work),
      integer(
        "workload.stages", 1...16, "stages",
        "stages per task, each with the task's work divided by the stages",
        \.scenario.workload.stages),
      choice(
        "workload.shape", WorkShape.allCases.map(\.rawValue),
        "chain: stages in order; fanout: parallel parts, then a merge",
        get: { $0.scenario.workload.shape.rawValue },
        set: { c, w in c.scenario.workload.shape = WorkShape(rawValue: w)! }),
      number(
        "workload.stakesRate", unit, "probability", "share of tasks that are high-stakes",
        \.scenario.workload.stakesRate),
      choice(
        "workload.kind", WorkKind.allCases.map(\.rawValue),
        "create: a judge's push-back sends work back; decide: the judge's answer replaces it"
          + " (one stage only)",
        get: { $0.scenario.workload.kind.rawValue },
        set: { c, w in c.scenario.workload.kind = WorkKind(rawValue: w)! }),
    ]
    list += [
      choice(
        "design.routing", Routing.allCases.map(\.rawValue), "how tasks find executors",
        get: { $0.design.routing.rawValue },
        set: { c, w in c.design.routing = Routing(rawValue: w)! }),
      choice(
        "design.communication", Communication.allCases.map(\.rawValue),
        "all-to-all: overhead commCost*(n-1); hierarchy: commCost*2",
        get: { $0.design.communication.rawValue },
        set: { c, w in c.design.communication = Communication(rawValue: w)! }),
      number(
        "design.duplicationRate", unit, "probability",
        "chance a pool execution is duplicated by the next idle agent", \.design.duplicationRate),
      boolean(
        "design.translation", "a translator rewrites ambiguous requests", \.design.translation),
      choice(
        "design.review", ReviewPolicy.allCases.map(\.rawValue),
        "who reviews apparent successes (expert: AI output in the expert's domain)",
        get: { $0.design.review.rawValue },
        set: { c, w in c.design.review = ReviewPolicy(rawValue: w)! }),
      number(
        "design.reviewRate", unit, "probability", "share of eligible outputs reviewed",
        \.design.reviewRate),
      boolean("design.audit", "a monitor audits a share of delivered tasks", \.design.audit),
      boolean("design.catalyst", "novel tasks go to a catalyst-AI pair", \.design.catalyst),
      boolean("design.escalation", "attempts after maxAttempts go to a human", \.design.escalation),
      boolean("design.ledger", "verdicts update the team's estimate of skill", \.design.ledger),
      integer(
        "design.redundancy", 1...15, "votes", "executions per attempt, majority vote",
        \.design.redundancy),
      number(
        "design.commCost", unit, "share", "communication overhead per informed colleague",
        \.design.commCost),
      number(
        "design.routeTime", 0...100, "hours", "time the conductor spends routing a task",
        \.design.routeTime),
      integer(
        "design.maxQueue", 1...1_000, "jobs", "routing skips agents with this many jobs waiting",
        \.design.maxQueue),
      number(
        "design.leaderFluency", unit, "share",
        "how well the leader knows the team: estimate error sd 0.3*(1-fluency)",
        \.design.leaderFluency),
      number(
        "design.learningRate", unit, "step", "how far one verdict moves the ledger's estimate",
        \.design.learningRate),
      number(
        "design.translateEffort", 0...100, "hours/(alpha*work)",
        "translation time per ambiguity and work", \.design.translateEffort),
      number(
        "design.translationQuality", unit, "share", "share of ambiguity translation removes",
        \.design.translationQuality),
      number(
        "design.reviewEffort", 0...100, "hours/work", "review time per unit of work",
        \.design.reviewEffort),
      number(
        "design.detectSkill", unit, "probability",
        "a reviewer finds an error with detectSkill*skill", \.design.detectSkill),
      number(
        "design.falseAlarmRate", unit, "probability", "chance a review rejects a correct output",
        \.design.falseAlarmRate),
      number(
        "design.auditRate", unit, "probability", "share of delivered tasks audited",
        \.design.auditRate),
      number(
        "design.auditEffort", 0...100, "hours/work", "audit time per unit of work",
        \.design.auditEffort),
      number(
        "design.auditSkill", unit, "probability", "chance an audit finds an escaped error",
        \.design.auditSkill),
      number(
        "design.synergy", -1...1, "competence", "competence a catalyst-AI pair adds",
        \.design.synergy),
      number(
        "design.pairSpeedup", 0.001...1_000, "factor",
        "how much faster a pair works than the catalyst", \.design.pairSpeedup),
      integer(
        "design.maxAttempts", 1...100, "failures",
        "with escalation, a stage that failed this often goes to a human", \.design.maxAttempts),
      boolean(
        "design.continuity",
        "one owner per task: the agent of stage 0 executes every later stage",
        \.design.continuity),
      number(
        "design.handoffLoss", 0...10, "alpha",
        "ambiguity added when an execution's input came from another agent",
        \.design.handoffLoss),
      number(
        "design.handoffTime", 0...100, "hours", "read-in time of a hand-off (communication)",
        \.design.handoffTime),
      choice(
        "design.signoff", SignoffPolicy.allCases.map(\.rawValue),
        "which tasks the accountable human (the human conductor) signs off",
        get: { $0.design.signoff.rawValue },
        set: { c, w in c.design.signoff = SignoffPolicy(rawValue: w)! }),
      number(
        "design.signoffEffort", 0...100, "hours/work", "sign-off time per unit of the task's work",
        \.design.signoffEffort),
      choice(
        "design.judgment", JudgmentRule.allCases.map(\.rawValue),
        "how a human reviewer or signer decides: detect (fixed chances) or judge (its own view)",
        get: { $0.design.judgment.rawValue },
        set: { c, w in c.design.judgment = JudgmentRule(rawValue: w)! }),
      choice(
        "design.reliance", Reliance.allCases.map(\.rawValue),
        "under judge, how a disagreement is resolved: fixed (trust) or calibrated",
        get: { $0.design.reliance.rawValue },
        set: { c, w in c.design.reliance = Reliance(rawValue: w)! }),
      number(
        "design.trust", 0...1, "probability",
        "under judge with fixed reliance, the chance of deferring to the output on a disagreement",
        \.design.trust),
      number(
        "model.steepness", 0.001...10_000, "1/competence",
        "steepness k of the logistic success curve", \.scenario.model.steepness),
      integer(
        "model.abandonAfterAttempts", 1...100, "attempts",
        "a task whose attempt with this number fails is abandoned",
        \.scenario.model.abandonAfterAttempts),
    ]
    return list
  }

  /// The keys of one group: `team.<group>.<field>`.
  ///
  /// `index` is the group's place in the team the registry is made for: a group is found
  /// there in O(1) (by name, in O(groups), when the team differs), so that applying a `set`
  /// costs the same whatever the size of the team.
  static func groupParameters(_ name: String, index: Int? = nil) -> [Parameter] {
    let prefix = "team.\(name)."
    @Sendable func position(_ team: [AgentGroup]) -> Int? {
      if let index, index < team.count, team[index].name == name { return index }
      return team.firstIndex { $0.name == name }
    }
    @Sendable func field<T>(
      _ key: WritableKeyPath<AgentGroup, T>
    ) -> (get: @Sendable (Configuration) -> T, set: @Sendable (inout Configuration, T) -> Void) {
      nonisolated(unsafe) let key = key
      return (
        { c in c.scenario.team[position(c.scenario.team)!][keyPath: key] },
        { c, v in
          if let g = position(c.scenario.team) { c.scenario.team[g][keyPath: key] = v }
        }
      )
    }
    func groupNumber(
      _ suffix: String, _ range: ClosedRange<Double>, _ unit: String, _ meaning: String,
      _ key: WritableKeyPath<AgentGroup, Double>
    ) -> Parameter {
      let (get, set) = field(key)
      return Parameter(
        key: prefix + suffix, type: .number, range: range, unit: unit, meaning: meaning,
        get: { .number(get($0)) },
        set: { c, v in if case .number(let x) = v { set(&c, x) } })
    }
    let count = field(\.count)
    let skill = field(\.skill)
    let expertise = field(\.expertise)
    return [
      Parameter(
        key: prefix + "count", type: .integer, range: 0...10_000, unit: "agents",
        meaning: "members of group \(name)", get: { .integer(count.get($0)) },
        set: { c, v in if case .integer(let i) = v { count.set(&c, i) } }),
      Parameter(
        key: prefix + "skill", type: .numberOrList, range: unit, unit: "competence",
        meaning: "skill in every domain, or one value per domain",
        get: { c in
          let s = skill.get(c)
          return s.count == 1 ? .number(s[0]) : .list(s)
        },
        set: { c, v in
          switch v {
          case .number(let x): skill.set(&c, [x])
          case .list(let xs): skill.set(&c, xs)
          default: break
          }
        }),
      Parameter(
        key: prefix + "expertise.skill", type: .number, range: unit, unit: "competence",
        meaning: "skill in the member's own domain",
        get: { .number(expertise.get($0)?.skill ?? skill.get($0)[0]) },
        set: { c, v in
          guard case .number(let x) = v else { return }
          var e = expertise.get(c) ?? Expertise(domains: [], skill: x)
          e.skill = x
          expertise.set(&c, e)
        }),
      Parameter(
        key: prefix + "expertise.domains", type: .integerList, range: 0...63, unit: "domain",
        meaning: "own domains handed out round-robin to the members",
        get: { .list((expertise.get($0)?.domains ?? []).map(Double.init)) },
        set: { c, v in
          guard case .list(let xs) = v else { return }
          var e = expertise.get(c) ?? Expertise(domains: [], skill: skill.get(c)[0])
          e.domains = xs.map { Int($0) }
          expertise.set(&c, e)
        }),
      groupNumber(
        "speed", 0.001...1_000, "work/hour", "standard hours of work done per hour", \.speed),
      groupNumber(
        "costPerHour", 0...1_000_000, "cost/hour", "cost of one busy hour", \.costPerHour),
      groupNumber(
        "edgePenalty", unit, "competence", "competence lost on edge cases", \.edgePenalty),
      groupNumber(
        "ambiguityPenalty", unit, "competence/alpha", "competence lost per unit of ambiguity",
        \.ambiguityPenalty),
      groupNumber(
        "noveltyPenalty", unit, "competence", "competence lost on novel tasks", \.noveltyPenalty),
      groupNumber(
        "silentShare", unit, "share", "share of errors that are confident and invisible",
        \.silentShare),
      groupNumber(
        "driftRate", 0...1_000, "updates/hour", "model updates per hour (AI only)", \.driftRate),
      groupNumber(
        "driftSD", unit, "skill", "sd of the skill shift at each update (AI only)", \.driftSD),
    ]
  }

  // MARK: - Builders

  static func number(
    _ key: String, _ range: ClosedRange<Double>, _ unit: String, _ meaning: String,
    _ path: WritableKeyPath<Configuration, Double>
  ) -> Parameter {
    nonisolated(unsafe) let path = path
    return Parameter(
      key: key, type: .number, range: range, unit: unit, meaning: meaning,
      get: { .number($0[keyPath: path]) },
      set: { c, v in if case .number(let x) = v { c[keyPath: path] = x } })
  }

  static func integer(
    _ key: String, _ range: ClosedRange<Double>, _ unit: String, _ meaning: String,
    _ path: WritableKeyPath<Configuration, Int>
  ) -> Parameter {
    nonisolated(unsafe) let path = path
    return Parameter(
      key: key, type: .integer, range: range, unit: unit, meaning: meaning,
      get: { .integer($0[keyPath: path]) },
      set: { c, v in if case .integer(let i) = v { c[keyPath: path] = i } })
  }

  static func boolean(
    _ key: String, _ meaning: String, _ path: WritableKeyPath<Configuration, Bool>
  ) -> Parameter {
    nonisolated(unsafe) let path = path
    return Parameter(
      key: key, type: .boolean, range: nil, unit: "on/off", meaning: meaning,
      get: { .boolean($0[keyPath: path]) },
      set: { c, v in if case .boolean(let b) = v { c[keyPath: path] = b } })
  }

  static func distribution(
    _ key: String, _ support: ClosedRange<Double>, _ unit: String, _ meaning: String,
    _ path: WritableKeyPath<Configuration, Distribution>
  ) -> Parameter {
    nonisolated(unsafe) let path = path
    return Parameter(
      key: key, type: .distribution, range: support, unit: unit, meaning: meaning,
      get: { .distribution($0[keyPath: path]) },
      set: { c, v in if case .distribution(let d) = v { c[keyPath: path] = d } })
  }

  static func choice(
    _ key: String, _ words: [String], _ meaning: String,
    get: @escaping @Sendable (Configuration) -> String,
    set: @escaping @Sendable (inout Configuration, String) -> Void
  ) -> Parameter {
    Parameter(
      key: key, type: .choice(words), range: nil, unit: "", meaning: meaning,
      get: { .choice(get($0)) },
      set: { c, v in if case .choice(let w) = v { set(&c, w) } })
  }
}

/// The candidate nearest to `word` by edit distance, if within a third of its length
/// (at least 2 edits), or a candidate that differs only in letter case.
public func nearest(_ word: String, among candidates: [String]) -> String? {
  var best: (String, Int)?
  for candidate in candidates {
    if candidate.lowercased() == word.lowercased() { return candidate }
    let d = editDistance(word, candidate)
    if best == nil || d < best!.1 { best = (candidate, d) }
  }
  guard let best, best.1 <= max(2, word.count / 3) else { return nil }
  return best.0
}

/// Levenshtein distance. - Complexity: O(m n)
public func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = Array(repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      current[j] = min(
        previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}

extension ParameterRegistry {
  /// Labels of the keys that do not depend on the scenario's groups.
  static let fixedLabels: [String: String] = [
    "horizon": "Arrival horizon",
    "domains": "Domains",
    "workload.arrivalRate": "Arrival rate",
    "workload.domainWeights": "Domain weights",
    "workload.difficulty": "Task difficulty",
    "workload.edgeCaseRate": "Edge-case rate",
    "workload.ambiguity": "Ambiguity",
    "workload.noveltyRate": "Novelty rate",
    "workload.work": "Work per task",
    "workload.stages": "Stages per task",
    "workload.shape": "Work shape",
    "workload.stakesRate": "High-stakes share",
    "workload.kind": "Kind of work",
    "design.routing": "Routing",
    "design.communication": "Communication",
    "design.duplicationRate": "Duplication rate",
    "design.translation": "Translation",
    "design.review": "Review",
    "design.reviewRate": "Review rate",
    "design.audit": "Audit",
    "design.catalyst": "Catalyst pair",
    "design.escalation": "Escalation",
    "design.ledger": "Skill ledger",
    "design.redundancy": "Redundancy",
    "design.commCost": "Communication cost",
    "design.routeTime": "Routing time",
    "design.maxQueue": "Queue limit",
    "design.leaderFluency": "Leader fluency",
    "design.learningRate": "Ledger learning rate",
    "design.translateEffort": "Translation effort",
    "design.translationQuality": "Translation quality",
    "design.reviewEffort": "Review effort",
    "design.detectSkill": "Review detection skill",
    "design.falseAlarmRate": "False-alarm rate",
    "design.auditRate": "Audit rate",
    "design.auditEffort": "Audit effort",
    "design.auditSkill": "Audit skill",
    "design.synergy": "Catalyst synergy",
    "design.pairSpeedup": "Pair speed-up",
    "design.maxAttempts": "Failures before escalation",
    "design.continuity": "One owner per task",
    "design.handoffLoss": "Hand-off loss",
    "design.handoffTime": "Hand-off time",
    "design.signoff": "Sign-off",
    "design.signoffEffort": "Sign-off effort",
    "design.judgment": "Judgment",
    "design.reliance": "Reliance",
    "design.trust": "Trust",
    "model.steepness": "Success-curve steepness",
    "model.abandonAfterAttempts": "Attempts before abandoning",
  ]
}
