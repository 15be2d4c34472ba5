/// Charts of a sensitivity analysis: one row per parameter, horizontal bars, full labels.
///
/// Every parameter keeps one colour in every chart of a report: the colour of its position
/// in the analysis's parameter list (``colour(parameter:count:isDummy:)``), not of its rank,
/// so a reader can follow a parameter from chart to chart. Labels are never cut: the label
/// column is as wide as the longest label, and long labels wrap.
public enum SensitivityChart {
  /// One parameter's row.
  public struct Row: Sendable {
    /// The label shown (from the parameter registry: name and unit).
    public var label: String
    /// The parameter's position among all parameters (for its colour).
    public var parameter: Int
    /// Whether this is the dummy (drawn grey).
    public var isDummy: Bool
    /// Sobol': the total-order index; Morris: μ*.
    public var main: Estimate?
    /// Sobol': the first-order index; Morris: σ (no interval).
    public var second: Estimate?

    public init(
      label: String, parameter: Int, isDummy: Bool, main: Estimate?, second: Estimate?
    ) {
      self.label = label
      self.parameter = parameter
      self.isDummy = isDummy
      self.main = main
      self.second = second
    }
  }

  /// Okabe–Ito colours and then Paul Tol's muted scheme: 17 distinct colours before any
  /// repeats (then the label still names every row).
  static let colours =
    Charts.palette + [
      "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
      "#AA4499",
    ]

  /// The colour of parameter `parameter`: by position, grey for the dummy.
  public static func colour(parameter: Int, isDummy: Bool) -> String {
    isDummy ? "#9A9A9A" : colours[parameter % colours.count]
  }

  static let labelSize = 14.0
  static let tickSize = 13.0

