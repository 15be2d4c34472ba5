import Foundation

/// A mean with its 95% confidence interval; `low`/`high` are nil when the interval is undefined
/// (e.g. fewer than two replications).
public struct Estimate: Sendable, Equatable {
  public var mean: Double
  public var low: Double?
  public var high: Double?

  public init(mean: Double, low: Double?, high: Double?) {
    self.mean = mean
    self.low = low
    self.high = high
  }

  /// The interval ends when both are finite and bracket nothing absurd (low ≤ high).
  var interval: (low: Double, high: Double)? {
    guard let low, let high, low.isFinite, high.isFinite else { return nil }
    return (Swift.min(low, high), Swift.max(low, high))
  }
}

/// One panel of `Charts.conditionChart`: one metric, one bar per condition.
public struct ConditionPanel: Sendable {
  /// The panel title, e.g. "Correct rate".
  public var metric: String
  /// The y axis label, e.g. "share of arrived tasks" or "hours"; nil for none.
  public var unit: String?
  /// One entry per condition, in display order; a nil estimate is drawn as "no value".
  public var values: [(condition: String, estimate: Estimate?)]
  /// Whether the y axis is stretched to include 0 (right for rates, shares and counts).
  public var includeZero: Bool

  public init(
    metric: String, unit: String?, values: [(condition: String, estimate: Estimate?)],
    includeZero: Bool = true
  ) {
    self.metric = metric
    self.unit = unit
    self.values = values
    self.includeZero = includeZero
  }
}

/// One line of `Charts.sweepChart`: a condition's metric at each swept value.
public struct SweepSeries: Sendable {
  public var name: String
  /// The swept values and the estimates there; a nil estimate leaves a gap in the line.
  public var points: [(x: Double, estimate: Estimate?)]

  public init(name: String, points: [(x: Double, estimate: Estimate?)]) {
    self.name = name
    self.points = points
  }
}

/// Hand-written SVG charts for reports: large text, a colour-blind-safe palette, 95% CIs.
///
/// Every function is pure and deterministic: the same input gives the same bytes.
public enum Charts {
  // MARK: - Palette and styles

