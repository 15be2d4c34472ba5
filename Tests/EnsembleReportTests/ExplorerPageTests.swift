import EnsembleAnalysis
import EnsembleModel
import Foundation
import Testing

@testable import EnsembleReport

/// What `explore.html` embeds, read back in Swift: the numbers decode to the statistics'
/// own doubles, the baseline over a contrast's pairs is there when it differs from the
/// baseline's summary, the budget picks the metrics and the precision, and no text of the
/// experiment can end the page's script.
@Suite("Explorer page")
struct ExplorerPageTests {
  typealias Fixture = ReportSentenceTests

  /// The page's data as a dictionary.
  static func data(_ page: String) throws -> [String: Any] {
    let start = try #require(
      page.range(of: "<script type=\"application/json\" id=\"ensemble-data\">"))
    let end = try #require(page[start.upperBound...].range(of: "</script>"))
    let json = String(page[start.upperBound..<end.lowerBound])
    return try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  /// Little-endian doubles from base64.
  static func doubles(_ text: String) throws -> [Double] {
    let bytes = [UInt8](try #require(Data(base64Encoded: text)))
    return stride(from: 0, to: bytes.count, by: 8).map { i in
      var bits: UInt64 = 0
      for k in 0..<8 { bits |= UInt64(bytes[i + k]) << (8 * k) }
      return Double(bitPattern: bits)
    }
  }

  static func int32s(_ text: String) throws -> [Int] {
    let bytes = [UInt8](try #require(Data(base64Encoded: text)))
    return stride(from: 0, to: bytes.count, by: 4).map { i in
      Int(Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i + $1]) << (8 * $1) }))
    }
  }

  @Test(
    "the numbers read back as the statistics' doubles; n and paired baselines where they differ")
  func numbersRoundTrip() throws {
    let manifest = try Fixture.manifest(
      conditions: ["base", "other", "third"], sweptKeys: ["team.ai.count"],
      points: [["1"], ["3"]], replications: 6)
    // escape_rate is missing for the baseline in replication 0 at point 1, and for "other"
    // in replication 1: n drops, and the pairs' baseline is not the baseline's summary.
    let statistics = Fixture.statistics(manifest) { c, p, m, r in
      if m == 1 && p == 1 && ((c == 0 && r == 0) || (c == 1 && r == 1)) { return nil }
      return 0.2 + 0.1 * Double(c) + 0.01 * Double(p) + Fixture.noise(r) * Double(m + 1)
    }
    let data = try Self.data(Explorer.page(manifest: manifest, statistics: statistics))
    #expect(data["precision"] as? Int == 64)
    let metrics = try #require(data["metrics"] as? [[String: Any]])
    #expect(metrics.map { $0["name"] as? String } == ["correct_rate", "escape_rate"])
    #expect(metrics[0]["label"] as? String == "Correct rate")
    #expect(metrics[0]["better"] as? String == "higher")
    let cells = try #require(data["cells"] as? [[String: Any]])
    for (m, cell) in cells.enumerated() {
      let s = try Self.doubles(try #require(cell["s"] as? String))
      let d = try Self.doubles(try #require(cell["d"] as? String))
      for c in 0..<3 {
        for p in 0..<2 {
          let x = statistics.summary(condition: c, point: p, metric: m)
          let i = (c * 2 + p) * 3
          #expect(s[i] == x.mean && s[i + 1] == x.ciLow && s[i + 2] == x.ciHigh)
        }
      }
      for (o, c) in [1, 2].enumerated() {
        for p in 0..<2 {
          let k = statistics.contrast(condition: c, point: p, metric: m)
          let i = (o * 2 + p) * 3
          #expect(d[i] == k.meanDiff && d[i + 1] == k.ciLow && d[i + 2] == k.ciHigh)
        }
      }
      if m == 0 {
        #expect(cell["sn"] == nil && cell["dn"] == nil && cell["pb"] == nil, "all complete")
      } else {
        let sn = try Self.int32s(try #require(cell["sn"] as? String))
        #expect(sn == [6, 5, 6, 5, 6, 6])
        let dn = try Self.int32s(try #require(cell["dn"] as? String))
        #expect(dn == [6, 4, 6, 5])
        let pb = try Self.doubles(try #require(cell["pb"] as? String))
        let paired = statistics.pairedBaseline(condition: 1, point: 1, metric: 1)
        #expect(pb[3] == paired.mean && pb[4] == paired.ciLow && pb[5] == paired.ciHigh)
        #expect(paired != statistics.summary(condition: 0, point: 1, metric: 1))
      }
    }
    let keys = try #require(data["keys"] as? [[String: Any]])
    #expect(keys.first?["label"] as? String == "AI count")
    #expect(keys.first?["numbers"] as? [Double] == [1, 3])
    #expect(data["points"] == nil, "a grid needs no list of points")
  }

  @Test("a full grid is recognised; any other list of points is embedded")
  func grids() {
    let values = [["1", "2"], ["a", "b", "c"]]
    var grid: [[String]] = []
    for x in values[0] { for y in values[1] { grid.append([x, y]) } }
    #expect(Explorer.isGrid(grid, values))
    #expect(!Explorer.isGrid(Array(grid.reversed()), values))
    #expect(!Explorer.isGrid(Array(grid.dropLast()), values))
    #expect(
      Explorer.isGrid([["4"], ["2"], ["9"]], [["4", "2", "9"]]), "one key, in the order given")
  }

  @Test("the budget: every metric while it fits, then the report's, then single precision")
  func budget() throws {
    func contents(points: Int, conditions: Int) throws -> Explorer.Contents {
      let names = (0..<conditions).map { "c\($0)" }
      let manifest = try Fixture.manifest(
        conditions: names, sweptKeys: ["horizon"], points: (0..<points).map { [String($0 + 1)] },
        metrics: ["correct_rate", "escape_rate", "mean_cycle", "cost_per_correct"])
      let layout = ResultLayout(
        conditions: names, baseline: 0, sweptKeys: ["horizon"],
        points: manifest.points, metrics: Metrics.table.map(\.name))
      return Explorer.contents(manifest, layout)
    }
    // Bytes of base64 per metric at 8-byte doubles: (C + C - 1) × P × 3 × 8 × 4/3.
    #expect(
      try contents(points: 100, conditions: 2)
        == .init(metrics: Metrics.table.map(\.name), precision: 64))
    let report = ["correct_rate", "escape_rate", "mean_cycle", "cost_per_correct"]
    // 10,000 points, 2 conditions: 25 metrics would take 24 MB, the report's 4 take 3.84 MB.
    #expect(try contents(points: 10_000, conditions: 2) == .init(metrics: report, precision: 64))
    // 4 conditions: 8.96 MB in doubles, 4.48 MB in floats.
    #expect(try contents(points: 10_000, conditions: 4) == .init(metrics: report, precision: 32))
  }

  @Test("no text of the experiment can end the script or the page, and the page has no address")
  func escaping() throws {
    let manifest = try Fixture.manifest(conditions: ["</script><b>x", "a&b \"q\" \u{2028}"])
    let statistics = Fixture.statistics(manifest) { c, _, _, r in 0.5 + 0.01 * Double(c + r) }
    let page = Explorer.page(manifest: manifest, statistics: statistics)
    #expect(!page.contains("</script><b>"))
    #expect(page.contains("\\u003c/script\\u003e\\u003cb\\u003ex"))
    let data = try Self.data(page)
    #expect(data["conditions"] as? [String] == ["</script><b>x", "a&b \"q\" \u{2028}"])
    #expect(!page.contains("http"), "nothing to fetch, not even a namespace")
    #expect(page == Explorer.page(manifest: manifest, statistics: statistics), "deterministic")
  }

  @Test("base64 as RFC 4648 writes it")
  func base64() {
    for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
      #expect(Base64.encode(Array(text.utf8)) == Data(text.utf8).base64EncodedString())
    }
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
  }
}
