import EnsembleModel

/// Reads experiment files (JSON5) strictly into ``Experiment``s.
public enum ExperimentLoader {
  static let topKeys = [
    "name", "description", "seed", "replications", "scenario", "set", "conditions", "baseline",
    "sweep", "report", "sensitivity", "question",
  ]

  /// The headline metrics a report leads with when the file names none.
  public static let defaultReportMetrics = [
    "correct_rate", "escape_rate", "mean_cycle", "cost_per_correct",
  ]

  /// Parses and resolves an experiment.
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - source: how to name the file in messages (its path).
  ///   - defaultName: the name to use when the file has none (its base name).
  public static func load(
    _ text: String, source: String, defaultName: String
  ) throws(ExperimentError) -> Experiment {
    let bytes = text.utf8.count
    if bytes > ExperimentLimits.maximumFileBytes {
      throw ExperimentError(
        source: source, path: "",
        message:
          "the file is \(bytes) bytes, more than the \(ExperimentLimits.maximumFileBytes) "
          + "an experiment may be; keep long notes outside it")
    }
    let root: JSONNode
    do {
      root = try JSON5.parse(text, limits: ExperimentLimits.fileLimits)
    } catch let syntax {
      if let path = syntax.limitPath {
        throw ExperimentError(
          source: source, path: ExperimentLimits.render(path), message: syntax.message,
          position: syntax.position)
      }
      throw ExperimentError(
        source: source, path: "", message: "malformed JSON5: \(syntax.message)",
        position: syntax.position)
    }
    let r = SpecReader(source: source)
    let members = try r.members(root, "", allowed: topKeys)
    func member(_ key: String) -> JSONNode? { members.first { $0.key == key }?.value }

    var name = defaultName
    if let node = member("name") {
      name = try r.string(node, "name")
      let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
      if let problem = ExperimentLimits.nameProblem(name) {
        throw r.error("name", problem, at: node)
      }
      if name.isEmpty || !name.allSatisfy({ allowed.contains($0) }) || name.hasPrefix(".") {
        throw r.error(
          "name",
          "\"\(name)\" must be letters, digits, '-', '_' or '.' (it names the output folder)",
          at: node)
      }
    }
    var description = ""
    if let node = member("description") {
      description = try r.string(node, "description")
      let bytes = description.utf8.count
      if bytes > ExperimentLimits.maximumDescriptionBytes {
        throw r.error(
          "description",
          "is \(bytes) bytes long; a description is at most "
            + "\(ExperimentLimits.maximumDescriptionBytes) bytes (it heads every report and is "
            + "kept in the result's manifest)", at: node)
      }
    }
    var question = ""
    if let node = member("question") {
      question = try r.string(node, "question")
      if question.isEmpty
        || question.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
      {
        throw r.error(
          "question", "must be one line of text, e.g. \"At what load does structure stop paying?\"",
          at: node)
      }
      let bytes = question.utf8.count
      if bytes > ExperimentLimits.maximumDescriptionBytes {
        throw r.error(
          "question",
          "is \(bytes) bytes long; a question is at most "
            + "\(ExperimentLimits.maximumDescriptionBytes) bytes", at: node)
      }
    }
    var seed: UInt64 = 1
    if let node = member("seed") {
      seed = try ExperimentChecks.seed(node, text: text, r)
    }
    var replications = 100
    if let node = member("replications") {
      replications = try r.integer(node, "replications", in: 1...100_000_000)
    }

    // The scenario comes first: its groups decide which `team.*` keys exist.
    var scenarioName = "default"
    var scenario = Scenario.default
    if let node = member("scenario") {
      (scenario, scenarioName) = try ScenarioReader(reader: r).scenario(node, "scenario")
    }
    let registry = ParameterRegistry(scenario: scenario)

    var set: [Assignment] = []
    if let node = member("set") { set = try assignments(node, "set", registry, r) }

    var conditions: [Condition] = []
    if let node = member("conditions") {
      let items = try r.array(node, "conditions")
      if items.isEmpty { throw r.error("conditions", "needs at least one condition", at: node) }
      var names: [String: Int] = [:]
      var files: [String: Int] = [:]
      for (i, item) in items.enumerated() {
        let condition = try self.condition(item, "conditions[\(i)]", registry, r)
        if names[condition.name] != nil {
          throw r.error(
            "conditions[\(i)].name", "duplicate condition name \"\(condition.name)\"", at: item)
        }
        names[condition.name] = i
        // `trace` writes a file per condition; names must not meet there (on a file system
        // that ignores case either).
        let file = Condition.fileName(condition.name)
        if let other = files[file.lowercased()] {
          throw r.error(
            "conditions[\(i)].name",
            "\"\(condition.name)\" and \"\(conditions[other].name)\" (conditions[\(other)]) would "
              + "share the trace files events-\(file).csv and timeline-\(file).svg; rename one "
              + "(names keep letters, digits, '.', '_' and '-' in file names)", at: item)
        }
        files[file.lowercased()] = i
        conditions.append(condition)
      }
    } else {
      conditions = Design.presets.map {
        Condition(name: $0.name, design: $0.design, preset: $0.name, set: [])
      }
    }

    var baseline = 0
    if let node = member("baseline") {
      let wanted = try r.string(node, "baseline")
      guard let index = conditions.firstIndex(where: { $0.name == wanted }) else {
        let names = conditions.map(\.name)
        let hint = nearest(wanted, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        throw r.error(
          "baseline",
          "\"\(wanted)\" is not a condition (conditions: \(names.joined(separator: ", ")))\(hint)",
          at: node)
      }
      baseline = index
    }

    var sweep: [SweepAxis] = []
    if let node = member("sweep") {
      guard case .object(let axes) = node.value else {
        throw r.error(
          "sweep", "expects an object of key: [values], got \(node.value.typeName)", at: node)
      }
      for axis in axes {
        let path = join("sweep", axis.key)
        let parameter = try self.parameter(axis.key, path, registry, r, at: axis.value)
        let items = try r.array(axis.value, path)
        if items.isEmpty {
          throw r.error(path, "the sweep list is empty; give at least one value", at: axis.value)
        }
        var values: [ParameterValue] = []
        for (i, item) in items.enumerated() {
          values.append(try r.value(item, for: parameter, "\(path)[\(i)]"))
        }
        sweep.append(SweepAxis(key: axis.key, values: values))
      }
    }

    var reportMetrics = defaultReportMetrics
    var exactNode: JSONNode?
    if let node = member("report") {
      for (key, value) in try r.members(node, "report", allowed: ["metrics", "exact"]) {
        if key == "exact" {
          exactNode = value
          continue
        }
        let items = try r.array(value, join("report", key))
        reportMetrics = []
        for (i, item) in items.enumerated() {
          let metric = try r.string(item, "report.metrics[\(i)]")
          guard Metrics.names.contains(metric) else {
            let hint =
              nearest(metric, among: Metrics.names).map { "; did you mean \"\($0)\"?" } ?? ""
            throw r.error("report.metrics[\(i)]", "\"\(metric)\" is not a metric\(hint)", at: item)
          }
          reportMetrics.append(metric)
        }
        if reportMetrics.isEmpty { throw r.error("report.metrics", "names no metric", at: value) }
      }
    }

    var sensitivity: SensitivitySpec?
    if let node = member("sensitivity") {
      if !sweep.isEmpty {
        throw r.error(
          "sensitivity",
          "an experiment has a sweep or a sensitivity analysis, not both; put the swept "
            + "keys' ranges under sensitivity.parameters", at: node)
      }
      sensitivity = try self.sensitivity(node, registry, r)
    }

    var experiment = Experiment(
      name: name, description: description, seed: seed, replications: replications,
      scenario: scenario, scenarioName: scenarioName, set: set, conditions: conditions,
      baseline: baseline, sweep: sweep, reportMetrics: reportMetrics, registry: registry,
      source: source)
    try ExperimentChecks.size(root, conditions: conditions.count, sweep: sweep, r)
    experiment.sensitivity = sensitivity
    try ExperimentChecks.sweptKeysNotSet(experiment, r)
    experiment.roleIndices = ExperimentChecks.writtenRoleIndices(root)
    experiment.question = question
    if let exactNode {
      experiment.exact = try exact(exactNode, points: experiment.points.count, r)
    }
    try experiment.validate()
    try ExperimentChecks.checkRoleIndices(experiment)
    return experiment
  }

  /// `report.exact`: `{ metric: NAME, values: [x, ...] (one per sweep point) or x, source: TEXT }`.
  static func exact(_ node: JSONNode, points: Int, _ r: SpecReader) throws(ExperimentError)
    -> ExactValues
  {
    var metric: String?
    var values: [Double] = []
    var source = ""
    var valuesNode: JSONNode?
    for (key, value) in try r.members(
      node, "report.exact", allowed: ["metric", "values", "source"])
    {
      let path = join("report.exact", key)
      switch key {
      case "metric":
        let name = try r.string(value, path)
        guard Metrics.names.contains(name) else {
          let hint = nearest(name, among: Metrics.names).map { "; did you mean \"\($0)\"?" } ?? ""
          throw r.error(path, "\"\(name)\" is not a metric\(hint)", at: value)
        }
        metric = name
      case "values":
        valuesNode = value
        if case .array(let items) = value.value {
          for (i, item) in items.enumerated() { values.append(try r.number(item, "\(path)[\(i)]")) }
        } else {
          values = [try r.number(value, path)]
        }
      default:
        source = try r.string(value, path)
      }
    }
    guard let metric else {
      throw r.error(
        "report.exact", "needs \"metric\": the metric the exact values are of", at: node)
    }
    guard values.count == points else {
      throw r.error(
        "report.exact.values",
        "has \(values.count) value(s); give one per sweep point (\(points))", at: valuesNode ?? node
      )
    }
    return ExactValues(metric: metric, values: values, source: source)
  }

  static func parameter(
    _ key: String, _ path: String, _ registry: ParameterRegistry, _ r: SpecReader,
    at node: JSONNode?
  ) throws(ExperimentError) -> Parameter {
    guard let parameter = registry[key] else {
      let hint = registry.suggestion(for: key).map { "; did you mean \"\($0)\"?" } ?? ""
      throw r.error(
        path, "\"\(key)\" is not a parameter\(hint) (`ensemble params` lists them)", at: node)
    }
    return parameter
  }

  static func assignments(
    _ node: JSONNode, _ path: String, _ registry: ParameterRegistry, _ r: SpecReader
  ) throws(ExperimentError) -> [Assignment] {
    guard case .object(let members) = node.value else {
      throw r.error(path, "expects an object of key: value, got \(node.value.typeName)", at: node)
    }
    var result: [Assignment] = []
    for member in members {
      let keyPath = join(path, member.key)
      let parameter = try self.parameter(member.key, keyPath, registry, r, at: member.value)
      result.append(
        Assignment(key: member.key, value: try r.value(member.value, for: parameter, keyPath)))
    }
    return result
  }

  static func condition(
    _ node: JSONNode, _ path: String, _ registry: ParameterRegistry, _ r: SpecReader
  ) throws(ExperimentError) -> Condition {
    let members = try r.members(node, path, allowed: ["name", "design", "set"])
    guard let nameNode = members.first(where: { $0.key == "name" })?.value else {
      throw r.error(path, "a condition needs a \"name\"", at: node)
    }
    let name = try r.string(nameNode, path + ".name")
    if let problem = ExperimentLimits.nameProblem(name) {
      throw r.error(path + ".name", problem, at: nameNode)
    }
    if name.isEmpty
      || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    {
      throw r.error(path + ".name", "must not be empty or hold line breaks", at: nameNode)
    }
    var design = Design.unstructured
    var preset: String? = "unstructured"
    if let designNode = members.first(where: { $0.key == "design" })?.value {
      (design, preset) = try self.design(designNode, path + ".design", registry, r)
    }
    var set: [Assignment] = []
    if let setNode = members.first(where: { $0.key == "set" })?.value {
      set = try assignments(setNode, path + ".set", registry, r)
    }
    return Condition(name: name, design: design, preset: preset, set: set)
  }

  /// A preset name, or an object of design fields (without the `design.` prefix) over the
  /// `unstructured` preset.
  static func design(
    _ node: JSONNode, _ path: String, _ registry: ParameterRegistry, _ r: SpecReader
  ) throws(ExperimentError) -> (Design, String?) {
    if case .string(let name) = node.value {
      guard let design = Design.preset(named: name) else {
        let names = Design.presets.map(\.name)
        let hint = nearest(name, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        throw r.error(
          path, "\"\(name)\" is not a preset (\(names.joined(separator: ", ")))\(hint)", at: node)
      }
      return (design, name)
    }
    let fields = registry.keys.filter { $0.hasPrefix("design.") }.map { String($0.dropFirst(7)) }
    var configuration = Configuration(scenario: .default, design: .unstructured)
    for (key, value) in try r.members(node, path, allowed: fields, what: "design field") {
      let parameter = registry["design." + key]!
      parameter.apply(try r.value(value, for: parameter, join(path, key)), to: &configuration)
    }
    return (configuration.design, nil)
  }

  /// Applies `--set KEY=VALUE` options to a loaded experiment, as `run`, `check`,
  /// `sensitivity` and `trace` all do: each read against the registry, none of a key the
  /// experiment sweeps, merged into the experiment's `set`, and the result checked again as
  /// a file is (values that are valid one by one but not together, role indices of members
  /// the new sizes drop).
  public static func override(_ experiment: inout Experiment, sets options: [String])
    throws(ExperimentError)
  {
    var assignments: [Assignment] = []
    for option in options {
      assignments.append(try assignment(option, registry: experiment.registry))
    }
    try ExperimentChecks.checkSweptKeysNotSet(experiment, assignments: assignments)
    experiment.override(assignments)
    try experiment.validate()
    try ExperimentChecks.checkRoleIndices(experiment, overrides: assignments)
  }

  /// Parses a `--set KEY=VALUE` option against `registry`. VALUE is read as JSON5, or as a
  /// bare word when it is not JSON (so `--set design.review=expert` works unquoted).
  public static func assignment(
    _ option: String, registry: ParameterRegistry
  ) throws(ExperimentError) -> Assignment {
    let r = SpecReader(source: "--set")
    guard let equals = option.firstIndex(of: "=") else {
      throw r.error(option, "expects KEY=VALUE, e.g. --set design.reviewRate=0.5")
    }
    let key = String(option[..<equals])
    let text = String(option[option.index(after: equals)...])
    let parameter = try parameter(key, key, registry, r, at: nil)
    let node: JSONNode
    let parsed: Result<JSONNode, JSON5SyntaxError> = Result { () throws(JSON5SyntaxError) in
      try JSON5.parse(text, limits: ExperimentLimits.valueLimits)
    }
    if case .success(let value) = parsed {
      node = value
    } else if case .failure(let error) = parsed, error.limitPath != nil {
      throw r.error(key, "the value \(error.message)")
    } else if !text.isEmpty {
      node = JSONNode(value: .string(text), position: SourcePosition(line: 1, column: 1))
    } else {
      throw r.error(key, "has no value; write \(key)=VALUE")
    }
    do {
      return Assignment(key: key, value: try r.value(node, for: parameter, key))
    } catch var error {
      error.position = nil  // a position within one option's value says nothing
      throw error
    }
  }
}
