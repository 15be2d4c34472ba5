import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import Foundation
import Testing

@testable import EnsembleReport

/// Every canonical experiment's report, rendered from a short run (3 replications, so that
/// intervals are wide and near their bounds): no interval of a count or a share leaves its
/// range, no relative change stands on a baseline within its own interval of zero, and no
/// chart's title or axis shows a raw registry key.
@Suite("Canonical reports")
struct CanonicalReportTests {
  /// The report of a short run of built-in experiment `name`, with its statistics.
  static func render(_ name: String) throws -> (Experiment, ResultStatistics, ReportDocument)? {
    guard var experiment = try BuiltinExperiments.load(named: name),
      experiment.sensitivity == nil
    else { return nil }
    experiment.replications = 3
    let plan = Plan(experiment)
    var statistics = ResultStatistics(layout: ResultSchema.layout(of: plan))
    _ = try Runner.run(plan, threads: 2) { result in
      statistics.add(point: result.point, values: result.metrics.map(\.values))
    }
    let json = ResultManifest.json(
      plan: plan, experimentText: "", threads: 2, wallSeconds: 0, command: "ensemble run \(name)",
      invocation: "test")
    let manifest = try ResultManifest(JSON.node(json))
    return (experiment, statistics, Report.build(manifest: manifest, statistics: statistics))
  }

  /// "0.654 [0.649, 0.659]" → (0.654, 0.649, 0.659).
  static func estimate(_ cell: String) -> (Double, Double, Double)? {
    let parts = cell.split(whereSeparator: { " [],".contains($0) }).compactMap { Double($0) }
    return parts.count == 3 ? (parts[0], parts[1], parts[2]) : nil
  }

  @Test(
    "every canonical report keeps intervals in range, relative changes on firm baselines and labels in charts",
    arguments: BuiltinExperiments.names)
  func canonical(name: String) throws {
    guard let (experiment, statistics, document) = try Self.render(name) else { return }
    let layout = statistics.layout
    let byLabel = Dictionary(
      Metrics.table.map { (Report.labelWithUnit($0), $0) }, uniquingKeysWith: { a, _ in a })
    let points = max(1, layout.points.count)
    let others = layout.conditions.indices.filter { $0 != layout.baseline }
    var section = ""
    var metricHeading: MetricDescriptor?
    var checkedLevels = 0
    var checkedRelative = 0
    for block in document.blocks {
      switch block {
      case .heading(let level, let text):
        if level == 2 { section = text }
        metricHeading = level == 3 ? byLabel[text] : nil
      case .table(let header, let rows, _):
        // Which metric each column holds: a column per metric, or one metric per table.
        let columns: [MetricDescriptor?] = header.map { byLabel[$0] ?? metricHeading }
        let keyColumns = layout.sweptKeys.count
        for (r, row) in rows.enumerated() {
          for (i, cell) in row.enumerated() {
            guard let metric = columns[i], !(header[0] != "Condition" && i < keyColumns) else {
              continue
            }
            if section == "Results by condition", let (_, low, high) = Self.estimate(cell) {
              checkedLevels += 1
              if metric.bounds == .count || metric.bounds == .share {
                #expect(low >= 0, "\(name): \(metric.name) interval \(cell) goes below 0")
              }
              if metric.bounds == .share {
                #expect(high <= 1, "\(name): \(metric.name) interval \(cell) goes above 1")
              }
            }
            if section.hasPrefix("Differences from"), cell.hasSuffix("%)") {
              // The cell's condition and point.
              let (c, p) =
                header[0] == "Condition"
                ? (others[r], 0) : (others[i - keyColumns], r)
              let m = layout.metrics.firstIndex(of: metric.name)!
              let base = statistics.pairedBaseline(condition: c, point: p, metric: m)
              let low = try #require(base.ciLow)
              let high = try #require(base.ciHigh)
              checkedRelative += 1
              #expect(
                low > 0 || high < 0,
                "\(name): relative change \(cell) of \(metric.name) stands on a baseline whose interval [\(low), \(high)] holds zero"
              )
            }
          }
        }
      default: break
      }
    }
    #expect(checkedLevels >= layout.conditions.count * points, "\(name): no level was checked")
    if !others.isEmpty { #expect(checkedRelative > 0, "\(name): no relative change was checked") }

    // Chart titles, panel titles and axis labels use labels, never registry keys.
    let keys = experiment.registry.keys.filter { $0.contains(".") }
    for (file, svg) in document.figures {
      for line in svg.split(separator: "\n")
      where line.contains("chart-title") || line.contains("axis-label")
        || line.contains("panel-title") || line.contains("row-header") || line.hasPrefix("<title>")
      {
        for key in keys where line.contains(key) {
          Issue.record("\(name)/\(file): raw key \(key) in \(line)")
        }
      }
    }
  }
}
