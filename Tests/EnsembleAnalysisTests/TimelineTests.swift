import Foundation
import Testing

@testable import EnsembleAnalysis

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Synthetic timelines: the default team of 9 agents working through a week.
enum TimelineSamples {
  static let agents = [
    TimelineAgent(name: "lead", kind: .human, roles: ["conductor"]),
    TimelineAgent(name: "expert 1", kind: .human, roles: ["expert"]),
    TimelineAgent(name: "expert 2", kind: .human, roles: ["expert"]),
    TimelineAgent(name: "designer", kind: .human, roles: ["catalyst"]),
    TimelineAgent(name: "ai 1", kind: .ai, roles: ["translator"]),
    TimelineAgent(name: "ai 2", kind: .ai, roles: ["monitor"]),
    TimelineAgent(name: "ai 3", kind: .ai),
    TimelineAgent(name: "ai 4", kind: .ai),
    TimelineAgent(name: "ai 5", kind: .ai),
  ]

  struct Draws {
    var rng: SplitMix64
    mutating func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    mutating func between(_ low: Double, _ high: Double) -> Double {
      low + (high - low) * uniform()
    }
    mutating func exponential(mean: Double) -> Double { -log(1 - uniform()) * mean }
  }

  /// About 2,500 jobs over `hours` for one condition. Each agent works job after job with
  /// short idle gaps; the structured team routes, translates, reviews and audits, the
  /// unstructured one only executes (with more communication overhead). Not a simulation:
  /// just data with the shape and density of one.
  static func week(structured: Bool, seed: UInt64, hours: Double = 40) -> TimelineCondition {
    var draws = Draws(rng: SplitMix64(seed: seed))
    var bars: [TimelineBar] = []
    var marks: [TimelineMark] = []
    let overheadShare = structured ? 0.04 / 1.04 : 0.16 / 1.16
    for (index, agent) in agents.enumerated() {
      var t = draws.between(0, 0.2)
      while t < hours {
        let task = Swift.min(500, Int(t / hours * 500) + Int(draws.between(0, 6)))
        let pick = draws.uniform()
        var kind = TimelineJobKind.execute
        if structured {
          switch agent.roles.first {
          case "conductor": kind = .route
          case "expert": kind = pick < 0.7 ? .review : .execute
          case "translator": kind = pick < 0.55 ? .translate : .execute
          case "monitor": kind = pick < 0.4 ? .audit : .execute
          default: kind = .execute
          }
        }
        let human = agent.kind == .human
        let duration: Double
        switch kind {
        case .route: duration = 0.05
        case .translate: duration = draws.between(0.02, 0.08)
        case .review: duration = draws.between(0.03, 0.15)
        case .audit: duration = draws.between(0.02, 0.06)
        case .signoff, .custom: duration = draws.between(0.02, 0.05)
        case .execute:
          // Unstructured teams split and duplicate work: more, shorter executions.
          let scale = structured ? 1 : 0.6
          duration = scale * (human ? draws.between(0.15, 0.55) : draws.between(0.05, 0.2))
        }
        let attemptDraw = draws.uniform()
        let attempt = attemptDraw < 0.03 ? 3 : (attemptDraw < 0.12 ? 2 : 1)
        let end = t + duration
        var outcome = TimelineOutcome.none
        let roll = draws.uniform()
        switch kind {
        case .execute:
          outcome = roll < 0.12 ? .visibleError : (roll < 0.18 ? .silentError : .correct)
          if outcome == .visibleError {
            marks.append(TimelineMark(time: end, agent: index, kind: .visibleError, task: task))
          } else if outcome == .silentError && (!structured || human) {
            marks.append(
              TimelineMark(time: end, agent: index, kind: .silentErrorEscaped, task: task))
          }
        case .review:
          outcome = roll < 0.15 ? .foundError : .passed
          if outcome == .foundError {
            marks.append(TimelineMark(time: end, agent: index, kind: .caughtByReview, task: task))
          }
        case .audit:
          outcome = roll < 0.1 ? .foundError : .passed
          if outcome == .foundError {
            marks.append(TimelineMark(time: end, agent: index, kind: .caughtByAudit, task: task))
          }
        default: break
        }
        bars.append(
          TimelineBar(
            agent: index, start: t, end: end, kind: kind,
            overheadHours: kind == .execute ? duration * overheadShare : 0, task: task,
            attempt: attempt, outcome: outcome))
        let gap = kind == .route ? 0.018 : (human ? 0.06 : 0.028)
        t = end + draws.exponential(mean: gap)
      }
    }
    return TimelineCondition(
      name: structured ? "structured" : "unstructured", agents: agents, bars: bars, marks: marks)
  }

