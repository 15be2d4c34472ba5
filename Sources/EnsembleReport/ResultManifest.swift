import EnsembleExperiments
import EnsembleModel

/// A mistake in a result folder's `manifest.json`: what is wrong, without the file's path
/// (the command that read it adds that).
public struct ManifestError: Error, Sendable, Equatable {
  public let message: String

  public init(_ message: String) { self.message = message }
}

/// The schema of `manifest.json`: what was run, by which engine, how far it got. Written
/// by ``ResultManifest/json(plan:experimentText:threads:wallSeconds:command:invocation:)``
/// and read back by ``ResultManifest/init(_:)`` — one place for both directions.
public struct ResultManifest: Sendable {
  /// The whole manifest as read (for fields only some commands need).
  public var json: JSONNode
  public var name: String
  public var description: String
  /// The command that reproduces the result (no options that do not change it).
  public var command: String
  public var engineVersion: String
  /// The version of the model specification the engine followed.
  public var modelVersion: Int
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

  /// Parses the text of `manifest.json`.
  public init(parsing text: String) throws(ManifestError) {
    let node: JSONNode
    do {
      node = try JSON5.parse(text)
    } catch {
      throw ManifestError("not a valid manifest (\(error.description))")
    }
    try self.init(node)
  }

  /// Reads a manifest already parsed (a run's own, before it is written).
  public init(_ node: JSONNode) throws(ManifestError) {
    func fail(_ what: String) -> ManifestError { ManifestError("\(what) is missing or malformed") }
    func string(_ n: JSONNode?, _ what: String) throws(ManifestError) -> String {
      guard case .string(let s)? = n?.value else { throw fail(what) }
      return s
    }
    func int(_ n: JSONNode?, _ what: String) throws(ManifestError) -> Int {
      guard case .number(let x)? = n?.value, x == x.rounded() else { throw fail(what) }
      return Int(x)
    }
    func strings(_ n: JSONNode?, _ what: String) throws(ManifestError) -> [String] {
      guard case .array(let items)? = n?.value else { throw fail(what) }
      var result: [String] = []
      for item in items { result.append(try string(item, what)) }
      return result
    }
    guard try string(node["format"], "format") == "ensemble-results" else {
      throw ManifestError("not an Ensemble results manifest")
    }
    let experiment = node["experiment"]
    let shard = node["shard"]
    json = node
    conditions = try strings(node["conditions"], "conditions")
    let baselineName = try string(experiment?["baseline"], "experiment.baseline")
    guard let baseline = conditions.firstIndex(of: baselineName) else { throw fail("baseline") }
    self.baseline = baseline
    points = []
    guard case .array(let items)? = node["points"]?.value else { throw fail("points") }
    for item in items { points.append(try strings(item, "points")) }
    complete = false
    if case .bool(let b)? = node["complete"]?.value { complete = b }
    name = try string(experiment?["name"], "experiment.name")
    description = try string(experiment?["description"], "experiment.description")
    command = try string(node["command"], "command")
    engineVersion = try string(node["engineVersion"], "engineVersion")
    modelVersion = try int(node["modelVersion"], "modelVersion")
    seed = try string(experiment?["seed"], "experiment.seed")
    replications = try int(experiment?["replications"], "experiment.replications")
    sweptKeys = try strings(node["sweptKeys"], "sweptKeys")
    reportMetrics = try strings(experiment?["reportMetrics"], "experiment.reportMetrics")
    shardIndex = try int(shard?["index"], "shard.index")
    shardCount = try int(shard?["count"], "shard.count")
    firstUnit = try int(shard?["firstUnit"], "shard.firstUnit")
    endUnit = try int(shard?["endUnit"], "shard.endUnit")
    totalUnits = try int(node["plan"]?["units"], "plan.units")
    experimentText = try string(node["experimentText"], "experimentText")
  }

  /// The manifest of a run of `plan`: the resolved experiment (every parameter of every
  /// condition), the engine and model versions, the shard and run counts, the command and
  /// the wall time.
  public static func json(
    plan: Plan, experimentText: String, threads: Int, wallSeconds: Double, command: String,
    invocation: String
  ) -> JSONValue {
    let experiment = plan.experiment
    let conditions: [JSONValue] = experiment.conditions.enumerated().map { c, condition in
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
    let units = plan.units
    return JSON.object([
      ("format", .string("ensemble-results")),
      ("formatVersion", JSON.integer(1)),
      ("engineVersion", .string(EngineVersion.engine)),
      ("modelVersion", JSON.integer(EngineVersion.model)),
      ("complete", .bool(true)),
      (
        "experiment",
        JSON.object([
          ("name", .string(experiment.name)),
          ("description", .string(experiment.description)),
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
          ("conditions", JSON.array(conditions)),
        ])
      ),
      ("conditions", JSON.array(experiment.conditions.map { .string($0.name) })),
      ("sweptKeys", JSON.array(experiment.sweepKeys.map { .string($0) })),
      (
        "points",
        JSON.array(
          (experiment.sweep.isEmpty ? [] : plan.points).map { point in
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
