import EnsembleModel

extension Parameter {
  /// A short label for tables and chart axes, e.g. "Arrival rate".
  public var label: String { ParameterRegistry.label(of: key) }

  /// The label with the unit, e.g. "Arrival rate (tasks/hour)"; the label alone when the
  /// unit says nothing a reader needs (a switch, a choice).
  public var labelWithUnit: String { ParameterRegistry.labelWithUnit(of: key) }
}

extension ParameterRegistry {
  /// Labels of a group's fields; `%` stands for the group's name.
  static let groupLabels: [String: String] = [
    "count": "% count",
    "skill": "% skill",
    "expertise.skill": "% own-domain skill",
    "expertise.domains": "% own domains",
    "speed": "% speed",
    "costPerHour": "% hourly cost",
    "edgePenalty": "% edge-case penalty",
    "ambiguityPenalty": "% ambiguity penalty",
    "noveltyPenalty": "% novelty penalty",
    "silentShare": "% silent-error share",
    "driftRate": "% drift rate",
    "driftSD": "% drift size",
  ]

  /// The registry's keys without a scenario: the fixed keys, and a group's keys as a
  /// template (for units).
  static let templates: [String: Parameter] = {
    var all: [String: Parameter] = [:]
    for p in fixedParameters { all[p.key] = p }
    for p in groupParameters("%") { all[p.key] = p }
    return all
  }()

  /// The group and field of a key `team.GROUP.FIELD`, or nil.
  static func groupField(_ key: String) -> (group: String, field: String)? {
    guard key.hasPrefix("team.") else { return nil }
    let rest = key.dropFirst(5)
    for field in groupLabels.keys.sorted(by: { $0.count > $1.count })
    where rest.hasSuffix("." + field) {
      let group = String(rest.dropLast(field.count + 1))
      if !group.isEmpty { return (group, field) }
    }
    return nil
  }

  /// A group's name as a label writes it: "AI" for `ai`, else as given.
  static func groupName(_ name: String) -> String { name == "ai" ? "AI" : name }

  /// The label of `key` ("Arrival rate", "AI agents", "experts own-domain skill"), for any
  /// group name; the key itself when it is not a registry key.
  public static func label(of key: String) -> String {
    if let label = fixedLabels[key] { return label }
    if let (group, field) = groupField(key), let template = groupLabels[field] {
      let text = template.replacingOccurrences(of: "%", with: groupName(group))
      return text.prefix(1).uppercased() + text.dropFirst()
    }
    return key
  }

  /// The unit of `key` as the registry gives it ("tasks/hour"), or "" when unknown.
  public static func unit(of key: String) -> String {
    if let p = templates[key] { return p.unit }
    if let (_, field) = groupField(key) { return templates["team.%." + field]?.unit ?? "" }
    return ""
  }

  /// "Arrival rate (tasks/hour)": the label with a unit worth stating.
  public static func labelWithUnit(of key: String) -> String {
    let unit = unit(of: key)
    let silent = ["", "on/off", "count", "agents", "stages", "votes", "failures", "attempts"]
    return silent.contains(unit) ? label(of: key) : "\(label(of: key)) (\(unit))"
  }
}
