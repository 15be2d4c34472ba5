import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// What a sensitivity analysis's report says and shows.
public enum SensitivityReport {
  /// The target the report leads with for a metric: the first contrast (what drives the
  /// advantage of one condition over the baseline), else the first condition.
  static func primary(_ collector: SensitivityCollector, metric: Int) -> SensitivityTarget? {
    let targets = collector.targets.filter { $0.metric == metric }
    return targets.first { $0.baseline != nil } ?? targets.first
  }

  /// "structured's advantage over unstructured in correct rate" or "the correct rate of
  /// structured".
  static func describe(_ target: SensitivityTarget, _ conditions: [String]) -> String {
    let label = Report.metric(Metrics.names[target.metric]).label.lowercased()
    if let b = target.baseline {
      return "the difference of **\(conditions[target.condition])** from "
        + "**\(conditions[b])** in \(label)"
    }
    return "the \(label) of **\(conditions[target.condition])**"
  }

  static func percent(_ x: Double) -> String { NumberFormat.percent(max(0, x)) }

  /// The sentence for one target: the parameters that explain most of its variance.
  static func sentence(
    _ target: SensitivityTarget, rows: [SensitivityCollector.Row],
    _ collector: SensitivityCollector
  ) -> String {
    let keys = collector.spec.keys
    let what = describe(target, collector.conditions)
    if collector.spec.method == .morris {
      let ranked = rows.sorted { ($0.morris?.muStar ?? 0) > ($1.morris?.muStar ?? 0) }
      let names = ranked.prefix(3).map {
        "`\(keys[$0.parameter])` (μ* \(NumberFormat.brief($0.morris?.muStar ?? 0)))"
      }
      return "The largest elementary effects on \(what) come from "
        + names.joined(separator: ", ") + "."
    }
    let ranked = rows.sorted { ($0.total?.estimate ?? 0) > ($1.total?.estimate ?? 0) }
    guard let top = ranked.first, let s1 = top.first, let st = top.total else { return "" }
    var text =
      "`\(keys[top.parameter])` explains \(percent(s1.estimate)) (95% CI "
      + "\(percent(s1.low)) to \(percent(s1.high))) of the variance in \(what) alone, and "
      + "\(percent(st.estimate)) with its interactions"
    let next = ranked.dropFirst().prefix(2).filter { ($0.total?.estimate ?? 0) >= 0.05 }
    if !next.isEmpty {
      text +=
        "; then "
        + next.map { "`\(keys[$0.parameter])` (\(percent($0.total?.estimate ?? 0)))" }
        .joined(separator: " and ")
    }
    let firstSum = rows.reduce(0.0) { $0 + max(0, $1.first?.estimate ?? 0) }
    if firstSum < 0.9 {
      text += ". Interactions between parameters account for about \(percent(1 - firstSum))"
    }
    let negligible = ranked.filter { ($0.total?.high ?? 1) < 0.02 }.map {
      "`\(keys[$0.parameter])`"
    }
    if !negligible.isEmpty {
      text += ". No measurable effect: " + negligible.joined(separator: ", ")
    }
    if let noise = top.noiseShare {
      text += ". Replication noise is \(percent(noise)) of the variance between points"
    }
    return text + "."
  }

