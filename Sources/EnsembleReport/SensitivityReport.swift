import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// What a sensitivity analysis's report says and shows.
public enum SensitivityReport {
  /// Below this base sample (all repeats together) a Sobol' ranking is not called settled.
  static let settledSamples = 128
  /// A ranking is not called settled while an index's 95% interval is wider than this
  /// (Sobol'), or than this share of the largest μ* (Morris).
  static let settledWidth = 0.2
  /// Targets whose point means correlate beyond this (in absolute value) are one finding.
  static let sameFinding = 0.95

  /// The target the report leads with for a metric: the first contrast (what drives the
  /// advantage of one condition over the baseline), else the first condition.
  static func primary(_ collector: SensitivityCollector, metric: Int) -> SensitivityTarget? {
    let targets = collector.targets.filter { $0.metric == metric }
    return targets.first { $0.baseline != nil } ?? targets.first
  }

  /// "the difference of **structured** from **unstructured** in correct rate" or "the
  /// correct rate of **structured**".
  static func describe(_ target: SensitivityTarget, _ conditions: [String]) -> String {
    let label = Report.metric(Metrics.names[target.metric]).label.lowercased()
    if let b = target.baseline {
      return "the difference of **\(conditions[target.condition])** from "
        + "**\(conditions[b])** in \(label)"
    }
    return "the \(label) of **\(conditions[target.condition])**"
  }

  static func percent(_ x: Double) -> String { NumberFormat.percent(max(0, x)) }

  /// "0.42 [0.33, 0.51]": an estimate with its interval, on one line.
  static func interval(_ estimate: Double, _ low: Double?, _ high: Double?) -> String {
    guard let low, let high else { return NumberFormat.brief(estimate) }
    return "\(NumberFormat.brief(estimate)) [\(NumberFormat.brief(low)), "
      + "\(NumberFormat.brief(high))]"
  }

  /// The noise floor of a target: the largest value the dummy's indices reach (their upper
  /// 95% bounds, or μ*'s), or nil without a dummy.
  static func floor(_ rows: [SensitivityCollector.Row], _ spec: SensitivitySpec) -> Double? {
    guard let d = spec.dummyIndex, let row = rows.first(where: { $0.parameter == d }) else {
      return nil
    }
    if let m = row.morris { return max(m.muStar, m.muStarHigh ?? m.muStar) }
    let values = [row.first, row.total].compactMap { $0 }.flatMap { [$0.estimate, $0.high] }
    return values.max().map { max(0, $0) }
  }

  /// Whether a target's ranking is settled; if not, a sentence saying why and how many
  /// samples would settle it.
  static func settling(_ rows: [SensitivityCollector.Row], _ spec: SensitivitySpec) -> String? {
    let labels = spec.factors.map(\.shortLabel)
    switch spec.method {
    case .sobol:
      let total = spec.samples * spec.repeats
      var widest: (width: Double, name: String) = (0, "")
      for row in rows {
        for (name, index) in [("S1", row.first), ("ST", row.total)] {
          if let index, index.width > widest.width {
            widest = (index.width, "\(name) of \(labels[row.parameter].lowercasedFirst)")
          }
        }
      }
      guard total < settledSamples || widest.width > settledWidth else { return nil }
      var reasons: [String] = []
      if total < settledSamples { reasons.append("the base sample (\(total)) is below 128") }
      if widest.width > settledWidth {
        reasons.append(
          "the widest interval (\(widest.name)) spans \(NumberFormat.brief(widest.width))")
      }
      // Interval widths shrink as 1/√N.
      let ratio = max(1, widest.width / settledWidth)
      var needed = settledSamples
      while Double(needed) < Double(total) * ratio * ratio { needed *= 2 }
      let advice =
        spec.repeats > 1
        ? "samples × repeats of about \(needed)" : "samples: \(needed)"
      return "The ranking is not yet settled: " + reasons.joined(separator: ", and ")
        + ". A base sample of about \(needed) (\(advice)) would narrow every interval to "
        + "\(NumberFormat.brief(settledWidth)) or less."
    case .morris:
      let top = rows.compactMap { $0.morris?.muStar }.max() ?? 0
      guard top > 0 else { return nil }
      var widest = 0.0
      for row in rows {
        if let m = row.morris, let l = m.muStarLow, let h = m.muStarHigh {
          widest = max(widest, h - l)
        }
      }
      let relative = widest / top
      guard relative > settledWidth else { return nil }
      let ratio = relative / settledWidth
      let needed = Int((Double(spec.samples) * ratio * ratio).rounded(.up))
      return "The ranking is not yet settled: the widest interval of μ* spans "
        + "\(percent(relative)) of the largest μ*. About \(needed) trajectories (samples: "
        + "\(needed)) would narrow every interval to \(percent(settledWidth)) of it."
    }
  }

