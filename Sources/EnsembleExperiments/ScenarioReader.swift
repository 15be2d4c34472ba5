import EnsembleModel

/// Built-in scenarios by name.
public enum BuiltinScenarios {
  /// Names and one-line descriptions, in listing order.
  public static let all: [(name: String, summary: String, scenario: Scenario)] = [
    (
      "default",
      "the 9-agent team of docs/MODEL.md (lead, 2 experts, designer, 5 specialised AI), 12 tasks/hour for 40 hours",
      .default
    ),
    (
      "solo",
      "one AI agent of the default profile and no roles: the single-agent baseline",
      solo
    ),
    (
      "mmc",
      "validation: 3 identical agents, every output correct, exponential work; an M/M/3 queue",
      mmc
    ),
    (
      "condorcet",
      "validation: 9 identical agents of success 0.6, silent errors only, light load",
      condorcet
    ),
  ]

  public static func named(_ name: String) -> Scenario? {
    all.first { $0.name == name }?.scenario
  }

  /// The default workload worked by one AI agent of the default AI profile (skill 0.6,
  /// 0.85 in its own domain 0), with no roles: the single-agent baseline of the
  /// coordination archetypes.
  static var solo: Scenario {
    var scenario = Scenario.default
    scenario.team = [
      AgentGroup(
        name: "ai", kind: .ai, count: 1, skill: [0.60],
        expertise: Expertise(domains: [0, 1, 2, 3], skill: 0.85))
    ]
    return scenario
  }

  /// Identical humans with no penalties and one domain; success depends only on skill.
  static func identical(count: Int, skill: Double, silentShare: Double) -> Scenario {
    var group = AgentGroup(name: "agents", kind: .human, count: count, skill: [skill])
    group.edgePenalty = 0
    group.ambiguityPenalty = 0
    group.noveltyPenalty = 0
    group.silentShare = silentShare
    var scenario = Scenario(team: [group])
    scenario.domains = 1
    scenario.workload.difficulty = .fixed(0)
    scenario.workload.edgeCaseRate = 0
    scenario.workload.noveltyRate = 0
    scenario.workload.ambiguity = .fixed(0)
    return scenario
  }

  /// docs/MODEL.md section 9, M/M/c: skill 1, difficulty 0 and steepness 100 make every output correct.
  static var mmc: Scenario {
    var scenario = identical(count: 3, skill: 1, silentShare: 0)
    scenario.model.steepness = 100
    scenario.workload.arrivalRate = 2.4
    scenario.horizon = 500
    return scenario
  }

  /// docs/MODEL.md section 9, Condorcet: skill logit(0.6)/10 above difficulty 0 gives success 0.6.
  static var condorcet: Scenario {
    var scenario = identical(count: 9, skill: 0.04054651081081644, silentShare: 1)
    scenario.workload.arrivalRate = 0.5
    scenario.horizon = 400
    return scenario
  }
}

/// Reads a `scenario` value: a built-in name, or an object written out in full.
struct ScenarioReader {
  let reader: SpecReader

  static let keys = ["base", "horizon", "domains", "workload", "team", "model"]
  static let groupKeys = [
    "name", "kind", "count", "skill", "expertise", "speed", "costPerHour", "edgePenalty",
    "ambiguityPenalty", "noveltyPenalty", "silentShare", "driftRate", "driftSD", "roles",
  ]

  func scenario(_ node: JSONNode, _ path: String) throws(ExperimentError) -> (Scenario, String) {
    let r = reader
    if case .string(let name) = node.value {
      return (try builtin(name, path, node), name)
    }
    let members = try r.members(node, path, allowed: Self.keys)
    var baseName = "default"
    if let base = members.first(where: { $0.key == "base" })?.value {
      baseName = try r.string(base, path + ".base")
    }
    var configuration = Configuration(
      scenario: try builtin(baseName, path + ".base", node), design: .unstructured)
    // The team first, so that a written-out team's groups are known to later keys.
    if let team = members.first(where: { $0.key == "team" })?.value {
      configuration.scenario.team = try self.team(team, path + ".team")
    }
    let registry = ParameterRegistry(scenario: configuration.scenario)
    for (key, value) in members {
      switch key {
      case "horizon", "domains":
        try apply(key, value, join(path, key), registry, &configuration)
      case "workload":
        // The workload's fields are the registry's `workload.*` keys.
        let fields = registry.keys.filter { $0.hasPrefix("workload.") }.map {
          String($0.dropFirst(9))
        }
        for (field, item) in try r.members(value, path + ".workload", allowed: fields) {
          try apply(
            "workload." + field, item, path + ".workload." + field, registry, &configuration)
        }
      case "model":
        let fields = registry.keys.filter { $0.hasPrefix("model.") }.map { String($0.dropFirst(6)) }
        for (field, item) in try r.members(value, path + ".model", allowed: fields) {
          try apply("model." + field, item, path + ".model." + field, registry, &configuration)
        }
      default:
        break
      }
    }
    return (configuration.scenario, baseName)
  }

