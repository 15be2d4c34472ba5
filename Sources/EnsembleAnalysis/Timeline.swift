/// Timelines of one replication: who worked on what, hour by hour, and where errors arose,
/// escaped or were caught. Rows are agents, time runs left to right, bars are jobs coloured
/// by kind, symbols mark errors.
///
/// Every function is pure and deterministic: the same input gives the same bytes. Sizes are
/// in SVG px (the document's own units); times are hours since the start of the run.
public enum Timeline {
  /// The default width of a timeline in px: about 32 px per hour for a 40-hour week.
  public static let defaultWidth = 1500.0

  /// A timeline of one condition as a complete SVG document (`timeline.svg`): title, legend,
  /// one row per agent, one bar per job that overlaps `window` (clipped to it), the error
  /// marks inside it, a time axis in hours and a caption. Every bar and mark carries a
  /// `<title>` tooltip; `width` is in px and is raised to at least 700.
  public static func svg(
    _ condition: TimelineCondition, window: TimelineWindow, title: String,
    subtitle: String? = nil, width: Double = defaultWidth
  ) -> String {
    render(
      [condition], window: window, title: title, subtitle: subtitle, captionInside: true,
      width: width)
  }

  /// A self-contained HTML page (`timeline.html`): the title, then the conditions stacked in
  /// one SVG on one shared time axis (the same x scale for each, so they can be compared at a
  /// glance), then the caption with a hint to hover over bars. Hovering shows a bar's task, stage,
  /// attempt, hours and outcome (native SVG tooltips: no script, no network).
  public static func html(
    _ conditions: [TimelineCondition], window: TimelineWindow, title: String,
    subtitle: String? = nil, width: Double = defaultWidth
  ) -> String {
    let figure = render(
      conditions, window: window, title: nil, subtitle: nil, captionInside: false, width: width,
      documentTitle: title)
    let subtitleHTML = subtitle.map { "<p class=\"sub\">\(ReportDocument.escape($0))</p>\n" } ?? ""
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(ReportDocument.escape(title))</title>
      <style>
      body { font-family: \(SVG.fontFamily); color: #1a1a1a; background: #fff;
             margin: 1.2rem 1.5rem; line-height: 1.45; font-size: 17px; }
      h1 { font-size: 1.6rem; margin: 0 0 0.2rem; }
      p.sub { color: #555; margin: 0 0 0.4rem; }
      figcaption { max-width: 80rem; margin: 0.2rem 0 0; font-size: 15px; color: #333; }
      figure { margin: 0; }
      figure svg { max-width: 100%; height: auto; }
      </style>
      </head>
      <body>
      <h1>\(ReportDocument.escape(title))</h1>
      \(subtitleHTML)<figure>
      \(figure)<figcaption>\(ReportDocument.escape(caption(window: window))) \
      Hover over a bar for its task, stage, attempt and outcome.</figcaption>
      </figure>
      </body>
      </html>

      """
  }

  /// What the picture shows, in words, for a caption beside the SVG.
  public static func caption(window: TimelineWindow) -> String {
    "What each agent did from \(hours(window.from)) to \(hours(window.to)) h of one run."
      + " Each row is an agent; each bar is one job, from its start to its end, coloured by"
      + " kind; bars are cut at the window's edges. The hatched start of a bar is the share of"
      + " the job spent on communication and reading in. Symbols on a row's top edge mark"
      + " errors: × a visible error, ▼ a silent error that escaped (delivered wrong), ○ ◇ □"
      + " an error caught by review, audit or sign-off; under judgment, △ a human pushed back"
      + " and ⬠ a human overrode a decision. On the right, each agent's busy share"
      + " of the window. Jobs too short to see are drawn \(SVG.num(minimumBarWidth)) px wide;"
      + " at close range bars show their task number (·2 for a second attempt)."
  }

  // MARK: - Styles

  /// A job kind's fill: Okabe–Ito, execute in the darkest colour because it is most of the
  /// picture; the checks (review, audit, sign-off) in the warm colours.
  static func colour(_ kind: TimelineJobKind) -> String {
    switch kind {
    case .execute: "#0072B2"
    case .route: "#E69F00"
    case .translate: "#009E73"
    case .review: "#CC79A7"
    case .audit: "#D55E00"
    case .signoff: "#56B4E9"
    case .custom: "#999999"
    }
  }

  /// Stripes drawn along a bar of `kind`, as (top, height) shares of the bar's height, and
  /// their colour: in greyscale translate and audit are as dark as execute, and sign-off as
  /// light as route, the kinds they share rows with, so they are underlined (translate,
  /// sign-off) or edged top and bottom (audit). The stripes keep clear of a bar's label.
  static func stripes(_ kind: TimelineJobKind) -> (bands: [(Double, Double)], colour: String)? {
    switch kind {
    case .translate: ([(0.76, 0.12)], "#FFFFFF")
    case .audit: ([(0.1, 0.12), (0.78, 0.12)], "#FFFFFF")
    case .signoff: ([(0.76, 0.12)], "#000000")
    case .execute, .route, .review, .custom: nil
    }
  }

  /// The `fill` of a bar of `kind`: its colour, or its striped pattern.
  static func paint(_ kind: TimelineJobKind) -> String {
    stripes(kind) == nil ? colour(kind) : "url(#timeline-\(kind.rawValue))"
  }

  /// The striped patterns, for `<defs>`; they stretch to each bar's box.
  static var kindDefinitions: String {
    TimelineJobKind.allCases.compactMap { kind -> String? in
      guard let (bands, ink) = stripes(kind) else { return nil }
      return "<pattern id=\"timeline-\(kind.rawValue)\" patternUnits=\"objectBoundingBox\""
        + " patternContentUnits=\"objectBoundingBox\" width=\"1\" height=\"1\">"
        + "<rect width=\"1\" height=\"1\"\(SVG.attr("fill", colour(kind)))/>"
        + bands.map {
          "<rect y=\"\(NumberFormat.fixed($0.0, decimals: 2))\" width=\"1\""
            + " height=\"\(NumberFormat.fixed($0.1, decimals: 2))\"\(SVG.attr("fill", ink))"
            + " fill-opacity=\"0.85\"/>"
        }.joined() + "</pattern>"
    }.joined()
  }

  /// Text colour inside a bar of `kind` (contrast at least 4:1).
  static func labelInk(_ kind: TimelineJobKind) -> String {
    kind == .execute ? "#FFFFFF" : "#000000"
  }

  static let hatchID = "timeline-hatch"
  /// The grey of an agent's row behind its bars (idle time).
  static let trackFill = "#000000"
  static let trackOpacity = "0.06"
  static let minimumBarWidth = 1.5
  /// Task numbers are written in bars only from this many px per hour up (a window of about
  /// 13 hours or less at the default width).
  static let labelPixelsPerHour = 100.0

  // Row geometry, relative to the top of a row.
  static let rowPitch = 36.0
  static let trackOffset = 14.0
  static let trackHeight = 20.0
  static let markRadius = 4.5

  // MARK: - Frame

  /// The horizontal layout shared by every condition of one picture.
  struct Frame {
    var width: Double
    var window: TimelineWindow
    var labelWidth: Double
    var plotX: Double
    var plotRight: Double
    var ticks: [Double]
    var tickDecimals: Int

    var pixelsPerHour: Double { (plotRight - plotX) / (window.to - window.from) }

    func x(_ hours: Double) -> Double { plotX + (hours - window.from) * pixelsPerHour }

    func tickLabel(_ value: Double) -> String {
      NumberFormat.fixed(value, decimals: tickDecimals)
    }

    init(conditions: [TimelineCondition], window: TimelineWindow, width requested: Double) {
      width = Swift.max(700, requested.isFinite ? requested : Timeline.defaultWidth)
      self.window = window
      var widest = 0.0
      for condition in conditions {
        for agent in condition.agents {
          widest = Swift.max(
            widest, SVG.textWidth(agent.name, size: 13, bold: true),
            SVG.textWidth(Timeline.describe(agent), size: 11.5))
        }
      }
      labelWidth = Swift.min(230, Swift.max(110, widest + 6))
      plotX = 20 + labelWidth + 12
      plotRight = width - 20 - 56
      (ticks, tickDecimals) = Timeline.hourTicks(
        window, pixelsPerHour: (plotRight - plotX) / (window.to - window.from))
    }
  }

  /// Tick values in hours inside the window, at least 56 px apart: steps of 3, 6, 15 or 30
  /// minutes, or 1, 2, 5, 10… hours; nice decimal steps when the window is too short or too
  /// long for those.
  static func hourTicks(_ window: TimelineWindow, pixelsPerHour: Double) -> ([Double], Int) {
    let steps: [(Double, Int)] = [
      (0.05, 2), (0.1, 1), (0.25, 2), (0.5, 1), (1, 0), (2, 0), (5, 0), (10, 0), (20, 0),
      (50, 0), (100, 0), (200, 0), (500, 0), (1000, 0),
    ]
    if let (step, decimals) = steps.first(where: { $0.0 * pixelsPerHour >= 56 }),
      Swift.max(abs(window.from), abs(window.to)) / step < 1e12
    {
      let first = Int((window.from / step - 1e-9).rounded(.up))
      let last = Int((window.to / step + 1e-9).rounded(.down))
      if last - first >= 1 {
        let scale = [1.0, 10, 100][decimals]
        let ticks = (first...last).map { index -> Double in
          let value = (Double(index) * step * scale).rounded() / scale
          return value == 0 ? 0 : value
        }
        return (ticks, decimals)
      }
    }
    let span = window.to - window.from
    let count = Swift.max(2, Int(span * pixelsPerHour / 80))
    guard let scale = Charts.niceScale(window.from, window.to, approximateCount: count) else {
      return ([window.from, window.to], 2)
    }
    let inside = scale.ticks.filter { $0 >= window.from - 1e-9 && $0 <= window.to + 1e-9 }
    return (inside, scale.decimals)
  }

  // MARK: - Text

  /// Hours for captions: up to 2 decimals, no trailing zeros.
  static func hours(_ value: Double) -> String {
    NumberFormat.fixed(value, decimals: 2)
  }

  /// A time or duration in a tooltip: always 2 decimals (36 seconds).
  static func fixedHours(_ value: Double) -> String {
    NumberFormat.fixed(value, decimals: 2, grouping: false, trimmingZeros: false)
  }

  /// "human · conductor", "AI · translator, monitor", "AI".
  static func describe(_ agent: TimelineAgent) -> String {
    agent.roles.isEmpty
      ? agent.kind.rawValue : agent.kind.rawValue + " · " + agent.roles.joined(separator: ", ")
  }

  static func taskText(task: Int, stage: Int?) -> String {
    stage.map { "task \(task), stage \($0)" } ?? "task \(task)"
  }

  /// A bar's tooltip lines.
  static func tooltip(_ bar: TimelineBar) -> [String] {
    var head = taskText(task: bar.task, stage: bar.stage)
    head += ", attempt \(bar.attempt)"
    var hoursLine = "\(bar.kind.label), \(fixedHours(bar.start))–\(fixedHours(bar.end)) h"
    hoursLine += " (\(NumberFormat.label(bar.end - bar.start)) h"
    let overhead = clampedOverhead(bar)
    if overhead > 0 {
      hoursLine += ", \(NumberFormat.label(overhead)) h communication and read-in"
    }
    hoursLine += ")"
    return [head, hoursLine, "outcome: \(bar.outcome.rawValue)"]
  }

  static func clampedOverhead(_ bar: TimelineBar) -> Double {
    guard bar.overheadHours.isFinite else { return 0 }
    return Swift.min(Swift.max(0, bar.overheadHours), bar.end - bar.start)
  }

  /// A `<title>` element with one line per entry (line breaks show in native tooltips).
  static func titleElement(_ lines: [String]) -> String {
    "<title>" + lines.map(SVG.escape).joined(separator: "&#10;") + "</title>"
  }

  /// The short label written in a bar at close range: "#12", "#12·2" for a second attempt.
  static func barLabel(_ bar: TimelineBar) -> String {
    "#\(bar.task)" + (bar.attempt > 1 ? "·\(bar.attempt)" : "")
  }

  // MARK: - Symbols

  /// The id of a mark kind's symbol in the document's `<defs>`.
  static func symbolID(_ kind: TimelineMarkKind) -> String {
    "timeline-" + String(kind.rawValue.map { $0 == " " ? "-" : $0 })
  }

  /// The shape of an error mark centred at (0, 0): dark ink with a white halo so it shows on
  /// any bar, filled for errors that got through (× and ▼), hollow for errors caught (○ ◇ □).
  /// The visible error's × is smaller and grey: visible errors are redone at once and are the
  /// common case; the other marks are the news.
  static func markShape(_ kind: TimelineMarkKind) -> String {
    let r = markRadius
    let n = SVG.num
    let halo = " stroke=\"#FFFFFF\" stroke-width=\"1.5\" paint-order=\"stroke\""
    let hollow = " fill=\"#FFFFFF\" stroke=\"\(SVG.ink)\" stroke-width=\"1.8\""
    func polygon(_ points: [(Double, Double)], _ paint: String) -> String {
      "<polygon points=\"\(SVG.points(points))\"\(paint)/>"
    }
    switch kind {
    case .visibleError:
      // A diagonal cross as one filled outline, arms about 2.4 px wide.
      let a = r
      let w = 0.85
      return polygon(
        [
          (-a, -a + w), (-w, 0), (-a, a - w), (-a + w, a), (0, w), (a - w, a), (a, a - w), (w, 0),
          (a, -a + w), (a - w, -a), (0, -w), (-a + w, -a),
        ], " fill=\"\(SVG.mutedInk)\"" + halo)
    case .silentErrorEscaped:
      let a = r * 1.35
      return polygon([(-a, -a * 0.75), (a, -a * 0.75), (0, a)], " fill=\"\(SVG.ink)\"" + halo)
    case .caughtByReview:
      return "<circle r=\"\(n(r))\"\(hollow)/>"
    case .caughtByAudit:
      let a = r * 1.3
      return polygon([(0, -a), (a, 0), (0, a), (-a, 0)], hollow)
    case .caughtBySignoff:
      let a = r * 0.9
      return
        "<rect x=\"\(n(-a))\" y=\"\(n(-a))\" width=\"\(n(2 * a))\" height=\"\(n(2 * a))\"\(hollow)/>"
    case .pushBack:
      let a = r * 1.3
      return polygon([(0, -a), (a, a * 0.75), (-a, a * 0.75)], hollow)
    case .override:
      let a = r * 1.2
      // A regular pentagon, point up: cos and sin of -90, -18, 54, 126 and 198 degrees.
      let unit = [(0, -1), (0.951, -0.309), (0.588, 0.809), (-0.588, 0.809), (-0.951, -0.309)]
      return polygon(unit.map { (a * $0.0, a * $0.1) }, hollow)
    }
  }

  /// The symbols of every mark kind, for `<defs>`.
  static var markDefinitions: String {
    TimelineMarkKind.allCases.map { "<g id=\"\(symbolID($0))\">\(markShape($0))</g>" }.joined()
  }

  /// An error mark centred at (x, y): a `<use>` of its kind's symbol, with a tooltip.
  static func markSymbol(
    _ kind: TimelineMarkKind, x: Double, y: Double, title: String? = nil, cls: String = "mark",
    data: Bool = false
  ) -> String {
    var open =
      "<use class=\"\(cls)\" href=\"#\(symbolID(kind))\"\(SVG.attr("x", x))\(SVG.attr("y", y))"
    if data { open += SVG.attr("data-kind", kind.rawValue) }
    guard let title else { return open + "/>" }
    return open + ">" + titleElement([title]) + "</use>"
  }

  /// Marks are drawn in this order, so that an escaped error is never hidden under another.
  static let markDrawingOrder: [TimelineMarkKind] = [
    .visibleError, .pushBack, .override, .caughtByReview, .caughtByAudit, .caughtBySignoff,
    .silentErrorEscaped,
  ]

  // MARK: - Rendering

  static func render(
    _ conditions: [TimelineCondition], window: TimelineWindow, title: String?,
    subtitle: String?, captionInside: Bool, width requested: Double, documentTitle: String? = nil
  ) -> String {
    let frame = Frame(conditions: conditions, window: window, width: requested)
    let width = frame.width
    var body: [String] = []
    body.append(
      "<style>.job:hover{stroke:#000000;stroke-width:1.5px}</style>")
    body.append(
      "<defs><pattern id=\"\(hatchID)\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\""
        + " patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#FFFFFF\""
        + " fill-opacity=\"0.3\"/><rect width=\"2\" height=\"4\" fill=\"#FFFFFF\""
        + " fill-opacity=\"0.6\"/></pattern>\(kindDefinitions)\(markDefinitions)</defs>")
    var y =
      title.map {
        Charts.header(title: $0, subtitle: subtitle, width: width, into: &body)
      } ?? 8
    y = legend(conditions: conditions, frame: frame, y: y, into: &body) + 6

    var jobCount = 0
    for (index, condition) in conditions.enumerated() {
      let drawn = drawCondition(
        condition, frame: frame, top: y, isLast: index == conditions.count - 1, into: &body)
      y = drawn.bottom + 10
      jobCount += drawn.jobs
    }
    if conditions.isEmpty {
      Charts.noDataText(x: width / 2, y: y + 40, into: &body)
      y += 70
    }
    if captionInside {
      let lines = SVG.wrap(caption(window: window), maxWidth: width - 40, size: 13, maxLines: 8)
      body.append("<g class=\"caption\">")
      for line in lines.lines {
        y += 17
        body.append(SVG.text(line, x: 20, y: y, size: 13, fill: SVG.mutedInk, cls: "note"))
      }
      body.append("</g>")
      y += 6
    }
    let names = conditions.map(\.name).joined(separator: ", ")
    let description =
      "Timeline of \(conditions.count) condition\(conditions.count == 1 ? "" : "s")"
      + (names.isEmpty ? "" : " (\(names))")
      + " from \(hours(window.from)) to \(hours(window.to)) hours: one row per agent, one bar"
      + " per job (\(jobCount) in the window) coloured by kind, symbols marking errors."
    return SVG.document(
      width: width, height: y + 12, title: title ?? documentTitle ?? "Timeline",
      description: description, body: body)
  }

  /// The job kinds and mark kinds present in the window, in their fixed order; all kinds of
  /// either when none is present.
  static func kindsShown(_ conditions: [TimelineCondition], window: TimelineWindow)
    -> (jobs: [TimelineJobKind], marks: [TimelineMarkKind])
  {
    var jobs = Set<TimelineJobKind>()
    var marks = Set<TimelineMarkKind>()
    for condition in conditions {
      let agents = condition.agents.count
      for bar in condition.bars
      where bar.isDrawable(agents: agents) && window.shows(start: bar.start, end: bar.end) {
        jobs.insert(bar.kind)
      }
      for mark in condition.marks
      where mark.isDrawable(agents: agents) && mark.time >= window.from && mark.time <= window.to {
        marks.insert(mark.kind)
      }
    }
    let jobKinds = TimelineJobKind.allCases.filter(jobs.contains)
    let markKinds = TimelineMarkKind.allCases.filter(marks.contains)
    return (
      jobKinds.isEmpty ? TimelineJobKind.allCases : jobKinds,
      markKinds.isEmpty ? TimelineMarkKind.allCases : markKinds
    )
  }

  /// The legend: a row of job kinds with the hatched overhead, and a row of error symbols,
  /// each headed; returns the y below.
  static func legend(
    conditions: [TimelineCondition], frame: Frame, y: Double, into body: inout [String]
  ) -> Double {
    let shown = kindsShown(conditions, window: frame.window)
    var jobItems: [Charts.LegendItem] = []
    for kind in shown.jobs {
      let fill = paint(kind)
      jobItems.append(
        Charts.LegendItem(
          name: kind.label,
          sample: { x, centre in
            [
              SVG.rect(
                x: x, y: centre - trackHeight / 2 + 2, width: 24, height: trackHeight - 4,
                fill: fill, cls: "legend-kind", extra: SVG.attr("data-kind", kind.rawValue))
            ]
          }))
    }
    jobItems.append(
      Charts.LegendItem(
        name: "communication and read-in",
        sample: { x, centre in
          let top = centre - trackHeight / 2 + 2
          return [
            SVG.rect(x: x, y: top, width: 24, height: trackHeight - 4, fill: colour(.execute)),
            SVG.rect(
              x: x, y: top, width: 24, height: trackHeight - 4, fill: "url(#\(hatchID))",
              cls: "legend-overhead"),
          ]
        }))
    let markItems = shown.marks.map { kind in
      Charts.LegendItem(
        name: kind.rawValue,
        sample: { x, centre in
          [markSymbol(kind, x: x + 12, y: centre, cls: "legend-mark", data: true)]
        })
    }
    let headingWidth = 64.0
    var bottom = y + 2
    for (heading, items) in [("Jobs", jobItems), ("Errors", markItems)] {
      body.append(
        SVG.text(
          heading, x: 20, y: bottom + 17, size: Charts.legendSize, bold: true,
          cls: "legend-heading"))
      bottom = Charts.legendRows(
        items, x: 20 + headingWidth, y: bottom, width: frame.width - 40 - headingWidth,
        sampleWidth: 24, into: &body)
    }
    return bottom
  }

  /// One condition: a heading, one row per agent, the time axis. Returns the y below it and
  /// the number of bars drawn.
  static func drawCondition(
    _ condition: TimelineCondition, frame: Frame, top: Double, isLast: Bool,
    into body: inout [String]
  ) -> (bottom: Double, jobs: Int) {
    let window = frame.window
    let agentCount = condition.agents.count
    var rowsBars = Array(repeating: [TimelineBar](), count: agentCount)
    for bar in condition.bars
    where bar.isDrawable(agents: agentCount) && window.shows(start: bar.start, end: bar.end) {
      rowsBars[bar.agent].append(bar)
    }
    var rowsMarks = Array(repeating: [TimelineMark](), count: agentCount)
    for mark in condition.marks
    where mark.isDrawable(agents: agentCount) && mark.time >= window.from && mark.time <= window.to
    {
      rowsMarks[mark.agent].append(mark)
    }
    let jobs = rowsBars.reduce(0) { $0 + $1.count }

    body.append("<g class=\"condition\"\(SVG.attr("data-condition", condition.name))>")
    let headingY = top + 22
    let name = SVG.truncate(condition.name, maxWidth: frame.width * 0.5, size: 16, bold: true)
    body.append(
      SVG.text(name, x: 20, y: headingY, size: 16, bold: true, cls: "condition-title"))
    // Counts by mark kind, so that conditions can be compared without counting symbols.
    var summary = "in the window: \(count(jobs, "job"))"
    let counts = TimelineMarkKind.allCases.map { kind in
      (kind, rowsMarks.reduce(0) { $0 + $1.filter { $0.kind == kind }.count })
    }.filter { $0.1 > 0 }
    if counts.isEmpty {
      summary += ", no error marks"
    } else {
      summary +=
        "; " + counts.map { "\(count($1, "")) \(countedName($0, $1))" }.joined(separator: ", ")
    }
    body.append(
      SVG.text(
        summary, x: 20 + SVG.textWidth(name, size: 16, bold: true) + 14, y: headingY, size: 13,
        fill: SVG.mutedInk, cls: "condition-summary"))
    body.append(
      SVG.text(
        "busy", x: frame.width - 20, y: headingY, size: 12, anchor: .end, fill: SVG.mutedInk,
        cls: "busy-header"))

    let rowsTop = top + 30
    let rowsBottom = rowsTop + Double(agentCount) * rowPitch
    // Grid lines behind the translucent tracks.
    body.append("<g class=\"grid\">")
    for tick in frame.ticks {
      let x = frame.x(tick)
      body.append(
        SVG.line(x1: x, y1: rowsTop + 6, x2: x, y2: rowsBottom, stroke: "#D4D4D4", width: 1))
    }
    body.append("</g>")

    for (index, agent) in condition.agents.enumerated() {
      drawRow(
        agent, index: index, bars: rowsBars[index], marks: rowsMarks[index], frame: frame,
        top: rowsTop + Double(index) * rowPitch, into: &body)
    }
    if agentCount == 0 {
      Charts.noDataText(x: (frame.plotX + frame.plotRight) / 2, y: rowsTop + 24, into: &body)
    }
    let axisY = Swift.max(rowsBottom, rowsTop + 40)
    let bottom = timeAxis(frame: frame, y: axisY, withLabel: isLast, into: &body)
    body.append("</g>")
    return (bottom, jobs)
  }

  /// What `n` marks of `kind` are called in a condition's summary: "visible errors",
  /// "silent errors escaped", "caught by review".
  static func countedName(_ kind: TimelineMarkKind, _ n: Int) -> String {
    guard n != 1 else { return kind.rawValue }
    switch kind {
    case .visibleError: return "visible errors"
    case .silentErrorEscaped: return "silent errors escaped"
    case .caughtByReview, .caughtByAudit, .caughtBySignoff, .pushBack, .override:
      return kind.rawValue
    }
  }

  /// "1 job", "2,518 jobs"; just the number when `noun` is empty.
  static func count(_ n: Int, _ noun: String) -> String {
    let number = NumberFormat.fixed(Double(n), decimals: 0)
    return noun.isEmpty ? number : number + " " + noun + (n == 1 ? "" : "s")
  }

  /// Tick marks, labels and (on the last condition) the axis title; returns the y below.
  static func timeAxis(frame: Frame, y: Double, withLabel: Bool, into body: inout [String])
    -> Double
  {
    body.append("<g class=\"x-axis\">")
    body.append(
      SVG.line(
        x1: frame.plotX, y1: y, x2: frame.plotRight, y2: y, stroke: SVG.axis, width: 1.5))
    for tick in frame.ticks {
      let x = frame.x(tick)
      body.append(SVG.line(x1: x, y1: y, x2: x, y2: y + 5, stroke: SVG.axis, width: 1))
      body.append(
        SVG.text(
          frame.tickLabel(tick), x: x, y: y + 19, size: Charts.tickSize, anchor: .middle,
          cls: "tick"))
    }
    var bottom = y + 24
    if withLabel {
      body.append(
        SVG.text(
          "hours since the start of the run", x: (frame.plotX + frame.plotRight) / 2,
          y: y + 40, size: Charts.axisLabelSize, anchor: .middle, cls: "axis-label x-label"))
      bottom = y + 46
    }
    body.append("</g>")
    return bottom
  }

  /// One agent's row: label, track, bars, hatched overheads, task labels, marks, busy share.
  static func drawRow(
    _ agent: TimelineAgent, index: Int, bars: [TimelineBar], marks: [TimelineMark],
    frame: Frame, top: Double, into body: inout [String]
  ) {
    let window = frame.window
    let trackTop = top + trackOffset
    body.append(
      "<g class=\"agent-row\"\(SVG.attr("data-agent", agent.name)) data-index=\"\(index)\">")
    let labelRoom = frame.labelWidth
    body.append(
      SVG.text(
        SVG.truncate(agent.name, maxWidth: labelRoom, size: 13, bold: true), x: 20,
        y: trackTop + 7, size: 13, bold: true, cls: "agent-name"))
    body.append(
      SVG.text(
        SVG.truncate(describe(agent), maxWidth: labelRoom, size: 11.5), x: 20,
        y: trackTop + 20, size: 11.5, fill: SVG.mutedInk, cls: "agent-kind"))
    // Hovering over idle time says whose row it is, instead of the document's title.
    let busy = busyHours(bars, window: window) / (window.to - window.from)
    let trackTitle = titleElement([
      "\(agent.name) (\(describe(agent))): idle here",
      "busy \(NumberFormat.percent(busy)) of the window",
    ])
    body.append(
      "<rect class=\"track\"\(SVG.attr("x", frame.plotX))\(SVG.attr("y", trackTop))"
        + "\(SVG.attr("width", frame.plotRight - frame.plotX))\(SVG.attr("height", trackHeight))"
        + "\(SVG.attr("fill", trackFill)) fill-opacity=\"\(trackOpacity)\">\(trackTitle)</rect>")

    let sorted = bars.enumerated().sorted {
      $0.element.start != $1.element.start
        ? $0.element.start < $1.element.start : $0.offset < $1.offset
    }.map(\.element)
    var overhead = ""
    var labels: [String] = []
    // Bars are grouped by kind so that the fill is written once per group.
    var byKind = Array(repeating: [String](), count: TimelineJobKind.allCases.count)
    let showLabels = frame.pixelsPerHour >= labelPixelsPerHour
    for bar in sorted {
      let start = Swift.max(bar.start, window.from)
      let end = Swift.min(bar.end, window.to)
      var x = frame.x(start)
      var width = frame.x(end) - x
      // A hairline gap keeps back-to-back jobs apart where there is room for it.
      if width >= 6 { width -= 1 }
      width = Swift.max(width, minimumBarWidth)
      x = Swift.min(x, frame.plotRight - width)
      let kindIndex = TimelineJobKind.allCases.firstIndex(of: bar.kind) ?? 0
      byKind[kindIndex].append(
        "<rect class=\"job\"\(SVG.attr("x", x))\(SVG.attr("y", trackTop))"
          + "\(SVG.attr("width", width))\(SVG.attr("height", trackHeight))>"
          + titleElement(tooltip(bar)) + "</rect>")
      var textX = x + 3
      let share = clampedOverhead(bar)
      if share > 0 {
        let overheadEnd = Swift.min(bar.start + share, window.to)
        if overheadEnd > start {
          let right = Swift.min(frame.x(overheadEnd), x + width)
          if right - x >= 0.3 {
            overhead +=
              "M\(SVG.num(x)),\(SVG.num(trackTop))h\(SVG.num(right - x))"
              + "v\(SVG.num(trackHeight))h\(SVG.num(x - right))z"
            textX = Swift.max(textX, right + 2)
          }
        }
      }
      if showLabels {
        let text = barLabel(bar)
        if textX + SVG.textWidth(text, size: 11) + 2 <= x + width {
          labels.append(
            SVG.text(
              text, x: textX, y: trackTop + trackHeight / 2 + 4, size: 11,
              fill: labelInk(bar.kind)))
        }
      }
    }
    for (kind, bars) in zip(TimelineJobKind.allCases, byKind) where !bars.isEmpty {
      body.append(
        "<g class=\"jobs\"\(SVG.attr("data-kind", kind.rawValue))\(SVG.attr("fill", paint(kind)))>")
      body.append(contentsOf: bars)
      body.append("</g>")
    }
    if !overhead.isEmpty {
      body.append(
        "<path class=\"overhead\" d=\"\(overhead)\" fill=\"url(#\(hatchID))\""
          + " pointer-events=\"none\"/>")
    }
    if !labels.isEmpty {
      body.append("<g class=\"task-labels\" pointer-events=\"none\">")
      body.append(contentsOf: labels)
      body.append("</g>")
    }
    if !marks.isEmpty {
      for kind in markDrawingOrder {
        let ofKind = marks.enumerated().filter { $0.element.kind == kind }.sorted {
          $0.element.time != $1.element.time
            ? $0.element.time < $1.element.time : $0.offset < $1.offset
        }.map(\.element)
        guard !ofKind.isEmpty else { continue }
        body.append("<g class=\"marks\"\(SVG.attr("data-kind", kind.rawValue))>")
        for mark in ofKind {
          let title =
            "\(mark.kind.rawValue): \(taskText(task: mark.task, stage: mark.stage))"
            + " at \(fixedHours(mark.time)) h"
          body.append(markSymbol(mark.kind, x: frame.x(mark.time), y: trackTop, title: title))
        }
        body.append("</g>")
      }
    }
    body.append(
      SVG.text(
        NumberFormat.percent(busy), x: frame.width - 20, y: trackTop + trackHeight / 2 + 5,
        size: 13, anchor: .end, cls: "busy", data: [("busy", NumberFormat.fixed(busy, decimals: 4))]
      ))
    body.append("</g>")
  }

  /// Hours inside the window covered by at least one of `bars` (overlaps counted once).
  static func busyHours(_ bars: [TimelineBar], window: TimelineWindow) -> Double {
    let spans = bars.map { (Swift.max($0.start, window.from), Swift.min($0.end, window.to)) }
      .filter { $0.1 > $0.0 }.sorted { $0.0 < $1.0 }
    var total = 0.0
    var current: (Double, Double)? = nil
    for span in spans {
      if let open = current, span.0 <= open.1 {
        current = (open.0, Swift.max(open.1, span.1))
      } else {
        if let open = current { total += open.1 - open.0 }
        current = span
      }
    }
    if let open = current { total += open.1 - open.0 }
    return total
  }
}
