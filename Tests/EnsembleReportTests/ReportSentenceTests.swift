import EnsembleAnalysis
import EnsembleExperiments
import Foundation
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

  @Test("a sweep says where the difference stops being clear and where it turns, interpolated")
  func sweep() throws {
    let m = try Self.manifest(
      conditions: ["a", "b"], sweptKeys: ["design.reviewRate"],
      points: [["0"], ["0.5"], ["1"]], metrics: ["correct_rate"])
    // b is 0.1 higher at point 0, indistinguishable at point 1, 0.1 lower at point 2.
    let wobble = { (r: Int) in r % 2 == 0 ? 0.01 : -0.01 }
    let s = Self.statistics(m, metrics: ["correct_rate"]) { c, p, _, r in
      guard c == 1 else { return 0.5 + Self.noise(r) }
      return 0.5 + Self.noise(r) + [0.1, wobble(r), -0.1][p]
    }
    let text = Self.finding(Report.build(manifest: m, statistics: s)).joined(separator: "\n")
    // The middle point's differences alternate ±0.01: mean 0, and an interval of ±h.
    let h = try #require(Summary(of: (0..<10).map(wobble)).ciHigh)
    // The lower end of the interval falls from 0.1 (at 0) to -h (at 0.5): zero at 0.5 · 0.1/(0.1 + h).
    let stops = Wording.number(0.5 * 0.1 / (0.1 + h))
    // The upper end falls from +h (at 0.5) to -0.1 (at 1): zero at 0.5 + 0.5 · h/(h + 0.1).
    let leaves = Wording.number(0.5 + 0.5 * h / (h + 0.1))
    #expect(
      text.contains(
        "between review rate 0 and 0.5 the difference (more correct work) stops being clear"),
      "\(text)")
    #expect(
      text.contains("the lower end of its interval reaches zero at about \(stops)"), "\(text)")
    #expect(
      text.contains("between review rate 0.5 and 1 it becomes clearly lower (less correct work)"))
    #expect(text.contains("the interval leaves zero at about \(leaves)"), "\(text)")
    #expect(
      text.contains(
        "more correct work than **a** at review rate 0, no clear difference at review rate 0.5"))
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
    #expect(
      line.contains("clearly more correct work than **a** at every point (+31% throughout)"),
      "\(line)")
    #expect(!line.contains("+31% at review rate 0 to +31%"))
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
    #expect(document.markdown.contains("| 0.5 |"))
    #expect(!document.markdown.contains("| 0 |") && !document.markdown.contains("| 1 |"))
  }

  @Test("a single condition reports each level with its interval, on the log scale for hours")
  func single() throws {
    let m = try Self.manifest(conditions: ["only"], metrics: ["mean_wait"], replications: 4)
    let s = Self.statistics(m, metrics: ["mean_wait"]) { _, _, _, r in [1.0, 2, 3, 2][r] }
    let lines = Self.finding(Report.build(manifest: m, statistics: s))
    // Mean 2 with Student-t half-width h: on the log scale, 2·exp(±h/2).
    let t = try #require(Summary(of: [1.0, 2, 3, 2]).ciHigh) - 2
    let (low, high) = (2 * exp(-t / 2), 2 * exp(t / 2))
    #expect(lines.count == 1)
    #expect(
      lines[0].hasPrefix(
        "**only**: mean wait 2 hours (95% CI \(Wording.number(low)) to \(Wording.number(high)))"),
      "\(lines[0])")
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
