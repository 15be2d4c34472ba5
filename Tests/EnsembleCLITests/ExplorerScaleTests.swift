import EnsembleAnalysis
import EnsembleModel
import EnsembleReport
import Foundation
import Testing

/// The explorer of a 10,000-point sweep: the page stays under 5 MB, and in headless
/// Chromium a slider move (the event handler, style and layout of the new views) takes
/// well under 100 ms. The result is synthetic (statistics built from made-up values of
/// every metric, within each metric's bounds), since 10,000 points × 2 conditions of real
/// runs would take minutes in a debug build; the page only sees the statistics.
@Suite("Explorer at 10,000 points", .serialized)
struct ExplorerScaleTests {
  /// A manifest of two conditions over the grid of `values` (first key slowest).
  static func manifest(keys: [String], values: [[String]], replications: Int) throws
    -> ResultManifest
  {
    var points: [[String]] = [[]]
    for list in values { points = points.flatMap { p in list.map { p + [$0] } } }
    let units = points.count * replications
    let json = JSON.object([
      ("format", .string("ensemble-results")), ("formatVersion", JSON.integer(1)),
      ("engineVersion", .string("test")), ("modelVersion", JSON.integer(2)),
      ("complete", .bool(true)),
      (
        "experiment",
        JSON.object([
          ("name", .string("synthetic-sweep")), ("description", .string("Made-up numbers.")),
          ("seed", .string("1")), ("replications", JSON.integer(replications)),
          ("baseline", .string("unstructured")),
          (
            "reportMetrics",
            JSON.array(
              ["correct_rate", "escape_rate", "mean_cycle", "cost_per_correct"].map { .string($0) })
          ),
        ])
      ),
      ("conditions", JSON.array([.string("unstructured"), .string("structured")])),
      ("sweptKeys", JSON.array(keys.map { .string($0) })),
      ("points", JSON.array(points.map { JSON.array($0.map { .string($0) }) })),
      ("experimentText", .string("{}")),
      (
        "plan",
        JSON.object([
          ("conditions", JSON.integer(2)), ("points", JSON.integer(points.count)),
          ("replications", JSON.integer(replications)), ("units", JSON.integer(units)),
          ("runs", JSON.integer(units * 2)),
        ])
      ),
      (
        "shard",
        JSON.object([
          ("index", JSON.integer(1)), ("count", JSON.integer(1)), ("firstUnit", JSON.integer(0)),
          ("endUnit", JSON.integer(units)),
        ])
      ),
      ("command", .string("ensemble run synthetic-sweep")),
    ])
    return try ResultManifest(JSON.node(json))
  }

  /// Statistics with a made-up value of every metric in every replication: smooth in the
  /// point, noisy per replication, within the metric's bounds.
  static func statistics(_ manifest: ResultManifest) -> ResultStatistics {
    let metrics = Metrics.table.map(\.name)
    let layout = ResultLayout(
      conditions: manifest.conditions, baseline: manifest.baseline,
      sweptKeys: manifest.sweptKeys, points: manifest.points, metrics: metrics)
    var statistics = ResultStatistics(layout: layout)
    var state: UInt64 = 7
    func noise() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    for p in 0..<manifest.points.count {
      let wave = 0.5 + 0.4 * sin(Double(p) * 0.013)
      for _ in 0..<manifest.replications {
        let values = manifest.conditions.indices.map { c in
          Metrics.table.map { info -> Double? in
            let x = wave + 0.05 * Double(c) + 0.1 * noise()
            switch info.bounds {
            case .share: return min(1, max(0, x))
            case .count: return (x * 40).rounded()
            case .atLeastOne: return 1 + x
            case .hours, .nonNegative: return x * 20
            }
          }
        }
        statistics.add(point: p, values: values)
      }
    }
    return statistics
  }

  /// Keys and values of a 100 × 100 grid and of a 10 × 10 × 10 × 10 grid.
  static let shapes: [(name: String, keys: [String], values: [[String]])] = [
    (
      "100 x 100", ["team.ai.count", "workload.arrivalRate"],
      [(1...100).map { String($0) }, (1...100).map { String(Double($0) / 4) }]
    ),
    (
      "10 x 10 x 10 x 10",
      ["team.ai.count", "team.experts.count", "workload.arrivalRate", "design.reviewRate"],
      [
        (1...10).map { String($0) }, (1...10).map { String($0) },
        (1...10).map { String($0 * 2) }, (0...9).map { String(Double($0) / 10) },
      ]
    ),
  ]

