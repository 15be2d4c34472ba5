import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// The charts a report shows, labelled from the metric table and the parameter registry.
extension Report.Context {
  func estimate(_ c: Int, _ p: Int, _ metric: String) -> Estimate? {
    let level = self.level(c, p, metric)
    guard let mean = level.mean else { return nil }
    return Estimate(mean: mean, low: level.low, high: level.high)
  }

  /// Without a sweep: the conditions side by side. With one: each metric against the first
  /// swept key, one line per condition (small multiples over the other keys).
  func charts() -> [ReportBlock] {
    let replications = Wording.count(m.replications, "replication")
    if !isSweep {
      let panels = metrics.map { metric in
        let info = Report.metric(metric)
        return ConditionPanel(
          metric: info.label, unit: info.unit,
          values: m.conditions.indices.map { (m.conditions[$0], estimate($0, 0, metric)) })
      }
      let svg = Charts.conditionChart(
        title: "\(Report.title(m.name)): conditions compared",
        subtitle: "Mean per replication with 95% confidence interval; \(replications)",
        panels: panels, baseline: m.conditions.count > 1 ? baselineName : nil)
      return [
        .figure(
          file: "conditions.svg", svg: svg,
          caption: "Each panel shows one metric; bars are means, whiskers 95% confidence intervals."
        )
      ]
    }
    // A sweep: the first key on the x axis; further keys make small multiples.
    let firstKey = layout.sweptKeys[0]
    let xLabel = ParameterRegistry.labelWithUnit(of: firstKey)
    let xName = Wording.inSentence(ParameterRegistry.label(of: firstKey))
    var xLabels: [String] = []
    for point in layout.points where !xLabels.contains(point[0]) { xLabels.append(point[0]) }
    let numericX = xLabels.allSatisfy { Double($0) != nil }
    var panelKeys: [[String]] = []
    for point in layout.points where !panelKeys.contains(Array(point.dropFirst())) {
      panelKeys.append(Array(point.dropFirst()))
    }
    var figures: [ReportBlock] = []
    for metric in metrics {
      let info = Report.metric(metric)
      func series(_ rest: [String]) -> [SweepSeries] {
        m.conditions.indices.map { c in
          var points: [(x: Double, estimate: Estimate?)] = []
          for (p, point) in layout.points.enumerated() where Array(point.dropFirst()) == rest {
            let x = numericX ? Double(point[0])! : Double(xLabels.firstIndex(of: point[0])!)
            points.append((x, estimate(c, p, metric)))
          }
          return SweepSeries(name: m.conditions[c], points: points)
        }
      }
      let title = "\(info.label) against \(xName)"
      let subtitle = "Mean with 95% confidence band; \(replications) per point"
      let svg: String
      if layout.sweptKeys.count == 1 {
        svg = Charts.sweepChart(
          title: title, subtitle: subtitle, xLabel: xLabel, yLabel: Report.labelWithUnit(info),
          series: series([]), xIsCategorical: !numericX, xTickLabels: numericX ? nil : xLabels)
      } else {
        let rest = Array(layout.sweptKeys.dropFirst())
        svg = Charts.sweepGrid(
          title: title, subtitle: subtitle, xLabel: xLabel, yLabel: Report.labelWithUnit(info),
          panels: panelKeys.map { values in
            (
              zip(rest, values).map { "\(ParameterRegistry.label(of: $0)) = \($1)" }
                .joined(separator: ", "), series(values)
            )
          }, xIsCategorical: !numericX, xTickLabels: numericX ? nil : xLabels)
      }
      figures.append(
        .figure(
          file: "sweep-\(metric).svg", svg: svg,
          caption:
            "\(info.label) for each condition as \(xName) varies; shaded bands are 95% confidence intervals."
        ))
    }
    return figures
  }

  /// The forest plot of every condition's difference from the baseline, for an experiment
  /// with more than two conditions or a sweep; nil otherwise.
  func forestPlot() -> ReportBlock? {
    guard m.conditions.count > 1, isSweep || m.conditions.count > 2, !metrics.isEmpty else {
      return nil
    }
    var rows: [ForestRow] = []
    var cells: [(c: Int, p: Int)] = []
    for c in others {
      for p in 0..<pointCount {
        let label = isSweep ? layout.points[p].joined(separator: " · ") : m.conditions[c]
        rows.append(ForestRow(group: m.conditions[c], label: label))
        cells.append((c, p))
      }
    }
    let panels = metrics.map { metric in
      let info = Report.metric(metric)
      return ForestPanel(
        title: info.label, unit: info.unit,
        values: cells.map { cell in
          let point = paired(cell.c, cell.p, metric)
          return point.difference.map { Estimate(mean: $0, low: point.low, high: point.high) }
        })
    }
    let header =
      isSweep
      ? layout.sweptKeys.map { ParameterRegistry.labelWithUnit(of: $0) }.joined(separator: " · ")
      : nil
    let svg = Charts.forestPlot(
      title: "Differences from \(baselineName)",
      subtitle:
        "Mean paired difference (condition minus \(baselineName)) with its 95% confidence "
        + "interval; \(Wording.count(m.replications, "replication"))"
        + (isSweep ? " per point" : ""),
      labelHeader: header, rows: rows, panels: panels)
    return .figure(
      file: "differences.svg", svg: svg,
      caption:
        "Each condition's paired difference from \(baselineName), one panel per metric; "
        + "filled markers are differences whose 95% interval excludes zero (the dashed line).")
  }
}
