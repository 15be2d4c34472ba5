import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// The finding: the question, its answer in one or two sentences computed from the results,
/// then the details per metric or per condition.
extension Report.Context {
  func finding() -> [ReportBlock] {
    var answer: [String] = []
    var details: [String] = []
    var after: [String] = []
    if let exact = m.exact, index[exact.metric] != nil {
      (answer, details) = validation(exact)
    } else if m.conditions.count < 2 {
      details = levels()
    } else if !isSweep {
      let headlines = others.map { c in
        PointSentence.headline(
          metrics.map { (Report.metric($0), paired(c, 0, $0)) }, condition: m.conditions[c],
          baseline: baselineName)
      }
      if headlines.count == 1 {
        answer = headlines
      } else {
        answer = [ranking()]
        details = headlines
      }
    } else if layout.sweptKeys.count == 1 {
      answer = sweepAnswer()
      details = metrics.map(sweepDetail)
      after = others.map(tradeOffs)
    } else {
      answer = metrics.prefix(1).map { region($0) + "." }
      details = metrics.dropFirst().map { region($0) + "." }
    }
    var blocks: [ReportBlock] = []
    if !m.question.isEmpty {
      blocks.append(.paragraph("**Question:** \(m.question)"))
      if !answer.isEmpty { answer[0] = "**Answer:** " + answer[0] }
    }
    if !answer.isEmpty { blocks.append(.paragraph(answer.joined(separator: " "))) }
    if !details.isEmpty { blocks.append(.bullets(details)) }
    for paragraph in after { blocks.append(.paragraph(paragraph)) }
    return blocks
  }

  /// "at arrival rate 4", or nothing without a sweep.
  func at(_ p: Int) -> String { isSweep ? "at " + pointText(p) : "" }

  // MARK: - Validation

  /// Whether the simulated mean matches each exact value: the lead sentence, and one line
  /// per point when there are several.
  func validation(_ exact: ExactValues) -> (answer: [String], details: [String]) {
    let info = Report.metric(exact.metric)
    var matches: [String] = []
    var misses: [String] = []
    var lines: [String] = []
    for c in m.conditions.indices {
      for p in 0..<pointCount {
        let target = pointOffset + p < exact.values.count ? exact.values[pointOffset + p] : nil
        guard let target else { continue }
        let level = self.level(c, p, exact.metric)
        guard let mean = level.mean else { continue }
        var text = Wording.quantity(mean, unit: info.unit)
        if let low = level.low, let high = level.high {
          text += " (95% CI \(Wording.number(low)) to \(Wording.number(high)))"
        }
        let exactText =
          Wording.isCounted(info.unit)
          ? "\(CSV.formatNumber(target)) \(info.unit)" : CSV.formatNumber(target)
        text += " against \(exactText)"
        var place = [String]()
        if m.conditions.count > 1 { place.append("**\(m.conditions[c])**") }
        if isSweep { place.append(at(p)) }
        let placed = place.isEmpty ? text : place.joined(separator: " ") + ": " + text
        let inside =
          level.low.map { $0 <= target } == true && level.high.map { $0 >= target } == true
        if inside { matches.append(placed) } else { misses.append(placed) }
        lines.append(Wording.capitalised(placed) + (inside ? " (matches)" : " (does not match)"))
      }
    }
    let what = "The simulated \(Wording.inSentence(info.label))"
    let source = exact.source.isEmpty ? "" : " (exact values from \(exact.source))"
    let total = matches.count + misses.count
    if total == 0 { return (["\(what) has no value to compare with the exact value."], []) }
    if total == 1 {
      let verb = misses.isEmpty ? "matches the exact value" : "does not match the exact value"
      let text = (matches + misses)[0]
      return (["\(what) \(verb)\(source): \(text)."], [])
    }
    if misses.isEmpty {
      return (["\(what) matches the exact value at all \(total) points\(source)."], lines)
    }
    return (
      [
        "\(what) does not match the exact value at \(misses.count) of \(total) points\(source): "
          + misses.joined(separator: "; ") + "."
      ], lines
    )
  }

  // MARK: - One condition

