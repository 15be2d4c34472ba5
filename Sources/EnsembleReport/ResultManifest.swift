import EnsembleExperiments
import EnsembleModel

/// A mistake in a result folder's `manifest.json`: what is wrong and where (the command
/// that read it adds the file's path).
public struct ManifestError: Error, Sendable, Equatable {
  public let message: String
  /// Where in the file, when the mistake is at one value.
  public let position: SourcePosition?

  public init(_ message: String, at position: SourcePosition? = nil) {
    self.message = message
    self.position = position
  }
}

/// The schema of `manifest.json`: what was run, by which engine, how far it got. Written
/// by ``ResultManifest/json(plan:experimentText:threads:wallSeconds:command:invocation:)``
/// and read back by ``ResultManifest/init(_:)`` — one place for both directions.
///
/// Reading is strict: every field a command relies on must be there, of the right type,
/// within range and consistent with the others (the points with the swept keys, the unit
/// counts with the points and replications, the shard's units with its index), so that no
/// later step meets a value it cannot handle.
public struct ResultManifest: Sendable {
  /// The whole manifest as read (for fields only some commands need).
  public var json: JSONNode
  public var name: String
  public var description: String
  /// The question the experiment asks; empty when it states none (and in manifests written
  /// before questions existed).
  public var question: String
  /// Exact values a validation compares a metric with; nil for none.
  public var exact: ExactValues?
  /// What ran, condition by condition: the design as given, its `set`, and the value of
  /// every parameter at the first sweep point. Empty for a manifest that does not list it.
  public var designs: [ConditionDesign]
  /// The experiment's `set`, with the `--set` options merged in: applied to every condition.
  public var commonSet: [(key: String, value: String)]
  /// The command that reproduces the result (no options that do not change it).
  public var command: String
  public var engineVersion: String
  public var modelVersion: Int
  /// The metric-table version of its `runs.csv` (``EngineVersion/metricTable``); manifests
  /// written before it was recorded have their model version's table.
  public var metricTable: Int
  public var seed: String
  public var replications: Int
  public var conditions: [String]
  public var baseline: Int
  public var sweptKeys: [String]
  /// For each sweep point, the text of each swept value (empty without a sweep).
  public var points: [[String]]
  public var reportMetrics: [String]
  public var complete: Bool
  public var shardIndex: Int
  public var shardCount: Int
  public var firstUnit: Int
  public var endUnit: Int
  public var totalUnits: Int
  public var experimentText: String
  /// The files of the result, when the manifest lists them (older ones do not).
  public var files: [String]?

  /// The most conditions, sweep points and shards a manifest may describe (as many as a run
  /// accepts; see ``ExperimentLimits``).
  static let maximumShards = 1_000_000

  /// Parses the text of `manifest.json`.
  public init(parsing text: String) throws(ManifestError) {
    let node: JSONNode
    do {
      node = try JSON5.parse(text)
    } catch {
      throw ManifestError("not valid JSON: \(error.message)", at: error.position)
    }
    try self.init(node)
  }

  /// Refuses a model version this program does not know (0, or one newer than its own):
  /// the metrics of a result are only defined for the model that made them.
  static func checkModelVersion(_ version: Int, _ node: JSONNode?, _ r: ManifestReader)
    throws(ManifestError)
  {
    guard version < 1 || version > EngineVersion.model else { return }
    throw r.fail(
      node, "modelVersion",
      "is \(version); this ensemble knows model versions 1 to \(EngineVersion.model) (use the "
        + "ensemble that wrote it)")
  }

  /// A seed as manifests write it: plain digits only, from 0 to 2^64 - 1.
  static func seed(_ text: String) -> UInt64? {
    guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return UInt64(text)
  }

