import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// The columns and rows of `runs.csv`, and the layout of a run's statistics.
public enum ResultSchema {
  /// `condition, point, replication, seed`, the swept keys, then every metric.
  public static func runsHeader(_ plan: Plan) -> [String] {
    RunsFile.header(sweptKeys: plan.experiment.sweepKeys)
  }

  /// The columns before the metrics in a `runs.csv` with `sweptKeys` swept keys.
  public static func metricStart(sweptKeys: Int) -> Int { 4 + sweptKeys }

  /// One row of `runs.csv`: condition `condition` of a unit, with its metric values.
  public static func runRow(_ plan: Plan, condition: Int, result: UnitResult, values: [Double?])
    -> String
  {
    var fields = [
      plan.experiment.conditions[condition].name, String(result.point),
      String(result.replication), String(result.seed),
    ]
    fields += plan.points[result.point].map(\.text)
    fields += values.map(CSV.formatNumber)
    fields.append("")  // the metric table's column: its name says the version
    return CSV.line(fields)
  }

  /// The statistics' layout of a run of `plan`.
  public static func layout(of plan: Plan) -> ResultLayout {
    let experiment = plan.experiment
    return ResultLayout(
      conditions: experiment.conditions.map(\.name), baseline: experiment.baseline,
      sweptKeys: experiment.sweepKeys,
      points: experiment.sweep.isEmpty ? [] : plan.points.map { $0.map(\.text) },
      metrics: Metrics.names)
  }
}