  /// The level of each headline metric, with its interval, at every sweep point (up to 12).
  func levels() -> [String] {
    var lines: [String] = []
    for p in 0..<min(12, pointCount) {
      let lead = isSweep ? Wording.capitalised(at(p)) : "**\(m.conditions[0])**"
      var parts: [String] = []
      for metric in metrics {
        let level = self.level(0, p, metric)
        guard let mean = level.mean else { continue }
        let info = Report.metric(metric)
        var text = "\(Wording.inSentence(info.label)) \(Wording.quantity(mean, unit: info.unit))"
        if let low = level.low, let high = level.high {
          text += " (95% CI \(Wording.number(low)) to \(Wording.number(high)))"
        }
        parts.append(text)
      }
      lines.append(
        lead + ": " + parts.joined(separator: "; ") + ", over "
          + Wording.count(m.replications, "replication") + ".")
    }
    return lines
  }

  // MARK: - Several conditions, no sweep

  /// The conditions ranked by their difference from the baseline in the first metric.
  func ranking() -> String {
    guard let first = metrics.first else { return "" }
    let info = Report.metric(first)
    let points = others.map { ($0, paired($0, 0, first)) }
    func size(_ p: PairedPoint) -> Double { abs(p.relative ?? p.difference ?? 0) }
    let clear = points.filter { $0.1.isClear }.sorted { size($0.1) > size($1.1) }
    let unclear = points.filter { !$0.1.isClear }.map { "**\(m.conditions[$0.0])**" }
    var text = "In \(Wording.inSentence(info.label)), "
    if let (top, point) = clear.first {
      text +=
        "**\(m.conditions[top])** differs most from **\(baselineName)** "
        + "(\(PointSentence.withIntervalInline(info, point)))"
      let next = clear.dropFirst().prefix(2).map {
        "**\(m.conditions[$0.0])** (\(PointSentence.withIntervalInline(info, $0.1)))"
      }
      let rest = clear.dropFirst(3).map {
        "**\(m.conditions[$0.0])** (\(PointSentence.short(info, $0.1)))"
      }
      if !next.isEmpty || !rest.isEmpty { text += ", then " + Wording.list(next + rest) }
      if !unclear.isEmpty {
        text +=
          "; " + Wording.list(unclear)
          + (unclear.count == 1 ? " shows" : " show") + " no clear difference"
      }
    } else {
      text += "no condition differs clearly from **\(baselineName)**"
    }
    return text + "."
  }

  // MARK: - A sweep of one key

  /// The answer, in one or two sentences: each condition's trend in the first metric and
  /// its difference from the baseline in brief; then, with one condition against the
  /// baseline, the other metrics' differences in brief.
  func sweepAnswer() -> [String] {
    guard let first = metrics.first else { return [] }
    let (order, _) = orderedPoints()
    var sentences = others.map { c -> String in
      var text = "**\(m.conditions[c])** has " + brief(c, first, against: true)
      switch SweepFinding.trend(order.map { level(c, $0, first) }) {
      case .flat, .unknown: break
      default: text = trendText(c, first) + "; it has " + brief(c, first, against: true)
      }
      return text + "."
    }
    if others.count == 1, metrics.count > 1 {
      let c = others[0]
      sentences.append(
        "In the other metrics, it has "
          + metrics.dropFirst().map { brief(c, $0) }.joined(separator: "; it has ") + ".")
    }
    return sentences
  }

