/// One row of a forest plot: a condition (`group`, which sets its colour) at one point
/// (`label`; the group's name again when there is no sweep).
public struct ForestRow: Sendable, Equatable {
  public var group: String
  public var label: String

  public init(group: String, label: String) {
    self.group = group
    self.label = label
  }
}

/// One panel of a forest plot: one metric, one estimate per row (nil: no value).
public struct ForestPanel: Sendable {
  /// The metric, e.g. "Correct rate".
  public var title: String
  /// The axis's unit, e.g. "share of tasks"; empty for none.
  public var unit: String
  public var values: [Estimate?]

  public init(title: String, unit: String, values: [Estimate?]) {
    self.title = title
    self.unit = unit
    self.values = values
  }
}

extension Charts {
  /// A forest plot of paired differences: one row per condition (and sweep point), one
  /// panel per metric side by side sharing the rows, each with its own axis on which zero is
  /// marked. A marker is the mean difference, its line the 95% interval; the marker is filled
  /// when the interval excludes zero and hollow when it does not. When a group has several
  /// rows, its name heads them and each group has its own colour; otherwise all are blue.
  public static func forestPlot(
    title: String, subtitle: String?, labelHeader: String?, rows: [ForestRow],
    panels: [ForestPanel]
  ) -> String {
    let width = 960.0
    var body: [String] = []
    var y = header(title: title, subtitle: subtitle, width: width, into: &body)
    var groups: [String] = []
    for row in rows where !groups.contains(row.group) { groups.append(row.group) }
    let grouped = groups.count < rows.count
    // One row per condition: the labels name them, and colours would only repeat.
    let oneColour = !grouped
    var description = "Forest plot of the differences from the baseline: \(rows.count) rows"
    if !panels.isEmpty {
      description +=
        " in \(panels.count) panels (" + panels.map(\.title).joined(separator: "; ")
        + ")"
    }
    description +=
      ". Markers show mean paired differences, lines their 95% confidence intervals; "
      + "a dashed line marks zero."
    guard !rows.isEmpty, !panels.isEmpty else {
      noDataText(x: width / 2, y: y + 60, into: &body)
      return SVG.document(
        width: width, height: y + 110, title: title, description: description, body: body)
    }

    // Row labels: at 13 px, smaller or wrapped when long; the column is as wide as needed,
    // up to a third of the chart.
    let labelSize = 13.0
    let texts = rows.map { grouped ? $0.label : $0.group }
    let widest =
      (texts + groups.map { grouped ? $0 : "" }).map {
        SVG.textWidth($0, size: labelSize, bold: grouped && groups.contains($0))
      }.max() ?? 0
    let labelWidth = Swift.min(width / 3, Swift.max(90, widest + (grouped ? 16 : 0)))
    let wrapped = texts.map {
      SVG.wrap($0, maxWidth: labelWidth - (grouped ? 14 : 0), size: labelSize, maxLines: 3).lines
    }

    // Panels side by side, at least 170 px each; more wrap onto further blocks.
    let perBlock = Swift.max(1, Swift.min(panels.count, Int((width - 40 - labelWidth) / 170)))
    let panelWidth = (width - 40 - labelWidth) / Double(perBlock)
    let rowHeights = wrapped.map { Swift.max(24, Double($0.count) * 16 + 8) }

    let blocks = stride(from: 0, to: panels.count, by: perBlock).map {
      Array(panels[$0..<Swift.min(panels.count, $0 + perBlock)])
    }
    for block in blocks {
      // Panel titles, wrapped onto up to 3 lines, then the unit.
      let titleLines = block.map {
        SVG.wrap($0.title, maxWidth: panelWidth - 16, size: panelTitleSize, maxLines: 3).lines
      }
      let unitLines = block.map {
        $0.unit.isEmpty
          ? []
          : SVG.wrap("difference, \($0.unit)", maxWidth: panelWidth - 16, size: 12, maxLines: 2)
            .lines
      }
      let titleHeight =
        Double(titleLines.map(\.count).max() ?? 1) * 19
        + Double(unitLines.map(\.count).max() ?? 0) * 15 + 10
      let top = y + titleHeight
      if let labelHeader, !labelHeader.isEmpty {
        let lines = SVG.wrap(labelHeader, maxWidth: labelWidth, size: 12, maxLines: 3).lines
        for (i, line) in lines.enumerated() {
          body.append(
            SVG.text(
              line, x: 20, y: top - 6 - Double(lines.count - 1 - i) * 14, size: 12,
              italic: true, fill: SVG.mutedInk, cls: "row-header"))
        }
      }
      // Rows: a group heading before the first row of each group when grouped.
      var rowTops: [Double] = []
      var cursor = top + 6
      var headings: [(String, Double)] = []
      for (i, row) in rows.enumerated() {
        if grouped && (i == 0 || rows[i - 1].group != row.group) {
          headings.append((row.group, cursor))
          cursor += 24
        }
        rowTops.append(cursor)
        cursor += rowHeights[i]
      }
      let plotBottom = cursor + 4
      // Zebra bands help the eye follow a row across panels.
      for (i, rowTop) in rowTops.enumerated() where i % 2 == 1 {
        body.append(
          SVG.rect(
            x: 14, y: rowTop, width: width - 28, height: rowHeights[i], fill: "#F6F6F6",
            cls: "row-band"))
      }
      for (group, headingTop) in headings {
        let colourIndex = oneColour ? 0 : groups.firstIndex(of: group) ?? 0
        body.append(
          SVG.text(
            group, x: 20, y: headingTop + 17, size: labelSize, bold: true,
            fill: colour(colourIndex), cls: "group-label"))
      }
      for (i, lines) in wrapped.enumerated() {
        let centre = rowTops[i] + rowHeights[i] / 2
        let firstBaseline = centre + 4.5 - Double(lines.count - 1) * 8
        for (k, line) in lines.enumerated() {
          body.append(
            SVG.text(
              line, x: 20 + (grouped ? 14 : 0), y: firstBaseline + Double(k) * 16,
              size: labelSize, cls: "row-label"))
        }
      }
      for (index, panel) in block.enumerated() {
        let left = 20 + labelWidth + Double(index) * panelWidth
        let plotX = left + 22
        let plotWidth = panelWidth - 44
        for (k, line) in titleLines[index].enumerated() {
          body.append(
            SVG.text(
              line, x: left + 8, y: y + 17 + Double(k) * 19, size: panelTitleSize, bold: true,
              cls: "panel-title"))
        }
        for (k, line) in unitLines[index].enumerated() {
          body.append(
            SVG.text(
              line, x: left + 8, y: y + Double(titleLines[index].count) * 19 + 13 + Double(k) * 15,
              size: 12, fill: SVG.mutedInk, cls: "panel-unit"))
        }
        var values: [Double] = [0]
        for estimate in panel.values.prefix(rows.count) {
          guard let estimate, estimate.mean.isFinite else { continue }
          values.append(estimate.mean)
          if let interval = estimate.interval { values += [interval.low, interval.high] }
        }
        let scale = valueScale(values, includeZero: true, approximateCount: 4)
        let map = LinearMap(domain: (scale.low, scale.high), range: (plotX, plotX + plotWidth))
        body.append("<g class=\"panel\"\(SVG.attr("data-metric", panel.title))>")
        // Grid and ticks; labels that would collide are thinned.
        var lastRight = -Double.infinity
        for tick in scale.ticks {
          let x = map(tick)
          body.append(
            SVG.line(x1: x, y1: top, x2: x, y2: plotBottom, stroke: SVG.grid, width: 1, cls: "grid")
          )
          let label = scale.label(tick)
          let half = SVG.textWidth(label, size: tickSize) / 2
          if x - half > lastRight + 6 {
            body.append(
              SVG.text(
                label, x: x, y: plotBottom + 18, size: tickSize, anchor: .middle, cls: "tick"))
            lastRight = x + half
          }
        }
        body.append(
          SVG.line(
            x1: plotX, y1: plotBottom, x2: plotX + plotWidth, y2: plotBottom, stroke: SVG.axis,
            width: 1.5, cls: "x-axis"))
        let zero = map(0)
        body.append(
          SVG.line(
            x1: zero, y1: top, x2: zero, y2: plotBottom, stroke: SVG.ink, width: 1.5,
            dash: "5 4", cls: "zero"))
        for (i, row) in rows.enumerated() {
          let centre = rowTops[i] + rowHeights[i] / 2
          let stroke = oneColour ? palette[0] : colour(groups.firstIndex(of: row.group) ?? 0)
          guard i < panel.values.count, let estimate = panel.values[i], estimate.mean.isFinite
          else {
            body.append(
              SVG.text(
                "no value", x: plotX + plotWidth / 2, y: centre + 4.5, size: 12,
                anchor: .middle, italic: true, fill: SVG.mutedInk, cls: "no-value"))
            continue
          }
          let interval = estimate.interval
          let clear = interval.map { $0.low > 0 || $0.high < 0 } ?? false
          var tooltip =
            "\(row.group) \(grouped ? row.label : ""): \(NumberFormat.label(estimate.mean))"
          if let interval {
            tooltip +=
              " (95% CI \(NumberFormat.label(interval.low)) to \(NumberFormat.label(interval.high)))"
          }
          body.append("<g class=\"estimate\"\(SVG.attr("data-clear", clear ? "yes" : "no"))>")
          body.append("<title>\(SVG.escape(tooltip))</title>")
          if let interval {
            body.append(
              SVG.line(
                x1: map(interval.low), y1: centre, x2: map(interval.high), y2: centre,
                stroke: stroke, width: 2.5, cls: "interval"))
          }
          let fill = clear ? stroke : "#FFFFFF"
          body.append(
            "<circle class=\"marker\"\(SVG.attr("cx", map(estimate.mean)))\(SVG.attr("cy", centre))"
              + " r=\"5\"\(SVG.attr("fill", fill))\(SVG.attr("stroke", stroke)) stroke-width=\"2\"/>"
          )
          body.append("</g>")
        }
        body.append("</g>")
      }
      y = plotBottom + 34
    }
    note(
      "Markers: mean paired differences; lines: 95% confidence intervals; filled markers: "
        + "the interval excludes zero (dashed line).", y: y + 4, width: width, into: &body)
    return SVG.document(
      width: width, height: y + 18, title: title, description: description, body: body)
  }
}