  /// Reads a manifest already parsed (a run's own, before it is written).
  public init(_ node: JSONNode) throws(ManifestError) {
    let r = ManifestReader(root: node)
    guard case .object = node.value else { throw r.fail(node, "", "expects an object") }
    guard try r.string(node, "format") == "ensemble-results" else {
      throw r.fail(
        node["format"], "format", "is not \"ensemble-results\": not an Ensemble results manifest")
    }
    let formatVersion = try r.integer(node, "formatVersion", in: 0...Int(Int32.max))
    guard formatVersion == 1 else {
      throw r.fail(
        node["formatVersion"], "formatVersion",
        "is \(formatVersion); this ensemble reads version 1 (use the ensemble that wrote it)")
    }
    json = node
    engineVersion = try r.string(node, "engineVersion")
    modelVersion = try r.integer(node, "modelVersion", in: 0...Int(Int32.max))
    try Self.checkModelVersion(modelVersion, node["modelVersion"], r)
    if node["metricTable"] == nil {
      // Versions 1 and 2 did not record it: their table was their model's.
      guard modelVersion <= 2 else {
        throw r.fail(node, "metricTable", "is missing (model version \(modelVersion) records it)")
      }
      metricTable = modelVersion
    } else {
      metricTable = try r.integer(node, "metricTable", in: 1...Int(Int32.max))
      guard metricTable <= EngineVersion.metricTable else {
        throw r.fail(
          node["metricTable"], "metricTable",
          "is \(metricTable): the result was written by a newer ensemble; this one (\(EngineVersion.release)) "
            + "reads metric tables 1 to \(EngineVersion.metricTable)")
      }
    }
    let experiment = try r.object(node, "experiment")

    let conditions = try r.strings(node, "conditions")
    self.conditions = conditions
    if conditions.isEmpty { throw r.fail(node["conditions"], "conditions", "is empty") }
    if conditions.count > ExperimentLimits.maximumConditions {
      throw r.fail(
        node["conditions"], "conditions",
        "has \(conditions.count) names; at most \(ExperimentLimits.maximumConditions) are allowed")
    }
    var seen: Set<String> = []
    for (i, name) in conditions.enumerated() {
      if name.isEmpty
        || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
      {
        throw r.fail(
          r.item(node["conditions"], i), "conditions[\(i)]", "must be a name without line breaks")
      }
      if !seen.insert(name).inserted {
        throw r.fail(r.item(node["conditions"], i), "conditions[\(i)]", "repeats \"\(name)\"")
      }
    }
    let baselineName = try r.string(experiment, "baseline", path: "experiment.baseline")
    guard let baseline = conditions.firstIndex(of: baselineName) else {
      throw r.fail(
        experiment["baseline"], "experiment.baseline",
        "\"\(baselineName)\" is not one of the conditions")
    }
    self.baseline = baseline
    name = try r.string(experiment, "name", path: "experiment.name")
    description = try r.string(experiment, "description", path: "experiment.description")
    question = ""
    if experiment["question"] != nil {
      question = try r.string(experiment, "question", path: "experiment.question")
    }
    exact = try Self.exact(experiment, r)
    designs = Self.designs(experiment)
    commonSet = Self.assignments(experiment["set"])
    seed = try r.string(experiment, "seed", path: "experiment.seed")
    guard Self.seed(seed) != nil else {
      throw r.fail(
        experiment["seed"], "experiment.seed",
        "\(RowChecker.quoted(seed)) is not a whole number from 0 to \(UInt64.max)")
    }
    replications = try r.integer(
      experiment, "replications", path: "experiment.replications", in: 1...100_000_000)
    reportMetrics = try r.strings(experiment, "reportMetrics", path: "experiment.reportMetrics")
    if reportMetrics.isEmpty {
      throw r.fail(
        experiment["reportMetrics"], "experiment.reportMetrics",
        "is empty; a report needs at least one metric (e.g. \"correct_rate\")")
    }
    for (i, metric) in reportMetrics.enumerated() where !Metrics.names.contains(metric) {
      throw r.fail(
        r.item(experiment["reportMetrics"], i), "experiment.reportMetrics[\(i)]",
        "\"\(metric)\" is not a metric (`ensemble params` and the README list them)")
    }

    let sweptKeys = try r.strings(node, "sweptKeys")
    self.sweptKeys = sweptKeys
    for (i, key) in sweptKeys.enumerated() where key.isEmpty || sweptKeys[..<i].contains(key) {
      throw r.fail(r.item(node["sweptKeys"], i), "sweptKeys[\(i)]", "is empty or repeated")
    }
    let pointNodes = try r.array(node, "points")
    if sweptKeys.isEmpty && !pointNodes.isEmpty {
      throw r.fail(node["points"], "points", "must be empty: sweptKeys is empty")
    }
    if !sweptKeys.isEmpty && pointNodes.isEmpty {
      throw r.fail(
        node["points"], "points", "is empty, but sweptKeys names \(sweptKeys.count) swept key(s)")
    }
    if pointNodes.count > ExperimentLimits.maximumPoints {
      throw r.fail(
        node["points"], "points",
        "has \(pointNodes.count) points; at most \(ExperimentLimits.maximumPoints) are allowed")
    }
    points = []
    for (p, item) in pointNodes.enumerated() {
      let values = try r.stringList(item, "points[\(p)]")
      guard values.count == sweptKeys.count else {
        throw r.fail(
          item, "points[\(p)]",
          "has \(values.count) value(s) for \(sweptKeys.count) swept key(s)")
      }
      points.append(values)
    }
    complete = false
    if let flag = node["complete"] {
      guard case .bool(let b) = flag.value else {
        throw r.fail(flag, "complete", "expects true or false")
      }
      complete = b
    }
    command = try r.string(node, "command")
    experimentText = try r.string(node, "experimentText")

    let plan = try r.object(node, "plan")
    let pointCount = max(1, points.count)
    let (units, overflow) = pointCount.multipliedReportingOverflow(by: replications)
    totalUnits = try r.integer(plan, "units", path: "plan.units", in: 1...Int.max)
    guard !overflow, totalUnits == units else {
      throw r.fail(
        plan["units"], "plan.units",
        "is \(totalUnits), but \(pointCount) point(s) x \(replications) replications make \(units)")
    }
    // The plan's other counts must agree with the conditions, points and replications.
    let (runs, runsOverflow) = units.multipliedReportingOverflow(by: conditions.count)
    for (key, expected) in [
      ("conditions", conditions.count), ("points", pointCount), ("replications", replications),
      ("runs", runsOverflow ? -1 : runs),
    ] {
      let value = try r.integer(plan, key, path: "plan.\(key)", in: 1...Int.max)
      guard value == expected else {
        throw r.fail(
          plan[key], "plan.\(key)",
          "is \(value), but the manifest's conditions, points and replications make "
            + (expected < 0 ? "more than can be counted" : "\(expected)"))
      }
    }
    let shard = try r.object(node, "shard")
    shardCount = try r.integer(shard, "count", path: "shard.count", in: 1...Self.maximumShards)
    shardIndex = try r.integer(shard, "index", path: "shard.index", in: 1...shardCount)
    firstUnit = try r.integer(shard, "firstUnit", path: "shard.firstUnit", in: 0...totalUnits)
    endUnit = try r.integer(shard, "endUnit", path: "shard.endUnit", in: 0...totalUnits)
    let slice = Plan.slice(total: totalUnits, shard: (shardIndex, shardCount))
    guard firstUnit == slice.lowerBound, endUnit == slice.upperBound else {
      throw r.fail(
        shard["firstUnit"], "shard",
        "units \(firstUnit)..<\(endUnit) are not those of shard \(shardIndex) of \(shardCount) "
          + "(\(slice.lowerBound)..<\(slice.upperBound))")
    }
    if shard["runs"] != nil {
      let shardRuns = try r.integer(shard, "runs", path: "shard.runs", in: 0...Int.max)
      guard shardRuns == (endUnit - firstUnit) * conditions.count else {
        throw r.fail(
          shard["runs"], "shard.runs",
          "is \(shardRuns), but units \(firstUnit)..<\(endUnit) of \(conditions.count) "
            + "condition(s) make \((endUnit - firstUnit) * conditions.count)")
      }
    }
    if shard["mergedFrom"] != nil {
      _ = try r.integer(shard, "mergedFrom", path: "shard.mergedFrom", in: 1...Self.maximumShards)
    }
    if node["threads"] != nil {
      _ = try r.integer(node, "threads", in: 1...Int(Int32.max))
    }
    if let wall = node["wallSeconds"] {
      guard case .number(let x) = wall.value, x.isFinite, x >= 0, x <= 1e12 else {
        throw r.fail(wall, "wallSeconds", "expects a number of seconds, 0 or more")
      }
    }
    if let list = node["files"] {
      let names = try r.stringList(list, "files")
      for (i, file) in names.enumerated()
      where file.isEmpty || file.hasPrefix(".") || file.contains("/") {
        throw r.fail(r.item(list, i), "files[\(i)]", "\"\(file)\" is not a file name of a result")
      }
      files = names
    }
  }