  /// Condition `c`'s difference from the baseline in `metric` along the sweep, in brief:
  /// "clearly more correct work than **unstructured** at every point (+39% to +29%), least
  /// at arrival rate 20 (+29%, 95% CI +27% to +30%)", or runs of points: "lower cost per
  /// correct task at arrival rate 4 to 16 and no clear difference at arrival rate 20 (…)".
  func brief(_ c: Int, _ metric: String, against: Bool = false) -> String {
    let info = Report.metric(metric)
    let (order, _) = orderedPoints()
    let points = order.map { paired(c, $0, metric) }
    let valued = points.indices.filter { points[$0].difference != nil }
    let label = Wording.inSentence(info.label)
    guard let first = valued.first, let last = valued.last else { return "no value of \(label)" }
    func words(_ d: Int) -> String { d > 0 ? info.rise : info.fall }
    func size(_ i: Int) -> Double { abs(points[i].relative ?? points[i].difference!) }
    // Runs of consecutive points with the same direction.
    var runs: [(direction: Int, members: [Int])] = []
    for i in valued {
      if let lastRun = runs.last, lastRun.direction == points[i].direction {
        runs[runs.count - 1].members.append(i)
      } else {
        runs.append((points[i].direction, [i]))
      }
    }
    if runs.count == 1 {
      let d = runs[0].direction
      if d == 0 { return "no clear difference in \(label) at any point" }
      var text = "clearly \(words(d))\(against ? " than **\(baselineName)**" : "") at every point"
      let (from, to) = (
        PointSentence.short(info, points[first]), PointSentence.short(info, points[last])
      )
      if first != last {
        text +=
          from == to
          ? " (\(from) throughout)"
          : " (\(from) \(at(order[first])) to \(to) \(at(order[last])))"
      }
      let good = info.better != .neither && (info.better == .higher) == (d > 0)
      let bad = info.better != .neither && (info.better == .higher) == (d < 0)
      if good, let k = valued.min(by: { size($0) < size($1) }) {
        text += ", least \(at(order[k])) (\(PointSentence.withIntervalInline(info, points[k])))"
      } else if bad, let k = valued.max(by: { size($0) < size($1) }) {
        text += ", most \(at(order[k])) (\(PointSentence.withIntervalInline(info, points[k])))"
      }
      return text
    }
    let parts = runs.enumerated().map { r, run -> String in
      let a = run.members.first!
      let b = run.members.last!
      let place =
        a == b
        ? at(order[a]) : "\(at(order[a])) to \(layout.points[order[b]][0])"
      if run.direction != 0 {
        let than = against && r == 0 ? " than **\(baselineName)**" : ""
        return "\(words(run.direction))\(than) \(place)"
      }
      // Where one point is not clear, the interval that says so.
      var text = "no clear difference\(r == 0 ? " in \(label)" : "") \(place)"
      if a == b, let low = points[a].low, let high = points[a].high, low < high {
        text += " (\(PointSentence.withIntervalInline(info, points[a])))"
      }
      return text
    }
    return Wording.list(parts)
  }

  /// One metric along the sweep: each condition's trend, then each difference.
  func sweepDetail(_ metric: String) -> String {
    let info = Report.metric(metric)
    let trends = m.conditions.indices.map { trendText($0, metric) }
    var text = "**\(Report.labelWithUnit(info))**: " + trends.joined(separator: "; ") + "."
    for c in others { text += " " + Wording.capitalised(difference(c, metric, range: true)) + "." }
    return text
  }

  /// "**structured** falls from 0.906 at arrival rate 4 to 0.797 at arrival rate 24".
  func trendText(_ c: Int, _ metric: String) -> String {
    let info = Report.metric(metric)
    let (order, _) = orderedPoints()
    let levels = order.map { level(c, $0, metric) }
    let name = "**\(m.conditions[c])**"
    func value(_ i: Int) -> String { Wording.quantity(levels[i].mean ?? 0, unit: info.unit) }
    func place(_ i: Int) -> String { at(order[i]) }
    let last = levels.indices.last { levels[$0].mean != nil } ?? 0
    switch SweepFinding.trend(levels) {
    case .unknown:
      return "\(name) has too few values to show a trend"
    case .flat(let low, let high):
      let (a, b) = (value(low), value(high))
      return a == b
        ? "\(name) stays at \(a)" : "\(name) stays between \(a) and \(b), with no clear change"
    case .rises(let from, let to, let until):
      var text = "\(name) rises from \(value(from)) \(place(from)) to \(value(to)) \(place(to))"
      if until < last { text += ", and no longer rises clearly beyond \(pointText(order[until]))" }
      return text
    case .falls(let from, let to, let until):
      var text = "\(name) falls from \(value(from)) \(place(from)) to \(value(to)) \(place(to))"
      if until < last { text += ", and no longer falls clearly beyond \(pointText(order[until]))" }
      return text
    case .peaks(let i):
      return "\(name) peaks \(place(i)) (\(value(i))), clearly above both ends"
    case .dips(let i):
      return "\(name) is lowest \(place(i)) (\(value(i))), clearly below both ends"
    }
  }