  /// The report: the finding for each metric's leading target in plain words, what was
  /// varied, a table per target and a chart per metric.
  public static func build(
    name: String, description: String, command: String, engineVersion: String,
    modelVersion: Int, collector c: SensitivityCollector, rows: [SensitivityCollector.Row]
  ) -> ReportDocument {
    var doc = ReportDocument(title: "\(name): sensitivity analysis")
    let spec = c.spec
    doc.blocks.append(.heading(level: 2, text: "What came out"))
    var sentences: [String] = []
    for metric in Set(c.targets.map(\.metric)).sorted() {
      guard let target = primary(c, metric: metric) else { continue }
      let own = rows.filter { $0.target == target }
      if own.isEmpty {
        sentences.append(
          "No indices for \(describe(target, c.conditions)): it has no value at some points, "
            + "or does not vary.")
      } else {
        sentences.append(sentence(target, rows: own, c))
      }
    }
    doc.blocks.append(sentences.count == 1 ? .paragraph(sentences[0]) : .bullets(sentences))
    doc.blocks.append(
      .paragraph(
        spec.method == .sobol
          ? "S1 is the share of a target's variance across the design that a parameter "
            + "explains alone; ST includes every interaction it takes part in. Intervals are "
            + "95% bootstrap intervals over the base sample. Every point runs the same "
            + "replication seeds, so differences between points are not replication noise; "
            + "the noise share says how much of the variance between point means noise still is."
          : "μ* is the mean absolute elementary effect of a parameter across its range (the "
            + "screening measure); μ its signed mean; σ how much the effect varies, which "
            + "signals interactions or non-linearity."))

    doc.blocks.append(.heading(level: 2, text: "What was varied"))
    if !description.isEmpty { doc.blocks.append(.paragraph(description)) }
    var facts = spec.factors.map {
      "`\($0.name)` from \(NumberFormat.brief($0.low)) to \(NumberFormat.brief($0.high))"
        + ($0.isInteger ? " (whole numbers)" : "")
    }
    facts.append(
      spec.method == .sobol
        ? "Sobol' indices: base sample \(spec.samples), \(spec.pointCount) points "
          + "(Saltelli's scheme), \(c.replications) replications per point and condition"
        : "Morris screening: \(spec.samples) trajectories on a \(spec.levels)-level grid, "
          + "\(spec.pointCount) points, \(c.replications) replications per point and condition")
    facts.append("Conditions: " + c.conditions.map { "**\($0)**" }.joined(separator: ", "))
    doc.blocks.append(.bullets(facts))

    doc.blocks.append(.heading(level: 2, text: "Indices"))
    let byTarget = Dictionary(grouping: rows, by: \.target)
    for target in c.targets {
      guard let own = byTarget[target] else { continue }
      doc.blocks.append(
        .heading(
          level: 3,
          text: "\(target.name(c.conditions)): \(Metrics.names[target.metric])"))
      let header =
        spec.method == .sobol
        ? ["parameter", "S1", "95% CI", "ST", "95% CI"] : ["parameter", "μ*", "μ", "σ"]
      let ordered =
        spec.method == .sobol
        ? own.sorted { ($0.total?.estimate ?? 0) > ($1.total?.estimate ?? 0) }
        : own.sorted { ($0.morris?.muStar ?? 0) > ($1.morris?.muStar ?? 0) }
      let table = ordered.map { row -> [String] in
        let key = "`\(spec.keys[row.parameter])`"
        if let s1 = row.first, let st = row.total {
          return [
            key, NumberFormat.brief(s1.estimate),
            "\(NumberFormat.brief(s1.low)) to \(NumberFormat.brief(s1.high))",
            NumberFormat.brief(st.estimate),
            "\(NumberFormat.brief(st.low)) to \(NumberFormat.brief(st.high))",
          ]
        }
        let m = row.morris
        return [
          key, NumberFormat.brief(m?.muStar ?? 0), NumberFormat.brief(m?.mu ?? 0),
          m?.sigma.map(NumberFormat.brief) ?? "–",
        ]
      }
      doc.blocks.append(
        .table(
          header: header, rows: table,
          numeric: [false] + Array(repeating: true, count: header.count - 1)))
    }

    doc.blocks.append(.heading(level: 2, text: "Charts"))
    for metric in Set(c.targets.map(\.metric)).sorted() {
      guard let target = primary(c, metric: metric) else { continue }
      let own = rows.filter { $0.target == target }
      guard !own.isEmpty else { continue }
      let label = Report.metric(Metrics.names[metric]).label
      let panels: [ConditionPanel]
      if spec.method == .sobol {
        let ordered = own.sorted { ($0.total?.estimate ?? 0) > ($1.total?.estimate ?? 0) }
        func panel(_ title: String, _ index: (SensitivityCollector.Row) -> SobolIndex?)
          -> ConditionPanel
        {
          ConditionPanel(
            metric: title, unit: "share of variance",
            values: ordered.map { row in
              let i = index(row)
              return (
                spec.keys[row.parameter],
                i.map { Estimate(mean: $0.estimate, low: $0.low, high: $0.high) }
              )
            })
        }
        panels = [panel("First order (S1)", \.first), panel("Total order (ST)", \.total)]
      } else {
        let ordered = own.sorted { ($0.morris?.muStar ?? 0) > ($1.morris?.muStar ?? 0) }
        panels = [
          ConditionPanel(
            metric: "μ* (mean absolute effect)", unit: label,
            values: ordered.map {
              (
                spec.keys[$0.parameter],
                $0.morris.map { Estimate(mean: $0.muStar, low: nil, high: nil) }
              )
            }),
          ConditionPanel(
            metric: "σ (spread of effects)", unit: label,
            values: ordered.map {
              (
                spec.keys[$0.parameter],
                $0.morris?.sigma.map { Estimate(mean: $0, low: nil, high: nil) }
              )
            }),
        ]
      }
      let svg = Charts.conditionChart(
        title: "\(label): what drives \(target.name(c.conditions))",
        subtitle: spec.method == .sobol
          ? "Parameters by total-order index; 95% bootstrap intervals"
          : "Parameters by μ*; Morris screening",
        panels: panels, baseline: "")
      doc.blocks.append(
        .figure(
          file: "sensitivity-\(Metrics.names[metric]).svg", svg: svg,
          caption:
            "\(label): the sensitivity of \(target.name(c.conditions)) to each parameter."))
    }

    doc.blocks.append(.heading(level: 2, text: "Reproduce"))
    doc.blocks.append(
      .paragraph(
        "The same command, seed and engine version (\(engineVersion), model version "
          + "\(modelVersion)) give the same numbers, whatever the number of threads:"))
    doc.blocks.append(.code(command))
    return doc
  }
}