  static var twoConditions: [TimelineCondition] {
    [week(structured: false, seed: 12), week(structured: true, seed: 12)]
  }

  /// A small condition with a bar of each relation to the window [10, 14]: inside, crossing
  /// either edge, covering it, wholly before, wholly after, touching an edge from outside,
  /// of zero length inside, and invalid ones.
  static var edges: TimelineCondition {
    let agents = [
      TimelineAgent(name: "lead", kind: .human, roles: ["conductor"]),
      TimelineAgent(name: "ai 1", kind: .ai, roles: ["translator", "monitor"]),
      TimelineAgent(name: "idle", kind: .ai),
    ]
    let bars = [
      TimelineBar(agent: 0, start: 11, end: 12, kind: .route, task: 1),  // inside
      TimelineBar(agent: 0, start: 9.9, end: 10.5, kind: .execute, overheadHours: 0.3, task: 2),
      TimelineBar(agent: 1, start: 13.5, end: 15, kind: .review, task: 3, outcome: .passed),
      TimelineBar(agent: 1, start: 8, end: 9.5, kind: .audit, task: 4),  // before
      TimelineBar(agent: 1, start: 14.5, end: 16, kind: .execute, task: 5),  // after
      TimelineBar(agent: 0, start: 9, end: 10, kind: .execute, task: 6),  // touches from→
      TimelineBar(agent: 0, start: 14, end: 15, kind: .execute, task: 7),  // ←touches to
      TimelineBar(agent: 1, start: 12, end: 12, kind: .signoff, task: 8),  // zero length
      TimelineBar(agent: 1, start: 5, end: 20, kind: .translate, task: 9),  // covers window
      TimelineBar(agent: 3, start: 11, end: 12, kind: .execute, task: 10),  // no such agent
      TimelineBar(agent: 0, start: .nan, end: 12, kind: .execute, task: 11),  // not finite
      TimelineBar(agent: 0, start: 13, end: 12.5, kind: .execute, task: 12),  // backwards
    ]
    let marks = [
      TimelineMark(time: 12, agent: 0, kind: .visibleError, task: 1),
      TimelineMark(time: 10, agent: 1, kind: .caughtByAudit, task: 2, stage: 1),
      TimelineMark(time: 14, agent: 1, kind: .silentErrorEscaped, task: 3),
      TimelineMark(time: 9.9, agent: 0, kind: .caughtByReview, task: 4),  // before
      TimelineMark(time: 12, agent: 7, kind: .caughtBySignoff, task: 5),  // no such agent
    ]
    return TimelineCondition(name: "edges", agents: agents, bars: bars, marks: marks)
  }
}

@Suite("Timeline")
struct TimelineTests {
  static let window = TimelineWindow(from: 10, to: 14)

  func parse(_ svg: String) throws -> ParsedSVG {
    try #require(ParsedSVG.parse(svg), "the SVG is well-formed XML")
  }

  /// The job kind of a bar: its group's `data-kind`.
  func kind(of bar: ParsedSVG.Element, in document: ParsedSVG) -> String? {
    bar.ancestors.reversed().lazy.compactMap { document.elements[$0].attributes["data-kind"] }
      .first
  }

