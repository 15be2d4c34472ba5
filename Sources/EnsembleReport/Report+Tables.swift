import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// "What was compared" and the tables of levels and differences.
extension Report.Context {
  /// Conditions, replications, swept keys and, for a shard, which part of the plan it holds.
  func facts(all: ResultStatistics, held: Range<Int>) -> [String] {
    var facts = [
      "Conditions: " + m.conditions.map { "**\($0)**" }.joined(separator: ", ")
        + (m.conditions.count > 1 ? " (baseline: **\(baselineName)**)" : ""),
      Wording.count(m.replications, "replication") + " per condition"
        + (layout.points.count > 1 ? " and sweep point" : "") + ", experiment seed \(m.seed)",
    ]
    for (k, key) in layout.sweptKeys.enumerated() {
      var seen: [String] = []
      for point in layout.points where !seen.contains(point[k]) { seen.append(point[k]) }
      let unit = ParameterRegistry.unit(of: key)
      let quiet = ["", "on/off", "count"].contains(unit)
      facts.append(
        "Swept: \(ParameterRegistry.label(of: key)) (`\(key)`\(quiet ? "" : ", \(unit)")): "
          + seen.joined(separator: ", ") + "; every condition at every value")
    }
    if m.shardCount > 1 {
      var shard =
        "Shard \(m.shardIndex) of \(m.shardCount): (sweep point, replication) pairs "
        + "\(m.firstUnit) to \(m.endUnit - 1) of the plan's \(m.totalUnits)"
      if !all.layout.points.isEmpty {
        shard += ", at \(held.count) of the \(all.layout.points.count) sweep points"
      }
      facts.append(shard + "; `ensemble merge` joins the shards into the whole result")
    }
    return facts
  }

  /// How each condition ran: the design it was given and every parameter whose value differs
  /// between conditions (after the file's and the command line's `set`), and what was set
  /// for every condition.
  func designBlocks() -> [ReportBlock] {
    guard m.designs.count == m.conditions.count, let first = m.designs.first else { return [] }
    let swept = Set(layout.sweptKeys)
    var rows: [(label: String, values: [String])] = []
    if m.designs.count > 1 {
      rows.append(("Design as given", m.designs.map(\.design)))
    }
    for (key, _) in first.parameters where !swept.contains(key) {
      let values = m.designs.map { design in
        design.parameters.first { $0.key == key }?.value ?? "–"
      }
      if Set(values).count > 1 { rows.append((ParameterRegistry.labelWithUnit(of: key), values)) }
    }
    var blocks: [ReportBlock] = []
    if rows.count > 1 {
      blocks.append(
        .paragraph(
          "How each condition ran: the parameters whose values differ between conditions "
            + "(every other parameter is the same in all of them)."))
      if m.conditions.count <= 4 {
        blocks.append(
          .table(
            header: ["Parameter"] + m.conditions, rows: rows.map { [$0.label] + $0.values },
            numeric: Array(repeating: false, count: m.conditions.count + 1)))
      } else {
        // Too many conditions for columns: the baseline in full, the others by how they
        // differ from it.
        let b = m.baseline
        var items = [
          "**\(baselineName)** (baseline): "
            + rows.map { "\($0.label) \($0.values[b])" }.joined(separator: ", ")
        ]
        for c in others {
          let differences = rows.filter { $0.values[c] != $0.values[b] }.map {
            "\($0.label) \($0.values[c])"
          }
          items.append(
            "**\(m.conditions[c])**: "
              + (differences.isEmpty
                ? "as **\(baselineName)**"
                : "as **\(baselineName)**, but " + differences.joined(separator: ", ")))
        }
        blocks.append(.bullets(items))
      }
    }
    let common = m.commonSet.filter { !swept.contains($0.key) }
    if !common.isEmpty {
      blocks.append(
        .paragraph(
          "Set for every condition (by the experiment's `set` and any `--set` option): "
            + common.map {
              "\(ParameterRegistry.labelWithUnit(of: $0.key)) (`\($0.key)`) = \($0.value)"
            }.joined(separator: "; ") + "."))
    }
    return blocks
  }