  /// The sentence for one target: the parameters that explain most of its variance.
  static func sentence(
    _ target: SensitivityTarget, rows: [SensitivityCollector.Row],
    _ collector: SensitivityCollector
  ) -> String {
    let spec = collector.spec
    let labels = spec.factors.map(\.shortLabel)
    let what = describe(target, collector.conditions)
    let floor = floor(rows, spec)
    let real = rows.filter { !spec.factors[$0.parameter].isDummy }
    var text: String
    if spec.method == .morris {
      let ranked = real.sorted { ($0.morris?.muStar ?? 0) > ($1.morris?.muStar ?? 0) }
      let names = ranked.prefix(3).map {
        "\(labels[$0.parameter]) (μ* "
          + interval($0.morris?.muStar ?? 0, $0.morris?.muStarLow, $0.morris?.muStarHigh) + ")"
      }
      text =
        "The largest elementary effects on \(what) come from "
        + names.joined(separator: ", ")
      if let floor {
        text +=
          ". The dummy, which the model ignores, reaches μ* \(NumberFormat.brief(floor)): "
          + "effects below that are not told apart from noise"
      }
    } else {
      let ranked = real.sorted { ($0.total?.estimate ?? 0) > ($1.total?.estimate ?? 0) }
      guard let top = ranked.first, let s1 = top.first, let st = top.total else { return "" }
      text =
        "\(labels[top.parameter]) explains \(percent(s1.estimate)) (95% CI "
        + "\(percent(s1.low)) to \(percent(s1.high))) of the variance in \(what) alone, and "
        + "\(percent(st.estimate)) (\(percent(st.low)) to \(percent(st.high))) with its "
        + "interactions"
      let next = ranked.dropFirst().prefix(2).filter { ($0.total?.estimate ?? 0) >= 0.05 }
      if !next.isEmpty {
        text +=
          "; then "
          + next.map {
            "\(labels[$0.parameter].lowercasedFirst) (\(percent($0.total?.estimate ?? 0)), "
              + "\(percent($0.total?.low ?? 0)) to \(percent($0.total?.high ?? 0)))"
          }
          .joined(separator: " and ")
      }
      let firstSum = real.reduce(0.0) { $0 + max(0, $1.first?.estimate ?? 0) }
      if firstSum < 0.9 {
        text += ". Interactions between parameters account for about \(percent(1 - firstSum))"
      }
      let threshold = floor ?? 0.02
      let negligible = ranked.filter { ($0.total?.high ?? 1) <= threshold }.map {
        labels[$0.parameter].lowercasedFirst
      }
      if !negligible.isEmpty {
        text +=
          ". No effect measurable above the noise floor"
          + (floor.map {
            " (\(NumberFormat.brief($0)), the upper 95% bound of the dummy's indices)"
          } ?? "")
          + ": " + negligible.joined(separator: ", ")
      } else if let floor {
        text +=
          ". Noise floor: the dummy, which the model ignores, reaches "
          + "\(NumberFormat.brief(floor))"
      }
    }
    if let settling = settling(rows, spec) {
      text += ". " + settling.dropLast()
    }
    return text + "."
  }

