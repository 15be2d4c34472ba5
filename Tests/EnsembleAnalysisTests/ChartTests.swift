import Foundation
import Testing

@testable import EnsembleAnalysis

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The elements of a parsed SVG document, in document order, with their attributes, their
/// direct text and the indices of their ancestors.
final class ParsedSVG: NSObject, XMLParserDelegate {
  struct Element {
    var name: String
    var attributes: [String: String]
    var text: String
    var ancestors: [Int]

    var classes: [Substring] { (attributes["class"] ?? "").split(separator: " ") }
    func hasClass(_ name: String) -> Bool { classes.contains(Substring(name)) }
  }

  private(set) var elements: [Element] = []
  private var stack: [Int] = []

  /// The parsed document, or nil when `svg` is not well-formed XML.
  static func parse(_ svg: String) -> ParsedSVG? {
    let parser = XMLParser(data: Data(svg.utf8))
    let document = ParsedSVG()
    parser.delegate = document
    return parser.parse() ? document : nil
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    elements.append(
      Element(name: elementName, attributes: attributeDict, text: "", ancestors: stack))
    stack.append(elements.count - 1)
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    stack.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let index = stack.last { elements[index].text += string }
  }

  func withClass(_ name: String) -> [Element] { elements.filter { $0.hasClass(name) } }

  /// Elements with class `name` inside the element at `ancestor`.
  func withClass(_ name: String, inside ancestor: Int) -> [Element] {
    elements.filter { $0.hasClass(name) && $0.ancestors.contains(ancestor) }
  }

  func indices(ofClass name: String) -> [Int] {
    elements.indices.filter { elements[$0].hasClass(name) }
  }

  /// Every text element's content.
  var texts: [String] { elements.filter { $0.name == "text" }.map(\.text) }
}

/// Sample inputs shared by the tests and the demo.
enum ChartSamples {
  static let conditions = ["manual", "structured", "ai-first", "ai-review"]

  static func estimate(_ mean: Double, _ half: Double) -> Estimate {
    Estimate(mean: mean, low: mean - half, high: mean + half)
  }

  static var panels: [ConditionPanel] {
    [
      ConditionPanel(
        metric: "Correct rate", unit: "share of arrived tasks",
        values: zip(conditions, [0.712, 0.853, 0.64, 0.801]).map { ($0, estimate($1, 0.04)) }),
      ConditionPanel(
        metric: "Time to decision", unit: "hours",
        values: zip(conditions, [12.5, 9.8, 4.2, 6.1]).map { ($0, estimate($1, 1.3)) }),
      ConditionPanel(
        metric: "Escalations", unit: "count per week",
        values: [
          ("manual", estimate(1250, 90)), ("structured", Estimate(mean: 980, low: nil, high: nil)),
          ("ai-first", nil), ("ai-review", estimate(1100, 120)),
        ]),
      ConditionPanel(
        metric: "Trust calibration", unit: "Brier score (lower is better)",
        values: zip(conditions, [0.21, 0.18, 0.24, 0.17]).map { ($0, estimate($1, 0.015)) },
        includeZero: false),
    ]
  }

  static var series: [SweepSeries] {
    let xs = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    return conditions.enumerated().map { index, name in
      SweepSeries(
        name: name,
        points: xs.map { x in
          if name == "ai-review" && x == 0.3 { return (x, nil) }
          let mean = 0.9 - Double(index + 1) * 0.35 * x * x - 0.05 * Double(index) + 0.02 * x
          return (x, estimate(mean, 0.03 + 0.02 * x))
        })
    }
  }
}

@Suite("Charts")
struct ChartTests {
  // MARK: Ticks and labels

  func checkNice(_ low: Double, _ high: Double, _ expected: [Double]? = nil) {
    let ticks = Charts.niceTicks(min: low, max: high)
    #expect(ticks.count >= 2, "\(low)…\(high): \(ticks)")
    guard ticks.count >= 2 else { return }
    #expect(ticks.first! <= low && ticks.last! >= high, "covers \(low)…\(high): \(ticks)")
    let step = ticks[1] - ticks[0]
    #expect(step > 0)
    for index in 1..<ticks.count {
      #expect(abs((ticks[index] - ticks[index - 1]) - step) <= step * 1e-9, "even: \(ticks)")
    }
    // The step is 1, 2, 2.5 or 5 × 10^k.
    let mantissa = step / pow(10, floor(log10(step)))
    #expect(
      [1, 2, 2.5, 5].contains { abs(mantissa - $0) < 1e-9 }, "nice step \(step) in \(ticks)")
    // Every tick prints short: no 0.30000000000000004.
    for tick in ticks {
      #expect(CSV.formatNumber(tick).count <= 8, "short: \(CSV.formatNumber(tick))")
    }
    #expect(ticks.count <= 8, "about 5 intervals: \(ticks)")
    if let expected { #expect(ticks == expected) }
  }

