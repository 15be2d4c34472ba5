import EnsembleAnalysis
import EnsembleModel

/// What a result's report says and shows: sentences, tables and the charts chosen. Pure:
/// it builds a ``ReportDocument`` from a manifest and statistics; the command line writes
/// the files.
public enum Report {
  /// The descriptor of metric `name` from ``Metrics/table``; a plain one for a name the
  /// table does not know (a column of a newer version's `runs.csv`).
  static func metric(_ name: String) -> MetricDescriptor {
    if let known = Metrics.descriptor(named: name) { return known }
    let words = name.replacingOccurrences(of: "_", with: " ")
    return MetricDescriptor(
      name, label: words, unit: "", meaning: "", better: .neither, bounds: .nonNegative,
      rise: "higher \(words)", fall: "lower \(words)"
    ) { _ in nil }
  }

  /// The report of a result: the finding in plain words, what was compared, tables of
  /// every headline metric and of the differences, the charts and the reproducing command.
  public static func build(manifest m: ResultManifest, statistics all: ResultStatistics)
    -> ReportDocument
  {
    // A shard speaks only of the sweep points it holds runs of.
    let held = heldPoints(m)
    let s = all.restricted(toPoints: held)
    let layout = s.layout
    let metricIndex = Dictionary(uniqueKeysWithValues: layout.metrics.enumerated().map { ($1, $0) })
    let metrics = m.reportMetrics.filter { metricIndex[$0] != nil }
    let baseline = m.conditions[m.baseline]
    var doc = ReportDocument(title: m.name)

    // The finding first, in plain words.
    doc.blocks.append(.heading(level: 2, text: "What came out"))
    if m.conditions.count < 2 {
      doc.blocks.append(.bullets(levels(metrics: metrics, s, m, metricIndex)))
    } else if layout.points.count <= 1 {
      var sentences: [String] = []
      for c in m.conditions.indices where c != m.baseline {
        sentences.append(headline(condition: c, point: 0, metrics: metrics, s, m, metricIndex))
      }
      if sentences.count == 1 {
        doc.blocks.append(.paragraph(sentences[0]))
      } else {
        doc.blocks.append(.bullets(sentences))
      }
    } else if let first = metrics.first {
      var sentences: [String] = []
      for c in m.conditions.indices where c != m.baseline {
        sentences.append(sweepHeadline(condition: c, metric: first, s, m, metricIndex))
      }
      doc.blocks.append(.bullets(sentences))
    }
    doc.blocks.append(
      .paragraph(
        "Intervals are 95% confidence intervals. Every condition of a replication faces the "
          + "same tasks, so differences are paired: a difference whose interval excludes zero is "
          + "one the replications support."))

    doc.blocks.append(.heading(level: 2, text: "What was compared"))
    if !m.description.isEmpty { doc.blocks.append(.paragraph(m.description)) }
    var facts = [
      "Conditions: " + m.conditions.map { "**\($0)**" }.joined(separator: ", ")
        + " (baseline: **\(baseline)**)",
      "\(m.replications) replications per condition"
        + (layout.points.count > 1 ? " and sweep point" : "") + ", experiment seed \(m.seed)",
    ]
    if !layout.sweptKeys.isEmpty {
      for (k, key) in layout.sweptKeys.enumerated() {
        var seen: [String] = []
        for point in layout.points where !seen.contains(point[k]) { seen.append(point[k]) }
        facts.append("Swept `\(key)`: " + seen.joined(separator: ", "))
      }
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
    doc.blocks.append(.bullets(facts))

    doc.blocks.append(.heading(level: 2, text: "Results by condition"))
    doc.blocks.append(resultsTable(metrics: metrics, s, m, metricIndex))
    if m.conditions.count > 1 {
      doc.blocks.append(.heading(level: 2, text: "Differences from \(baseline)"))
      doc.blocks.append(
        .paragraph(
          "Paired differences (condition minus **\(baseline)**), with the relative change and "
            + "the 95% interval of the difference."))
      doc.blocks.append(contrastsTable(metrics: metrics, s, m, metricIndex))
    }

    doc.blocks.append(.heading(level: 2, text: "Charts"))
    for figure in charts(metrics: metrics, s, m, metricIndex) { doc.blocks.append(figure) }

    doc.blocks.append(.heading(level: 2, text: "Reproduce"))
    doc.blocks.append(
      .paragraph(
        "The same command, seed and engine version (\(m.engineVersion), model version "
          + "\(m.modelVersion)) give the same numbers, whatever the number of threads:"))
    doc.blocks.append(.code(m.command))
    doc.blocks.append(
      .paragraph(
        "`ensemble report FOLDER` rebuilds this report from `runs.csv` and `manifest.json`."))
    return doc
  }

  /// The sweep points a result holds runs of: all of them, or a shard's.
  static func heldPoints(_ m: ResultManifest) -> Range<Int> {
    let count = max(1, m.points.count)
    guard m.endUnit > m.firstUnit, m.replications > 0 else { return 0..<count }
    let low = min(count - 1, m.firstUnit / m.replications)
    let high = min(count, (m.endUnit - 1) / m.replications + 1)
    return low..<max(low + 1, high)
  }

  // MARK: - Sentences

  static func headline(
    condition c: Int, point p: Int, metrics: [String], _ s: ResultStatistics,
    _ m: ResultManifest, _ index: [String: Int]
  ) -> String {
    let baseline = m.conditions[m.baseline]
    var parts: [String] = []
    for (i, metric) in metrics.enumerated() {
      let k = s.contrast(condition: c, point: p, metric: index[metric]!)
      let info = Report.metric(metric)
      let phrase = change(k, info)
      if i == 0 {
        let interval = self.interval(k, info, note: "\(k.n) paired replications")
        parts.append(
          phrase.clear
            ? "**\(m.conditions[c])** \(info.verb) \(phrase.text) than **\(baseline)**\(interval)"
            : "**\(m.conditions[c])** showed \(phrase.text) from **\(baseline)**\(interval)")
      } else {
        parts.append(phrase.text)
      }
    }
    guard let first = parts.first else { return "" }
    let rest = Array(parts.dropFirst())
    if rest.isEmpty { return first + "." }
    let tail =
      rest.count == 1 ? rest[0] : rest.dropLast().joined(separator: ", ") + " and " + rest.last!
    return first + ", with " + tail + "."
  }

  /// "36% more correct work", or "no clear difference in …"; and whether the 95% interval
  /// of the difference excludes zero.
  static func change(_ k: Contrast, _ info: MetricDescriptor) -> (text: String, clear: Bool) {
    let what = info.label.lowercased()
    guard let diff = k.meanDiff else { return ("no value for \(what)", false) }
    let clear = (k.ciLow ?? 0) > 0 || (k.ciHigh ?? 0) < 0
    if !clear { return ("no clear difference in \(what)", false) }
    if let rel = k.relChange, diff != 0 {
      return ("\(NumberFormat.percent(abs(rel))) \(rel > 0 ? info.rise : info.fall)", true)
    }
    return (
      "\(NumberFormat.brief(abs(diff))) \(info.unit) \(diff > 0 ? info.rise : info.fall)", true
    )
  }

  /// " (95% CI 15% to 21%, NOTE)": the interval of the difference relative to the baseline.
  static func interval(_ k: Contrast, _ info: MetricDescriptor, note: String) -> String {
    var inside: [String] = []
    if let low = k.ciLow, let high = k.ciHigh, let diff = k.meanDiff {
      if let rel = k.relChange, diff != 0 {
        let base = diff / rel
        inside.append(
          "95% CI \(NumberFormat.signedPercent(low / base)) to \(NumberFormat.signedPercent(high / base))"
        )
      } else {
        inside.append(
          "95% CI \(NumberFormat.signed(low)) to \(NumberFormat.signed(high)) \(info.unit)")
      }
    }
    inside.append(note)
    return " (" + inside.joined(separator: ", ") + ")"
  }

  static func sweepHeadline(
    condition c: Int, metric: String, _ s: ResultStatistics, _ m: ResultManifest,
    _ index: [String: Int]
  ) -> String {
    let info = Report.metric(metric)
    let layout = s.layout
    var rels: [Double] = []
    var up: [String] = []
    var down: [String] = []
    var unclear: [String] = []
    for (p, point) in layout.points.enumerated() {
      let k = s.contrast(condition: c, point: p, metric: index[metric]!)
      let label = zip(layout.sweptKeys, point).map { "\($0) = \($1)" }.joined(separator: ", ")
      if let rel = k.relChange { rels.append(rel) }
      if (k.ciLow ?? 0) > 0 {
        up.append(label)
      } else if (k.ciHigh ?? 0) < 0 {
        down.append(label)
      } else {
        unclear.append(label)
      }
    }
    var sentence =
      "Across the \(layout.points.count) sweep points, the \(info.label.lowercased()) of "
      + "**\(m.conditions[c])** "
    if let low = rels.min(), let high = rels.max() {
      let (lowText, highText) = (NumberFormat.signedPercent(low), NumberFormat.signedPercent(high))
      sentence +=
        (lowText == highText ? "was \(lowText)" : "ranged from \(lowText) to \(highText)")
        + " relative to **\(m.conditions[m.baseline])**"
    } else {
      sentence += "had no comparable value"
    }
    var clauses: [String] = []
    func list(_ items: [String]) -> String {
      items.count <= 3 ? items.joined(separator: "; ") : "\(items.count) points"
    }
    if !up.isEmpty { clauses.append("clearly higher at \(list(up))") }
    if !down.isEmpty { clauses.append("clearly lower at \(list(down))") }
    if !unclear.isEmpty { clauses.append("not distinguishable from it at \(list(unclear))") }
    return sentence + (clauses.isEmpty ? "." : ": " + clauses.joined(separator: ", ") + ".")
  }

  /// For an experiment with one condition: the level of each headline metric, with its
  /// interval, at every sweep point (up to 12 points).
  static func levels(
    metrics: [String], _ s: ResultStatistics, _ m: ResultManifest, _ index: [String: Int]
  ) -> [String] {
    let layout = s.layout
    var lines: [String] = []
    for p in 0..<min(12, max(1, layout.points.count)) {
      let at =
        layout.points.isEmpty
        ? "**\(m.conditions[0])**"
        : "At "
          + zip(layout.sweptKeys, layout.points[p]).map { "\($0) = \($1)" }.joined(separator: ", ")
      var parts: [String] = []
      for metric in metrics {
        let summary = s.summary(condition: 0, point: p, metric: index[metric]!)
        guard let mean = summary.mean else { continue }
        let info = Report.metric(metric)
        let unit = info.unit == "hours" ? " hours" : ""
        var text = "\(info.label.lowercased()) \(NumberFormat.brief(mean))\(unit)"
        if let low = summary.ciLow, let high = summary.ciHigh {
          text += " (95% CI \(NumberFormat.brief(low)) to \(NumberFormat.brief(high)))"
        }
        parts.append(text)
      }
      lines.append(
        at + ": " + parts.joined(separator: "; ") + ", over \(m.replications) replications.")
    }
    return lines
  }

  // MARK: - Tables

  static func resultsTable(
    metrics: [String], _ s: ResultStatistics, _ m: ResultManifest, _ index: [String: Int]
  ) -> ReportBlock {
    let layout = s.layout
    let sweep = !layout.sweptKeys.isEmpty
    var rows: [[String]] = []
    for c in m.conditions.indices {
      for p in 0..<max(1, layout.points.count) {
        var row = [m.conditions[c]] + (sweep ? layout.points[p] : [])
        for metric in metrics {
          let summary = s.summary(condition: c, point: p, metric: index[metric]!)
          row.append(estimate(summary.mean, summary.ciLow, summary.ciHigh))
        }
        rows.append(row)
      }
    }
    return table(rows, metrics: metrics, layout)
  }

  static func contrastsTable(
    metrics: [String], _ s: ResultStatistics, _ m: ResultManifest, _ index: [String: Int]
  ) -> ReportBlock {
    let layout = s.layout
    let sweep = !layout.sweptKeys.isEmpty
    var rows: [[String]] = []
    for c in m.conditions.indices where c != m.baseline {
      for p in 0..<max(1, layout.points.count) {
        var row = [m.conditions[c]] + (sweep ? layout.points[p] : [])
        for metric in metrics {
          let k = s.contrast(condition: c, point: p, metric: index[metric]!)
          guard let diff = k.meanDiff else {
            row.append("–")
            continue
          }
          var text = NumberFormat.signed(diff)
          if let rel = k.relChange { text += " (\(NumberFormat.signedPercent(rel)))" }
          if let low = k.ciLow, let high = k.ciHigh {
            text += " [\(NumberFormat.signed(low)), \(NumberFormat.signed(high))]"
          }
          row.append(text)
        }
        rows.append(row)
      }
    }
    return table(rows, metrics: metrics, layout)
  }

  /// A table with a condition column, the swept keys and one column per metric; every
  /// column but the first is right-aligned.
  static func table(_ rows: [[String]], metrics: [String], _ layout: ResultLayout) -> ReportBlock {
    let header = ["condition"] + layout.sweptKeys + metrics.map { Report.metric($0).label }
    let numeric = [false] + Array(repeating: true, count: header.count - 1)
    return .table(header: header, rows: rows, numeric: numeric)
  }

  // MARK: - Charts

  static func charts(
    metrics: [String], _ s: ResultStatistics, _ m: ResultManifest, _ index: [String: Int]
  ) -> [ReportBlock] {
    let layout = s.layout
    func estimate(_ c: Int, _ p: Int, _ metric: String) -> Estimate? {
      let summary = s.summary(condition: c, point: p, metric: index[metric]!)
      guard let mean = summary.mean else { return nil }
      return Estimate(mean: mean, low: summary.ciLow, high: summary.ciHigh)
    }
    if layout.points.count <= 1 {
      let panels = metrics.map { metric in
        let info = Report.metric(metric)
        return ConditionPanel(
          metric: info.label, unit: info.unit,
          values: m.conditions.indices.map { (m.conditions[$0], estimate($0, 0, metric)) })
      }
      let svg = Charts.conditionChart(
        title: "\(m.name): conditions compared",
        subtitle:
          "Mean per replication with 95% confidence interval; \(m.replications) replications",
        panels: panels, baseline: m.conditions[m.baseline])
      return [
        .figure(
          file: "conditions.svg", svg: svg,
          caption: "Each panel shows one metric; bars are means, whiskers 95% confidence intervals."
        )
      ]
    }
    // A sweep: the first key on the x axis; further keys make small multiples.
    let firstKey = layout.sweptKeys[0]
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
      let yLabel = info.unit.isEmpty ? info.label : "\(info.label) (\(info.unit))"
      let title = "\(info.label) against \(firstKey)"
      let subtitle = "Mean with 95% confidence band; \(m.replications) replications per point"
      let svg: String
      if layout.sweptKeys.count == 1 {
        svg = Charts.sweepChart(
          title: title, subtitle: subtitle, xLabel: firstKey, yLabel: yLabel,
          series: series([]), xIsCategorical: !numericX,
          xTickLabels: numericX ? nil : xLabels)
      } else {
        let rest = Array(layout.sweptKeys.dropFirst())
        svg = Charts.sweepGrid(
          title: title, subtitle: subtitle, xLabel: firstKey, yLabel: yLabel,
          panels: panelKeys.map { values in
            (zip(rest, values).map { "\($0) = \($1)" }.joined(separator: ", "), series(values))
          }, xIsCategorical: !numericX, xTickLabels: numericX ? nil : xLabels)
      }
      figures.append(
        .figure(
          file: "sweep-\(metric).svg", svg: svg,
          caption:
            "\(info.label) for each condition as \(firstKey) varies; shaded bands are 95% confidence intervals."
        ))
    }
    return figures
  }

  // MARK: - Numbers

  static func estimate(_ mean: Double?, _ low: Double?, _ high: Double?) -> String {
    guard let mean else { return "–" }
    guard let low, let high else { return NumberFormat.brief(mean) }
    return "\(NumberFormat.brief(mean)) [\(NumberFormat.brief(low)), \(NumberFormat.brief(high))]"
  }
}
