import EnsembleAnalysis
import EnsembleModel
import EnsembleReport
import Foundation
import Testing

/// The explorer's JavaScript copy of the report's words (`Explorer.wordingScript`) writes
/// exactly what the Swift originals write: every number format, the bounded interval and
/// every sentence about a paired difference, on thousands of constructed inputs (random
/// magnitudes from 1e-9 to 1e9, halves that round away from zero, powers of ten, values
/// next to the rounding thresholds, intervals holding zero, baselines near zero, missing
/// values and every metric of the table). Runs in headless Chromium, or node where Chromium
/// is missing; skipped without either.
@Suite("Explorer wording: JavaScript = Swift", .serialized)
struct ExplorerWordingTests {
  /// A deterministic generator (SplitMix64).
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
      range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func bool(_ p: Double = 0.5) -> Bool { uniform() < p }

    /// A number of any magnitude: random digits, a decimal with few digits (often a tie at
    /// the rounding place), a power of ten or a value just beside one, or zero.
    mutating func number(signed: Bool = true) -> Double {
      let sign: Double = signed && bool() ? -1 : 1
      switch int(0...9) {
      case 0...3: return sign * pow(10, uniform() * 18 - 9)
      case 4, 5:
        // A decimal of 1 to 5 digits at a random place: 0.125, 2.5, 0.0045, 99.95.
        let digits = Double(int(1...99_999))
        return sign * digits / pow(10, Double(int(0...8)))
      case 6:
        let power = pow(10, Double(int(-6...6)))
        return sign
          * [power, power.nextUp, power.nextDown, power * 0.9995, power * 9.95][int(0...4)]
      case 7:
        // Beside the thresholds of percent and brief: 0.0995, 0.09995, 9.95, 999.5.
        return sign
          * [0.0995, 0.09995, 0.0999499, 9.95, 9.9499, 999.5, 0.0005, 0.00095][int(0...7)]
      case 8: return sign * Double(int(0...2000))
      default: return 0
      }
    }
  }

  /// JSON text of a value.
  static func json(_ x: Double?) -> String {
    guard let x else { return "null" }
    precondition(x.isFinite)
    return "\(x)"
  }
  static func json(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "<": out += "\\u003c"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// One case: a function name, its arguments as JSON, and what Swift wrote.
  struct Case {
    var f: String
    var args: [String]
    var expect: String
    var line: String {
      "{\"f\":\(json(f)),\"a\":[\(args.joined(separator: ","))],\"e\":\(json(expect))}"
    }
  }

  /// The metrics the sentences are tried with: the whole table, and a metric the table does
  /// not know (unitless, as a newer runs.csv column reads).
  static let metrics: [MetricDescriptor] =
    Metrics.table + [
      MetricDescriptor(
        "new_metric", label: "new metric", unit: "", meaning: "", better: .neither,
        bounds: .nonNegative, rise: "higher new metric", fall: "lower new metric"
      ) { _ in nil }
    ]

  static func point(_ g: inout Generator) -> PairedPoint {
    let n = [1, 2, 3, 5, 10, 200, 1000][g.int(0...6)]
    var baseline: Double? = g.number(signed: g.bool(0.2))
    if g.bool(0.05) { baseline = nil }
    let baseHalf = abs(baseline ?? 1) * [0.001, 0.05, 0.5, 1.2, 3][g.int(0...4)]
    var difference: Double? = g.bool(0.15) ? 0 : g.number()
    if g.bool(0.05) { difference = nil }
    let half =
      abs(difference ?? 1) * [0, 0.01, 0.3, 0.9, 1.1, 2.5][g.int(0...5)] + (g.bool(0.1) ? 1e-3 : 0)
    let withInterval = g.bool(0.92)
    return PairedPoint(
      n: n, baselineMean: baseline, baselineLow: baseline.map { $0 - baseHalf },
      baselineHigh: baseline.map { $0 + baseHalf }, difference: difference,
      low: withInterval ? difference.map { $0 - half } : nil,
      high: withInterval ? difference.map { $0 + half } : nil)
  }

  static func json(_ p: PairedPoint) -> String {
    "[\(p.n),\(json(p.baselineMean)),\(json(p.baselineLow)),\(json(p.baselineHigh)),"
      + "\(json(p.difference)),\(json(p.low)),\(json(p.high))]"
  }

  /// Every case, with Swift's answers.
  static func cases(count: Int = 2500) -> [Case] {
    var g = Generator(state: 20_261_205)
    var cases: [Case] = []
    for _ in 0..<count {
      let x = g.number()
      cases.append(Case(f: "label", args: [json(x)], expect: NumberFormat.label(x)))
      cases.append(Case(f: "brief", args: [json(x)], expect: NumberFormat.brief(x)))
      cases.append(Case(f: "signed", args: [json(x)], expect: NumberFormat.signed(x)))
      let share = g.bool() ? x : x / 100
      cases.append(Case(f: "percent", args: [json(share)], expect: NumberFormat.percent(share)))
      cases.append(
        Case(f: "signedPercent", args: [json(share)], expect: NumberFormat.signedPercent(share)))
      if x != 0 {
        cases.append(Case(f: "scientific", args: [json(x)], expect: NumberFormat.scientific(x)))
      }
      let d = g.int(0...12)
      let grouping = g.bool()
      let trimming = g.bool()
      cases.append(
        Case(
          f: "fixed", args: [json(x), "\(d)", "\(grouping)", "\(trimming)"],
          expect: NumberFormat.fixed(x, decimals: d, grouping: grouping, trimmingZeros: trimming)))
      let signed = g.bool()
      cases.append(
        Case(
          f: "wfixed", args: [json(x), "\(d)", "\(signed)"],
          expect: Wording.fixed(x, decimals: d, signed: signed)))
      // A mean and an interval around it; sometimes a missing end or mean.
      let half = abs(x) * [0, 0.001, 0.02, 0.4, 1.5][g.int(0...4)] + (g.bool(0.2) ? 0.0004 : 0)
      let mean: Double? = g.bool(0.05) ? nil : x
      let low: Double? = g.bool(0.05) ? nil : x - half
      let high: Double? = x + half
      cases.append(
        Case(
          f: "decimals",
          args: ["[\([mean, low, high].compactMap { $0 }.map(json).joined(separator: ","))]"],
          expect: String(Wording.decimals([mean, low, high].compactMap { $0 }))))
      cases.append(
        Case(
          f: "estimate", args: [json(mean), json(low), json(high)],
          expect: Wording.estimate(mean, low: low, high: high)))
      cases.append(
        Case(
          f: "difference", args: [json(mean), json(low), json(high)],
          expect: Wording.difference(mean, low: low, high: high)))
      let unit = ["hours", "tasks", "cost units", "share of tasks", "", "per hour"][g.int(0...5)]
      let q = [x, 1, -1, 0.9996, 1.0004][g.int(0...4)]
      cases.append(
        Case(
          f: "quantity", args: [json(q), json(unit), "\(signed)"],
          expect: Wording.quantity(q, unit: unit, signed: signed)))
      // The bounded interval of a mean of each kind of metric.
      let bounds = MetricBounds.allCases[g.int(0...(MetricBounds.allCases.count - 1))].range
      let n = [1, 2, 3, 10, 200][g.int(0...4)]
      var m = abs(x)
      if bounds.upperBound == 1 { m = [0, 1, g.uniform(), 1e-6, 1 - 1e-6][g.int(0...4)] }
      if bounds.lowerBound == 1 { m += 1 }
      if g.bool(0.1) { m = bounds.lowerBound }
      let h = [0, abs(m) * 0.01, abs(m) * 0.5, 0.3, 2][g.int(0...4)]
      let interval = BoundedInterval.interval(
        mean: m, halfWidth: h, n: n, lower: bounds.lowerBound, upper: bounds.upperBound)
      cases.append(
        Case(
          f: "bounded",
          args: [
            json(m), json(h), "\(n)", json(bounds.lowerBound),
            bounds.upperBound.isFinite ? json(bounds.upperBound) : "null",
          ],
          expect: Wording.estimate(m, low: interval.low, high: interval.high)
            + "|\(interval.low)|\(interval.high)"))
    }
    for word in [
      "Arrival rate", "AI agents", "a", "", "Ünterlage", "X", "Mean cycle time", "ROI rate",
    ] {
      cases.append(Case(f: "inSentence", args: [json(word)], expect: Wording.inSentence(word)))
      cases.append(Case(f: "capitalised", args: [json(word)], expect: Wording.capitalised(word)))
    }
    for n in [0, 1, 2, 1000] {
      cases.append(
        Case(f: "count", args: ["\(n)", json("point"), "null"], expect: Wording.count(n, "point")))
      cases.append(
        Case(
          f: "count", args: ["\(n)", json("replication"), json("replicates")],
          expect: Wording.count(n, "replication", "replicates")))
    }
    for items in [[], ["a"], ["a", "b"], ["a", "b", "c"]] {
      cases.append(
        Case(
          f: "list", args: ["[\(items.map(json).joined(separator: ","))]"],
          expect: Wording.list(items)))
    }
    // Sentences: every metric with many points.
    for k in 0..<(count * 2) {
      let metric = metrics[k % metrics.count]
      let p = point(&g)
      let name = json(metric.name)
      let change = PointSentence.change(metric, p)
      cases.append(
        Case(f: "change", args: [name, json(p)], expect: "\(change.text)|\(change.clear)"))
      cases.append(Case(f: "short", args: [name, json(p)], expect: PointSentence.short(metric, p)))
      cases.append(
        Case(f: "interval", args: [name, json(p)], expect: PointSentence.interval(metric, p)))
      cases.append(
        Case(
          f: "withInterval", args: [name, json(p)], expect: PointSentence.withInterval(metric, p)))
      cases.append(
        Case(
          f: "withIntervalInline", args: [name, json(p)],
          expect: PointSentence.withIntervalInline(metric, p)))
      cases.append(Case(f: "cell", args: [json(p)], expect: PointSentence.cell(p)))
      cases.append(
        Case(
          f: "comparison", args: [name, json("structured"), json("un<structured>"), json(p)],
          expect: PointSentence.comparison(
            metric, condition: "structured", baseline: "un<structured>", p)))
      if k % 5 == 0 {
        let list = (0..<g.int(1...4)).map { _ in
          (metrics[g.int(0...(metrics.count - 1))], point(&g))
        }
        cases.append(
          Case(
            f: "headline",
            args: [
              "[\(list.map { "[\(json($0.0.name)),\(json($0.1))]" }.joined(separator: ","))]",
              json("a"), json("b"),
            ],
            expect: PointSentence.headline(list, condition: "a", baseline: "b")))
      }
    }
    return cases
  }

  /// The harness: runs every case through `EnsembleWords` and returns a summary line.
  static let harness = #"""
    function ensembleCheck(V) {
      var W = EnsembleWords, NF = W.NumberFormat, WD = W.Wording, PS = W.PointSentence;
      var metrics = {};
      V.metrics.forEach(function (m) { metrics[m.name] = m; });
      function point(a) { return new W.PairedPoint(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); }
      var run = {
        label: NF.label, brief: NF.brief, signed: NF.signed, percent: NF.percent,
        signedPercent: NF.signedPercent, scientific: NF.scientific,
        fixed: function (x, d, g, t) { return NF.fixed(x, d, g, t); },
        wfixed: function (x, d, s) { return WD.fixed(x, d, s); },
        decimals: function (v) { return String(WD.decimals(v)); },
        estimate: WD.estimate, difference: WD.difference,
        quantity: function (x, u, s) { return WD.quantity(x, u, s); },
        inSentence: WD.inSentence, capitalised: WD.capitalised,
        count: function (n, s, p) { return p === null ? WD.count(n, s) : WD.count(n, s, p); },
        list: WD.list,
        change: function (m, p) { var c = PS.change(metrics[m], point(p)); return c.text + "|" + c.clear; },
        short: function (m, p) { return PS.short(metrics[m], point(p)); },
        interval: function (m, p) { return PS.interval(metrics[m], point(p)); },
        withInterval: function (m, p) { return PS.withInterval(metrics[m], point(p)); },
        withIntervalInline: function (m, p) { return PS.withIntervalInline(metrics[m], point(p)); },
        cell: function (p) { return PS.cell(point(p)); },
        comparison: function (m, c, b, p) { return PS.comparison(metrics[m], c, b, point(p)); },
        headline: function (list, c, b) {
          return PS.headline(list.map(function (e) { return [metrics[e[0]], point(e[1])]; }), c, b);
        }
      };
      var checked = 0, failures = [], exactBounds = 0, bounds = 0, kinds = {};
      V.cases.forEach(function (t) {
        var got;
        if (t.f === "bounded") {
          var a = t.a;
          var r = W.BoundedInterval.interval(a[0], a[1], a[2], a[3], a[4] === null ? Infinity : a[4]);
          var parts = t.e.split("|");
          // Swift writes infinities "inf" and "-inf".
          var number = function (t) { return t === "inf" ? Infinity : t === "-inf" ? -Infinity : Number(t); };
          var lo = number(parts[1]), hi = number(parts[2]);
          var near = function (x, y) { return x === y || Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y)); };
          bounds += 1;
          if (r[0] === lo && r[1] === hi) exactBounds += 1;
          got = WD.estimate(a[0], r[0], r[1]) + "|" + (near(r[0], lo) ? parts[1] : String(r[0])) + "|" + (near(r[1], hi) ? parts[2] : String(r[1]));
        } else {
          try { got = run[t.f].apply(null, t.a); } catch (e) { got = "threw " + e; }
        }
        checked += 1;
        if (got !== t.e) failures.push({ f: t.f, a: t.a, expected: t.e, got: got });
        kinds[t.f] = (kinds[t.f] || 0) + 1;
      });
      return JSON.stringify({ checked: checked, failures: failures.length, first: failures.slice(0, 12), exactBounds: exactBounds, bounds: bounds, kinds: kinds });
    }
    """#

  struct Outcome: Decodable {
    var checked: Int
    var failures: Int
    var first: [Failure]
    var exactBounds: Int
    var bounds: Int
    /// Cases per function.
    var kinds: [String: Int]
    struct Failure: Decodable, CustomStringConvertible {
      var f: String
      var expected: String
      var got: String
      var description: String { "\(f): Swift \"\(expected)\", JavaScript \"\(got)\"" }
    }
  }

  @Test(
    "the JavaScript words equal the Swift words on constructed inputs",
    .enabled(if: Browser.chromium != nil || Browser.node != nil, "needs Chromium or node"))
  func sameWords() throws {
    let cases = Self.cases()
    let metricList = Self.metrics.map {
      "{\"name\":\(Self.json($0.name)),\"label\":\(Self.json($0.label)),\"unit\":\(Self.json($0.unit)),"
        + "\"rise\":\(Self.json($0.rise)),\"fall\":\(Self.json($0.fall)),\"verb\":\(Self.json($0.verb))}"
    }.joined(separator: ",")
    let vectors =
      "{\"metrics\":[\(metricList)],\"cases\":[\n" + cases.map(\.line).joined(separator: ",\n")
      + "]}"
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let output: String
    if Browser.chromium != nil {
      let page = """
        <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
        <pre id="result">not run</pre>
        <script type="application/json" id="vectors">\(vectors)</script>
        <script>\(Explorer.wordingScript)</script>
        <script>\(Self.harness)
        document.getElementById("result").textContent =
          ensembleCheck(JSON.parse(document.getElementById("vectors").textContent));
        </script></body></html>
        """
      let file = folder.appendingPathComponent("wording.html")
      try page.write(to: file, atomically: true, encoding: .utf8)
      let dom = try Browser.dumpDOM(file)
      output = try #require(Browser.text(ofID: "result", in: dom))
    } else {
      let script = """
        \(Explorer.wordingScript)
        \(Self.harness)
        var fs = require("fs");
        console.log(ensembleCheck(JSON.parse(fs.readFileSync(process.argv[2], "utf8"))));
        """
      let file = folder.appendingPathComponent("wording.js")
      let data = folder.appendingPathComponent("vectors.json")
      try script.write(to: file, atomically: true, encoding: .utf8)
      try vectors.write(to: data, atomically: true, encoding: .utf8)
      output = try Browser.run(try #require(Browser.node), [file.path, data.path])
    }
    let outcome = try JSONDecoder().decode(Outcome.self, from: Data(output.utf8))
    #expect(outcome.checked == cases.count, "every case ran")
    #expect(outcome.failures == 0, "\(outcome.failures) differ, e.g. \(outcome.first)")
    // exp and log of two C libraries may differ in the last bit; the digits may not.
    #expect(outcome.bounds > 1000 && outcome.exactBounds * 10 >= outcome.bounds * 9)
    print(
      "explorer wording: \(outcome.checked) cases, \(outcome.failures) differ; bounded "
        + "intervals bit-equal in \(outcome.exactBounds) of \(outcome.bounds); per function "
        + outcome.kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
          separator: ", "))
  }
}