  @Test("one row per agent, one bar per job in the window, marks and legend present")
  func structure() throws {
    let svg = Timeline.svg(TimelineSamples.edges, window: Self.window, title: "Edges")
    let document = try parse(svg)
    let rows = document.indices(ofClass: "agent-row")
    #expect(rows.count == 3)
    #expect(
      rows.map { document.elements[$0].attributes["data-agent"] } == ["lead", "ai 1", "idle"])
    let perRow = rows.map { document.withClass("job", inside: $0).count }
    #expect(perRow == [2, 3, 0], "inside and crossing from; crossing to, zero length, covering")
    #expect(document.withClass("job").count == 5)
    let titles = document.elements.filter { $0.name == "title" }.map(\.text)
    for task in [1, 2, 3, 8, 9] {
      #expect(titles.contains { $0.hasPrefix("task \(task),") }, "task \(task) drawn")
    }
    for task in [4, 5, 6, 7, 10, 11, 12] {
      #expect(!titles.contains { $0.hasPrefix("task \(task),") }, "task \(task) not drawn")
    }
    let marks = document.withClass("mark")
    #expect(marks.count == 3)
    #expect(
      Set(marks.compactMap { kind(of: $0, in: document) })
        == ["visible error", "caught by audit", "silent error escaped"])
    // The legend names the kinds in the window, the hatch and the marks in the window.
    #expect(
      document.withClass("legend-kind").compactMap { $0.attributes["data-kind"] } == [
        "execute", "route", "translate", "review", "signoff",
      ])
    #expect(document.withClass("legend-overhead").count == 1)
    #expect(
      document.withClass("legend-mark").compactMap { $0.attributes["data-kind"] } == [
        "visible error", "silent error escaped", "caught by audit",
      ])
    #expect(document.withClass("legend-heading").map(\.text) == ["Jobs", "Errors"])
    let kinds = document.withClass("job").compactMap { kind(of: $0, in: document) }
    #expect(kinds.sorted() == ["execute", "review", "route", "signoff", "translate"])
    #expect(document.withClass("overhead").count == 1)
    let idle = document.elements.filter { $0.name == "title" && $0.text.contains("idle here") }
    #expect(idle.map(\.text).last == "idle (AI): idle here\nbusy 0.0% of the window")
    #expect(document.withClass("note").count >= 2, "a caption under the picture")
    #expect(svg.contains("<desc>") && svg.contains("5 in the window"))
    #expect(
      document.withClass("condition-summary").map(\.text) == [
        "in the window: 5 jobs; 1 visible error, 1 silent error escaped, 1 caught by audit"
      ])
    // Every url(#…) fill and href="#…" points at an element of the document.
    let ids = Set(document.elements.compactMap { $0.attributes["id"] })
    var references: [String] = []
    for element in document.elements {
      for value in element.attributes.values {
        if value.hasPrefix("url(#") { references.append(String(value.dropFirst(5).dropLast())) }
        if value.hasPrefix("#") && value.count > 1 && element.name == "use" {
          references.append(String(value.dropFirst()))
        }
      }
    }
    #expect(references.count >= 3 + 3)
    #expect(references.allSatisfy(ids.contains), "\(Set(references).subtracting(ids))")
  }

  @Test("bars are clipped to the window edges and a tooltip tells the whole job")
  func clipping() throws {
    let svg = Timeline.svg(TimelineSamples.edges, window: Self.window, title: "Edges")
    let document = try parse(svg)
    let frame = Timeline.Frame(
      conditions: [TimelineSamples.edges], window: Self.window, width: Timeline.defaultWidth)
    let bars = document.withClass("job")
    func bar(task: Int) throws -> ParsedSVG.Element {
      let index = try #require(
        document.elements.firstIndex {
          $0.name == "title" && $0.text.hasPrefix("task \(task),")
        })
      return document.elements[try #require(document.elements[index].ancestors.last)]
    }
    func number(_ element: ParsedSVG.Element, _ name: String) -> Double {
      Double(element.attributes[name] ?? "") ?? .nan
    }
    #expect(bars.count == 5)
    // Crossing the left edge: starts at the plot's left edge, ends at 10.5 h (less the gap).
    let left = try bar(task: 2)
    #expect(abs(number(left, "x") - frame.plotX) < 0.06)
    #expect(abs(number(left, "x") + number(left, "width") + 1 - frame.x(10.5)) < 0.11)
    // Covering the window: exactly the plot's width (less the gap).
    let covering = try bar(task: 9)
    #expect(abs(number(covering, "x") - frame.plotX) < 0.06)
    #expect(abs(number(covering, "width") + 1 - (frame.plotRight - frame.plotX)) < 0.11)
    // Crossing the right edge: ends at the plot's right edge or before it.
    let right = try bar(task: 3)
    #expect(number(right, "x") + number(right, "width") <= frame.plotRight + 0.06)
    #expect(abs(number(right, "x") - frame.x(13.5)) < 0.06)
    // Zero length: the minimum width.
    #expect(number(try bar(task: 8), "width") == Timeline.minimumBarWidth)
    let tip = document.elements.first { $0.name == "title" && $0.text.hasPrefix("task 9,") }
    #expect(tip?.text == "task 9, attempt 1\ntranslate, 5.00–20.00 h (15 h)\noutcome: none")
    let overheadTip = document.elements.first {
      $0.name == "title" && $0.text.hasPrefix("task 2,")
    }
    #expect(overheadTip?.text.contains("(0.6 h, 0.3 h communication and read-in)") == true)
    // The hatched overhead is cut at the window's edge too: from the plot's left edge to 10.2 h.
    let overhead = try #require(document.withClass("overhead").first?.attributes["d"])
    #expect(overhead.hasPrefix("M\(SVG.num(frame.plotX)),"))
    #expect(overhead.contains("h\(SVG.num(frame.x(10.2) - frame.plotX))v"))
    let audit = document.elements.first { $0.name == "title" && $0.text.contains("audit:") }
    #expect(audit?.text == "caught by audit: task 2, stage 1 at 10.00 h")
  }

  @Test("the HTML stacks every condition on one time scale, needs no network and no script")
  func html() throws {
    let conditions = [
      TimelineSamples.edges,
      TimelineCondition(
        name: "other team", agents: Array(TimelineSamples.agents.prefix(4)),
        bars: [TimelineBar(agent: 3, start: 13.5, end: 15, kind: .review, task: 3)]),
    ]
    let page = Timeline.html(
      conditions, window: Self.window, title: "Week <1>", subtitle: "replication 0")
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<title>Week &lt;1&gt;</title>"))
    for forbidden in ["<script", "http://", "https://", " src=", "<link", "@import", "url(http"] {
      #expect(
        !page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains(forbidden),
        "\(forbidden)")
    }
    let start = try #require(page.range(of: "<svg"))
    let end = try #require(page.range(of: "</svg>"))
    let document = try parse(String(page[start.lowerBound..<end.upperBound]))
    let panels = document.indices(ofClass: "condition")
    #expect(panels.count == 2)
    #expect(
      panels.map { document.elements[$0].attributes["data-condition"] } == ["edges", "other team"])
    #expect(panels.map { document.withClass("agent-row", inside: $0).count } == [3, 4])
    #expect(panels.map { document.withClass("job", inside: $0).count } == [5, 1])
    // The same job in both conditions is drawn at the same x: one shared scale.
    let reviews = document.withClass("job").filter { kind(of: $0, in: document) == "review" }
    #expect(reviews.count == 2)
    #expect(reviews[0].attributes["x"] == reviews[1].attributes["x"])
    #expect(reviews[0].attributes["width"] == reviews[1].attributes["width"])
    // Tick labels are the same under both panels; the axis title only under the last.
    let ticks = panels.map { document.withClass("tick", inside: $0).map(\.text) }
    #expect(ticks[0] == ticks[1] && ticks[0].first == "10" && ticks[0].last == "14")
    #expect(document.withClass("x-label").count == 1)
    #expect(page.contains("Hover over a bar"))
  }

  @Test("hour ticks: whole hours or halves as room allows, never crowded")
  func ticks() {
    func ticks(_ from: Double, _ to: Double, width: Double = Timeline.defaultWidth) -> [String] {
      let frame = Timeline.Frame(
        conditions: [TimelineSamples.edges], window: TimelineWindow(from: from, to: to),
        width: width)
      return frame.ticks.map(frame.tickLabel)
    }
    #expect(ticks(0, 40) == stride(from: 0, through: 40, by: 2).map { "\($0)" })
    #expect(ticks(12, 16).first == "12" && ticks(12, 16).last == "16")
    #expect(ticks(12, 16).prefix(5) == ["12", "12.25", "12.5", "12.75", "13"])
    #expect(ticks(0, 80).first == "0" && ticks(0, 80).last == "80")
    #expect(ticks(0.013, 0.017).count >= 2, "a tiny window still gets ticks")
    #expect(ticks(0, 5000).count >= 2, "so does a huge one")
    #expect(ticks(1e14, 1e14 + 10).count >= 2, "and one far from 0")
    for (from, to) in [(0.0, 40.0), (12.0, 16.0), (0, 0.3), (3, 7.5), (0.013, 0.017)] {
      let frame = Timeline.Frame(
        conditions: [], window: TimelineWindow(from: from, to: to), width: 900)
      let xs = frame.ticks.map(frame.x)
      #expect(zip(xs, xs.dropFirst()).allSatisfy { $1 - $0 >= 50 }, "\(from)…\(to): \(xs)")
      #expect(frame.ticks.allSatisfy { $0 >= from - 1e-9 && $0 <= to + 1e-9 })
    }
  }

  @Test("busy share counts overlapping jobs once and only inside the window")
  func busy() {
    let window = TimelineWindow(from: 0, to: 10)
    let bars = [
      TimelineBar(agent: 0, start: -1, end: 2, kind: .execute, task: 1),
      TimelineBar(agent: 0, start: 1, end: 3, kind: .execute, task: 2),
      TimelineBar(agent: 0, start: 5, end: 6, kind: .review, task: 3),
      TimelineBar(agent: 0, start: 9.5, end: 12, kind: .audit, task: 4),
    ]
    #expect(isClose(Timeline.busyHours(bars, window: window), 4.5))
    #expect(Timeline.busyHours([], window: window) == 0)
  }

  @Test("the window covering a run reaches from 0 to the last end")
  func covering() {
    let window = TimelineWindow.covering([TimelineSamples.edges])
    #expect(window.from == 0 && window.to == 20)
    #expect(TimelineWindow.covering([]) == TimelineWindow(from: 0, to: 1))
    #expect(Self.window.shows(start: 9, end: 10.01))
    #expect(!Self.window.shows(start: 9, end: 10))
    #expect(Self.window.shows(start: 14, end: 14) && !Self.window.shows(start: 14.01, end: 14.01))
  }

  @Test("names with XML specials and long roles are escaped and shortened")
  func escaping() throws {
    let condition = TimelineCondition(
      name: "A & B <draft>",
      agents: [
        TimelineAgent(
          name: "\"Ann\" & <co>", kind: .human,
          roles: ["conductor", "expert", "translator", "monitor", "catalyst", "other", "more"])
      ],
      bars: [TimelineBar(agent: 0, start: 11, end: 12, kind: .execute, task: 1)])
    let svg = Timeline.svg(condition, window: Self.window, title: "T & <U>", subtitle: "s > t")
    let document = try parse(svg)
    #expect(document.withClass("agent-row").first?.attributes["data-agent"] == "\"Ann\" & <co>")
    #expect(document.withClass("condition").first?.attributes["data-condition"] == "A & B <draft>")
    let kinds = document.withClass("agent-kind").map(\.text)
    #expect(kinds.count == 1 && kinds[0].hasSuffix("…"))
    let page = Timeline.html([condition], window: Self.window, title: "T & <U>")
    #expect(page.contains("<h1>T &amp; &lt;U&gt;</h1>"))
  }

  @Test("the same input gives the same bytes")
  func deterministic() {
    let window = TimelineWindow(from: 0, to: 40)
    let a = Timeline.html(TimelineSamples.twoConditions, window: window, title: "Week")
    let b = Timeline.html(TimelineSamples.twoConditions, window: window, title: "Week")
    #expect(a == b)
  }

  @Test("a realistic week: every job drawn, no bar labels at 40 h, labels at 4 h, modest size")
  func week() throws {
    let conditions = TimelineSamples.twoConditions
    let jobs = conditions.map(\.bars.count)
    #expect(jobs.allSatisfy { (2_000...3_000).contains($0) }, "\(jobs)")
    let full = TimelineWindow(from: 0, to: 40)
    for condition in conditions {
      let svg = Timeline.svg(condition, window: full, title: condition.name)
      let document = try parse(svg)
      let inWindow = condition.bars.filter { full.shows(start: $0.start, end: $0.end) }.count
      #expect(document.withClass("job").count == inWindow)
      #expect(document.withClass("agent-row").count == 9)
      #expect(document.withClass("task-labels").isEmpty, "no per-bar text at 40 h")
      #expect(svg.utf8.count < 650_000, "\(svg.utf8.count) bytes")
    }
    let page = Timeline.html(conditions, window: full, title: "A week")
    #expect(page.utf8.count < 1_200_000, "\(page.utf8.count) bytes")

    let close = TimelineWindow(from: 12, to: 16)
    let svg = Timeline.svg(conditions[1], window: close, title: "Four hours")
    let document = try parse(svg)
    let inWindow = conditions[1].bars.filter { close.shows(start: $0.start, end: $0.end) }.count
    #expect(document.withClass("job").count == inWindow)
    #expect(!document.withClass("task-labels").isEmpty, "bars labelled at 4 h")
  }

  @Test("no agents or no conditions still give a well-formed picture")
  func empty() throws {
    let empty = TimelineCondition(name: "nobody", agents: [], bars: [])
    let document = try parse(Timeline.svg(empty, window: Self.window, title: "Empty"))
    #expect(document.withClass("agent-row").isEmpty)
    #expect(document.withClass("no-data").count == 1)
    let page = Timeline.html([], window: Self.window, title: "Nothing")
    let start = try #require(page.range(of: "<svg"))
    let end = try #require(page.range(of: "</svg>"))
    _ = try parse(String(page[start.lowerBound..<end.upperBound]))
  }

  /// Draws a 40-hour and a 4-hour timeline of about 2,500 jobs per condition: every SVG is
  /// well-formed XML, and the page holds both conditions and loads nothing from the network. With $ENSEMBLE_TIMELINE_DEMO_DIR set they are also written there,
  /// for looking at in a browser.
  @Test("40-hour and 4-hour timelines of synthetic weeks are well-formed and offline")
  func demo() throws {
    let directory = ProcessInfo.processInfo.environment["ENSEMBLE_TIMELINE_DEMO_DIR"]
    let url = directory.map { URL(fileURLWithPath: $0, isDirectory: true) }
    if let url {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) throws {
      if name.hasSuffix(".svg") {
        let parser = XMLParser(data: Data(text.utf8))
        #expect(parser.parse(), "\(name) is not well-formed XML")
      } else {
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("</html>"), "\(name)")
        for reference in ["src=\"http", "href=\"http", "url(http"] {
          #expect(!text.contains(reference), "\(name) loads from the network: \(reference)")
        }
        for condition in TimelineSamples.twoConditions { #expect(text.contains(condition.name)) }
      }
      if let url { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
    }
    let conditions = TimelineSamples.twoConditions
    let subtitle = "Synthetic data: 9 agents, about 2,500 jobs per condition"
    for (name, window) in [
      ("40h", TimelineWindow(from: 0, to: 40)), ("4h", TimelineWindow(from: 12, to: 16)),
    ] {
      try write(
        "timeline-\(name).html",
        Timeline.html(
          conditions, window: window, title: "One week of the default team", subtitle: subtitle))
      for condition in conditions {
        try write(
          "timeline-\(name)-\(condition.name).svg",
          Timeline.svg(
            condition, window: window, title: "One week: \(condition.name)", subtitle: subtitle))
      }
    }
  }
}
