import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// `explore.html`: one self-contained page for exploring a result in a browser, for a
/// workshop in front of a room. Sliders snap to the swept values, a metric picker lists the
/// metric table's labels, and the page draws the chosen metric against a swept key with its
/// 95% bands, every report metric at the selected point, the paired difference from the
/// baseline with the sentence the report writes, and, for two swept keys, a heat map of the
/// difference. Its state lives in the address (`#metric=correct_rate&team.ai.count=5`).
///
/// The page holds its script, style and numbers: no request leaves it, so it works from a USB
/// stick or an e-mail attachment. The numbers are the summary and the paired contrasts (not
/// the runs), as IEEE doubles in base64, so that the page writes exactly the digits of the
/// report; its words come from ``wordingScript``, a line-by-line copy of ``Wording`` and
/// ``PointSentence``. It is a pure function of the manifest and the statistics: the same
/// result gives the same bytes.
public enum Explorer {
  /// The page's file name in a result folder.
  public static let fileName = "explore.html"

  /// The largest base64 payload of numbers the page embeds (bytes): with the script and
  /// style the page stays under 5 MB. Every metric of the result fits for sweeps of up to a
  /// few thousand points; beyond that the page holds the report's metrics only, and beyond
  /// that (many conditions and metrics at 10,000 points) in single precision.
  public static let dataBudget = 4_500_000

  /// What a page holds, decided by ``dataBudget``.
  public struct Contents: Sendable, Equatable {
    /// Metric names, in the result's column order.
    public var metrics: [String]
    /// 64 (doubles: the report's digits exactly) or 32 (floats: 7 significant digits).
    public var precision: Int
  }

