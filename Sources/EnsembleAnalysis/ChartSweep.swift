extension Charts {
  // MARK: - Series styles

  /// The palette colour that needs a dark casing to be seen on white (Okabe–Ito yellow).
  static let lightColour = "#F0E442"
  /// The casing drawn under light-coloured lines.
  static let casing = "#6E6E6E"

  /// Dash patterns by series index (the first series is solid).
  public static let dashes = ["", "9 5", "2 4", "12 4 3 4", "5 5", "14 4 3 4 3 4", "3 7", "20 6"]

  /// The marker of series `index` centred at (x, y): filled circle, square, triangle, diamond,
  /// inverted triangle, then hollow circle, square and diamond.
  static func marker(_ index: Int, x: Double, y: Double, colour: String) -> String {
    let shape = index % 8
    let hollow = shape >= 5
    let paint: String
    if colour == lightColour {
      // Yellow is too light on white alone: fill it and outline it dark.
      paint = "\(SVG.attr("fill", colour)) stroke=\"#444444\" stroke-width=\"1.25\""
    } else if hollow {
      paint = " fill=\"#FFFFFF\"\(SVG.attr("stroke", colour)) stroke-width=\"2\""
    } else {
      paint = "\(SVG.attr("fill", colour)) stroke=\"#FFFFFF\" stroke-width=\"1\""
    }
    func polygon(_ points: [(Double, Double)]) -> String {
      "<polygon class=\"marker\" points=\"\(SVG.points(points))\"\(paint)/>"
    }
    switch shape {
    case 0, 5:
      return "<circle class=\"marker\"\(SVG.attr("cx", x))\(SVG.attr("cy", y)) r=\"5.5\"\(paint)/>"
    case 1, 6:
      return "<rect class=\"marker\"\(SVG.attr("x", x - 5))\(SVG.attr("y", y - 5))"
        + " width=\"10\" height=\"10\"\(paint)/>"
    case 2:
      return polygon([(x, y - 7), (x + 6.5, y + 4.5), (x - 6.5, y + 4.5)])
    case 4:
      return polygon([(x, y + 7), (x + 6.5, y - 4.5), (x - 6.5, y - 4.5)])
    default:
      return polygon([(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)])
    }
  }

  /// A legend item for series style `index`: a short line in its dash pattern with its marker.
  static func seriesLegendItem(name: String, index: Int) -> LegendItem {
    let stroke = colour(index)
    return LegendItem(
      name: name,
      sample: { x, centre in
        (stroke == lightColour
          ? [SVG.line(x1: x, y1: centre, x2: x + 34, y2: centre, stroke: casing, width: 4.5)]
          : [])
          + [
            SVG.line(
              x1: x, y1: centre, x2: x + 34, y2: centre, stroke: stroke, width: 2.5,
              dash: dashes[index % dashes.count]),
            marker(index, x: x + 17, y: centre, colour: stroke),
          ]
      })
  }

  // MARK: - The x axis of a sweep

  /// The swept values and how they are placed and labelled.
  struct SweepXAxis {
    /// Distinct finite x values, increasing.
    var values: [Double]
    var categorical: Bool
    /// One label per value.
    var valueLabels: [String]
    /// Nice ticks when the axis is numeric with more than 12 distinct values.
    var nice: TickScale?
    var domain: (Double, Double)

    init(series: [SweepSeries], categorical: Bool, tickLabels: [String]?) {
      var all: [Double] = []
      for item in series {
        for point in item.points where point.x.isFinite { all.append(point.x) }
      }
      all.sort()
      var distinct: [Double] = []
      for value in all where distinct.last != value { distinct.append(value) }
      values = distinct
      self.categorical = categorical
      valueLabels = distinct.enumerated().map { index, value in
        if let tickLabels, index < tickLabels.count,
          categorical || tickLabels.count == distinct.count
        {
          return tickLabels[index]
        }
        return NumberFormat.label(value)
      }
      nice = nil
      guard let low = distinct.first, let high = distinct.last else {
        domain = (0, 1)
        return
      }
      if categorical {
        domain = (-0.5, Double(distinct.count) - 0.5)
      } else if distinct.count > 12, let scale = Charts.niceScale(low, high) {
        nice = scale
        domain = (scale.low, scale.high)
      } else if low == high {
        let widen = low == 0 ? 1 : abs(low) * 0.5
        domain = (low - widen, high + widen)
      } else {
        let pad = (high - low) * 0.04
        domain = (low - pad, high + pad)
      }
    }

    /// The domain coordinate of x (its rank when categorical), nil if x is not on the axis.
    func coordinate(_ x: Double) -> Double? {
      guard x.isFinite else { return nil }
      if categorical {
        return values.firstIndex(of: x).map(Double.init)
      }
      return x
    }

    /// Tick positions (domain coordinates) with their labels.
    var ticks: [(coordinate: Double, label: String)] {
      if let nice {
        return nice.ticks.map { ($0, nice.label($0)) }
      }
      return values.enumerated().map { index, value in
        (categorical ? Double(index) : value, valueLabels[index])
      }
    }

    /// Label placement for a plot of `plotWidth`: horizontal unless neighbours would collide,
    /// then rotated −30°; labels that would still collide are left out (the tick stays).
    func layout(map: LinearMap) -> XLabelLayout {
      let ticks = self.ticks
      let positions = ticks.map { map($0.coordinate) }
      let widths = ticks.map { SVG.textWidth($0.label, size: Charts.tickSize) }
      // Rotate only when even spacing could not fit the labels side by side; crowded values on
      // an uneven numeric axis are thinned instead.
      let evenSpacing = (map.range.1 - map.range.0) / Double(Swift.max(1, ticks.count))
      let collides = ticks.count > 1 && (widths.max() ?? 0) + 8 > evenSpacing
      var shown: [(position: Double, label: String, full: String)] = []
      var longest = 0.0
      var lastPosition = -Double.infinity
      var lastRight = -Double.infinity
      for (index, tick) in ticks.enumerated() {
        let position = positions[index]
        if collides {
          guard position - lastPosition >= 26 else { continue }
          let text = SVG.truncate(tick.label, maxWidth: 150, size: Charts.tickSize)
          longest = Swift.max(longest, SVG.textWidth(text, size: Charts.tickSize))
          shown.append((position, text, tick.label))
          lastPosition = position
        } else {
          guard position - widths[index] / 2 >= lastRight + 8 else { continue }
          shown.append((position, tick.label, tick.label))
          lastRight = position + widths[index] / 2
        }
      }
      let labelHeight = collides ? 18 + longest * 0.5 + Charts.tickSize : 22
      return XLabelLayout(
        ticks: positions, labels: shown, rotated: collides, height: labelHeight + 30)
    }
  }

  struct XLabelLayout {
    /// Tick mark positions (px).
    var ticks: [Double]
    var labels: [(position: Double, label: String, full: String)]
    var rotated: Bool
    /// Height below the plot for tick labels and the axis label.
    var height: Double
  }

  /// Every finite y value (means and CI ends) at a finite x.
  static func yValues(_ series: [SweepSeries]) -> [Double] {
    var values: [Double] = []
    for item in series {
      for point in item.points where point.x.isFinite {
        guard let estimate = point.estimate, estimate.mean.isFinite else { continue }
        values.append(estimate.mean)
        if let interval = estimate.interval { values += [interval.low, interval.high] }
      }
    }
    return values
  }

  // MARK: - Drawing one sweep plot

  /// Axes, grid, bands, lines and markers of one sweep plot in the given frame.
  static func drawSweepPlot(
    series: [(series: SweepSeries, style: Int)], xAxis: SweepXAxis, xMap: LinearMap,
    xLayout: XLabelLayout, yScale: TickScale, plotX: Double, plotTop: Double, plotWidth: Double,
    plotHeight: Double, xLabel: String, into body: inout [String]
  ) {
    let plotBottom = plotTop + plotHeight
    let yMap = LinearMap(domain: (yScale.low, yScale.high), range: (plotBottom, plotTop))
    yAxis(yScale, map: yMap, plotX: plotX, plotWidth: plotWidth, into: &body)

    // x axis: ticks, labels, axis line, axis label.
    body.append("<g class=\"x-axis\">")
    for position in xLayout.ticks {
      body.append(
        SVG.line(
          x1: position, y1: plotBottom, x2: position, y2: plotBottom + 5, stroke: SVG.axis,
          width: 1))
    }
    for tick in xLayout.labels {
      if tick.full != tick.label {
        body.append("<g><title>\(SVG.escape(tick.full))</title>")
      }
      if xLayout.rotated {
        body.append(
          SVG.text(
            tick.label, x: tick.position + 4, y: plotBottom + 17, size: tickSize,
            anchor: .end, rotate: -30, cls: "tick"))
      } else {
        body.append(
          SVG.text(
            tick.label, x: tick.position, y: plotBottom + 20, size: tickSize,
            anchor: .middle, cls: "tick"))
      }
      if tick.full != tick.label { body.append("</g>") }
    }
    body.append(
      SVG.line(
        x1: plotX, y1: plotBottom, x2: plotX + plotWidth, y2: plotBottom, stroke: SVG.axis,
        width: 1.5))
    body.append(
      SVG.text(
        SVG.truncate(xLabel, maxWidth: plotWidth, size: axisLabelSize),
        x: plotX + plotWidth / 2, y: plotBottom + xLayout.height - 6, size: axisLabelSize,
        anchor: .middle, cls: "axis-label x-label"))
    body.append("</g>")

    // Points of each series in x order, as pixel coordinates; nil marks a gap.
    struct Point {
      var x: Double
      var mean: Double
      var interval: (low: Double, high: Double)?
    }
    let prepared: [[Point?]] = series.map { item in
      let sorted = item.series.points.enumerated().sorted { a, b in
        a.element.x != b.element.x ? a.element.x < b.element.x : a.offset < b.offset
      }
      var result: [Point?] = []
      for (_, point) in sorted {
        guard let coordinate = xAxis.coordinate(point.x) else { continue }
        guard let estimate = point.estimate, estimate.mean.isFinite else {
          result.append(nil)
          continue
        }
        result.append(
          Point(
            x: xMap(coordinate), mean: yMap(estimate.mean),
            interval: estimate.interval.map { (low: yMap($0.low), high: yMap($0.high)) }))
      }
      return result
    }

    // Bands first, under every line.
    body.append("<g class=\"bands\">")
    for (index, item) in series.enumerated() {
      let stroke = colour(item.style)
      body.append("<g class=\"band\"\(SVG.attr("data-name", item.series.name))>")
      var run: [Point] = []
      func flush() {
        if run.count >= 2 {
          let upper = run.map { ($0.x, $0.interval!.high) }
          let lower = run.reversed().map { ($0.x, $0.interval!.low) }
          body.append(
            "<polygon points=\"\(SVG.points(upper + lower))\"\(SVG.attr("fill", stroke))"
              + " fill-opacity=\"0.18\" stroke=\"none\"/>")
        } else if let point = run.first, let interval = point.interval {
          body.append(
            "<line\(SVG.attr("x1", point.x))\(SVG.attr("y1", interval.low))"
              + "\(SVG.attr("x2", point.x))\(SVG.attr("y2", interval.high))"
              + "\(SVG.attr("stroke", stroke)) stroke-width=\"6\" stroke-opacity=\"0.3\"/>")
        }
        run = []
      }
      for point in prepared[index] {
        if let point, point.interval != nil { run.append(point) } else { flush() }
      }
      flush()
      body.append("</g>")
    }
    body.append("</g>")

    // Lines and markers.
    for (index, item) in series.enumerated() {
      let stroke = colour(item.style)
      let dash = dashes[item.style % dashes.count]
      body.append("<g class=\"series\"\(SVG.attr("data-name", item.series.name))>")
      var run: [Point] = []
      func flush() {
        if run.count >= 2 && stroke == lightColour {
          body.append(
            "<polyline class=\"casing\" points=\"\(SVG.points(run.map { ($0.x, $0.mean) }))\""
              + " fill=\"none\"\(SVG.attr("stroke", casing)) stroke-width=\"4.5\""
              + " stroke-linejoin=\"round\"/>")
        }
        if run.count >= 2 {
          var line =
            "<polyline class=\"line\" points=\"\(SVG.points(run.map { ($0.x, $0.mean) }))\""
            + " fill=\"none\"\(SVG.attr("stroke", stroke)) stroke-width=\"2.5\""
            + " stroke-linejoin=\"round\""
          if !dash.isEmpty { line += SVG.attr("stroke-dasharray", dash) }
          body.append(line + "/>")
        }
        run = []
      }
      for point in prepared[index] {
        if let point { run.append(point) } else { flush() }
      }
      flush()
      for point in prepared[index] {
        guard let point else { continue }
        body.append(marker(item.style, x: point.x, y: point.mean, colour: stroke))
      }
      body.append("</g>")
    }
  }

  // MARK: - (b) A metric against a swept parameter

  /// A metric against a swept parameter: one line with markers and a shaded 95% CI band per
  /// series, told apart by colour, marker shape and dash pattern. x ticks sit at the swept
  /// values when there are at most 12 of them (labelled by `xTickLabels` when it has one label
  /// per value), else at nice values; with `xIsCategorical` the values are equally spaced.
  /// Points with a nil or non-finite estimate leave gaps.
  public static func sweepChart(
    title: String, subtitle: String?, xLabel: String, yLabel: String, series: [SweepSeries],
    xIsCategorical: Bool = false, xTickLabels: [String]? = nil
  ) -> String {
    let width = 900.0
    let height = 520.0
    var body: [String] = []
    let top = header(title: title, subtitle: subtitle, width: width, into: &body)
    var description = "Line chart of \(yLabel) against \(xLabel) for \(series.count) series"
    if !series.isEmpty { description += ": " + series.map(\.name).joined(separator: ", ") }
    description += ". Shaded bands show 95% confidence intervals."

    // Legend on the right.
    let legendNameWidth = Swift.min(
      200, series.map { SVG.textWidth($0.name, size: legendSize) }.max() ?? 0)
    let legendWidth = series.isEmpty ? 0 : 34 + 8 + legendNameWidth
    let legendX = width - 20 - legendWidth
    var legendBottom = top
    body.append("<g class=\"legend-box\">")
    for (index, item) in series.enumerated() {
      let centre = top + 18 + Double(index) * 28
      let name = SVG.truncate(item.name, maxWidth: legendNameWidth, size: legendSize)
      body.append(
        contentsOf: legendEntry(
          seriesLegendItem(name: item.name, index: index), name: name, x: legendX,
          centre: centre, sampleWidth: 34))
      legendBottom = centre + 14
    }
    body.append("</g>")

    let xAxis = SweepXAxis(series: series, categorical: xIsCategorical, tickLabels: xTickLabels)
    let values = yValues(series)
    guard !values.isEmpty, !xAxis.values.isEmpty else {
      noDataText(x: (20 + legendX) / 2, y: (top + height) / 2, into: &body)
      return SVG.document(
        width: width, height: Swift.max(height, legendBottom + 20), title: title,
        description: description, body: body)
    }
    let yScale = valueScale(values, includeZero: false, approximateCount: 7)
    let plotX = 20 + 22 + tickLabelWidth(yScale) + 12
    let plotRight = series.isEmpty ? width - 30 : legendX - 28
    let plotWidth = plotRight - plotX
    let plotTop = top + 14
    let xMap = LinearMap(domain: xAxis.domain, range: (plotX, plotRight))
    let xLayout = xAxis.layout(map: xMap)
    let noteY = height - 14
    let plotHeight = Swift.max(120, noteY - 24 - xLayout.height - plotTop)
    verticalLabel(yLabel, x: 30, top: plotTop, bottom: plotTop + plotHeight, into: &body)
    drawSweepPlot(
      series: series.enumerated().map { ($1, $0) }, xAxis: xAxis, xMap: xMap, xLayout: xLayout,
      yScale: yScale, plotX: plotX, plotTop: plotTop, plotWidth: plotWidth,
      plotHeight: plotHeight, xLabel: xLabel, into: &body)
    let bottom = Swift.max(noteY, plotTop + plotHeight + xLayout.height + 16, legendBottom + 10)
    note(
      "Lines show means; shaded bands show 95% confidence intervals.", y: bottom, width: width,
      into: &body)
    return SVG.document(
      width: width, height: bottom + 14, title: title, description: description, body: body)
  }

  // MARK: - Small multiples

  /// Small multiples: one sweep panel per value of a second swept parameter, sharing the x and
  /// y scales and one legend. A series keeps its colour, marker and dash (by order of first
  /// appearance across panels) in every panel. `xIsCategorical` and `xTickLabels` work as in
  /// `sweepChart`.
  public static func sweepGrid(
    title: String, subtitle: String?, xLabel: String, yLabel: String,
    panels: [(title: String, series: [SweepSeries])], xIsCategorical: Bool = false,
    xTickLabels: [String]? = nil
  ) -> String {
    let width = 960.0
    var body: [String] = []
    var y = header(title: title, subtitle: subtitle, width: width, into: &body)
    var names: [String] = []
    for panel in panels {
      for item in panel.series where !names.contains(item.name) { names.append(item.name) }
    }
    let panelTitles = panels.map(\.title).joined(separator: "; ")
    var description = "Small multiples: \(panels.count) panel\(panels.count == 1 ? "" : "s")"
    if !panels.isEmpty { description += " (\(panelTitles))" }
    description += " of \(yLabel) against \(xLabel) for \(names.count) series"
    if !names.isEmpty { description += ": " + names.joined(separator: ", ") }
    description += ". Shaded bands show 95% confidence intervals."
    let items = names.enumerated().map { seriesLegendItem(name: $1, index: $0) }
    y = legendRows(items, x: 20, y: y, width: width - 40, sampleWidth: 34, into: &body) + 6

    let allSeries = panels.flatMap(\.series)
    let xAxis = SweepXAxis(
      series: allSeries, categorical: xIsCategorical, tickLabels: xTickLabels)
    let values = yValues(allSeries)
    guard !values.isEmpty, !xAxis.values.isEmpty else {
      noDataText(x: width / 2, y: y + 60, into: &body)
      return SVG.document(
        width: width, height: y + 110, title: title, description: description, body: body)
    }
    let yScale = valueScale(values, includeZero: false)
    let columns = panels.count <= 1 ? 1 : (panels.count == 2 || panels.count == 4 ? 2 : 3)
    let cellWidth = (width - 20) / Double(columns)
    let leftMargin = 34 + tickLabelWidth(yScale) + 12
    let plotWidth = cellWidth - leftMargin - 16
    // Every panel shares the x axis, so one layout serves all (relative to the plot's left).
    let xMap0 = LinearMap(domain: xAxis.domain, range: (0, plotWidth))
    let xLayout0 = xAxis.layout(map: xMap0)
    // Panel titles wrap onto two lines, at a smaller size if they must; never cut.
    var titleSize = panelTitleSize
    func titleLines(_ size: Double) -> [(lines: [String], truncated: Bool)] {
      panels.map { SVG.wrap($0.title, maxWidth: cellWidth - 24, size: size * 1.08, maxLines: 2) }
    }
    var titles = titleLines(titleSize)
    if titles.contains(where: \.truncated) {
      titleSize = 13
      titles = titleLines(titleSize)
    }
    let titleRows = Double(titles.map(\.lines.count).max() ?? 1)
    let plotTop = 16 + titleRows * (titleSize + 4)
    let plotHeight = 210.0
    let cellHeight = plotTop + plotHeight + xLayout0.height + 12

    for (index, panel) in panels.enumerated() {
      let column = index % columns
      let cellX = 10 + Double(column) * cellWidth
      let cellY = y + Double(index / columns) * cellHeight
      let plotX = cellX + leftMargin
      let xMap = LinearMap(domain: xAxis.domain, range: (plotX, plotX + plotWidth))
      var xLayout = xLayout0
      xLayout.ticks = xLayout0.ticks.map { $0 + plotX }
      xLayout.labels = xLayout0.labels.map { ($0.position + plotX, $0.label, $0.full) }
      body.append("<g class=\"panel\"\(SVG.attr("data-title", panel.title))>")
      for (line, text) in titles[index].lines.enumerated() {
        body.append(
          SVG.text(
            text, x: cellX + 14, y: cellY + 20 + Double(line) * (titleSize + 4), size: titleSize,
            bold: true, cls: "panel-title"))
      }
      if column == 0 {
        verticalLabel(
          yLabel, x: cellX + 18, top: cellY + plotTop, bottom: cellY + plotTop + plotHeight,
          into: &body)
      }
      let styled = panel.series.map { item in (item, names.firstIndex(of: item.name) ?? 0) }
      drawSweepPlot(
        series: styled, xAxis: xAxis, xMap: xMap, xLayout: xLayout, yScale: yScale,
        plotX: plotX, plotTop: cellY + plotTop, plotWidth: plotWidth, plotHeight: plotHeight,
        xLabel: xLabel, into: &body)
      if yValues(panel.series).isEmpty {
        noDataText(
          x: plotX + plotWidth / 2, y: cellY + plotTop + plotHeight / 2, into: &body)
      }
      body.append("</g>")
    }
    let rows = (panels.count + columns - 1) / columns
    let bottom = y + Double(rows) * cellHeight + 8
    note(
      "Lines show means; shaded bands show 95% confidence intervals. All panels share both axes.",
      y: bottom, width: width, into: &body)
    return SVG.document(
      width: width, height: bottom + 14, title: title, description: description, body: body)
  }
}