  /// The manifest of a run of `plan`: the resolved experiment (every parameter of every
  /// condition), the engine and model versions, the shard and run counts, the command and
  /// the wall time.
  public static func json(
    plan: Plan, experimentText: String, threads: Int, wallSeconds: Double, command: String,
    invocation: String
  ) -> JSONValue {
    json(
      plan: plan, experimentText: experimentText, threads: threads, wallSeconds: wallSeconds,
      command: command, invocation: invocation,
      conditions: plan.experiment.conditions.indices.map { conditionJSON(plan, $0) })
  }

  /// Condition `c` as the manifest records it: its name, design, `set` and every parameter
  /// at the plan's first point.
  static func conditionJSON(_ plan: Plan, _ c: Int) -> JSONValue {
    let experiment = plan.experiment
    let condition = experiment.conditions[c]
    let configuration = plan.configuration(point: 0, condition: c)
    let parameters = experiment.registry.parameters.map {
      ($0.key, JSON.value($0.value(in: configuration)))
    }
    return JSON.object([
      ("name", .string(condition.name)),
      ("design", condition.preset.map { JSONValue.string($0) } ?? .string("custom")),
      ("set", JSON.object(condition.set.map { ($0.key, JSON.value($0.value)) })),
      ("parameters", JSON.object(parameters)),
    ])
  }