  /// Okabe–Ito colours in order of use. Yellow is kept last, after black, because a yellow line
  /// is hard to see on white; conditions keep the same colour in every chart kind.
  public static let palette = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
  ]
  /// The baseline condition's bar colour.
  static let baselineFill = "#A0A0A0"

  static func colour(_ index: Int) -> String { palette[index % palette.count] }

  /// A bar's colour: the baseline grey; the others by condition, or all in the first colour
  /// when there are more conditions than colours (the axis names every bar, and repeated
  /// colours would suggest a kinship that is not there).
  static func barColour(_ index: Int, conditions: Int, isBaseline: Bool) -> String {
    if isBaseline { return baselineFill }
    return conditions > palette.count ? palette[0] : colour(index)
  }

  // MARK: - Ticks

  /// Evenly spaced tick values and the number of decimals they need.
  struct TickScale {
    var ticks: [Double]
    var step: Double
    var decimals: Int

    var low: Double { ticks.first ?? 0 }
    var high: Double { ticks.last ?? 1 }

    func label(_ value: Double) -> String {
      decimals > 6 || abs(high) >= 1e15
        ? NumberFormat.label(value) : NumberFormat.fixed(value, decimals: decimals)
    }
  }

  /// "Nice" tick values covering [min, max]: multiples of a step 1, 2, 2.5 or 5 × 10ᵏ chosen
  /// so that there are about `approximateCount` intervals, each value rounded to the step's
  /// decimals (0.3, not 0.30000000000000004). A degenerate range (min = max) is widened around
  /// the value. Empty for non-finite input.
  public static func niceTicks(min: Double, max: Double, approximateCount: Int = 5) -> [Double] {
    niceScale(min, max, approximateCount: approximateCount)?.ticks ?? []
  }

  static func niceScale(_ a: Double, _ b: Double, approximateCount: Int = 5) -> TickScale? {
    guard a.isFinite, b.isFinite else { return nil }
    var low = Swift.min(a, b)
    var high = Swift.max(a, b)
    if low == high {
      let widen = low == 0 ? 1 : abs(low) * 0.1
      low -= widen
      high += widen
    }
    let span = high - low
    guard span.isFinite, span > 0 else { return nil }
    let rough = span / Double(Swift.max(1, approximateCount))
    var exponent = Int(floor(log10(rough)))
    let normalized = rough / pow(10, Double(exponent))
    var multiplier = [1, 2, 2.5, 5, 10].first { $0 >= normalized * (1 - 1e-9) } ?? 10
    if multiplier == 10 {
      multiplier = 1
      exponent += 1
    }
    let step =
      exponent >= 0
      ? multiplier * pow(10, Double(exponent)) : multiplier / pow(10, Double(-exponent))
    let decimals = Swift.max(0, -exponent + (multiplier == 2.5 ? 1 : 0))
    let first = floor(low / step + 1e-9)
    let last = ceil(high / step - 1e-9)
    guard first.isFinite, last.isFinite, last - first <= 1000, abs(first) < 1e15,
      abs(last) < 1e15
    else { return nil }
    let scale = pow(10, Double(decimals))
    let ticks = (Int(first)...Int(last)).map { index -> Double in
      let value = Double(index) * step
      let rounded = decimals == 0 ? value.rounded() : (value * scale).rounded() / scale
      return rounded == 0 ? 0 : rounded
    }
    return TickScale(ticks: ticks, step: step, decimals: decimals)
  }

  /// The tick scale for a set of values (finite ones only), with an optional 0 included.
  static func valueScale(_ values: [Double], includeZero: Bool, approximateCount: Int = 5)
    -> TickScale
  {
    let finite = values.filter(\.isFinite)
    guard var low = finite.min(), var high = finite.max() else {
      return niceScale(0, 1)!
    }
    if includeZero {
      if low >= 0 { low = 0 }
      if high <= 0 { high = 0 }
      if low == 0 && high == 0 { high = 1 }
    }
    return niceScale(low, high, approximateCount: approximateCount) ?? niceScale(0, 1)!
  }

  // MARK: - Shared pieces

  /// A linear map from a data interval to a pixel interval.
  struct LinearMap {
    var domain: (Double, Double)
    var range: (Double, Double)

    func callAsFunction(_ value: Double) -> Double {
      let width = domain.1 - domain.0
      guard width != 0 else { return (range.0 + range.1) / 2 }
      return range.0 + (value - domain.0) / width * (range.1 - range.0)
    }
  }

  static let titleSize = 20.0
  static let subtitleSize = 14.0
  static let panelTitleSize = 16.0
  static let axisLabelSize = 14.0
  static let tickSize = 13.0
  static let legendSize = 14.0

  /// Title and subtitle; returns the y below them.
  static func header(title: String, subtitle: String?, width: Double, into body: inout [String])
    -> Double
  {
    let titleLines = SVG.wrap(title, maxWidth: width - 40, size: titleSize, maxLines: 2).lines
    var y = 34.0
    for line in titleLines {
      body.append(
        SVG.text(line, x: 20, y: y, size: titleSize, bold: true, cls: "chart-title"))
      y += 25
    }
    y -= 25
    if let subtitle, !subtitle.isEmpty {
      let lines = SVG.wrap(subtitle, maxWidth: width - 40, size: subtitleSize, maxLines: 2).lines
      for line in lines {
        y += 21
        body.append(
          SVG.text(
            line, x: 20, y: y, size: subtitleSize, fill: SVG.mutedInk, cls: "chart-subtitle"))
      }
    }
    return y + 12
  }

  /// A legend entry: a sample (already positioned at `x`…`x + sampleWidth`) and its name.
  struct LegendItem {
    var name: String
    var sample: (Double, Double) -> [String]  // (x, centre y) -> elements
    var note: String? = nil
  }

  /// Legend entries flowed left to right in rows within [x, x + width]; returns the y below.
  static func legendRows(
    _ items: [LegendItem], x: Double, y: Double, width: Double, sampleWidth: Double,
    into body: inout [String]
  ) -> Double {
    guard !items.isEmpty else { return y }
    let rowHeight = 24.0
    var cursorX = x
    var rowCentre = y + rowHeight / 2
    body.append("<g class=\"legend-box\">")
    for item in items {
      let name = SVG.truncate(item.name, maxWidth: 260, size: legendSize)
      let noteWidth = item.note.map { SVG.textWidth($0, size: legendSize) + 6 } ?? 0
      let entryWidth = sampleWidth + 8 + SVG.textWidth(name, size: legendSize) + noteWidth
      if cursorX > x && cursorX + entryWidth > x + width {
        cursorX = x
        rowCentre += rowHeight
      }
      body.append(
        contentsOf: legendEntry(
          item, name: name, x: cursorX, centre: rowCentre,
          sampleWidth: sampleWidth))
      cursorX += entryWidth + 22
    }
    body.append("</g>")
    return rowCentre + rowHeight / 2
  }

  static func legendEntry(
    _ item: LegendItem, name: String, x: Double, centre: Double, sampleWidth: Double
  ) -> [String] {
    var out = ["<g class=\"legend-entry\"\(SVG.attr("data-name", item.name))>"]
    if name != item.name { out.append("<title>\(SVG.escape(item.name))</title>") }
    out.append(contentsOf: item.sample(x, centre))
    let textX = x + sampleWidth + 8
    out.append(SVG.text(name, x: textX, y: centre + 5, size: legendSize, cls: "legend"))
    if let note = item.note {
      out.append(
        SVG.text(
          note, x: textX + SVG.textWidth(name, size: legendSize) + 6, y: centre + 5,
          size: legendSize, italic: true, fill: SVG.mutedInk, cls: "legend-note"))
    }
    out.append("</g>")
    return out
  }

  /// A horizontal-gridline y axis: grid lines, tick labels, left axis line.
  static func yAxis(
    _ scale: TickScale, map: LinearMap, plotX: Double, plotWidth: Double, showLabels: Bool = true,
    into body: inout [String]
  ) {
    body.append("<g class=\"y-axis\">")
    for tick in scale.ticks {
      let y = map(tick)
      body.append(
        SVG.line(
          x1: plotX, y1: y, x2: plotX + plotWidth, y2: y, stroke: SVG.grid, width: 1,
          cls: "grid"))
      body.append(SVG.line(x1: plotX - 5, y1: y, x2: plotX, y2: y, stroke: SVG.axis, width: 1))
      if showLabels {
        body.append(
          SVG.text(
            scale.label(tick), x: plotX - 8, y: y + 4.5, size: tickSize, anchor: .end,
            cls: "tick"))
      }
    }
    let top = map(scale.high)
    let bottom = map(scale.low)
    body.append(
      SVG.line(x1: plotX, y1: top, x2: plotX, y2: bottom, stroke: SVG.axis, width: 1.5))
    body.append("</g>")
  }

  /// The width taken by the y tick labels of `scale`.
  static func tickLabelWidth(_ scale: TickScale) -> Double {
    scale.ticks.map { SVG.textWidth(scale.label($0), size: tickSize) }.max() ?? 0
  }

  /// A rotated (−90°) axis label centred on [top, bottom] at x.
  static func verticalLabel(
    _ text: String, x: Double, top: Double, bottom: Double, into body: inout [String]
  ) {
    // Shrunk, then wrapped onto two lines, rather than cut.
    let centre = (top + bottom) / 2
    let room = bottom - top
    var size = axisLabelSize
    if SVG.textWidth(text, size: size) > room { size = 12 }
    let lines = SVG.wrap(text, maxWidth: room, size: size, maxLines: 2).lines
    for (i, line) in lines.enumerated() {
      let lineX = x - Double(lines.count - 1 - i) * (size + 2)
      body.append(
        SVG.text(
          line, x: lineX, y: centre, size: size, anchor: .middle, rotate: -90,
          cls: "axis-label y-label"))
    }
  }

  /// The "no data" message centred at (x, y).
  static func noDataText(x: Double, y: Double, into body: inout [String]) {
    body.append(
      SVG.text(
        "no data", x: x, y: y, size: 18, anchor: .middle, italic: true,
        fill: SVG.mutedInk, cls: "no-data"))
  }

  /// A footnote line at the bottom left.
  static func note(_ text: String, y: Double, width: Double, into body: inout [String]) {
    body.append(
      SVG.text(
        SVG.truncate(text, maxWidth: width - 40, size: 13), x: 20, y: y, size: 13,
        fill: SVG.mutedInk, cls: "note"))
  }

  // MARK: - (a) Conditions side by side

  /// Conditions side by side with 95% CI whiskers, one panel per metric, in a grid of up to two
  /// columns. Each condition keeps one colour (its index among all conditions, in order of first
  /// appearance) in every panel; the `baseline` condition is drawn grey and marked
  /// "(baseline)". Axes include 0 when a panel's `includeZero` is set and all values have one
  /// sign; when 0 is not on the axis, dots replace the bars.
  public static func conditionChart(
    title: String, subtitle: String?, panels: [ConditionPanel], baseline: String?
  ) -> String {
    var conditions: [String] = []
    for panel in panels {
      for entry in panel.values where !conditions.contains(entry.condition) {
        conditions.append(entry.condition)
      }
    }
    let columns = panels.count <= 1 ? 1 : 2
    let width = columns == 1 ? 640.0 : 960.0
    var body: [String] = []
    var y = header(title: title, subtitle: subtitle, width: width, into: &body)

    let metricNames = panels.map(\.metric).joined(separator: "; ")
    var description = "Bar chart of \(panels.count) metric\(panels.count == 1 ? "" : "s")"
    if !panels.isEmpty { description += " (\(metricNames))" }
    description += " for \(conditions.count) condition\(conditions.count == 1 ? "" : "s")"
    if !conditions.isEmpty { description += ": " + conditions.joined(separator: ", ") }
    if let baseline { description += "; baseline \(baseline)" }
    description += ". Whiskers show 95% confidence intervals."

    guard !panels.isEmpty, !conditions.isEmpty else {
      noDataText(x: width / 2, y: y + 60, into: &body)
      return SVG.document(
        width: width, height: y + 110, title: title, description: description, body: body)
    }

    // Legend: one swatch per condition, unless colours repeat (more conditions than
    // colours): then every bar but the baseline's has one colour, the axis names each bar,
    // and a legend of identical swatches would say nothing.
    let distinctColours = conditions.count <= palette.count
    let items = conditions.enumerated().filter { distinctColours || $0.element == baseline }.map {
      index, name in
      let isBaseline = name == baseline
      let fill = barColour(index, conditions: conditions.count, isBaseline: isBaseline)
      return LegendItem(
        name: name,
        sample: { x, centre in
          [
            SVG.rect(
              x: x, y: centre - 8, width: 16, height: 16, fill: fill, stroke: SVG.axis,
              strokeWidth: 0.75)
          ]
        }, note: isBaseline ? "(baseline)" : nil)
    }
    y = legendRows(items, x: 20, y: y, width: width - 40, sampleWidth: 16, into: &body) + 8

    // Category label layout, shared by all panels so that rows line up.
    let cellWidth = (width - 20) / Double(columns)
    let layouts = panels.map { panel in
      ConditionPanelLayout(panel: panel, baseline: baseline, cellWidth: cellWidth)
    }
    let labelArea = layouts.map(\.labelAreaHeight).max() ?? 40
    let plotHeight = 210.0
    let plotTop = 52.0
    let cellHeight = plotTop + plotHeight + labelArea + 14

    for (index, layout) in layouts.enumerated() {
      let cellX = 10 + Double(index % columns) * cellWidth
      let cellY = y + Double(index / columns) * cellHeight
      drawConditionPanel(
        layout, conditions: conditions, baseline: baseline, cellX: cellX, cellY: cellY,
        cellWidth: cellWidth, plotTop: cellY + plotTop, plotHeight: plotHeight, into: &body)
    }
    let rows = (panels.count + columns - 1) / columns
    let bottom = y + Double(rows) * cellHeight
    note(
      "Bars show means; whiskers show 95% confidence intervals.", y: bottom + 14, width: width,
      into: &body)
    return SVG.document(
      width: width, height: bottom + 30, title: title, description: description, body: body)
  }

  /// Where a condition panel's plot and category labels go.
  struct ConditionPanelLayout {
    var panel: ConditionPanel
    var scale: TickScale
    var leftMargin: Double
    var plotWidth: Double
    var rotated: Bool
    /// The category labels' rotation in degrees when `rotated`: −30, or −45 if that shortens
    /// fewer labels.
    var rotation: Double
    var labels: [(lines: [String], full: String, truncated: Bool)]
    var labelAreaHeight: Double

    init(panel: ConditionPanel, baseline: String?, cellWidth: Double) {
      self.panel = panel
      var values: [Double] = []
      for entry in panel.values {
        guard let estimate = entry.estimate, estimate.mean.isFinite else { continue }
        values.append(estimate.mean)
        if let interval = estimate.interval { values += [interval.low, interval.high] }
      }
      scale = Charts.valueScale(values, includeZero: panel.includeZero)
      let leftMargin = (panel.unit == nil ? 14 : 34) + Charts.tickLabelWidth(scale) + 12
      self.leftMargin = leftMargin
      plotWidth = cellWidth - leftMargin - 16
      let count = Swift.max(1, panel.values.count)
      let slot = plotWidth / Double(count)
      let texts = panel.values.map { entry in
        entry.condition == baseline ? entry.condition + " (baseline)" : entry.condition
      }
      // Horizontal, wrapped onto up to 3 lines, when every label fits its slot.
      let wrapped = texts.map {
        SVG.wrap($0, maxWidth: slot - 8, size: Charts.tickSize, maxLines: 3)
      }
      if wrapped.allSatisfy({ !$0.truncated }) {
        rotated = false
        rotation = 0
        labels = zip(wrapped, texts).map { ($0.lines, $1, false) }
        let lineCount = wrapped.map(\.lines.count).max() ?? 1
        labelAreaHeight = 20 + Double(lineCount) * 16
      } else {
        rotated = true
        let margin = leftMargin
        func fit(_ degrees: Double) -> (
          labels: [(lines: [String], full: String, truncated: Bool)],
          height: Double, truncations: Int
        ) {
          let cosine = cos(degrees * Double.pi / 180).magnitude
          let sine = sin(degrees * Double.pi / 180).magnitude
          var longest = 0.0
          let labels = texts.enumerated().map {
            index, text -> (lines: [String], full: String, truncated: Bool) in
            // Room to the left of the slot centre, within the cell, for the rotated text.
            let centre = margin + (Double(index) + 0.5) * slot
            let room = Swift.min(190, (centre + 2) / cosine)
            let fitted = SVG.truncate(text, maxWidth: room, size: Charts.tickSize)
            longest = Swift.max(longest, SVG.textWidth(fitted, size: Charts.tickSize))
            return ([fitted], text, fitted != text)
          }
          let height = 22 + longest * sine + Charts.tickSize * cosine
          return (labels, height, labels.filter { $0.truncated }.count)
        }
        let shallow = fit(-30)
        let steep = fit(-45)
        let useSteep = steep.truncations < shallow.truncations
        rotation = useSteep ? -45 : -30
        labels = useSteep ? steep.labels : shallow.labels
        labelAreaHeight = useSteep ? steep.height : shallow.height
      }
    }
  }

  static func drawConditionPanel(
    _ layout: ConditionPanelLayout, conditions: [String], baseline: String?, cellX: Double,
    cellY: Double, cellWidth: Double, plotTop: Double, plotHeight: Double,
    into body: inout [String]
  ) {
    let panel = layout.panel
    let scale = layout.scale
    let plotX = cellX + layout.leftMargin
    let plotBottom = plotTop + plotHeight
    let map = LinearMap(domain: (scale.low, scale.high), range: (plotBottom, plotTop))
    body.append("<g class=\"panel\"\(SVG.attr("data-metric", panel.metric))>")
    let panelTitle = SVG.truncate(
      panel.metric, maxWidth: cellWidth - 16, size: panelTitleSize, bold: true)
    body.append(
      SVG.text(
        panelTitle, x: cellX + 8, y: cellY + 24, size: panelTitleSize, bold: true,
        cls: "panel-title"))
    yAxis(scale, map: map, plotX: plotX, plotWidth: layout.plotWidth, into: &body)
    if let unit = panel.unit, !unit.isEmpty {
      verticalLabel(unit, x: cellX + 18, top: plotTop, bottom: plotBottom, into: &body)
    }
    let zeroOnAxis = scale.low <= 0 && scale.high >= 0
    let barBase = zeroOnAxis ? map(0) : plotBottom
    body.append(
      SVG.line(
        x1: plotX, y1: barBase, x2: plotX + layout.plotWidth, y2: barBase, stroke: SVG.axis,
        width: 1.5, cls: "x-axis"))

    let count = panel.values.count
    let slot = layout.plotWidth / Double(Swift.max(1, count))
    let barWidth = Swift.min(slot * 0.6, 64)
    var anyValue = false
    for (index, entry) in panel.values.enumerated() {
      let centre = plotX + (Double(index) + 0.5) * slot
      let conditionIndex = conditions.firstIndex(of: entry.condition) ?? index
      let isBaseline = entry.condition == baseline
      let fill = barColour(conditionIndex, conditions: conditions.count, isBaseline: isBaseline)
      var groupClass = "bar"
      if isBaseline { groupClass += " baseline" }
      let estimate = entry.estimate.flatMap { $0.mean.isFinite ? $0 : nil }
      if estimate == nil { groupClass += " missing" }
      body.append(
        "<g\(SVG.attr("class", groupClass))\(SVG.attr("data-condition", entry.condition))>")
      if let estimate {
        anyValue = true
        let interval = estimate.interval
        var tooltip = "\(entry.condition): \(NumberFormat.label(estimate.mean))"
        if let interval {
          tooltip +=
            " (95% CI \(NumberFormat.label(interval.low)) to \(NumberFormat.label(interval.high)))"
        }
        body.append("<title>\(SVG.escape(tooltip))</title>")
        let yMean = map(estimate.mean)
        var top = yMean
        if zeroOnAxis {
          body.append(
            SVG.rect(
              x: centre - barWidth / 2, y: Swift.min(yMean, barBase), width: barWidth,
              height: abs(barBase - yMean), fill: fill, stroke: SVG.axis, strokeWidth: 0.75,
              cls: "bar-rect"))
          top = Swift.min(top, barBase)
        }
        if let interval {
          let yLow = map(interval.low)
          let yHigh = map(interval.high)
          let cap = Swift.min(barWidth * 0.4, 10)
          // A white halo under the dark whisker keeps it visible on dark bars.
          let path =
            "M\(SVG.num(centre - cap)),\(SVG.num(yLow))H\(SVG.num(centre + cap))"
            + "M\(SVG.num(centre)),\(SVG.num(yLow))V\(SVG.num(yHigh))"
            + "M\(SVG.num(centre - cap)),\(SVG.num(yHigh))H\(SVG.num(centre + cap))"
          body.append("<g class=\"whisker\" fill=\"none\">")
          body.append("<path d=\"\(path)\" stroke=\"#FFFFFF\" stroke-width=\"4.5\"/>")
          body.append("<path d=\"\(path)\"\(SVG.attr("stroke", SVG.ink)) stroke-width=\"1.75\"/>")
          body.append("</g>")
          top = Swift.min(top, yHigh)
        }
        if !zeroOnAxis {
          // The dot goes over its whisker.
          body.append(
            "<circle class=\"dot\"\(SVG.attr("cx", centre))\(SVG.attr("cy", yMean)) r=\"7\""
              + "\(SVG.attr("fill", fill))\(SVG.attr("stroke", SVG.axis)) stroke-width=\"1\"/>")
          top -= 7
        }
        body.append(
          SVG.text(
            NumberFormat.label(estimate.mean), x: centre, y: top - 6, size: tickSize,
            anchor: .middle,
            bold: true, cls: "value"))
      } else {
        let narrow = slot < 62
        body.append(
          SVG.text(
            "no value", x: centre + (narrow ? 4.5 : 0), y: barBase - 8, size: tickSize,
            anchor: narrow ? .start : .middle, italic: true, fill: SVG.mutedInk,
            rotate: narrow ? -90 : nil, cls: "no-value"))
      }
      body.append("</g>")
      // Category label under the slot.
      let entryLabel = layout.labels[index]
      if entryLabel.truncated {
        body.append("<g class=\"category\"><title>\(SVG.escape(entryLabel.full))</title>")
      } else {
        body.append("<g class=\"category\">")
      }
      if layout.rotated {
        body.append(
          SVG.text(
            entryLabel.lines[0], x: centre + 4, y: plotBottom + 16, size: tickSize,
            anchor: .end, rotate: layout.rotation, cls: "category-label"))
      } else {
        for (lineIndex, line) in entryLabel.lines.enumerated() {
          body.append(
            SVG.text(
              line, x: centre, y: plotBottom + 20 + Double(lineIndex) * 16, size: tickSize,
              anchor: .middle, cls: "category-label"))
        }
      }
      body.append("</g>")
    }
    if !anyValue {
      noDataText(x: plotX + layout.plotWidth / 2, y: plotTop + plotHeight / 2, into: &body)
    }
    body.append("</g>")
  }
}
