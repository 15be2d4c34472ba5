import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import Foundation

/// The columns and rows of the result files.
enum ResultFiles {
  /// `condition, point, replication, seed`, the swept keys, then every metric.
  static func runsHeader(_ plan: Plan) -> [String] {
    ["condition", "point", "replication", "seed"] + plan.experiment.sweepKeys + Metrics.names
  }

  static func runRow(_ plan: Plan, condition: Int, result: UnitResult, values: [Double?]) -> String
  {
    var fields = [
      plan.experiment.conditions[condition].name, String(result.point),
      String(result.replication), String(result.seed),
    ]
    fields += plan.points[result.point].map(\.text)
    fields += values.map(CSV.formatNumber)
    return CSV.line(fields)
  }

  static func layout(of plan: Plan) -> ResultLayout {
    let experiment = plan.experiment
    return ResultLayout(
      conditions: experiment.conditions.map(\.name), baseline: experiment.baseline,
      sweptKeys: experiment.sweepKeys,
      points: experiment.sweep.isEmpty ? [] : plan.points.map { $0.map(\.text) },
      metrics: Metrics.names)
  }
}

/// Building JSON for the manifest with the JSON5 module's values (keys keep their order).
enum JSON {
  static let nowhere = SourcePosition(line: 0, column: 0)

  static func node(_ value: JSONValue) -> JSONNode { JSONNode(value: value, position: nowhere) }

  static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONMember(key: $0.0, keyPosition: nowhere, value: node($0.1)) })
  }

  static func array(_ items: [JSONValue]) -> JSONValue { .array(items.map(node)) }

  static func number(_ x: Double) -> JSONValue { .number(x) }

  static func integer(_ i: Int) -> JSONValue { .number(Double(i)) }

  /// A parameter value as JSON (numbers, words, lists, distribution objects).
  static func value(_ value: ParameterValue) -> JSONValue {
    (try? JSON5.parse(value.json).value) ?? .string(value.text)
  }
}

/// `manifest.json`: what was run, by which engine, how far it got.
struct Manifest {
  var value: JSONValue

  func render() -> String { value.render() + "\n" }

  static func make(
    source: ExperimentSource, plan: Plan, threads: Int, wallSeconds: Double, command: String,
    invocation: String
  ) -> Manifest {
    let experiment = plan.experiment
    let conditions: [JSONValue] = experiment.conditions.enumerated().map { c, condition in
      let configuration = plan.configurations[0][c]
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
    return Manifest(
      value: JSON.object([
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
        ("experimentText", .string(source.text)),
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
      ]))
  }
}