  /// The page of a result.
  public static func page(manifest: ResultManifest, statistics: ResultStatistics) -> String {
    let title = Report.title(manifest.name)
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(ReportDocument.escape(title)): explorer</title>
      <style>
      \(style)</style>
      </head>
      <body>
      \(body)
      <script type="application/json" id="ensemble-data">\(data(manifest: manifest, statistics: statistics))</script>
      <script>
      \(wordingScript)
      </script>
      <script>
      \(appScript)
      </script>
      </body>
      </html>

      """
  }

  /// Which metrics, at which precision, fit in ``dataBudget``: every metric of the result in
  /// doubles; else the report's metrics in doubles; else the report's metrics in floats.
  public static func contents(_ manifest: ResultManifest, _ layout: ResultLayout) -> Contents {
    let conditions = layout.conditions.count
    let points = max(1, layout.points.count)
    let others = max(0, conditions - 1)
    func size(_ metrics: Int, _ width: Int) -> Int {
      (conditions + others) * points * 3 * width * metrics * 4 / 3
    }
    let all = layout.metrics
    if size(all.count, 8) <= dataBudget { return Contents(metrics: all, precision: 64) }
    let report = all.filter(manifest.reportMetrics.contains)
    if size(report.count, 8) <= dataBudget { return Contents(metrics: report, precision: 64) }
    return Contents(metrics: report, precision: 32)
  }

  /// The page's numbers and words as JSON (safe inside a `<script>` element).
  ///
  /// - `s`: per condition, point and metric: mean, ci_low, ci_high of `summary.csv`;
  /// - `d`: per non-baseline condition, point and metric: mean_diff, ci_low, ci_high of
  ///   `contrasts.csv`;
  /// - `sn`, `dn`: their `n` where it is not the replication count everywhere;
  /// - `pb`: the baseline's summary over the contrast's pairs, where it is not the
  ///   baseline's summary (a metric without a value in some replications).
  public static func data(manifest m: ResultManifest, statistics s: ResultStatistics) -> String {
    let layout = s.layout
    let contents = contents(m, layout)
    let conditions = layout.conditions.count
    let points = max(1, layout.points.count)
    let others = layout.conditions.indices.filter { $0 != layout.baseline }
    let metricIndex = Dictionary(
      uniqueKeysWithValues: layout.metrics.enumerated().map { ($1, $0) })

    // The swept keys: values in order of first appearance, numbers where all are numbers.
    var values: [[String]] = []
    var keys: [PageJSON] = []
    for (k, key) in layout.sweptKeys.enumerated() {
      var seen: [String] = []
      for point in layout.points where !seen.contains(point[k]) { seen.append(point[k]) }
      values.append(seen)
      let numbers = seen.compactMap { Double($0) }.filter(\.isFinite)
      keys.append(
        .object([
          ("key", .string(key)), ("label", .string(ParameterRegistry.label(of: key))),
          ("axis", .string(ParameterRegistry.labelWithUnit(of: key))),
          ("values", .strings(seen)),
          ("numbers", numbers.count == seen.count ? .array(numbers.map(PageJSON.number)) : .null),
        ]))
    }

    let metrics: [PageJSON] = contents.metrics.map { name in
      let info = Report.metric(name)
      let upper = info.bounds.range.upperBound
      return .object([
        ("name", .string(name)), ("label", .string(info.label)), ("unit", .string(info.unit)),
        ("meaning", .string(info.meaning)), ("better", .string(info.better.rawValue)),
        ("lower", .number(info.bounds.range.lowerBound)),
        ("upper", upper.isFinite ? .number(upper) : .null), ("rise", .string(info.rise)),
        ("fall", .string(info.fall)), ("verb", .string(info.verb)),
      ])
    }

    var cells: [PageJSON] = []
    for name in contents.metrics {
      let metric = metricIndex[name]!
      var summary = NumberBlock(precision: contents.precision)
      var summaryN: [Int] = []
      for c in 0..<conditions {
        for p in 0..<points {
          let x = s.summary(condition: c, point: p, metric: metric)
          summary.append(x.mean, x.ciLow, x.ciHigh)
          summaryN.append(x.n)
        }
      }
      var contrast = NumberBlock(precision: contents.precision)
      var paired = NumberBlock(precision: contents.precision)
      var contrastN: [Int] = []
      var pairedDiffers = false
      for c in others {
        for p in 0..<points {
          let k = s.contrast(condition: c, point: p, metric: metric)
          contrast.append(k.meanDiff, k.ciLow, k.ciHigh)
          contrastN.append(k.n)
          let b = s.pairedBaseline(condition: c, point: p, metric: metric)
          paired.append(b.mean, b.ciLow, b.ciHigh)
          if b != s.summary(condition: layout.baseline, point: p, metric: metric) {
            pairedDiffers = true
          }
        }
      }
      var members: [(String, PageJSON)] = [("s", .string(summary.base64))]
      if summaryN.contains(where: { $0 != m.replications }) {
        members.append(("sn", .string(Base64.encode(int32: summaryN))))
      }
      if !others.isEmpty {
        members.append(("d", .string(contrast.base64)))
        if contrastN.contains(where: { $0 != m.replications }) {
          members.append(("dn", .string(Base64.encode(int32: contrastN))))
        }
        if pairedDiffers { members.append(("pb", .string(paired.base64))) }
      }
      cells.append(.object(members))
    }

    var members: [(String, PageJSON)] = [
      ("format", .int(1)), ("name", .string(m.name)), ("title", .string(Report.title(m.name))),
      ("question", .string(m.question)), ("description", .string(m.description)),
      ("command", .string(m.command)), ("engineVersion", .string(m.engineVersion)),
      ("intervalNote", .string(Report.intervalNote)),
      ("replications", .int(m.replications)), ("conditions", .strings(layout.conditions)),
      ("baseline", .int(layout.baseline)), ("palette", .strings(Charts.palette)),
      ("dashes", .strings(Charts.dashes)), ("keys", .array(keys)),
    ]
    // A full grid (first key slowest) needs no list of points; anything else gets one.
    if !layout.sweptKeys.isEmpty && !isGrid(layout.points, values) {
      members.append(
        (
          "points",
          .array(
            layout.points.map { point in
              .array(
                point.enumerated().map { k, value in .int(values[k].firstIndex(of: value) ?? 0) })
            })
        ))
    }
    members += [
      ("reportMetrics", .strings(m.reportMetrics.filter(contents.metrics.contains))),
      ("allMetrics", .int(layout.metrics.count)), ("precision", .int(contents.precision)),
      ("metrics", .array(metrics)), ("cells", .array(cells)),
    ]
    var text = ""
    PageJSON.object(members).render(into: &text)
    return text
  }

  /// Whether `points` is the grid of `values` with the first key varying slowest.
  static func isGrid(_ points: [[String]], _ values: [[String]]) -> Bool {
    let count = values.reduce(1) { $0 * $1.count }
    guard points.count == count else { return false }
    var index = Array(repeating: 0, count: values.count)
    for point in points {
      for k in values.indices where point[k] != values[k][index[k]] { return false }
      var k = values.count - 1
      while k >= 0 {
        index[k] += 1
        if index[k] < values[k].count { break }
        index[k] = 0
        k -= 1
      }
    }
    return true
  }
}

/// Numbers in triples, written as little-endian IEEE doubles or floats; NaN for no value.
struct NumberBlock {
  let precision: Int
  var bytes: [UInt8] = []

  init(precision: Int) { self.precision = precision }

  mutating func append(_ values: Double?...) {
    for value in values {
      if precision == 64 {
        var bits = (value ?? .nan).bitPattern
        for _ in 0..<8 {
          bytes.append(UInt8(truncatingIfNeeded: bits))
          bits >>= 8
        }
      } else {
        var bits = Float(value ?? .nan).bitPattern
        for _ in 0..<4 {
          bytes.append(UInt8(truncatingIfNeeded: bits))
          bits >>= 8
        }
      }
    }
  }

  var base64: String { Base64.encode(bytes) }
}

/// Standard base64 (RFC 4648, with padding), without Foundation.
enum Base64 {
  static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(alphabet[Int(n >> 6 & 63)])
      out.append(alphabet[Int(n & 63)])
      i += 3
    }
    let rest = bytes.count - i
    if rest > 0 {
      let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Little-endian 32-bit integers.
  static func encode(int32 values: [Int]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * 4)
    for value in values {
      var bits = UInt32(truncatingIfNeeded: value)
      for _ in 0..<4 {
        bytes.append(UInt8(truncatingIfNeeded: bits))
        bits >>= 8
      }
    }
    return encode(bytes)
  }
}

/// JSON for the page, safe inside an HTML `<script>` element: `<`, `>` and `&` are written
/// as `\u003c`, `\u003e`, `\u0026`.
indirect enum PageJSON {
  case string(String)
  case number(Double)
  case int(Int)
  case null
  case array([PageJSON])
  case object([(String, PageJSON)])

  static func strings(_ values: [String]) -> PageJSON { .array(values.map(PageJSON.string)) }

  func render(into out: inout String) {
    switch self {
    case .string(let value): Self.quote(value, into: &out)
    case .number(let x): out += Self.number(x)
    case .int(let i): out += String(i)
    case .null: out += "null"
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.render(into: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out += "," }
        Self.quote(key, into: &out)
        out += ":"
        value.render(into: &out)
      }
      out += "}"
    }
  }

  static func quote(_ string: String, into out: inout String) {
    out += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<": out += "\\u003c"
      case ">": out += "\\u003e"
      case "&": out += "\\u0026"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  /// A finite number as JSON: the shortest digits that read back as the same double.
  static func number(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
  }
}