  /// What the noise share measures and what was done about the noise, in a sentence.
  static func noiseSentence(_ c: SensitivityCollector, share: Double?, rowsLeftOut: Int = 0)
    -> String
  {
    let r = c.replications
    var text =
      "Each point's mean is taken over \(Wording.count(r, "replication")). "
      // Without a share (one replication) the sentence on the correction says why.
      + (share.map {
        "The spread of those replications (the variance of a point's mean, s²/\(r)) is "
          + percent($0) + " of the variance between point means, averaged over the points. "
      }
        ?? "")
    if c.spec.method == .morris {
      text +=
        "The points of a trajectory share their replication seeds, and each trajectory has "
        + "its own, so the intervals of μ*, which resample trajectories, include the noise. "
        + "μ* itself is not corrected for it: noise adds to every absolute effect, so "
        + (c.spec.dummyIndex == nil
          ? "add `dummy: true` to the section to see how large a μ* noise alone gives."
          : "compare each μ* with the dummy's, which is noise alone.")
    } else if c.withoutReplications {
      text +=
        "This folder's points.csv predates the replication-noise columns, and its points all "
        + "ran on the same seeds: the indices are not corrected for that noise and the "
        + "intervals leave it out."
    } else if r < 2 {
      text +=
        "With one replication the noise cannot be measured: the indices include it (it "
        + "inflates ST like an interaction), though the intervals, which resample base rows, "
        + "each on its own seeds, cover its spread."
    } else {
      text +=
        "The points of a base row share their replication seeds, and each base row has "
        + "its own; the indices are corrected for the noise each row's replications show, and "
        + "the intervals, which resample base rows with their replications, include it."
      if rowsLeftOut > 0 {
        let n = c.spec.samples * c.spec.repeats
        text +=
          " \(rowsLeftOut) of \(n) base rows had too few replications with a value at "
          + "every point to measure their noise, and are left out."
      }
    }
    return text
  }