  /// The largest `manifest.json` the commands read (`report`, `merge`, `run --force`).
  public static let maximumBytes = 256 << 20

  /// Why the manifest of `plan` would be larger than its readers accept (``maximumBytes``),
  /// or nil. `extra` counts what is not known yet (the command lines). The conditions, the
  /// bulk of a large manifest, are rendered one at a time and the count stops once over the
  /// limit, so this costs at most the limit, never a whole huge manifest in memory.
  public static func sizeProblem(
    plan: Plan, experimentText: String, extra: Int, limit: Int = maximumBytes
  ) -> String? {
    guard bytes(plan: plan, experimentText: experimentText, limit: limit - extra) > limit - extra
    else { return nil }
    return "its manifest.json would be larger than the \(limit >> 20) MB its readers accept "
      + "(\(plan.experiment.conditions.count) conditions, each listing its "
      + "\(plan.experiment.registry.parameters.count) parameters); use fewer conditions or "
      + "groups, or shorter lists and names"
  }

  /// The bytes of the manifest of `plan` with empty command lines, within a few bytes,
  /// counted condition by condition; once past `limit`, what was counted so far.
  static func bytes(plan: Plan, experimentText: String, limit: Int) -> Int {
    var total = json(
      plan: plan, experimentText: experimentText, threads: 0, wallSeconds: 0, command: "",
      invocation: "", conditions: []
    ).render().utf8.count
    for c in plan.experiment.conditions.indices where total <= limit {
      let text = conditionJSON(plan, c).render()
      // Each line is indented by 6 more spaces in place, and the elements are separated.
      let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
      total += text.utf8.count + 6 * lines + 2
    }
    return total
  }

