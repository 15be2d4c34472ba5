import EnsembleAnalysis
import EnsembleExperiments
import Testing

@testable import EnsembleReport

/// What a report says, built from hand-made statistics: the sentences for a rise, a fall
/// and no clear difference, for sweeps and for single-condition experiments.
@Suite("Report sentences")
struct ReportSentenceTests {
  /// A manifest of `conditions` (the first is the baseline), swept over `points`.
  static func manifest(
    conditions: [String], sweptKeys: [String] = [], points: [[String]] = [],
    metrics: [String] = ["correct_rate", "escape_rate"], replications: Int = 10
  ) throws -> ResultManifest {
    let json = JSON.object([
      ("format", .string("ensemble-results")),
      ("formatVersion", JSON.integer(1)),
      ("engineVersion", .string("test")),
      ("modelVersion", JSON.integer(2)),
      ("complete", .bool(true)),
      (
        "experiment",
        JSON.object([
          ("name", .string("sentences")), ("description", .string("Hand-made numbers.")),
          ("seed", .string("1")), ("replications", JSON.integer(replications)),
          ("baseline", .string(conditions[0])),
          ("reportMetrics", JSON.array(metrics.map { .string($0) })),
        ])
      ),
      ("conditions", JSON.array(conditions.map { .string($0) })),
      ("sweptKeys", JSON.array(sweptKeys.map { .string($0) })),
      ("points", JSON.array(points.map { JSON.array($0.map { .string($0) }) })),
      ("experimentText", .string("{}")),
      (
        "plan",
        JSON.object([
          ("conditions", JSON.integer(conditions.count)),
          ("points", JSON.integer(max(1, points.count))),
          ("replications", JSON.integer(replications)),
          ("units", JSON.integer(max(1, points.count) * replications)),
          ("runs", JSON.integer(max(1, points.count) * replications * conditions.count)),
        ])
      ),
      (
        "shard",
        JSON.object([
          ("index", JSON.integer(1)), ("count", JSON.integer(1)), ("firstUnit", JSON.integer(0)),
          ("endUnit", JSON.integer(max(1, points.count) * replications)),
        ])
      ),
      ("command", .string("ensemble run sentences")),
    ])
    return try ResultManifest(JSON.node(json))
  }

  /// Statistics where, at each point, condition c's value of metric m in replication r is
  /// `value(c, point, m, r)`.
  static func statistics(
    _ manifest: ResultManifest, metrics: [String] = ["correct_rate", "escape_rate"],
    value: (Int, Int, Int, Int) -> Double?
  ) -> ResultStatistics {
    let layout = ResultLayout(
      conditions: manifest.conditions, baseline: manifest.baseline,
      sweptKeys: manifest.sweptKeys, points: manifest.points, metrics: metrics)
    var statistics = ResultStatistics(layout: layout)
    for p in 0..<max(1, manifest.points.count) {
      for r in 0..<manifest.replications {
        let values = manifest.conditions.indices.map { c in
          metrics.indices.map { m in value(c, p, m, r) }
        }
        statistics.add(point: p, values: values)
      }
    }
    return statistics
  }

  /// Replication noise that is the same in every condition (common random numbers).
  static func noise(_ r: Int) -> Double { Double(r % 5) * 0.01 }

  /// The paragraphs and bullets of the "What came out" section, without the standing note
  /// on intervals.
  static func finding(_ document: ReportDocument) -> [String] {
    var inside = false
    var lines: [String] = []
    for block in document.blocks {
      if case .heading(_, let text) = block {
        inside = text == "What came out"
        continue
      }
      guard inside else { continue }
      if case .paragraph(let text) = block, !text.hasPrefix("Intervals are") { lines.append(text) }
      if case .bullets(let items) = block { lines += items }
    }
    return lines
  }

  @Test("a clear rise: the verb, the percentage, the interval and the other metrics")
  func rise() throws {
    let m = try Self.manifest(conditions: ["loose", "tight"])
    let s = Self.statistics(m) { c, _, metric, r in
      metric == 0 ? 0.5 + Self.noise(r) + (c == 1 ? 0.1 + Self.noise(r) / 10 : 0) : 0.2
    }
    let text = Self.finding(Report.build(manifest: m, statistics: s))[0]
    #expect(text.hasPrefix("**tight** delivered 20% more correct work than **loose** (95% CI +"))
    #expect(text.contains("10 paired replications"))
    #expect(text.hasSuffix("with no clear difference in escape rate."))
  }