  @Test("nice ticks are increasing, evenly spaced, round and cover the range")
  func niceTicks() {
    checkNice(0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1])
    checkNice(0.12, 0.87, [0, 0.2, 0.4, 0.6, 0.8, 1])
    checkNice(0, 37, [0, 10, 20, 30, 40])
    checkNice(-3, 4, [-4, -2, 0, 2, 4])
    checkNice(5, 5)
    checkNice(0, 0)
    checkNice(1e-4, 3e-4, [0.0001, 0.00015, 0.0002, 0.00025, 0.0003])
    checkNice(0.3, 0.9)
    checkNice(1000, 1010)
    checkNice(-0.7, -0.1)
    checkNice(4, 1)
    #expect(Charts.niceTicks(min: 0.1, max: 0.5) == [0.1, 0.2, 0.3, 0.4, 0.5])
    #expect(Charts.niceTicks(min: .nan, max: 1).isEmpty)
    #expect(Charts.niceTicks(min: 0, max: .infinity).isEmpty)
  }

  // MARK: Condition chart

  @Test("condition chart: well-formed, titled, one bar per condition per panel")
  func conditionChart() throws {
    let panels = ChartSamples.panels
    let svg = Charts.conditionChart(
      title: "Outcomes by condition", subtitle: "20 replications, 8 weeks",
      panels: panels, baseline: "manual")
    let document = try #require(ParsedSVG.parse(svg))
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.contains("role=\"img\""))
    #expect(svg.contains("font-family=\"Helvetica, Arial, sans-serif\""))
    #expect(document.elements.first { $0.name == "title" }?.text == "Outcomes by condition")
    #expect(document.elements.contains { $0.name == "desc" })
    let texts = document.texts
    #expect(texts.contains("Outcomes by condition"))
    #expect(texts.contains("20 replications, 8 weeks"))
    for panel in panels {
      #expect(texts.contains(panel.metric))
      #expect(texts.contains(panel.unit!))
    }
    let panelIndices = document.indices(ofClass: "panel")
    #expect(panelIndices.count == panels.count)
    for (panel, index) in zip(panels, panelIndices) {
      let bars = document.withClass("bar", inside: index)
      #expect(bars.map { $0.attributes["data-condition"] } == ChartSamples.conditions)
      #expect(document.elements[index].attributes["data-metric"] == panel.metric)
    }
    #expect(document.withClass("legend").map(\.text) == ChartSamples.conditions)
    // Baseline is marked; the missing value is said.
    #expect(document.withClass("baseline").count == panels.count)
    #expect(document.withClass("missing").count == 1)
    #expect(texts.contains("no value"))
    // Values printed with 3 significant digits.
    #expect(document.withClass("value").map(\.text).contains("0.853"))
    #expect(document.withClass("value").map(\.text).contains("1,250"))
    // Text is never smaller than 13 px.
    for element in document.elements where element.name == "text" {
      #expect(Double(element.attributes["font-size"] ?? "0")! >= 13)
    }
  }

  @Test("condition chart: includeZero puts 0 on rate axes; without it the axis hugs the data")
  func conditionChartZero() throws {
    let svg = Charts.conditionChart(
      title: "T", subtitle: nil, panels: ChartSamples.panels, baseline: nil)
    let document = try #require(ParsedSVG.parse(svg))
    let panelIndices = document.indices(ofClass: "panel")
    let firstTicks = document.withClass("tick", inside: panelIndices[0]).map(\.text)
    #expect(firstTicks.first == "0")
    #expect(firstTicks.last == "1")
    let lastTicks = document.withClass("tick", inside: panelIndices[3]).map(\.text)
    #expect(!lastTicks.contains("0"))
    // Away from zero, dots replace bars.
    #expect(document.withClass("dot", inside: panelIndices[3]).count == 4)
    #expect(document.withClass("bar-rect", inside: panelIndices[0]).count == 4)
  }

  @Test("special characters in names are escaped and survive the round trip")
  func escaping() throws {
    let name = "a<b & \"c\" 'd'"
    let svg = Charts.conditionChart(
      title: "Q&A <test>", subtitle: nil,
      panels: [
        ConditionPanel(
          metric: "x > y", unit: "\"units\"",
          values: [(name, ChartSamples.estimate(1, 0.1)), ("plain", ChartSamples.estimate(2, 0.1))])
      ], baseline: name)
    #expect(svg.contains("a&lt;b &amp; &quot;c&quot; &apos;d&apos;"))
    #expect(!svg.contains(name))
    let document = try #require(ParsedSVG.parse(svg))
    #expect(document.withClass("bar").first?.attributes["data-condition"] == name)
    #expect(document.withClass("legend").map(\.text) == [name, "plain"])
    #expect(document.elements.first { $0.name == "title" }?.text == "Q&A <test>")

    let sweep = Charts.sweepChart(
      title: "<&>", subtitle: "'s'", xLabel: "x & y", yLabel: "<y>",
      series: [SweepSeries(name: name, points: [(1, ChartSamples.estimate(1, 0.1))])])
    let sweepDocument = try #require(ParsedSVG.parse(sweep))
    #expect(sweepDocument.withClass("series").first?.attributes["data-name"] == name)
    #expect(sweepDocument.texts.contains("x & y"))
    #expect(
      ParsedSVG.parse(
        Charts.conditionChart(
          title: "control \u{1}\u{8} chars", subtitle: nil, panels: [], baseline: nil)) != nil)
  }

  @Test("many long condition names are rotated and shortened, not overlapped")
  func longNames() throws {
    let names = (1...7).map { "condition with a rather long descriptive name number \($0)" }
    let svg = Charts.conditionChart(
      title: "Long names", subtitle: nil,
      panels: [
        ConditionPanel(
          metric: "Correct rate", unit: nil,
          values: names.map { ($0, ChartSamples.estimate(0.5, 0.1)) })
      ], baseline: names[0])
    let document = try #require(ParsedSVG.parse(svg))
    let labels = document.withClass("category-label")
    #expect(labels.count == names.count)
    #expect(labels.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-30") == true })
    #expect(labels.allSatisfy { $0.text.hasSuffix("…") })
    // The full name stays available as a tooltip.
    #expect(document.elements.contains { $0.name == "title" && $0.text == names[3] })
  }

  // MARK: Sweep charts

  @Test("sweep chart: well-formed, one series group and legend entry per condition")
  func sweepChart() throws {
    let series = ChartSamples.series
    let svg = Charts.sweepChart(
      title: "Correct rate falls as AI error rate rises", subtitle: "95% CI bands",
      xLabel: "AI error rate (share of tasks)", yLabel: "Correct rate (share of arrived tasks)",
      series: series)
    let document = try #require(ParsedSVG.parse(svg))
    let texts = document.texts
    #expect(texts.contains("Correct rate falls as AI error rate rises"))
    #expect(texts.contains("AI error rate (share of tasks)"))
    #expect(texts.contains("Correct rate (share of arrived tasks)"))
    #expect(document.withClass("series").map { $0.attributes["data-name"] } == series.map(\.name))
    #expect(document.withClass("band").count == series.count)
    #expect(document.withClass("legend").map(\.text) == series.map(\.name))
    // Ticks at the six swept values.
    let xAxis = try #require(document.indices(ofClass: "x-axis").first)
    #expect(
      document.withClass("tick", inside: xAxis).map(\.text) == [
        "0", "0.1", "0.2", "0.3", "0.4", "0.5",
      ])
    // Series differ by dash pattern and marker shape as well as colour.
    let lines = document.withClass("line")
    let dashes = Set(lines.map { $0.attributes["stroke-dasharray"] ?? "solid" })
    #expect(dashes.count == series.count)
    // The nil point breaks "ai-review" into two lines.
    let aiReview = try #require(document.indices(ofClass: "series").last)
    #expect(document.withClass("line", inside: aiReview).count == 2)
    #expect(document.withClass("marker", inside: aiReview).count == 5)
  }

  @Test("sweep chart: categorical x with tick labels; many x values get nice ticks")
  func sweepChartAxes() throws {
    let categorical = Charts.sweepChart(
      title: "By team size", subtitle: nil, xLabel: "team", yLabel: "hours",
      series: [
        SweepSeries(
          name: "s",
          points: [
            (0, ChartSamples.estimate(1, 0.2)), (1, ChartSamples.estimate(2, 0.2)),
            (2, ChartSamples.estimate(1.5, 0.2)),
          ])
      ], xIsCategorical: true, xTickLabels: ["small", "medium", "large"])
    let document = try #require(ParsedSVG.parse(categorical))
    let xAxis = try #require(document.indices(ofClass: "x-axis").first)
    #expect(document.withClass("tick", inside: xAxis).map(\.text) == ["small", "medium", "large"])

    let dense = Charts.sweepChart(
      title: "Dense", subtitle: nil, xLabel: "x", yLabel: "y",
      series: [
        SweepSeries(
          name: "s",
          points: (0...40).map { (Double($0) * 2.5, ChartSamples.estimate(Double($0), 1)) })
      ])
    let denseDocument = try #require(ParsedSVG.parse(dense))
    let denseAxis = try #require(denseDocument.indices(ofClass: "x-axis").first)
    #expect(
      denseDocument.withClass("tick", inside: denseAxis).map(\.text) == [
        "0", "20", "40", "60", "80", "100",
      ])
  }

  @Test("sweep grid: one panel per title, shared legend, series in every panel")
  func sweepGrid() throws {
    let panels = ["team of 3", "team of 6", "team of 12"].enumerated().map { index, title in
      (
        title: title,
        series: ChartSamples.series.map { series in
          SweepSeries(
            name: series.name,
            points: series.points.map { point in
              (
                point.x,
                point.estimate.map {
                  Estimate(mean: $0.mean - 0.05 * Double(index), low: $0.low, high: $0.high)
                }
              )
            })
        }
      )
    }
    let svg = Charts.sweepGrid(
      title: "Correct rate by AI error rate and team size", subtitle: nil,
      xLabel: "AI error rate", yLabel: "Correct rate", panels: panels)
    let document = try #require(ParsedSVG.parse(svg))
    let panelIndices = document.indices(ofClass: "panel")
    #expect(panelIndices.count == 3)
    for (panel, index) in zip(panels, panelIndices) {
      #expect(document.elements[index].attributes["data-title"] == panel.title)
      #expect(document.withClass("series", inside: index).count == ChartSamples.conditions.count)
    }
    #expect(document.withClass("legend").map(\.text) == ChartSamples.conditions)
    // The y scale is shared: every panel has the same tick labels.
    let tickSets = panelIndices.map { index in
      document.elements.indices.filter { i in
        document.elements[i].hasClass("tick")
          && document.elements[i].ancestors.contains(index)
          && document.elements[i].ancestors.contains { document.elements[$0].hasClass("y-axis") }
      }.map { document.elements[$0].text }
    }
    #expect(Set(tickSets.map { $0.joined(separator: "|") }).count == 1)
    #expect(document.withClass("y-label").count == 1)

    let categorical = Charts.sweepGrid(
      title: "Categorical", subtitle: nil, xLabel: "policy", yLabel: "y",
      panels: [
        (
          title: "p",
          series: [
            SweepSeries(
              name: "s", points: [(0, nil), (1, nil), (2, ChartSamples.estimate(1, 0.1))])
          ]
        )
      ],
      xIsCategorical: true, xTickLabels: ["none", "some", "all"])
    let categoricalDocument = try #require(ParsedSVG.parse(categorical))
    let xAxis = try #require(categoricalDocument.indices(ofClass: "x-axis").first)
    #expect(
      categoricalDocument.withClass("tick", inside: xAxis).map(\.text) == ["none", "some", "all"])
  }

  // MARK: Robustness

  @Test("the same input gives the same bytes")
  func deterministic() {
    let a = Charts.conditionChart(
      title: "T", subtitle: "S", panels: ChartSamples.panels, baseline: "manual")
    let b = Charts.conditionChart(
      title: "T", subtitle: "S", panels: ChartSamples.panels, baseline: "manual")
    #expect(a == b)
    let c = Charts.sweepChart(
      title: "T", subtitle: nil, xLabel: "x", yLabel: "y", series: ChartSamples.series)
    let d = Charts.sweepChart(
      title: "T", subtitle: nil, xLabel: "x", yLabel: "y", series: ChartSamples.series)
    #expect(c == d)
    let panels = [(title: "p", series: ChartSamples.series)]
    #expect(
      Charts.sweepGrid(title: "T", subtitle: nil, xLabel: "x", yLabel: "y", panels: panels)
        == Charts.sweepGrid(title: "T", subtitle: nil, xLabel: "x", yLabel: "y", panels: panels))
  }

  @Test("nil, NaN and infinite values are skipped without crashing")
  func undefinedValues() throws {
    let weird: [(x: Double, estimate: Estimate?)] = [
      (0, Estimate(mean: .nan, low: nil, high: nil)),
      (1, Estimate(mean: 1, low: -.infinity, high: 2)),
      (2, nil),
      (3, Estimate(mean: 2, low: 1.5, high: .nan)),
      (.nan, Estimate(mean: 100, low: 99, high: 101)),
      (4, Estimate(mean: 3, low: 2, high: 4)),
      (5, Estimate(mean: 4, low: 3, high: 5)),
    ]
    let svg = Charts.sweepChart(
      title: "Weird", subtitle: nil, xLabel: "x", yLabel: "y",
      series: [SweepSeries(name: "w", points: weird)])
    let document = try #require(ParsedSVG.parse(svg))
    #expect(!svg.contains("NaN") && !svg.contains("inf"))
    let series = try #require(document.indices(ofClass: "series").first)
    #expect(document.withClass("marker", inside: series).count == 4)
    #expect(document.withClass("line", inside: series).count == 1)  // 3…5; 1 stands alone
    // The NaN x is not on the axis, and 100 did not stretch the y axis.
    #expect(!document.texts.contains("100"))

    let bars = Charts.conditionChart(
      title: "Weird bars", subtitle: nil,
      panels: [
        ConditionPanel(
          metric: "m", unit: "u",
          values: [
            ("a", Estimate(mean: .nan, low: 0, high: 1)), ("b", nil),
            ("c", Estimate(mean: 0.5, low: .nan, high: .infinity)),
          ])
      ], baseline: "zzz")
    let barsDocument = try #require(ParsedSVG.parse(bars))
    #expect(!bars.contains("NaN") && !bars.contains("inf"))
    #expect(barsDocument.withClass("bar").count == 3)
    #expect(barsDocument.withClass("missing").count == 2)
    #expect(barsDocument.withClass("whisker").isEmpty)
  }

  /// The shortening as it was first written: drop a character, measure, repeat (O(n²)).
  static func truncatedByRemoval(_ text: String, maxWidth: Double, size: Double, bold: Bool)
    -> String
  {
    guard SVG.textWidth(text, size: size, bold: bold) > maxWidth else { return text }
    var characters = Array(text)
    while !characters.isEmpty {
      characters.removeLast()
      var candidate = String(characters)
      while candidate.last == " " { candidate.removeLast() }
      candidate += "…"
      if SVG.textWidth(candidate, size: size, bold: bold) <= maxWidth { return candidate }
    }
    return "…"
  }

  @Test("shortening a label gives what removing a character at a time gives", arguments: 0..<4)
  func truncationMatchesRemoval(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let alphabet = Array("aim W.-_/ 1 é漢  ") + ["e\u{301}"]
    for _ in 0..<300 {
      let length = Int.random(in: 0...40, using: &rng)
      let text = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
      let width = Double.random(in: 0...200, using: &rng)
      let size = [10.0, 11.5, 13, 16].randomElement(using: &rng)!
      let bold = Bool.random(using: &rng)
      #expect(
        SVG.truncate(text, maxWidth: width, size: size, bold: bold)
          == Self.truncatedByRemoval(text, maxWidth: width, size: size, bold: bold),
        "\(text) in \(width) at \(size)")
    }
  }

  @Test("shortening a 100,000-character label takes linear time")
  func truncationIsLinear() {
    let text = String(repeating: "condition name ", count: 6_667)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      #expect(SVG.truncate(text, maxWidth: 190, size: 12).count < 40)
    }
    // Removing a character at a time took minutes at this length.
    #expect(elapsed < .seconds(2))
  }

  @Test("empty or undefined input gives a chart saying no data")
  func noData() throws {
    let charts = [
      Charts.conditionChart(title: "Empty", subtitle: nil, panels: [], baseline: nil),
      Charts.conditionChart(
        title: "All nil", subtitle: nil,
        panels: [ConditionPanel(metric: "m", unit: nil, values: [("a", nil), ("b", nil)])],
        baseline: nil),
      Charts.sweepChart(title: "Empty", subtitle: nil, xLabel: "x", yLabel: "y", series: []),
      Charts.sweepChart(
        title: "All nil", subtitle: nil, xLabel: "x", yLabel: "y",
        series: [SweepSeries(name: "s", points: [(1, nil), (2, nil)])]),
      Charts.sweepGrid(title: "Empty", subtitle: nil, xLabel: "x", yLabel: "y", panels: []),
      Charts.sweepGrid(
        title: "Empty panel", subtitle: nil, xLabel: "x", yLabel: "y",
        panels: [(title: "p", series: [])]),
    ]
    for svg in charts {
      let document = try #require(ParsedSVG.parse(svg))
      #expect(document.texts.contains("no data"), "\(svg)")
    }
  }

  @Test("degenerate ranges still give sensible axes")
  func degenerate() throws {
    let single = Charts.sweepChart(
      title: "One point", subtitle: nil, xLabel: "x", yLabel: "y",
      series: [SweepSeries(name: "s", points: [(5, Estimate(mean: 5, low: nil, high: nil))])])
    let document = try #require(ParsedSVG.parse(single))
    let yAxis = try #require(document.indices(ofClass: "y-axis").first)
    let yTicks = document.withClass("tick", inside: yAxis).map(\.text)
    #expect(yTicks.count >= 3, "\(yTicks)")
    #expect(Set(yTicks).count == yTicks.count)
    let xAxis = try #require(document.indices(ofClass: "x-axis").first)
    #expect(document.withClass("tick", inside: xAxis).map(\.text) == ["5"])
    #expect(document.withClass("marker").count == 2)  // legend sample + the point

    let equal = Charts.conditionChart(
      title: "All zero", subtitle: nil,
      panels: [
        ConditionPanel(
          metric: "m", unit: nil,
          values: [
            ("a", Estimate(mean: 0, low: 0, high: 0)), ("b", Estimate(mean: 0, low: 0, high: 0)),
          ])
      ], baseline: nil)
    let equalDocument = try #require(ParsedSVG.parse(equal))
    #expect(equalDocument.withClass("tick").map(\.text) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    #expect(!equal.contains("NaN"))
  }

  /// Draws one example of each kind of chart, odd cases included (long and special names,
  /// a missing value, an empty panel, no data at all): each must be a well-formed SVG
  /// document with its title and no non-finite number. With $ENSEMBLE_CHART_DEMO_DIR set the
  /// examples are also written there, for looking at.
  @Test("every kind of chart, odd cases included, is a well-formed SVG with its title")
  func demo() throws {
    let directory = ProcessInfo.processInfo.environment["ENSEMBLE_CHART_DEMO_DIR"]
    let url = directory.map { URL(fileURLWithPath: $0, isDirectory: true) }
    if let url {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var drawn: [String] = []
    func write(_ name: String, _ svg: String) throws {
      let document = try #require(ParsedSVG.parse(svg), "\(name) is not well-formed XML")
      #expect(document.elements.first?.name == "svg", "\(name) is not an SVG document")
      #expect(document.elements.contains { $0.name == "text" && !$0.text.isEmpty }, "\(name)")
      for bad in ["NaN", "nan", "inf"] { #expect(!svg.contains("\"\(bad)"), "\(name): \(bad)") }
      drawn.append(name)
      if let url { try Data(svg.utf8).write(to: url.appendingPathComponent(name)) }
    }
    try write(
      "conditions.svg",
      Charts.conditionChart(
        title: "Outcomes by working arrangement",
        subtitle: "Means of 20 replications, 8 weeks each",
        panels: ChartSamples.panels, baseline: "manual"))
    try write(
      "conditions-one.svg",
      Charts.conditionChart(
        title: "Correct rate by working arrangement", subtitle: nil,
        panels: [ChartSamples.panels[0]], baseline: "manual"))
    let longNames = [
      "manual", "structured handoff", "AI drafts, human approves", "AI-first with spot checks",
      "human-first with AI review", "rotating reviewer", "full automation",
    ]
    try write(
      "conditions-long.svg",
      Charts.conditionChart(
        title: "Seven arrangements", subtitle: nil,
        panels: [
          ConditionPanel(
            metric: "Correct rate", unit: "share of arrived tasks",
            values: longNames.enumerated().map {
              ($1, $0 == 3 ? nil : ChartSamples.estimate(0.5 + 0.05 * Double($0), 0.04))
            }),
          ConditionPanel(
            metric: "Backlog", unit: "tasks",
            values: longNames.enumerated().map {
              ($1, ChartSamples.estimate(20 + 4 * Double($0), 3))
            }),
        ], baseline: "manual"))
    try write(
      "sweep.svg",
      Charts.sweepChart(
        title: "Correct rate falls as the AI error rate rises",
        subtitle: "Means of 20 replications with 95% confidence bands",
        xLabel: "AI error rate (share of tasks)", yLabel: "Correct rate (share of arrived tasks)",
        series: ChartSamples.series))
    try write(
      "sweep-categorical.svg",
      Charts.sweepChart(
        title: "Time to decision by review policy", subtitle: nil, xLabel: "Review policy",
        yLabel: "Time to decision (hours)",
        series: Array(ChartSamples.series.prefix(3)).map { s in
          SweepSeries(
            name: s.name,
            points: s.points.prefix(4).enumerated().map {
              (
                Double($0),
                $1.estimate.map {
                  Estimate(
                    mean: $0.mean * 10, low: $0.low.map { $0 * 10 }, high: $0.high.map { $0 * 10 })
                }
              )
            })
        }, xIsCategorical: true,
        xTickLabels: ["none", "sample 10%", "every task", "every task, two reviewers"]))
    let grid = ["Team of 3", "Team of 6", "Team of 12", "Team of 24"].enumerated().map {
      index, title in
      (
        title: title,
        series: ChartSamples.series.map { series in
          SweepSeries(
            name: series.name,
            points: series.points.map { point in
              (
                point.x,
                point.estimate.map {
                  Estimate(
                    mean: $0.mean - 0.04 * Double(index),
                    low: $0.low.map { $0 - 0.04 * Double(index) },
                    high: $0.high.map { $0 - 0.04 * Double(index) })
                }
              )
            })
        }
      )
    }
    try write(
      "grid.svg",
      Charts.sweepGrid(
        title: "Correct rate by AI error rate, for four team sizes", subtitle: "Shared axes",
        xLabel: "AI error rate (share of tasks)", yLabel: "Correct rate (share)", panels: grid))
    let uneven = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]
    let many = (0..<8).map { index in
      SweepSeries(
        name: index == 7
          ? "a very long condition name that needs shortening" : "condition \(index + 1)",
        points: uneven.map { x in
          (x, ChartSamples.estimate(100 + 40 * Double(index) * x + Double(index) * 5, 6))
        })
    }
    try write(
      "sweep-many.svg",
      Charts.sweepChart(
        title: "Backlog against arrival surge for eight conditions", subtitle: nil,
        xLabel: "Surge (share above normal arrivals)", yLabel: "Backlog (tasks)", series: many))
    try write(
      "special.svg",
      Charts.conditionChart(
        title: "Names with <special> & \"quoted\" characters", subtitle: "x < y & 'z'",
        panels: [
          ConditionPanel(
            metric: "Rate < 1 & > 0", unit: "share",
            values: [("a<b & \"c\"", ChartSamples.estimate(0.4, 0.05)), ("plain", nil)]),
          ConditionPanel(
            metric: "All equal", unit: "hours",
            values: [
              ("a<b & \"c\"", ChartSamples.estimate(3, 0)), ("plain", ChartSamples.estimate(3, 0)),
            ],
            includeZero: false),
          ConditionPanel(
            metric: "Negative and positive", unit: "difference",
            values: [
              ("a<b & \"c\"", ChartSamples.estimate(-2.5, 1)),
              ("plain", ChartSamples.estimate(1.5, 1)),
            ]),
        ], baseline: "plain"))
    try write(
      "grid-three.svg",
      Charts.sweepGrid(
        title: "Three panels, one empty", subtitle: nil, xLabel: "x", yLabel: "y",
        panels: [
          (title: "first", series: Array(ChartSamples.series.prefix(2))),
          (title: "empty", series: []),
          (
            title: "single point",
            series: [SweepSeries(name: "manual", points: [(0.2, ChartSamples.estimate(0.6, 0.1))])]
          ),
        ]))
    try write(
      "empty.svg",
      Charts.sweepChart(title: "Nothing yet", subtitle: nil, xLabel: "x", yLabel: "y", series: []))
    #expect(Set(drawn).count == drawn.count && drawn.count >= 10, "\(drawn)")
  }
}