  /// How condition `c`'s difference from the baseline in `metric` behaves along the sweep:
  /// clear everywhere (with where it is smallest, for an advantage, or largest, for a price),
  /// nowhere, or where it changes.
  func difference(_ c: Int, _ metric: String, range: Bool, named: Bool = true) -> String {
    let info = Report.metric(metric)
    let (order, xs) = orderedPoints()
    let points = order.map { paired(c, $0, metric) }
    let name = named ? "**\(m.conditions[c])** " : "it "
    let label = Wording.inSentence(info.label)
    let valued = points.indices.filter { points[$0].difference != nil }
    guard let first = valued.first, let last = valued.last else {
      return "\(name)has no value of \(label) to compare"
    }
    func place(_ i: Int) -> String { at(order[i]) }
    func words(_ d: Int) -> String { d > 0 ? info.rise : info.fall }
    let transitions = SweepFinding.transitions(points, xs: xs)
    if transitions.isEmpty {
      let d = points[first].direction
      if d == 0 {
        return "\(name)shows no clear difference in \(label) from **\(baselineName)** at any point"
      }
      var text = "\(name)has clearly \(words(d)) than **\(baselineName)** at every point"
      if range && first != last {
        text +=
          ", \(PointSentence.short(info, points[first])) \(place(first)) and "
          + "\(PointSentence.short(info, points[last])) \(place(last))"
      }
      func size(_ i: Int) -> Double { abs(points[i].relative ?? points[i].difference!) }
      let good = (info.better == .higher) == (d > 0) && info.better != .neither
      let bad = (info.better == .higher) == (d < 0) && info.better != .neither
      if good, let k = valued.min(by: { size($0) < size($1) }) {
        text +=
          "; the advantage is smallest \(place(k)): \(PointSentence.withInterval(info, points[k]))"
      } else if bad, let k = valued.max(by: { size($0) < size($1) }) {
        text += "; the price is highest \(place(k)): \(PointSentence.withInterval(info, points[k]))"
      }
      return text
    }
    let start = points[first]
    var parts: [String] = []
    if start.direction == 0 {
      parts.append(
        "\(name)shows no clear difference in \(label) from **\(baselineName)** \(place(first))")
    } else {
      parts.append(
        "\(name)has clearly \(words(start.direction)) than **\(baselineName)** \(place(first)) "
          + "(\(PointSentence.withIntervalInline(info, start)))")
    }
    for t in transitions.prefix(3) {
      let (a, b) = (points[t.from], points[t.to])
      let between =
        "between \(pointText(order[t.from])) and \(layout.points[order[t.to]][0])"
      let values =
        "\(PointSentence.withInterval(info, a)) \(place(t.from)), "
        + "\(PointSentence.withInterval(info, b)) \(place(t.to))"
      let about = t.at.map { " at about \(Wording.number($0))" } ?? ""
      switch (t.before, t.after) {
      case (let d, 0):
        parts.append(
          "\(between) the difference (\(words(d))) stops being clear: \(values)"
            + (about.isEmpty
              ? "" : "; the \(d > 0 ? "lower" : "upper") end of its interval reaches zero\(about)"))
      case (0, let d):
        parts.append(
          "\(between) it becomes clearly \(d > 0 ? "higher" : "lower") (\(words(d))): \(values)"
            + (about.isEmpty ? "" : "; the interval leaves zero\(about)"))
      default:
        var text =
          "\(between) it turns from \(words(t.before)) to \(words(t.after)): \(values)"
        if !about.isEmpty {
          text += "; the difference crosses zero\(about)"
          if let r = t.range {
            text +=
              " (between \(Wording.number(r.low)) and \(Wording.number(r.high)) by its interval)"
          }
        }
        parts.append(text)
      }
    }
    if transitions.count > 3 {
      parts.append("and changes \(Wording.count(transitions.count - 3, "more time")) after that")
    }
    return parts.joined(separator: "; ")
  }