  @Test("a clear fall reads as less, with the metric's own words")
  func fall() throws {
    let m = try Self.manifest(conditions: ["a", "b"])
    let s = Self.statistics(m) { c, _, metric, r in
      metric == 0 ? 0.5 + Self.noise(r) - (c == 1 ? 0.05 : 0) : 0.2 - (c == 1 ? 0.1 : 0)
    }
    let text = Self.finding(Report.build(manifest: m, statistics: s))[0]
    #expect(text.hasPrefix("**b** delivered 9.6% less correct work than **a**"))
    #expect(text.contains("with 50% fewer escaped errors."))
  }

  @Test("no clear difference when the interval straddles zero")
  func unclear() throws {
    let m = try Self.manifest(conditions: ["a", "b"], metrics: ["correct_rate"])
    let s = Self.statistics(m, metrics: ["correct_rate"]) { c, _, _, r in
      0.5 + (c == 1 ? (r % 2 == 0 ? 0.01 : -0.01) : 0)
    }
    let text = Self.finding(Report.build(manifest: m, statistics: s))[0]
    #expect(text.hasPrefix("**b** showed no clear difference in correct rate from **a** (95% CI"))
  }

  @Test("a sweep says where the difference holds and how far it ranges")
  func sweep() throws {
    let m = try Self.manifest(
      conditions: ["a", "b"], sweptKeys: ["design.reviewRate"],
      points: [["0"], ["0.5"], ["1"]], metrics: ["correct_rate"])
    // b is higher at point 0, indistinguishable at point 1, lower at point 2.
    let s = Self.statistics(m, metrics: ["correct_rate"]) { c, p, _, r in
      guard c == 1 else { return 0.5 + Self.noise(r) }
      let shift = [0.1, r % 2 == 0 ? 0.01 : -0.01, -0.1][p]
      return 0.5 + Self.noise(r) + shift
    }
    let lines = Self.finding(Report.build(manifest: m, statistics: s))
    #expect(
      lines == [
        "Across the 3 sweep points, the correct rate of **b** ranged from -19% to +19% relative "
          + "to **a**: clearly higher at design.reviewRate = 0, clearly lower at "
          + "design.reviewRate = 1, not distinguishable from it at design.reviewRate = 0.5."
      ])
  }

  @Test("a sweep whose relative change is the same everywhere says it once, not 'from x to x'")
  func sweepConstant() throws {
    let m = try Self.manifest(
      conditions: ["a", "b"], sweptKeys: ["design.reviewRate"], points: [["0"], ["1"]],
      metrics: ["correct_rate"])
    let s = Self.statistics(m, metrics: ["correct_rate"]) { c, _, _, r in
      (0.5 + Self.noise(r)) * (c == 1 ? 1.31 : 1)
    }
    let line = Self.finding(Report.build(manifest: m, statistics: s))[0]
    #expect(line.contains("of **b** was +31% relative to **a**"), "\(line)")
    #expect(!line.contains("ranged from"))
  }

  @Test("a shard's report covers only its own sweep points, and says it is a shard")
  func shardPoints() throws {
    var m = try Self.manifest(
      conditions: ["a", "b"], sweptKeys: ["design.reviewRate"], points: [["0"], ["0.5"], ["1"]],
      metrics: ["correct_rate"])
    // Shard 2 of 3 holds units 10 to 19: the second point only.
    (m.shardIndex, m.shardCount, m.firstUnit, m.endUnit) = (2, 3, 10, 20)
    let s = Self.statistics(m, metrics: ["correct_rate"]) { c, p, _, r in
      p == 1 ? 0.5 + Self.noise(r) + (c == 1 ? 0.1 : 0) : nil
    }
    let document = Report.build(manifest: m, statistics: s)
    #expect(document.markdown.contains("Shard 2 of 3"))
    #expect(document.markdown.contains("| b | 0.5 |"))
    #expect(!document.markdown.contains("| b | 0 |") && !document.markdown.contains("| b | 1 |"))
  }

  @Test("a single condition reports each level with its interval")
  func single() throws {
    let m = try Self.manifest(conditions: ["only"], metrics: ["mean_wait"], replications: 4)
    let s = Self.statistics(m, metrics: ["mean_wait"]) { _, _, _, r in [1.0, 2, 3, 2][r] }
    let lines = Self.finding(Report.build(manifest: m, statistics: s))
    #expect(lines.count == 1)
    #expect(lines[0].hasPrefix("**only**: mean wait 2 hours (95% CI 0.701 to 3.3)"))
    #expect(lines[0].hasSuffix("over 4 replications."))
  }

  @Test("labels come from the metric table; an unknown metric gets plain words")
  func labels() {
    #expect(Report.metric("p90_cycle").label == "90th percentile cycle time")
    #expect(Report.metric("rework_hours").rise == "more rework")
    let unknown = Report.metric("new_thing")
    #expect(unknown.label == "new thing")
    #expect(unknown.fall == "lower new thing")
  }
}