  /// The swept keys' labels, for the first columns of a table.
  var keyHeaders: [String] { layout.sweptKeys.map { ParameterRegistry.labelWithUnit(of: $0) } }

  /// Each condition's mean and 95% interval: without a sweep, one table with a column per
  /// metric (four at most per table); with one, a table per metric with a column per
  /// condition.
  func resultsTables() -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    let note =
      "Each cell: the mean over replications and its 95% interval, which stays within the "
      + "metric's range."
    blocks.append(.paragraph(note))
    if !isSweep {
      for chunk in chunks(metrics) {
        let rows = m.conditions.indices.map { c in
          [conditionLabel(c)] + chunk.map { metric in cell(level(c, 0, metric)) }
        }
        blocks.append(
          .table(
            header: ["Condition"] + chunk.map { Report.labelWithUnit(Report.metric($0)) },
            rows: rows, numeric: [false] + chunk.map { _ in true }))
      }
      return blocks
    }
    for metric in metrics {
      blocks.append(.heading(level: 3, text: Report.labelWithUnit(Report.metric(metric))))
      let rows = (0..<pointCount).map { p in
        layout.points[p] + m.conditions.indices.map { cell(level($0, p, metric)) }
      }
      blocks.append(
        .table(
          header: keyHeaders + m.conditions.indices.map(conditionLabel), rows: rows,
          numeric: Array(repeating: true, count: keyHeaders.count + m.conditions.count)))
    }
    return blocks
  }

  /// Each condition's paired difference from the baseline: the mean difference ± the
  /// half-width of its 95% interval, and the relative change where the baseline carries one.
  func differenceTables() -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    var leftOut: [String: Int] = [:]
    func cell(_ c: Int, _ p: Int, _ metric: String) -> String {
      let point = paired(c, p, metric)
      if point.difference != nil && point.relative == nil { leftOut[metric, default: 0] += 1 }
      return PointSentence.cell(point)
    }
    blocks.append(
      .paragraph(
        "Each cell: the mean paired difference (condition minus **\(baselineName)**) ± the "
          + "half-width of its 95% interval, and in brackets the change relative to "
          + "**\(baselineName)**'s mean."))
    if !isSweep {
      for chunk in chunks(metrics) {
        let rows = others.map { c in [m.conditions[c]] + chunk.map { cell(c, 0, $0) } }
        blocks.append(
          .table(
            header: ["Condition"] + chunk.map { Report.labelWithUnit(Report.metric($0)) },
            rows: rows, numeric: [false] + chunk.map { _ in true }))
      }
    } else {
      for metric in metrics {
        blocks.append(.heading(level: 3, text: Report.labelWithUnit(Report.metric(metric))))
        let rows = (0..<pointCount).map { p in layout.points[p] + others.map { cell($0, p, metric) }
        }
        blocks.append(
          .table(
            header: keyHeaders + others.map { m.conditions[$0] }, rows: rows,
            numeric: Array(repeating: true, count: keyHeaders.count + others.count)))
      }
    }
    let notes = metrics.compactMap { metric -> String? in
      guard let count = leftOut[metric] else { return nil }
      let label = Report.metric(metric).label
      return isSweep || others.count > 1 ? "\(label) (\(Wording.count(count, "cell")))" : label
    }
    if !notes.isEmpty {
      blocks.append(
        .paragraph(
          "No relative change is given where **\(baselineName)**'s mean is within its own 95% "
            + "interval of zero, too close to zero to carry one: " + Wording.list(notes) + "."))
    }
    return blocks
  }

  /// "unstructured (baseline)" for the baseline, when there are several conditions.
  func conditionLabel(_ c: Int) -> String {
    c == m.baseline && m.conditions.count > 1 ? "\(m.conditions[c]) (baseline)" : m.conditions[c]
  }

  func cell(_ level: Level) -> String {
    Wording.estimate(level.mean, low: level.low, high: level.high)
  }

  /// The metrics in groups of at most four, so that a table fits the page.
  func chunks(_ metrics: [String]) -> [[String]] {
    stride(from: 0, to: metrics.count, by: 4).map {
      Array(metrics[$0..<min(metrics.count, $0 + 4)])
    }
  }
}
