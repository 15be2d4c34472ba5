import EnsembleAnalysis
import EnsembleExperiments
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

  /// "Correct rate (share of tasks)": a metric's label with its unit.
  static func labelWithUnit(_ info: MetricDescriptor) -> String {
    info.unit.isEmpty ? info.label : "\(info.label) (\(info.unit))"
  }

  /// A report's title from an experiment's name: "arrival-rate" → "Arrival rate",
  /// "ai-share" → "AI share".
  static func title(_ name: String) -> String {
    let words = name.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { word in
      word == "ai" ? "AI" : String(word)
    }
    return Wording.capitalised(words.joined(separator: " "))
  }

  /// The standing note under every finding.
  static let intervalNote =
    "Intervals are 95% confidence intervals. Every condition of a replication faces the same "
    + "tasks, so differences are paired: a difference whose interval excludes zero is one the "
    + "replications support. The interval of a mean is a Student-t interval taken on the logit "
    + "scale for shares and on the log scale for counts, hours, costs and rates, so that it stays "
    + "within the metric's range (`summary.csv` keeps the plain Student-t interval); a relative "
    + "change is left out where the baseline's mean is within its own interval of zero."

  /// The report of a result: the finding in plain words, what was compared, tables of
  /// every headline metric and of the differences, the charts and the reproducing command.
  public static func build(manifest m: ResultManifest, statistics all: ResultStatistics)
    -> ReportDocument
  {
    // A shard speaks only of the sweep points it holds runs of.
    let held = heldPoints(m)
    let x = Context(m, all.restricted(toPoints: held), pointOffset: held.lowerBound)
    var doc = ReportDocument(title: title(m.name))

    doc.blocks.append(.heading(level: 2, text: "What came out"))
    doc.blocks += x.finding()
    doc.blocks.append(.paragraph(intervalNote))
    let forest = x.forestPlot()
    let leadWithForest = forest != nil && x.pointCount <= 1
    if leadWithForest, let forest { doc.blocks.append(forest) }

    doc.blocks.append(.heading(level: 2, text: "What was compared"))
    if !m.description.isEmpty { doc.blocks.append(.paragraph(m.description)) }
    doc.blocks.append(.bullets(x.facts(all: all, held: held)))
    doc.blocks += x.designBlocks()

    doc.blocks.append(.heading(level: 2, text: "Results by condition"))
    doc.blocks += x.resultsTables()
    if m.conditions.count > 1 {
      doc.blocks.append(.heading(level: 2, text: "Differences from \(x.baselineName)"))
      doc.blocks += x.differenceTables()
    }

    doc.blocks.append(.heading(level: 2, text: "Charts"))
    doc.blocks += x.charts()
    if !leadWithForest, let forest { doc.blocks.append(forest) }

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

  /// A manifest and its statistics, with the look-ups every part of the report needs.
  struct Context {
    let m: ResultManifest
    let s: ResultStatistics
    /// The report's metrics that the statistics hold, in the manifest's order.
    let metrics: [String]
    let index: [String: Int]
    /// The plan index of this result's first sweep point (a shard's first).
    let pointOffset: Int

    init(_ m: ResultManifest, _ s: ResultStatistics, pointOffset: Int = 0) {
      self.m = m
      self.pointOffset = pointOffset
      self.s = s
      let index = Dictionary(
        uniqueKeysWithValues: s.layout.metrics.enumerated().map { ($1, $0) })
      self.index = index
      metrics = m.reportMetrics.filter { index[$0] != nil }
    }

    var layout: ResultLayout { s.layout }
    var pointCount: Int { max(1, layout.points.count) }
    var isSweep: Bool { !layout.sweptKeys.isEmpty }
    var baselineName: String { m.conditions[m.baseline] }
    var others: [Int] { m.conditions.indices.filter { $0 != m.baseline } }

    /// The mean of `metric` for condition `c` at point `p`, with its bounded interval.
    func level(_ c: Int, _ p: Int, _ metric: String) -> Level {
      let summary = s.summary(condition: c, point: p, metric: index[metric]!)
      let bounded = BoundedInterval.interval(summary, within: Report.metric(metric).bounds.range)
      return Level(mean: summary.mean, low: bounded?.low, high: bounded?.high)
    }

    /// Condition `c` against the baseline at point `p`.
    func paired(_ c: Int, _ p: Int, _ metric: String) -> PairedPoint {
      let i = index[metric]!
      return PairedPoint(
        s.contrast(condition: c, point: p, metric: i),
        baseline: s.pairedBaseline(condition: c, point: p, metric: i))
    }

    /// "arrival rate 4", "AI count 3, experts count 1": a point in words.
    func pointText(_ p: Int) -> String {
      guard isSweep else { return "" }
      return zip(layout.sweptKeys, layout.points[p]).map { key, value in
        "\(Wording.inSentence(ParameterRegistry.label(of: key))) \(value)"
      }.joined(separator: ", ")
    }

    /// The points of a one-key sweep in increasing order of the swept value (as given when
    /// the values are words), and the values when they are numbers.
    func orderedPoints() -> (order: [Int], xs: [Double]?) {
      let values = layout.points.map { $0[0] }
      let numbers = values.compactMap(Double.init)
      guard numbers.count == values.count else { return (Array(values.indices), nil) }
      let order = values.indices.sorted { numbers[$0] < numbers[$1] }
      return (order, order.map { numbers[$0] })
    }
  }
}