  static func json(
    plan: Plan, experimentText: String, threads: Int, wallSeconds: Double, command: String,
    invocation: String, conditions: [JSONValue]
  ) -> JSONValue {
    let experiment = plan.experiment
    let units = plan.units
    return JSON.object([
      ("format", .string("ensemble-results")),
      ("formatVersion", JSON.integer(1)),
      ("engineVersion", .string(EngineVersion.engine)),
      ("modelVersion", JSON.integer(EngineVersion.model)),
      ("metricTable", JSON.integer(EngineVersion.metricTable)),
      ("complete", .bool(true)),
      (
        "experiment",
        JSON.object(
          [
            ("name", .string(experiment.name)),
            ("description", .string(experiment.description)),
            ("question", .string(experiment.question)),
            ("source", .string(experiment.source)),
            ("seed", .string(String(experiment.seed))),
            ("replications", JSON.integer(experiment.replications)),
            ("scenario", .string(experiment.scenarioName)),
            ("set", JSON.object(experiment.set.map { ($0.key, JSON.value($0.value)) })),
            ("baseline", .string(experiment.conditions[experiment.baseline].name)),
            (
              "sweep",
              JSON.object(experiment.sweep.map { ($0.key, JSON.array($0.values.map(JSON.value))) })
            ),
            ("reportMetrics", JSON.array(experiment.reportMetrics.map { .string($0) })),
          ] + exactJSON(experiment.exact) + [("conditions", JSON.array(conditions))])
      ),
      ("conditions", JSON.array(experiment.conditions.map { .string($0.name) })),
      ("sweptKeys", JSON.array(experiment.sweepKeys.map { .string($0) })),
      (
        "points",
        JSON.array(
          (experiment.sweep.isEmpty ? [] : Array(plan.points)).map { point in
            JSON.array(point.map { .string($0.text) })
          })
      ),
      ("experimentText", .string(experimentText)),
      (
        "plan",
        JSON.object([
          ("conditions", JSON.integer(plan.conditionCount)),
          ("points", JSON.integer(plan.points.count)),
          ("replications", JSON.integer(experiment.replications)),
          ("units", JSON.integer(plan.totalUnits)),
          ("runs", JSON.integer(plan.totalUnits * plan.conditionCount)),
        ])
      ),
      (
        "shard",
        JSON.object([
          ("index", JSON.integer(plan.shard.index)),
          ("count", JSON.integer(plan.shard.count)),
          ("firstUnit", JSON.integer(units.lowerBound)),
          ("endUnit", JSON.integer(units.upperBound)),
          ("runs", JSON.integer(plan.runCount)),
        ])
      ),
      ("command", .string(command)),
      ("invocation", .string(invocation)),
      ("threads", JSON.integer(threads)),
      ("wallSeconds", JSON.number((wallSeconds * 1000).rounded() / 1000)),
    ])
  }

  /// `("exact", {metric, values, source})`, or nothing.
  static func exactJSON(_ exact: ExactValues?) -> [(String, JSONValue)] {
    guard let exact else { return [] }
    return [
      (
        "exact",
        JSON.object([
          ("metric", .string(exact.metric)),
          ("values", JSON.array(exact.values.map(JSON.number))),
          ("source", .string(exact.source)),
        ])
      )
    ]
  }

  /// `experiment.exact`, when there is one.
  static func exact(_ experiment: JSONNode, _ r: ManifestReader) throws(ManifestError)
    -> ExactValues?
  {
    guard let node = experiment["exact"] else { return nil }
    let path = "experiment.exact"
    guard case .object = node.value else {
      throw r.fail(node, path, "expects an object, got \(node.value.typeName)")
    }
    let metric = try r.string(node, "metric", path: path + ".metric")
    var values: [Double] = []
    for (i, item) in try r.array(node, "values", path: path + ".values").enumerated() {
      guard case .number(let x) = item.value, x.isFinite else {
        throw r.fail(item, "\(path).values[\(i)]", "expects a number")
      }
      values.append(x)
    }
    var source = ""
    if node["source"] != nil { source = try r.string(node, "source", path: path + ".source") }
    return ExactValues(metric: metric, values: values, source: source)
  }

  /// `experiment.conditions`, read leniently: a condition or field that is not there (an
  /// older manifest) is left out, since only the report's description of what ran uses it.
  static func designs(_ experiment: JSONNode) -> [ConditionDesign] {
    guard case .array(let items)? = experiment["conditions"]?.value else { return [] }
    return items.compactMap { item in
      guard case .string(let name)? = item["name"]?.value else { return nil }
      var design = "custom"
      if case .string(let d)? = item["design"]?.value { design = d }
      return ConditionDesign(
        name: name, design: design, set: assignments(item["set"]),
        parameters: assignments(item["parameters"]))
    }
  }