  /// The page of each shape, built once for both tests.
  static let pages: [String?] = shapes.indices.map { shape in
    let s = shapes[shape]
    guard let manifest = try? manifest(keys: s.keys, values: s.values, replications: 3),
      manifest.points.count == 10_000
    else { return nil }
    return Explorer.page(manifest: manifest, statistics: statistics(manifest))
  }

  static func page(_ shape: Int) throws -> String {
    try #require(pages[shape], "the \(shapes[shape].name) grid has 10,000 points")
  }

  @Test("a 10,000-point sweep's page is under 5 MB, with the report's metrics in full precision")
  func size() throws {
    for shape in Self.shapes.indices {
      let page = try Self.page(shape)
      let bytes = page.utf8.count
      print("explorer: \(Self.shapes[shape].name) points, page of \(bytes) bytes")
      #expect(bytes < 5_000_000, "\(bytes) bytes")
      #expect(page.contains("\"precision\":64"))
      #expect(page.contains("\"allMetrics\":\(Metrics.table.count)"))
      // ENSEMBLE_EXPLORER_PAGES=DIR keeps the pages, to open them in a browser.
      if let keep = ProcessInfo.processInfo.environment["ENSEMBLE_EXPLORER_PAGES"] {
        try page.write(
          to: URL(fileURLWithPath: keep).appendingPathComponent("explore-10000-\(shape).html"),
          atomically: true, encoding: .utf8)
      }
    }
  }

  /// Moves the sliders of the page in `file` `moves` times (by dispatching their input
  /// events, as a drag or an arrow key does) and measures each move: the handler redraws
  /// every view, then style and layout are forced. Returns the times in ms, the time to
  /// the first drawing and the time of metric changes (which redraw the heat map).
  static let bench = #"""
    <pre id="bench">not run</pre>
    <script>
    (function () {
      var loaded = performance.now();
      var inputs = document.querySelectorAll("#sliders input[type=range]");
      var moves = [];
      for (var round = 0; round < 80; round++) {
        var input = inputs[round % inputs.length];
        var max = Number(input.max);
        input.value = String((Number(input.value) + 1 + 13 * round) % (max + 1));
        var t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        void document.body.offsetHeight;
        moves.push(performance.now() - t0);
      }
      var metric = document.getElementById("metric");
      var changes = [];
      for (var k = 0; k < 6; k++) {
        metric.selectedIndex = (metric.selectedIndex + 1) % metric.options.length;
        var t1 = performance.now();
        metric.dispatchEvent(new Event("change", { bubbles: true }));
        void document.body.offsetHeight;
        changes.push(performance.now() - t1);
      }
      document.getElementById("bench").textContent = JSON.stringify({
        moves: moves, changes: changes, loaded: loaded,
        point: document.getElementById("explorer").getAttribute("data-point")
      });
    })();
    </script>
    """#

  struct Timing: Decodable {
    var moves: [Double]
    var changes: [Double]
    var loaded: Double
    var point: String
  }

  @Test(
    "a slider move on a 10,000-point page redraws every view in well under 100 ms",
    .enabled(if: Browser.chromium != nil, "needs Chromium"))
  func speed() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    for shape in Self.shapes.indices {
      let page = try Self.page(shape).replacingOccurrences(
        of: "</body>", with: Self.bench + "\n</body>")
      let file = folder.appendingPathComponent("explore-\(shape).html")
      try page.write(to: file, atomically: true, encoding: .utf8)
      // Real time: no virtual time budget.
      let dom = try Browser.dumpDOM(file, virtualTime: nil)
      let text = try #require(Browser.text(ofID: "bench", in: Browser.markup(dom)))
      let timing = try JSONDecoder().decode(Timing.self, from: Data(text.utf8))
      let moves = timing.moves.sorted()
      let median = moves[moves.count / 2]
      let p90 = moves[moves.count * 9 / 10]
      print(
        "explorer: \(Self.shapes[shape].name) points: slider move median "
          + String(format: "%.1f", median) + " ms, 90th percentile " + String(format: "%.1f", p90)
          + " ms, slowest " + String(format: "%.1f", moves.last!) + " ms; metric change (heat "
          + "map redrawn) slowest " + String(format: "%.1f", timing.changes.max()!)
          + " ms; first drawing after " + String(format: "%.0f", timing.loaded) + " ms")
      #expect(timing.point != "", "the sliders select a point")
      #expect(p90 < 100, "90% of moves under 100 ms: \(moves)")
    }
  }
}