  func builtin(_ name: String, _ path: String, _ node: JSONNode) throws(ExperimentError) -> Scenario
  {
    guard let scenario = BuiltinScenarios.named(name) else {
      let names = BuiltinScenarios.all.map(\.name)
      let hint = nearest(name, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
      throw reader.error(
        path, "\"\(name)\" is not a built-in scenario (\(names.joined(separator: ", ")))\(hint)",
        at: node)
    }
    return scenario
  }

  func apply(
    _ key: String, _ node: JSONNode, _ path: String, _ registry: ParameterRegistry,
    _ configuration: inout Configuration
  ) throws(ExperimentError) {
    let parameter = registry[key]!
    parameter.apply(try reader.value(node, for: parameter, path), to: &configuration)
  }

  /// A list of groups; each group's unset fields take its kind's defaults.
  func team(_ node: JSONNode, _ path: String) throws(ExperimentError) -> [AgentGroup] {
    let r = reader
    var groups: [AgentGroup] = []
    var names: Set<String> = []
    for (i, item) in try r.array(node, path).enumerated() {
      let here = "\(path)[\(i)]"
      let members = try r.members(item, here, allowed: Self.groupKeys, what: "group field")
      func field(_ key: String) -> JSONNode? { members.first { $0.key == key }?.value }
      guard let nameNode = field("name") else {
        throw r.error(here, "a group needs a \"name\"", at: item)
      }
      let name = try r.string(nameNode, here + ".name")
      if let problem = ExperimentLimits.nameProblem(name) {
        throw r.error(here + ".name", problem, at: nameNode)
      }
      let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
      if name.isEmpty || !name.allSatisfy({ allowed.contains($0) }) {
        throw r.error(
          here + ".name", "\"\(name)\" must be letters, digits, '-' or '_'", at: nameNode)
      }
      if names.contains(name) {
        throw r.error(here + ".name", "duplicate group name \"\(name)\"", at: nameNode)
      }
      names.insert(name)
      guard let kindNode = field("kind") else {
        throw r.error(here, "group \"\(name)\" needs \"kind\": \"human\" or \"ai\"", at: item)
      }
      let kindText = try r.string(kindNode, here + ".kind")
      guard let kind = AgentKind(rawValue: kindText) else {
        throw r.error(here + ".kind", "\"\(kindText)\" is not \"human\" or \"ai\"", at: kindNode)
      }
      guard field("skill") != nil else {
        throw r.error(
          here, "group \"\(name)\" needs a \"skill\" (a number, or one per domain)", at: item)
      }
      var group = AgentGroup(name: name, kind: kind, count: 1, skill: [0])
      if let rolesNode = field("roles") { group.roles = try roles(rolesNode, here + ".roles") }
      // Numeric fields go through the registry's group keys, so ranges are checked once.
      var configuration = Configuration(scenario: Scenario(team: [group]), design: .unstructured)
      let registry = ParameterRegistry(scenario: configuration.scenario)
      for (key, value) in members {
        switch key {
        case "name", "kind", "roles": continue
        case "expertise":
          for (field, inner) in try r.members(
            value, here + ".expertise", allowed: ["domains", "skill"])
          {
            try apply(
              "team.\(name).expertise.\(field)", inner, here + ".expertise.\(field)", registry,
              &configuration)
          }
        default:
          try apply("team.\(name).\(key)", value, here + ".\(key)", registry, &configuration)
        }
      }
      group = configuration.scenario.team[0]
      if let e = group.expertise, e.domains.isEmpty {
        throw r.error(
          here + ".expertise", "needs \"domains\": the own domains to hand out",
          at: field("expertise"))
      }
      groups.append(group)
    }
    return groups
  }

  /// A list of roles (every member holds them) or an object of role: [member indices].
  func roles(_ node: JSONNode, _ path: String) throws(ExperimentError) -> [Role: RoleMembers] {
    let r = reader
    let names = Role.allCases.map(\.rawValue)
    func role(_ text: String, _ at: JSONNode, _ here: String) throws(ExperimentError) -> Role {
      guard let role = Role(rawValue: text) else {
        let hint = nearest(text, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        throw r.error(
          here, "\"\(text)\" is not a role (\(names.joined(separator: ", ")))\(hint)", at: at)
      }
      return role
    }
    var roles: [Role: RoleMembers] = [:]
    switch node.value {
    case .array(let items):
      for (i, item) in items.enumerated() {
        roles[try role(try r.string(item, "\(path)[\(i)]"), item, "\(path)[\(i)]")] = .all
      }
    case .object(let members):
      for member in members {
        let here = join(path, member.key)
        let held = try role(member.key, member.value, here)
        var indices: [Int] = []
        for (i, item) in try r.array(member.value, here).enumerated() {
          indices.append(try r.integer(item, "\(here)[\(i)]", in: 0...100_000))
        }
        roles[held] = .members(indices)
      }
    default:
      throw r.error(
        path, "expects a list of roles or an object of role: [member indices]", at: node)
    }
    return roles
  }
}
