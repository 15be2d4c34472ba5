/// The shape of a result table: which conditions, sweep points and metrics it has.
public struct ResultLayout: Sendable, Equatable {
  /// Condition names in plan order.
  public var conditions: [String]
  /// Index of the baseline condition in `conditions`.
  public var baseline: Int
  /// Swept keys, in grid order.
  public var sweptKeys: [String]
  /// For each sweep point, the text of each swept key's value (empty without a sweep).
  public var points: [[String]]
  /// Metric names, in column order.
  public var metrics: [String]

  public init(
    conditions: [String], baseline: Int, sweptKeys: [String], points: [[String]],
    metrics: [String]
  ) {
    self.conditions = conditions
    self.baseline = baseline
    self.sweptKeys = sweptKeys
    self.points = points
    self.metrics = metrics
  }

  /// Columns of `summary.csv`.
  public var summaryHeader: [String] {
    ["condition", "point"] + sweptKeys + ["metric", "n", "mean", "sd", "ci_low", "ci_high"]
  }

  /// Columns of `contrasts.csv`.
  public var contrastsHeader: [String] {
    ["condition", "baseline", "point"] + sweptKeys
      + ["metric", "n", "mean_diff", "ci_low", "ci_high", "rel_change", "effect_size"]
  }
}

/// Running statistics of a result table: one ``RunningStats`` per condition, point and
/// metric, and one ``PairedAccumulator`` per non-baseline condition, point and metric.
///
/// Memory depends on the number of conditions, points and metrics, never on the number of
/// replications. Values must be added in replication order for each point; the results
/// then depend only on the values, so a run and a rebuild from `runs.csv` agree to the bit.
public struct ResultStatistics: Sendable {
  public let layout: ResultLayout
  /// `summaries[(condition * points + point) * metrics + metric]`.
  var summaries: [RunningStats]
  var contrasts: [PairedAccumulator]

  public init(layout: ResultLayout) {
    self.layout = layout
    let cells = layout.conditions.count * max(1, layout.points.count) * layout.metrics.count
    summaries = Array(repeating: RunningStats(), count: cells)
    contrasts = Array(repeating: PairedAccumulator(), count: cells)
  }

  func cell(_ condition: Int, _ point: Int, _ metric: Int) -> Int {
    (condition * max(1, layout.points.count) + point) * layout.metrics.count + metric
  }

  /// Adds one replication at `point`: `values[condition][metric]`, nil where undefined.
  public mutating func add(point: Int, values: [[Double?]]) {
    let baseline = values[layout.baseline]
    for (c, row) in values.enumerated() {
      for (m, value) in row.enumerated() {
        let i = cell(c, point, m)
        if let value { summaries[i].add(value) }
        if c != layout.baseline { contrasts[i].add(value, baseline: baseline[m]) }
      }
    }
  }

  /// Adds one replication of one condition at `point`, with the baseline's values of the
  /// same replication. Adding every condition's replications this way, in replication order
  /// per condition, gives exactly the state of ``add(point:values:)``: no cell depends on
  /// another condition's order.
  public mutating func add(condition c: Int, point: Int, values: [Double?], baseline: [Double?]) {
    for (m, value) in values.enumerated() {
      let i = cell(c, point, m)
      if let value { summaries[i].add(value) }
      if c != layout.baseline { contrasts[i].add(value, baseline: baseline[m]) }
    }
  }

  /// The statistics of sweep points `range` only, renumbered from 0 (what a shard that
  /// holds those points can speak of).
  public func restricted(toPoints range: Range<Int>) -> ResultStatistics {
    guard !layout.points.isEmpty, range != 0..<layout.points.count else { return self }
    var layout = self.layout
    layout.points = Array(self.layout.points[range])
    var result = ResultStatistics(layout: layout)
    for c in layout.conditions.indices {
      for (p, old) in range.enumerated() {
        for m in layout.metrics.indices {
          result.summaries[result.cell(c, p, m)] = summaries[cell(c, old, m)]
          result.contrasts[result.cell(c, p, m)] = contrasts[cell(c, old, m)]
        }
      }
    }
    return result
  }

  public func summary(condition: Int, point: Int, metric: Int) -> Summary {
    Summary(summaries[cell(condition, point, metric)])
  }

  public func contrast(condition: Int, point: Int, metric: Int) -> Contrast {
    contrasts[cell(condition, point, metric)].contrast()
  }

  /// The baseline's values over the pairs of ``contrast(condition:point:metric:)``: their
  /// mean is the denominator of its relative change, their Student-t interval says whether
  /// that mean is distinguishable from zero.
  public func pairedBaseline(condition: Int, point: Int, metric: Int) -> Summary {
    Summary(contrasts[cell(condition, point, metric)].baselines)
  }

  /// `summary.csv`: condition, point, swept values, metric, n, mean, sd, 95% CI.
  public var summaryCSV: String {
    var text = CSV.line(layout.summaryHeader)
    for (c, condition) in layout.conditions.enumerated() {
      for p in 0..<max(1, layout.points.count) {
        let swept = layout.points.isEmpty ? [] : layout.points[p]
        for (m, metric) in layout.metrics.enumerated() {
          let s = summary(condition: c, point: p, metric: m)
          text += CSV.line(
            [condition, String(p)] + swept + [metric, String(s.n)]
              + [s.mean, s.sd, s.ciLow, s.ciHigh].map(CSV.formatNumber))
        }
      }
    }
    return text
  }

  /// `contrasts.csv`: paired differences of every other condition from the baseline.
  public var contrastsCSV: String {
    var text = CSV.line(layout.contrastsHeader)
    let baseline = layout.conditions[layout.baseline]
    for (c, condition) in layout.conditions.enumerated() where c != layout.baseline {
      for p in 0..<max(1, layout.points.count) {
        let swept = layout.points.isEmpty ? [] : layout.points[p]
        for (m, metric) in layout.metrics.enumerated() {
          let k = contrast(condition: c, point: p, metric: m)
          text += CSV.line(
            [condition, baseline, String(p)] + swept + [metric, String(k.n)]
              + [k.meanDiff, k.ciLow, k.ciHigh, k.relChange, k.effectSize].map(CSV.formatNumber))
        }
      }
    }
    return text
  }
}
