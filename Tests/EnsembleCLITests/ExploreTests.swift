import EnsembleAnalysis
import EnsembleModel
import EnsembleReport
import Foundation
import Testing

/// `ensemble explore` and the `explore.html` that run, merge and report keep beside a
/// result: which folders get one, what it refuses, and (in headless Chromium) that the page
/// shows the numbers of summary.csv and contrasts.csv, in the report's words, at the state
/// its address gives.
@Suite("Explorer", .serialized)
struct ExploreTests {
  /// A short run of ai-share (a 4 × 3 grid, two conditions) in `folder/name`.
  static func aiShare(_ folder: URL, _ name: String = "ai", extra: [String] = []) throws -> URL {
    let out = folder.appendingPathComponent(name)
    let result = try CLI.run(
      ["run", "ai-share", "--replications", "4", "--out", out.path, "--quiet"] + extra)
    #expect(result.status == 0, "\(result.stderr)")
    return out
  }

  static func listedFiles(_ out: URL) throws -> [String] {
    let data = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return object?["files"] as? [String] ?? []
  }

  @Test("run writes explore.html for a sweep and lists it; explore and report write the same bytes")
  func sweepFolder() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = try Self.aiShare(folder)
    let page = out.appendingPathComponent("explore.html")
    let written = try CLI.read(page)
    #expect(try Self.listedFiles(out).contains("explore.html"))
    #expect(!written.contains("http"), "no address of any kind: nothing to fetch")
    #expect(!written.contains("<link") && !written.contains(" src="), "no external file")
    // explore rebuilds it from runs.csv: the same bytes; so does report.
    try "stale".write(to: page, atomically: true, encoding: .utf8)
    let explore = try CLI.run(["explore", out.path])
    #expect(explore.status == 0, "\(explore.stderr)")
    #expect(explore.stderr.contains("explore.html"))
    #expect(try CLI.read(page) == written)
    try "stale".write(to: page, atomically: true, encoding: .utf8)
    let report = try CLI.run(["report", out.path])
    #expect(report.status == 0, "\(report.stderr)")
    #expect(try CLI.read(page) == written)
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") }, "no temporary file or lock")
  }

  @Test("shards get no page; their merge gets the unsharded run's page, byte for byte")
  func shardsAndMerge() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let whole = try Self.aiShare(folder)
    let first = try Self.aiShare(folder, "s1", extra: ["--shard", "1/2"])
    let second = try Self.aiShare(folder, "s2", extra: ["--shard", "2/2"])
    #expect(!CLI.files(in: first).contains("explore.html"))
    let refused = try CLI.run(["explore", first.path])
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains("shard 1/2") && refused.stderr.contains("merge"), "\(refused.stderr)")
    let merged = folder.appendingPathComponent("merged")
    let merge = try CLI.run(["merge", first.path, second.path, "--out", merged.path, "--quiet"])
    #expect(merge.status == 0, "\(merge.stderr)")
    #expect(
      try CLI.read(merged.appendingPathComponent("explore.html"))
        == CLI.read(whole.appendingPathComponent("explore.html")))
  }

  @Test("a run without a sweep gets a page from explore, which report then keeps up to date")
  func noSweep() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("headline")
    let run = try CLI.run(["run", "--replications", "5", "--out", out.path, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(!CLI.files(in: out).contains("explore.html"), "only sweeps get one unasked")
    let manifestURL = out.appendingPathComponent("manifest.json")
    let before = try CLI.read(manifestURL)
    let explore = try CLI.run(["explore", out.path + "/"])
    #expect(explore.status == 0, "\(explore.stderr)")
    let page = out.appendingPathComponent("explore.html")
    let written = try CLI.read(page)
    #expect(written.contains("\"keys\":[]"))
    // The manifest now lists the page, and is otherwise the same text.
    #expect(try Self.listedFiles(out).contains("explore.html"))
    var lines = try CLI.read(manifestURL).components(separatedBy: "\n")
    let added = try #require(lines.firstIndex { $0.contains("\"explore.html\"") })
    lines.remove(at: added)
    #expect(lines.joined(separator: "\n") == before)
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") }, "no staging folder or lock left")
    try "stale".write(to: page, atomically: true, encoding: .utf8)
    #expect(try CLI.run(["report", out.path]).status == 0)
    #expect(try CLI.read(page) == written, "report rewrote the page it found")
    // A new run into the folder replaces it too, and lists it.
    let again = try CLI.run(
      ["run", "--replications", "6", "--out", out.path, "--force", "--quiet"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try CLI.read(page) != written)
    #expect(try Self.listedFiles(out).contains("explore.html"))
  }

  @Test(
    "a folder without a finished result, a bad runs.csv, a sensitivity analysis or a trace: exit 2")
  func refusals() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    func refused(_ arguments: [String], _ words: String...) throws {
      let result = try CLI.run(["explore"] + arguments)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
      for word in words { #expect(result.stderr.contains(word), "\(word): \(result.stderr)") }
    }
    try refused([], "which result folder")
    try refused([folder.appendingPathComponent("nowhere").path], "does not exist")
    let empty = folder.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    try refused([empty.path], "no manifest.json")
    try refused(["--bogus", empty.path], "--bogus")

    let out = try Self.aiShare(folder)
    let page = out.appendingPathComponent("explore.html")
    try FileManager.default.removeItem(at: page)
    // A metric that is not a number on line 5.
    let runs = out.appendingPathComponent("runs.csv")
    let original = try CLI.read(runs)
    var lines = original.components(separatedBy: "\n")
    var fields = lines[4].components(separatedBy: ",")
    fields[fields.count - 3] = "nan"
    lines[4] = fields.joined(separator: ",")
    try lines.joined(separator: "\n").write(to: runs, atomically: true, encoding: .utf8)
    try refused([out.path], "runs.csv:5:", "nan")
    #expect(!FileManager.default.fileExists(atPath: page.path), "nothing written")
    try original.write(to: runs, atomically: true, encoding: .utf8)
    // An unfinished run.
    let manifestURL = out.appendingPathComponent("manifest.json")
    let manifest = try CLI.read(manifestURL)
    try manifest.replacingOccurrences(of: "\"complete\": true", with: "\"complete\": false")
      .write(to: manifestURL, atomically: true, encoding: .utf8)
    try refused([out.path], "did not finish")
    try FileManager.default.removeItem(at: manifestURL)
    try refused([out.path], "did not finish")
    #expect(!FileManager.default.fileExists(atPath: page.path))

    // A sensitivity analysis and a trace, by their manifests' format.
    for (format, words) in [
      ("ensemble-sensitivity", "sensitivity analysis"), ("ensemble-trace", "trace"),
    ] {
      let other = folder.appendingPathComponent(format)
      try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
      try "{\"format\": \"\(format)\", \"name\": \"x\", \"files\": [\"report.html\"]}\n"
        .write(to: other.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
      try refused([other.path], words)
    }
  }

  // MARK: - In the browser

  /// The rows of a CSV file as dictionaries.
  static func rows(_ url: URL) throws -> [[String: String]] {
    let table = try CSV.parse(try CLI.read(url))
    return table.rows.map { row in
      Dictionary(uniqueKeysWithValues: zip(table.header, row).map { ($0, $1) })
    }
  }

  /// An element's text by its `data-cell`, condition and metric attributes.
  static func cell(_ dom: String, _ kind: String, condition: String, metric: String? = nil)
    -> String?
  {
    var marker = "data-cell=\"\(kind)\" data-condition=\"\(condition)\""
    if let metric { marker += " data-metric=\"\(metric)\"" }
    guard let start = dom.range(of: marker),
      let open = dom[start.upperBound...].firstIndex(of: ">")
    else { return nil }
    let rest = dom[dom.index(after: open)...]
    // The element's end: its closing tag (cells hold no nested element of the same kind).
    let tag =
      kind == "level" || kind == "difference"
      ? "</td>" : (kind == "sentence" || kind == "comparison" ? "</p>" : "</div>")
    guard let close = rest.range(of: tag) else { return nil }
    return Browser.decode(String(rest[..<close.lowerBound]))
  }

  /// One state of the page: its address, and the point and options it must show.
  struct State {
    var hash: String
    var metric: String
    var ai: String
    var experts: String
    var canonical: String
  }

  @Test(
    "explore.html of ai-share shows the numbers and sentences of summary.csv and contrasts.csv at each address",
    .enabled(if: Browser.chromium != nil, "needs Chromium (apt-get install chromium)"))
  func browser() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = try Self.aiShare(folder)
    let page = out.appendingPathComponent("explore.html")
    let summary = try Self.rows(out.appendingPathComponent("summary.csv"))
    let contrasts = try Self.rows(out.appendingPathComponent("contrasts.csv"))
    let report = ["correct_rate", "escape_rate", "cost_per_correct"]
    let states = [
      State(
        hash: "", metric: "correct_rate", ai: "1", experts: "1",
        canonical: "metric=correct_rate&team.ai.count=1&team.experts.count=1"),
      State(
        hash: "metric=escape_rate&team.ai.count=5&team.experts.count=2", metric: "escape_rate",
        ai: "5", experts: "2",
        canonical: "metric=escape_rate&team.ai.count=5&team.experts.count=2"),
      // 6 agents is no swept value: the slider snaps to the nearest, 5.
      State(
        hash: "metric=cost_per_correct&team.ai.count=6&team.experts.count=4&x=team.experts.count",
        metric: "cost_per_correct", ai: "5", experts: "4",
        canonical:
          "metric=cost_per_correct&team.ai.count=5&team.experts.count=4&x=team.experts.count"),
      // A metric outside the report, a hidden condition and present mode.
      State(
        hash: "metric=throughput&team.ai.count=9&team.experts.count=1&hide=unstructured&present=1",
        metric: "throughput", ai: "9", experts: "1",
        canonical:
          "metric=throughput&team.ai.count=9&team.experts.count=1&hide=unstructured&present=1"),
    ]
    for state in states {
      let dump = try Browser.dumpDOM(page, hash: state.hash)
      #expect(!dump.contains("http"), "no address anywhere, scripts included")
      let dom = Browser.markup(dump)
      let context = "#\(state.hash)"
      // No request can leave the page.
      for attribute in ["src", "href"] {
        for value in Browser.attributes(attribute, in: dom) {
          #expect(!value.lowercased().contains("http"), "\(attribute)=\(value)")
        }
      }
      #expect(Browser.attributes("data-state", in: dom) == [state.canonical], "\(context)")
      func at(_ row: [String: String]) -> Bool {
        row["team.ai.count"] == state.ai && row["team.experts.count"] == state.experts
      }
      let point = try #require(summary.first(where: at)?["point"])
      #expect(Browser.attributes("data-point", in: dom) == [point], "\(context)")

      func summaryRow(_ condition: String, _ metric: String) throws -> Summary {
        let row = try #require(
          summary.first { at($0) && $0["condition"] == condition && $0["metric"] == metric })
        return Summary(
          n: Int(row["n"]!)!, mean: CSV.parseNumber(row["mean"]!), sd: CSV.parseNumber(row["sd"]!),
          ciLow: CSV.parseNumber(row["ci_low"]!), ciHigh: CSV.parseNumber(row["ci_high"]!))
      }
      func pairedPoint(_ metric: String) throws -> PairedPoint {
        let row = try #require(
          contrasts.first { at($0) && $0["condition"] == "structured" && $0["metric"] == metric })
        let base = try summaryRow("unstructured", metric)
        let n = Int(row["n"]!)!
        // Every replication has the metric, so the pairs' baseline is the baseline's summary.
        #expect(n == base.n)
        return PairedPoint(
          n: n, baselineMean: base.mean, baselineLow: base.ciLow, baselineHigh: base.ciHigh,
          difference: CSV.parseNumber(row["mean_diff"]!), low: CSV.parseNumber(row["ci_low"]!),
          high: CSV.parseNumber(row["ci_high"]!))
      }

      let shown = report + (report.contains(state.metric) ? [] : [state.metric])
      var checked = 0
      for metric in shown {
        let info = try #require(Metrics.descriptor(named: metric))
        for condition in ["unstructured", "structured"] {
          let s = try summaryRow(condition, metric)
          let bounded = BoundedInterval.interval(s, within: info.bounds.range)
          let expected = Wording.estimate(s.mean, low: bounded?.low, high: bounded?.high)
          #expect(
            Self.cell(dom, "level", condition: condition, metric: metric) == expected,
            "\(context) \(condition) \(metric)")
          checked += 1
        }
        let paired = try pairedPoint(metric)
        #expect(
          Self.cell(dom, "difference", condition: "structured", metric: metric)
            == PointSentence.cell(paired), "\(context) \(metric)")
        checked += 1
      }
      #expect(checked == shown.count * 3)
      // The difference view: the chosen metric's difference and interval, and the report's
      // sentence for this point.
      let chosen = try #require(Metrics.descriptor(named: state.metric))
      let paired = try pairedPoint(state.metric)
      #expect(
        Self.cell(dom, "short", condition: "structured") == PointSentence.short(chosen, paired))
      let interval = try #require(Self.cell(dom, "interval", condition: "structured"))
      #expect(interval.hasPrefix(PointSentence.interval(chosen, paired) + " · "), "\(interval)")
      let headline = PointSentence.headline(
        try report.map { (Metrics.descriptor(named: $0)!, try pairedPoint($0)) },
        condition: "structured", baseline: "unstructured")
      #expect(
        Self.cell(dom, "sentence", condition: "structured")
          == headline.replacingOccurrences(of: "**", with: ""), "\(context)")
      // The difference's axis is in the metric's unit, and says so: the headline above it
      // may be a relative change.
      let caption = "class=\"axis-caption\""
      #expect(dom.components(separatedBy: caption).count == 2, "\(context): one axis caption")
      #expect(dom.contains(">Difference in \(chosen.unit)</text>"), "\(context)")
      if !report.contains(state.metric) {
        let comparison = PointSentence.comparison(
          chosen, condition: "structured", baseline: "unstructured", paired)
        #expect(
          Self.cell(dom, "comparison", condition: "structured")
            == comparison.replacingOccurrences(of: "**", with: "") + ".")
      }
      // The heat map: every grid cell, hatched where the interval holds zero.
      let unclear = contrasts.filter { row in
        row["condition"] == "structured" && row["metric"] == state.metric
          && !(CSV.parseNumber(row["ci_low"]!)! > 0 || CSV.parseNumber(row["ci_high"]!)! < 0)
      }
      #expect(Browser.attributes("data-cells", in: dom) == ["12"], "\(context)")
      #expect(Browser.attributes("data-hatched", in: dom) == ["\(unclear.count)"], "\(context)")
      #expect(dom.contains("class=\"present\"") == state.hash.contains("present=1"))
    }
  }
}