  /// The chart: per row, a solid bar for `main` and a pale one for `second` beneath it, each
  /// with its interval as a whisker when it has one; a dashed line at `floor` when given.
  /// `mainName` and `secondName` name the two bars in the legend; `axis` labels the value
  /// axis; `note` is the footnote (wrapped, never cut).
  public static func chart(
    title: String, subtitle: String, rows: [Row], mainName: String, secondName: String,
    axis: String, floor: (value: Double, label: String)?, note: String
  ) -> String {
    let width = 900.0
    var body: [String] = []
    var y = 34.0
    for line in SVG.wrap(title, maxWidth: width - 40, size: 20, maxLines: 3).lines {
      body.append(SVG.text(line, x: 20, y: y, size: 20, bold: true, cls: "chart-title"))
      y += 25
    }
    for line in SVG.wrap(subtitle, maxWidth: width - 40, size: 15, maxLines: 3).lines {
      body.append(
        SVG.text(line, x: 20, y: y - 4, size: 15, fill: SVG.mutedInk, cls: "chart-subtitle"))
      y += 21
    }
    // Legend.
    y += 4
    var x = 20.0
    for (name, opacity) in [(mainName, 1.0), (secondName, 0.4)] {
      body.append(
        SVG.rect(
          x: x, y: y - 11, width: 22, height: 12, fill: "#555555", cls: "legend-sample",
          extra: SVG.attr("fill-opacity", opacity)))
      body.append(SVG.text(name, x: x + 30, y: y, size: labelSize, cls: "legend"))
      x += 30 + SVG.textWidth(name, size: labelSize) + 28
    }
    if let floor {
      body.append(
        SVG.line(
          x1: x, y1: y - 5, x2: x + 22, y2: y - 5, stroke: SVG.ink, width: 1.5, dash: "5 3"))
      body.append(SVG.text(floor.label, x: x + 30, y: y, size: labelSize, cls: "legend"))
    }
    y += 22

    // Label column: as wide as the widest label line (labels wrap at 260 px).
    let wrapped = rows.map { SVG.wrap($0.label, maxWidth: 260, size: labelSize, maxLines: 4) }
    let labelWidth = min(
      260, wrapped.flatMap(\.lines).map { SVG.textWidth($0, size: labelSize) }.max() ?? 0)
    let plotX = 20 + labelWidth + 14
    let plotWidth = width - plotX - 30
    var values: [Double] = [0]
    for row in rows {
      for e in [row.main, row.second].compactMap({ $0 }) {
        values += [e.mean] + [e.low, e.high].compactMap { $0 }
      }
    }
    if let floor { values.append(floor.value) }
    let finite = values.filter(\.isFinite)
    let ticks = Charts.niceTicks(
      min: finite.min() ?? 0, max: max(finite.max() ?? 1, 0.05), approximateCount: 6)
    let low = ticks.first ?? 0
    let high = ticks.last ?? 1
    func px(_ v: Double) -> Double {
      plotX + (min(max(v, low), high) - low) / (high - low) * plotWidth
    }
    let rowHeights = wrapped.map { max(40.0, Double($0.lines.count) * 17 + 10) }
    let plotTop = y
    let plotBottom = plotTop + rowHeights.reduce(0, +)
    // Grid and ticks.
    let decimals = ticks.count > 1 ? decimalsFor(ticks[1] - ticks[0]) : 1
    for tick in ticks {
      let tx = px(tick)
      body.append(
        SVG.line(
          x1: tx, y1: plotTop, x2: tx, y2: plotBottom, stroke: tick == 0 ? SVG.axis : SVG.grid,
          width: tick == 0 ? 1.5 : 1, cls: "grid"))
      body.append(
        SVG.text(
          NumberFormat.fixed(tick, decimals: decimals), x: tx, y: plotBottom + 18,
          size: tickSize, anchor: .middle, cls: "tick"))
    }
    body.append(
      SVG.text(
        axis, x: plotX + plotWidth / 2, y: plotBottom + 40, size: labelSize, anchor: .middle,
        cls: "axis-label x-label"))
    // Rows.
    var top = plotTop
    for (i, row) in rows.enumerated() {
      let height = rowHeights[i]
      let centre = top + height / 2
      let colour = colour(parameter: row.parameter, isDummy: row.isDummy)
      body.append("<g class=\"parameter\"\(SVG.attr("data-name", row.label))>")
      let lines = wrapped[i].lines
      var ly = centre - Double(lines.count - 1) * 17 / 2 + 5
      for line in lines {
        body.append(SVG.text(line, x: 20, y: ly, size: labelSize, cls: "label"))
        ly += 17
      }
      for (estimate, offset, opacity) in [(row.main, -7.0, 1.0), (row.second, 7.0, 0.4)] {
        guard let e = estimate else { continue }
        let barY = centre + offset - 6
        let x0 = px(min(0, e.mean))
        let x1 = px(max(0, e.mean))
        body.append(
          SVG.rect(
            x: x0, y: barY, width: max(1, x1 - x0), height: 12, fill: colour, cls: "bar",
            extra: SVG.attr("fill-opacity", opacity)))
        if let l = e.low, let h = e.high {
          let wy = centre + offset
          body.append(
            SVG.line(x1: px(l), y1: wy, x2: px(h), y2: wy, stroke: SVG.ink, width: 1.3))
          for end in [l, h] {
            body.append(
              SVG.line(
                x1: px(end), y1: wy - 4, x2: px(end), y2: wy + 4, stroke: SVG.ink, width: 1.3))
          }
        }
      }
      body.append("</g>")
      top += height
    }
    if let floor {
      let fx = px(floor.value)
      body.append(
        SVG.line(
          x1: fx, y1: plotTop, x2: fx, y2: plotBottom, stroke: SVG.ink, width: 1.5,
          dash: "5 3", cls: "floor"))
    }
    var noteY = plotBottom + 66
    for line in SVG.wrap(note, maxWidth: width - 40, size: 13, maxLines: 6).lines {
      body.append(SVG.text(line, x: 20, y: noteY, size: 13, fill: SVG.mutedInk, cls: "note"))
      noteY += 17
    }
    return SVG.document(
      width: width, height: noteY + 6, title: title, description: subtitle, body: body)
  }

  /// Decimals that show a tick step exactly (0.05 → 2, 0.2 → 1, 2 → 0).
  static func decimalsFor(_ step: Double) -> Int {
    var decimals = 0
    var scaled = step
    while decimals < 6 && abs(scaled - scaled.rounded()) > 1e-9 {
      scaled *= 10
      decimals += 1
    }
    return decimals
  }
}