  /// The report: the finding for each metric's leading target in plain words, the charts,
  /// how to read them, what was varied, and a table per target.
  public static func build(
    name: String, description: String, command: String, engineVersion: String,
    modelVersion: Int, collector c: SensitivityCollector, rows: [SensitivityCollector.Row]
  ) -> ReportDocument {
    var doc = ReportDocument(
      title: name == "sensitivity"
        ? "Sensitivity analysis" : "\(Report.title(name)): sensitivity analysis")
    let spec = c.spec
    let labels = spec.factors.map(\.label)
    let metrics = Set(c.targets.map(\.metric)).sorted()
    let byTarget = Dictionary(grouping: rows, by: \.target)

    // Metrics whose leading targets move together are one finding.
    var groups: [[Int]] = []
    var correlations: [Int: Double] = [:]
    for metric in metrics {
      guard let target = primary(c, metric: metric) else { continue }
      if let g = groups.firstIndex(where: { group in
        guard let lead = primary(c, metric: group[0]),
          let r = c.correlation(lead, target), abs(r) > sameFinding
        else { return false }
        correlations[metric] = r
        return true
      }) {
        groups[g].append(metric)
      } else {
        groups.append([metric])
      }
    }

    doc.blocks.append(.heading(level: 2, text: "What came out"))
    var sentences: [String] = []
    for group in groups {
      guard let target = primary(c, metric: group[0]) else { continue }
      let own = byTarget[target] ?? []
      var sentence =
        own.isEmpty
        ? "No indices for \(describe(target, c.conditions)): it has no value at some points, "
          + "or does not vary once replication noise is taken out."
        : sentence(target, rows: own, c)
      if group.count > 1 {
        let others = group.dropFirst().map { metric -> String in
          let label = Report.metric(Metrics.names[metric]).label.lowercased()
          let r = correlations[metric] ?? 0
          return "\(label) (correlation \(NumberFormat.fixed(r, decimals: 3)) across the "
            + "design's points)"
        }
        sentence +=
          " The same holds for " + others.joined(separator: " and ")
          + ": the targets move together, so they are one finding, not separate evidence."
      }
      sentences.append(sentence)
    }
    doc.blocks.append(sentences.count == 1 ? .paragraph(sentences[0]) : .bullets(sentences))
    let shares = metrics.compactMap { primary(c, metric: $0) }.compactMap {
      byTarget[$0]?.first?.noiseShare
    }
    let leftOut = metrics.compactMap { primary(c, metric: $0) }.compactMap {
      byTarget[$0]?.first?.rowsLeftOut
    }
    doc.blocks.append(
      .paragraph(noiseSentence(c, share: shares.max(), rowsLeftOut: leftOut.max() ?? 0)))

    doc.blocks.append(.heading(level: 2, text: "Charts"))
    for metric in metrics {
      guard let target = primary(c, metric: metric), let own = byTarget[target] else {
        continue
      }
      let info = Report.metric(Metrics.names[metric])
      let floorValue = floor(own, spec)
      let chartRows: [SensitivityChart.Row]
      let svg: String
      let title =
        "What drives " + describe(target, c.conditions).replacingOccurrences(of: "**", with: "")
      if spec.method == .sobol {
        chartRows = own.sorted { ($0.total?.estimate ?? 0) > ($1.total?.estimate ?? 0) }.map {
          row in
          SensitivityChart.Row(
            label: labels[row.parameter], parameter: row.parameter,
            isDummy: spec.factors[row.parameter].isDummy,
            main: row.total.map { Estimate(mean: $0.estimate, low: $0.low, high: $0.high) },
            second: row.first.map { Estimate(mean: $0.estimate, low: $0.low, high: $0.high) })
        }
        svg = SensitivityChart.chart(
          title: title,
          subtitle: "Sobol' indices: share of the variance across the design, parameters by "
            + "total-order index; base sample \(spec.samples * spec.repeats), "
            + "\(Wording.count(c.replications, "replication")) per point",
          rows: chartRows, mainName: "Total order ST (with interactions)",
          secondName: "First order S1 (alone)", axis: "Share of variance",
          floor: floorValue.map { ($0, "Noise floor (the dummy's upper 95% bound)") },
          note: "Bars show the index estimates; whiskers show 95% bootstrap intervals over "
            + "base rows, each with its replications, so they include replication noise. "
            + "Colours follow the parameter, the same in every chart of this report.")
      } else {
        chartRows = own.sorted { ($0.morris?.muStar ?? 0) > ($1.morris?.muStar ?? 0) }.map {
          row in
          SensitivityChart.Row(
            label: labels[row.parameter], parameter: row.parameter,
            isDummy: spec.factors[row.parameter].isDummy,
            main: row.morris.map {
              Estimate(mean: $0.muStar, low: $0.muStarLow, high: $0.muStarHigh)
            },
            second: row.morris?.sigma.map { Estimate(mean: $0, low: nil, high: nil) })
        }
        let unit = info.unit.isEmpty ? "" : " (\(info.unit))"
        svg = SensitivityChart.chart(
          title: title,
          subtitle: "Morris screening: \(spec.samples) trajectories on a \(spec.levels)-level "
            + "grid, \(Wording.count(c.replications, "replication")) per point; parameters by μ*",
          rows: chartRows, mainName: "μ* (mean absolute effect)",
          secondName: "σ (spread of effects)",
          axis: "Change in \(info.label.lowercased())\(unit) over a parameter's full range",
          floor: floorValue.map { ($0, "Noise floor (the dummy's μ*, upper 95% bound)") },
          note: "Dark bars show μ*, the mean absolute elementary effect; whiskers its 95% "
            + "bootstrap interval over trajectories. Pale bars show σ, the spread of the "
            + "effects (no interval): large σ means interactions or curvature. Colours follow "
            + "the parameter, the same in every chart of this report.")
      }
      doc.blocks.append(
        .figure(
          file: "sensitivity-\(Metrics.names[metric]).svg", svg: svg,
          caption:
            "\(info.label): what drives \(target.name(c.conditions)), parameter by parameter."))
    }

    doc.blocks.append(.heading(level: 2, text: "How to read it"))
    doc.blocks.append(
      .paragraph(
        spec.method == .sobol
          ? "S1 is the share of a target's variance across the design that a parameter "
            + "explains alone; ST includes every interaction it takes part in. Intervals are "
            + "95% percentile bootstrap intervals: base rows are resampled, each with its "
            + "replications. A parameter whose ST interval stays below the noise floor cannot "
            + "be told from one that does nothing."
          : "μ* is the mean absolute elementary effect of a parameter across its range (the "
            + "screening measure), with a 95% bootstrap interval over trajectories; μ its "
            + "signed mean; σ how much the effect varies, which signals interactions or "
            + "non-linearity."))

    doc.blocks.append(.heading(level: 2, text: "What was varied"))
    if !description.isEmpty { doc.blocks.append(.paragraph(description)) }
    var facts = spec.factors.map { factor -> String in
      if factor.isDummy {
        return "Dummy (`dummy`): a design column the model ignores; it only re-draws the "
          + "replication seeds, so its index is what noise and sample size alone produce"
      }
      return "\(factor.label) (`\(factor.name)`) from \(NumberFormat.brief(factor.low)) to "
        + "\(NumberFormat.brief(factor.high))" + (factor.isInteger ? ", whole numbers" : "")
    }
    let design =
      spec.design == .scrambled
      ? "Owen-scrambled Sobol' points"
        + (spec.repeats > 1 ? ", \(spec.repeats) independent scrambles" : "")
      : "the unscrambled Sobol' sequence from point \(spec.samples) on"
    facts.append(
      spec.method == .sobol
        ? "Sobol' indices: base sample \(spec.samples) (\(design)), \(spec.pointCount) points "
          + "(Saltelli's scheme), \(Wording.count(c.replications, "replication")) per point and condition"
        : "Morris screening: \(spec.samples) trajectories on a \(spec.levels)-level grid, "
          + "\(spec.pointCount) points, \(Wording.count(c.replications, "replication")) per point and condition"
    )
    facts.append("Conditions: " + c.conditions.map { "**\($0)**" }.joined(separator: ", "))
    doc.blocks.append(.bullets(facts))

    doc.blocks.append(.heading(level: 2, text: "Indices"))
    for target in c.targets {
      guard let own = byTarget[target] else { continue }
      let info = Report.metric(Metrics.names[target.metric])
      doc.blocks.append(
        .heading(level: 3, text: "\(target.name(c.conditions)): \(info.label.lowercased())"))
      let repeats = spec.method == .sobol && spec.repeats > 1
      let header =
        spec.method == .sobol
        ? ["parameter", "key", "S1 [95% CI]", "ST [95% CI]"]
          + (repeats ? ["S1 ± (repeats)", "ST ± (repeats)"] : [])
        : ["parameter", "key", "μ* [95% CI]", "μ", "σ"]
      let ordered =
        spec.method == .sobol
        ? own.sorted { ($0.total?.estimate ?? 0) > ($1.total?.estimate ?? 0) }
        : own.sorted { ($0.morris?.muStar ?? 0) > ($1.morris?.muStar ?? 0) }
      let table = ordered.map { row -> [String] in
        let name = [labels[row.parameter], "`\(spec.keys[row.parameter])`"]
        if let s1 = row.first, let st = row.total {
          var cells =
            name + [interval(s1.estimate, s1.low, s1.high), interval(st.estimate, st.low, st.high)]
          if repeats {
            cells += [s1.repeatError, st.repeatError].map { $0.map(NumberFormat.brief) ?? "–" }
          }
          return cells
        }
        let m = row.morris
        return name + [
          interval(m?.muStar ?? 0, m?.muStarLow, m?.muStarHigh), NumberFormat.brief(m?.mu ?? 0),
          m?.sigma.map(NumberFormat.brief) ?? "–",
        ]
      }
      doc.blocks.append(
        .table(
          header: header, rows: table,
          numeric: [false, false] + Array(repeating: true, count: header.count - 2)))
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

extension String {
  /// The string with its first letter lower-cased, unless the first word is an acronym
  /// ("Arrival rate" → "arrival rate", "AI count" stays).
  fileprivate var lowercasedFirst: String {
    let firstWord = prefix { $0 != " " }
    if firstWord.count > 1 && firstWord.allSatisfy(\.isUppercase) { return self }
    return prefix(1).lowercased() + dropFirst()
  }
}