  /// The members of an object of parameter values, each as display text.
  static func assignments(_ node: JSONNode?) -> [(key: String, value: String)] {
    guard case .object(let members)? = node?.value else { return [] }
    return members.map { ($0.key, ConditionDesign.text($0.value.value)) }
  }

  /// The resolved experiment, which must be the same in every shard of one run (the path
  /// it was read from aside).
  public var fingerprint: String {
    guard case .object(let members)? = json["experiment"]?.value else { return "" }
    return JSONValue.object(members.filter { $0.key != "source" }).render()
  }

  /// The shards of one run (in shard order), made whole: the manifest and its JSON of the
  /// full plan as one shard, with the unsharded command and the shards' summed wall time.
  public static func merged(_ shards: [ResultManifest]) -> (ResultManifest, JSONValue) {
    var merged = shards[0]
    merged.shardIndex = 1
    merged.shardCount = 1
    merged.firstUnit = 0
    merged.endUnit = merged.totalUnits
    merged.command = unshardedCommand(shards[0].command)
    guard case .object(var members) = shards[0].json.value else {
      return (merged, shards[0].json.value)
    }
    var wall = 0.0
    for shard in shards {
      if case .number(let x)? = shard.json["wallSeconds"]?.value { wall += x }
    }
    for (i, member) in members.enumerated() {
      switch member.key {
      case "shard":
        members[i].value = JSON.node(
          JSON.object([
            ("index", JSON.integer(1)), ("count", JSON.integer(1)), ("firstUnit", JSON.integer(0)),
            ("endUnit", JSON.integer(merged.totalUnits)),
            ("runs", JSON.integer(merged.totalUnits * merged.conditions.count)),
            ("mergedFrom", JSON.integer(shards.count)),
          ]))
      case "command": members[i].value = JSON.node(.string(merged.command))
      case "wallSeconds": members[i].value = JSON.node(JSON.number((wall * 1000).rounded() / 1000))
      default: break
      }
    }
    merged.json = JSON.node(.object(members))
    return (merged, .object(members))
  }

  /// A shard's reproducing command without its `--shard`: the unsharded run's.
  static func unshardedCommand(_ command: String) -> String {
    var words = command.split(separator: " ").map(String.init)
    if let i = words.firstIndex(of: "--shard"), i + 1 < words.count {
      words.removeSubrange(i...(i + 1))
    }
    return words.joined(separator: " ")
  }
}

/// One condition as it ran: its design as given, its own `set`, and every parameter's value
/// (at the first sweep point), each value as display text.
public struct ConditionDesign: Sendable {
  public var name: String
  /// A preset name, or "custom" for a design object.
  public var design: String
  public var set: [(key: String, value: String)]
  public var parameters: [(key: String, value: String)]

  /// A parameter value for a reader: "on"/"off" for switches, numbers as written, lists in
  /// brackets, a distribution as `uniform [0.2, 0.7]`.
  static func text(_ value: JSONValue) -> String {
    switch value {
    case .bool(let b): return b ? "on" : "off"
    case .number(let x): return ParameterValue.format(x)
    case .string(let s): return s
    case .null: return "none"
    case .array(let items): return "[" + items.map { text($0.value) }.joined(separator: ", ") + "]"
    case .object(let members):
      return members.map { "\($0.key) \(text($0.value.value))" }.joined(separator: ", ")
    }
  }
}

/// Building JSON with the JSON5 module's values (keys keep their order).
public enum JSON {
  static let nowhere = SourcePosition(line: 0, column: 0)

  public static func node(_ value: JSONValue) -> JSONNode {
    JSONNode(value: value, position: nowhere)
  }

  public static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONMember(key: $0.0, keyPosition: nowhere, value: node($0.1)) })
  }

  public static func array(_ items: [JSONValue]) -> JSONValue { .array(items.map(node)) }

  public static func number(_ x: Double) -> JSONValue { .number(x) }

  public static func integer(_ i: Int) -> JSONValue { .number(Double(i)) }

  /// A parameter value as JSON (numbers, words, lists, distribution objects).
  public static func value(_ value: ParameterValue) -> JSONValue {
    (try? JSON5.parse(value.json).value) ?? .string(value.text)
  }
}