  /// The trade-offs of condition `c` at the two ends of the sweep: what it gains, and at
  /// what price, in the report's metrics.
  func tradeOffs(_ c: Int) -> String {
    let (order, _) = orderedPoints()
    guard let first = order.first, let last = order.last else { return "" }
    func at(_ p: Int, named: Bool) -> String {
      var gains: [String] = []
      var costs: [String] = []
      var neutral: [String] = []
      for metric in metrics {
        let info = Report.metric(metric)
        let point = paired(c, p, metric)
        let change = PointSentence.change(info, point)
        guard change.clear, let d = point.difference else { continue }
        if info.better == .neither {
          neutral.append(change.text)
        } else if (info.better == .higher) == (d > 0) {
          gains.append(change.text)
        } else {
          costs.append(change.text)
        }
      }
      var text = self.at(p) + ", " + (named ? "**\(m.conditions[c])** " : "it ")
      if gains.isEmpty && costs.isEmpty && neutral.isEmpty {
        return text + "shows no clear difference from **\(baselineName)**"
      }
      text += "has " + Wording.list(gains.isEmpty ? ["no clear gain"] : gains)
      if !costs.isEmpty {
        text += ", for " + Wording.list(costs)
      } else if !gains.isEmpty {
        text += ", at no clear price in these metrics"
      }
      if !neutral.isEmpty { text += ", with " + Wording.list(neutral) }
      return text
    }
    let ends =
      first == last ? [at(first, named: true)] : [at(first, named: true), at(last, named: false)]
    return "**At the ends of the sweep:** " + ends.joined(separator: "; ") + "."
  }

  // MARK: - A grid of two or more keys

  /// The region of the grid where each condition leads in `metric`.
  func region(_ metric: String) -> String {
    let info = Report.metric(metric)
    var rows: [String] = []
    var columns: [[String]] = []
    for point in layout.points {
      if !rows.contains(point[0]) { rows.append(point[0]) }
      let rest = Array(point.dropFirst())
      if !columns.contains(rest) { columns.append(rest) }
    }
    let restKeys = Array(layout.sweptKeys.dropFirst())
    let columnText = columns.map { values in
      zip(restKeys, values).map { "\(Wording.inSentence(ParameterRegistry.label(of: $0))) \($1)" }
        .joined(separator: ", ")
    }
    let columnName =
      restKeys.count == 1 ? Wording.inSentence(ParameterRegistry.label(of: restKeys[0])) : nil
    let columnValues = columnName == nil ? columnText : columns.map { $0[0] }
    var leads: [Int: Set<Int>] = [:]
    var nobody = Set<Int>()
    for (p, point) in layout.points.enumerated() {
      let cell =
        rows.firstIndex(of: point[0])! * columns.count
        + columns.firstIndex(of: Array(point.dropFirst()))!
      let leader = SweepFinding.leader(
        levels: m.conditions.indices.map { level($0, p, metric) }, baseline: m.baseline,
        paired: m.conditions.indices.map { $0 == m.baseline ? nil : paired($0, p, metric) },
        better: info.better)
      if let leader { leads[leader, default: []].insert(cell) } else { nobody.insert(cell) }
    }
    let rowName = Wording.inSentence(ParameterRegistry.label(of: layout.sweptKeys[0]))
    let verb = info.better == .neither ? "is clearly highest" : "leads"
    var parts: [String] = []
    for c in m.conditions.indices {
      guard let cells = leads[c], !cells.isEmpty else { continue }
      let place =
        cells.count == layout.points.count
        ? "at every point"
        : "at "
          + SweepFinding.region(
            cells, rows: rows, columns: columnValues, rowName: rowName, columnName: columnName)
      parts.append("**\(m.conditions[c])** \(verb) \(place)")
    }
    if !nobody.isEmpty {
      parts.append(
        nobody.count == layout.points.count
          ? "no condition is clearly ahead at any point"
          : "no condition is clearly ahead at "
            + SweepFinding.region(
              nobody, rows: rows, columns: columnValues, rowName: rowName, columnName: columnName))
    }
    let direction =
      info.better == .higher
      ? " (higher is better)" : info.better == .lower ? " (lower is better)" : ""
    return "In \(Wording.inSentence(info.label))\(direction), " + parts.joined(separator: "; ")
  }
}
