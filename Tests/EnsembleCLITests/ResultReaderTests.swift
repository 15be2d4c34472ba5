import EnsembleAnalysis
import EnsembleModel
import Foundation
import Testing

/// `report` and `merge` on damaged result folders: exit 2, a message naming the file, the
/// place and what is wrong, and nothing written. Also the size limits of `run` and `check`.
@Suite("Reading result files", .serialized)
struct ResultReaderTests {
  static let experiment = """
    {
      name: "readers", seed: 3, replications: 4,
      set: { horizon: 4 },
      sweep: { "design.reviewRate": [0.5, 1] },
    }
    """

  /// A finished result to damage, made once per test.
  struct Setup {
    let folder: URL
    let good: URL

    init() throws {
      folder = try CLI.temporaryFolder()
      let file = folder.appendingPathComponent("readers.json").path
      try ResultReaderTests.experiment.write(toFile: file, atomically: true, encoding: .utf8)
      good = folder.appendingPathComponent("good")
      let result = try CLI.run(["run", file, "--out", good.path, "--quiet"])
      #expect(result.status == 0, "\(result.stderr)")
    }

    /// A copy of the good result with `file` changed by `edit`.
    func damaged(_ name: String, _ file: String, _ edit: (String) -> String) throws -> URL {
      let copy = folder.appendingPathComponent(name)
      try FileManager.default.copyItem(at: good, to: copy)
      let url = copy.appendingPathComponent(file)
      try edit(try CLI.read(url)).write(to: url, atomically: true, encoding: .utf8)
      return copy
    }
  }

  /// Replaces `key`'s value in manifest.json (top level or under experiment/shard/plan).
  static func setting(_ path: [String], to json: String?) -> (String) -> String {
    { text in
      let value = json.map {
        try! JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])
      }
      var root = try! JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
      if path.count == 1 {
        root[path[0]] = value
      } else {
        var inner = root[path[0]] as! [String: Any]
        inner[path[1]] = value
        root[path[0]] = inner
      }
      let data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
      return String(decoding: data, as: UTF8.self)
    }
  }

  /// Changes field `column` (0-based) of line `line` (0-based) of a CSV text.
  static func field(_ line: Int, _ column: Int, _ value: String) -> @Sendable (String) -> String {
    { text in
      var lines = text.components(separatedBy: "\n")
      var fields = lines[line].components(separatedBy: ",")
      fields[column] = value
      lines[line] = fields.joined(separator: ",")
      return lines.joined(separator: "\n")
    }
  }

  /// Damaged manifests: the key path, the new value as JSON (nil: removed), the message.
  static let manifestCases: [([String], String?, String)] = [
    (["points"], "[[\"0.5\"]]", "plan.units: is 8, but 1 point(s) x 4 replications make 4"),
    (["points"], "[]", "points: is empty, but sweptKeys names 1 swept key(s)"),
    (["points"], "[[\"0.5\", \"x\"], [\"1\"]]", "points[0]: has 2 value(s) for 1 swept key(s)"),
    (["sweptKeys"], "[]", "points: must be empty: sweptKeys is empty"),
    (["experiment", "replications"], "0", "experiment.replications: 0 is out of range"),
    (["experiment", "replications"], "1e300", "experiment.replications: 1e+300 is out of range"),
    (["experiment", "replications"], "2.5", "expects a whole number, got 2.5"),
    (["experiment", "seed"], #""-3""#, "experiment.seed: \"-3\" is not a whole number"),
    (["experiment", "baseline"], #""nobody""#, "\"nobody\" is not one of the conditions"),
    (["shard", "index"], "5", "shard.index: 5 is out of range (allowed: 1 to 1)"),
    (["shard", "endUnit"], "3", "units 0..<3 are not those of shard 1 of 1 (0..<8)"),
    (["plan", "units"], "9.5e15", "plan.units: 9500000000000000 is out of range"),
    // Found by Scripts/fuzz.sh (the manifest target against the reader before issue 10): a
    // number too large for Int trapped in the conversion.
    (
      ["plan", "units"], "88888888888888888888888888888888888888888888888888888888888888888888888",
      "plan.units: 8.88888888888888"
    ),
    // Every plan field is checked for its type and against the others (issue 20).
    (["plan", "conditions"], #""2""#, "plan.conditions: expects a whole number, got a string"),
    (["plan", "conditions"], "3", "plan.conditions: is 3, but the manifest's conditions"),
    (["plan", "points"], "[2]", "plan.points: expects a whole number, got a list"),
    (["plan", "points"], "1", "plan.points: is 1, but the manifest's conditions"),
    (["plan", "replications"], "{}", "plan.replications: expects a whole number"),
    (["plan", "replications"], "5", "plan.replications: is 5, but"),
    (["plan", "runs"], "true", "plan.runs: expects a whole number"),
    (["plan", "runs"], "17", "plan.runs: is 17, but the manifest's conditions"),
    (["plan", "runs"], nil, "plan.runs is missing"),
    (["shard", "runs"], "15", "shard.runs: is 15, but units 0..<8 of 2 condition(s) make 16"),
    (["experiment", "reportMetrics"], "[]", "experiment.reportMetrics: is empty"),
    (["experiment", "reportMetrics"], #"["correct_rate", "speed"]"#, #""speed" is not a metric"#),
    (["experiment", "reportMetrics"], #""correct_rate""#, "expects a list of strings"),
    (["wallSeconds"], "-1", "wallSeconds: expects a number of seconds"),
    (["threads"], "0.5", "threads: expects a whole number"),
    (["conditions"], "[]", "conditions: is empty"),
    (["conditions"], "[\"unstructured\", \"unstructured\"]", "conditions[1]: repeats"),
    (["formatVersion"], "2", "formatVersion: is 2; this ensemble reads version 1"),
    (
      ["modelVersion"], "99",
      "modelVersion: is 99; this ensemble knows model versions 1 to \(EngineVersion.model)"
    ),
    (
      ["modelVersion"], "0",
      "modelVersion: is 0; this ensemble knows model versions 1 to \(EngineVersion.model)"
    ),
    (["experiment", "seed"], #""+3""#, "experiment.seed: \"+3\" is not a whole number"),
    (["format"], #""other""#, "not an Ensemble results manifest"),
    (["command"], nil, "command is missing"),
  ]

  @Test("a damaged manifest.json gets exit 2 and a message naming the key, and nothing is written")
  func damagedManifest() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    for (i, (path, value, message)) in Self.manifestCases.enumerated() {
      let copy = try s.damaged("bad-\(i)", "manifest.json", Self.setting(path, to: value))
      try Self.expectRefusal(copy, message)
    }
  }

  /// `report` on `copy` exits 2 with one line holding `message`, and rewrites nothing.
  static func expectRefusal(
    _ copy: URL, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let summary = try Data(contentsOf: copy.appendingPathComponent("summary.csv"))
    let result = try CLI.run(["report", copy.path])
    #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(
      result.stderr.split(separator: "\n").count == 1, "one line", sourceLocation: sourceLocation)
    #expect(
      try Data(contentsOf: copy.appendingPathComponent("summary.csv")) == summary,
      sourceLocation: sourceLocation)
    #expect(
      CLI.files(in: copy).allSatisfy { !$0.hasPrefix(".") }, "no temporary file or lock",
      sourceLocation: sourceLocation)
  }

  @Test("a manifest that is not JSON names the line and column")
  func manifestSyntax() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let copy = try s.damaged("bad", "manifest.json") { "{\n  \"format\": ,\n" + $0 }
    let result = try CLI.run(["report", copy.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad/manifest.json:2:13: not valid JSON"), "\(result.stderr)")
  }

  /// The metric columns start after condition, point, replication, seed and the swept key.
  static let metric = 5

  /// Damaged runs.csv files: the edit and the message.
  static let runsCases: [(@Sendable (String) -> String, String)] = [
    (field(0, metric, "correct_rat"), "runs.csv:1:6: expected the column \"arrived\""),
    (field(0, 2, "rep"), "runs.csv:1:3: expected the column \"replication\", found \"rep\""),
    (
      {
        $0.replacingOccurrences(
          of: ",reliance_accuracy,metric_table_v3\n", with: ",reliance_accuracy\n")
      },
      "runs.csv:1: the header has"
    ),
    (field(1, metric + 2, "nan"), "runs.csv:2:8: correct_rate: \"nan\" is not a finite number"),
    (field(1, metric + 2, "1e999"), "runs.csv:2:8: correct_rate: \"1e999\" is not a finite"),
    // Issue 21: the C parser stopped at the NUL and read 0.675.
    (
      field(1, metric + 2, "0.675\u{0}junk"),
      #"runs.csv:2:8: correct_rate: "0.675\0junk" is not a finite number"#
    ),
    (field(1, metric + 2, " 0.5"), #"runs.csv:2:8: correct_rate: " 0.5" is not a finite"#),
    (field(1, metric + 2, "+0.5"), #"runs.csv:2:8: correct_rate: "+0.5" is not a finite"#),
    (field(1, metric + 2, "0x1p-1"), #"runs.csv:2:8: correct_rate: "0x1p-1" is not a finite"#),
    (
      field(2, metric + 2, "1.5"),
      "runs.csv:3:8: correct_rate: 1.5 is out of range (allowed: 0 to 1)"
    ),
    (
      field(2, metric, "2.5"),
      "runs.csv:3:6: arrived: 2.5 is out of range (allowed: 0 to 1e30, whole numbers)"
    ),
    (field(3, 3, "12"), "runs.csv:4:4: the seed of replication 2 is"),
    (
      field(3, 4, "0.7"),
      "runs.csv:4:5: design.reviewRate at point 0 is 0.5 in the manifest, found 0.7"
    ),
    (field(3, 0, "structured"), "runs.csv:4:1: expected condition \"unstructured\""),
    (
      field(3, 2, "1"),
      "runs.csv:4:3: expected point 0, replication 2 (plan order), found point 0, replication 1"
    ),
    ({ $0 + $0.components(separatedBy: "\n")[1] + "\n" }, "runs.csv:18: more rows than"),
    ({ String($0.dropLast()) }, "runs.csv:17: the last line has no line break"),
    (
      { $0.components(separatedBy: "\n").prefix(10).joined(separator: "\n") + "\n" },
      "runs.csv:11: the file ends after 9 rows"
    ),
    (
      { _ in String(repeating: "a", count: 3 << 20) },
      "runs.csv:1: the line is longer than 1024 KiB"
    ),
    ({ _ in "" }, "runs.csv: is empty"),
    (field(1, 1, "\"0"), "runs.csv:2: a quoted field is never closed"),
  ]

  @Test("a damaged runs.csv gets exit 2 and a message naming the line and column")
  func damagedRuns() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    for (i, (edit, message)) in Self.runsCases.enumerated() {
      try Self.expectRefusal(try s.damaged("bad-\(i)", "runs.csv", edit), message)
    }
  }

  /// A result of an older metric table (model version 2: no marker column and three metrics
  /// fewer) still reports, with no values for the metrics it lacks; a newer table is refused,
  /// naming both versions.
  @Test(
    "an older metric table's result still reports; a newer one is refused, naming both versions")
  func metricTableVersions() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let newer = Metrics.table.filter { $0.since > 2 }.map(\.name)
    let old = try s.damaged("v2", "runs.csv") { text in
      text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        guard !line.isEmpty else { return "" }
        // Drop the marker column and the metrics the version-2 table lacks.
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        return fields.dropLast(1 + newer.count).joined(separator: ",")
      }.joined(separator: "\n")
    }
    try Self.setting(["modelVersion"], to: "2")(
      try CLI.read(old.appendingPathComponent("manifest.json"))
    )
    .write(to: old.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
    try Self.setting(["metricTable"], to: nil)(
      try CLI.read(old.appendingPathComponent("manifest.json"))
    )
    .write(to: old.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
    let result = try CLI.run(["report", old.path])
    #expect(result.status == 0, "\(result.stderr)")
    // The metrics both tables have are the same; the newer ones have no values.
    let summary = try CSV.parse(try CLI.read(old.appendingPathComponent("summary.csv")))
    let good = try CSV.parse(try CLI.read(s.good.appendingPathComponent("summary.csv")))
    let metric = summary.header.firstIndex(of: "metric")!
    for (row, reference) in zip(summary.rows, good.rows) {
      if newer.contains(row[metric]) {
        #expect(row[metric + 1] == "0", "\(row)")
      } else {
        #expect(row == reference)
      }
    }
    let future = try s.damaged("v9", "manifest.json", Self.setting(["metricTable"], to: "9"))
    let refused = try CLI.run(["report", future.path])
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains(
        "metricTable: is 9: the result was written by a newer ensemble; this one "
          + "(\(EngineVersion.release)) reads metric tables 1 to \(EngineVersion.metricTable)"),
      "\(refused.stderr)")
  }

  @Test("CRLF line ends are read as LF ones: the same statistics and report")
  func crlf() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let copy = try s.damaged("crlf", "runs.csv") { $0.replacingOccurrences(of: "\n", with: "\r\n") }
    for name in ["summary.csv", "report.md"] {
      try FileManager.default.removeItem(at: copy.appendingPathComponent(name))
    }
    let result = try CLI.run(["report", copy.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      CLI.differingFiles(copy, s.good, ["summary.csv", "contrasts.csv", "report.md"]).isEmpty)
  }

  @Test("merge names the bad shard, not its own output, and writes nothing")
  func mergeNamesBadShard() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let file = s.folder.appendingPathComponent("readers.json").path
    for i in 1...2 {
      let result = try CLI.run([
        "run", file, "--shard", "\(i)/2", "--out", s.folder.appendingPathComponent("s\(i)").path,
        "--quiet",
      ])
      #expect(result.status == 0)
    }
    let runs = s.folder.appendingPathComponent("s2/runs.csv")
    let good = try CLI.read(runs)
    // Issue 21: merge copied the NUL and the junk into the merged runs.csv.
    for (value, shown) in [("inf", #""inf""#), ("0.675\u{0}junk", #""0.675\0junk""#)] {
      try Self.field(2, Self.metric + 2, value)(good).write(
        to: runs, atomically: true, encoding: .utf8)
      let out = s.folder.appendingPathComponent("merged")
      let result = try CLI.run([
        "merge", s.folder.appendingPathComponent("s1").path,
        s.folder.appendingPathComponent("s2").path, "--out", out.path,
      ])
      #expect(result.status == 2)
      #expect(
        result.stderr.contains("s2/runs.csv:3:8: correct_rate: \(shown)"), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.path))
    }
    // One shard merges too, and the message counts it right.
    let one = try CLI.run([
      "merge", s.good.path, "--out", s.folder.appendingPathComponent("one").path,
    ])
    #expect(one.status == 0 && one.stderr.contains("merged 1 shard into"), "\(one.stderr)")
  }

  @Test("an oversized plan gets exit 2 with the estimate, the limit and what to change")
  func oversized() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let out = s.folder.appendingPathComponent("big")
    let tasks = ["--set", "horizon=1e6", "--set", "workload.arrivalRate=1e5"]
    let run = try CLI.run(["run", "--out", out.path] + tasks)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("about 100,000,000,000 tasks per replication"))
    #expect(run.stderr.contains("limit of 10,000,000; lower horizon or workload.arrivalRate"))
    #expect(run.stderr.contains("--allow-large"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
    let check = try CLI.run(["check", "structured-vs-unstructured"] + tasks)
    #expect(check.status == 2)
    #expect(check.stdout.contains("size         about 100,000,000,000 tasks"))
    let drift = try CLI.run([
      "check", "structured-vs-unstructured", "--set", "team.ai.count=100", "--set",
      "team.ai.driftRate=1000", "--set", "horizon=1000",
    ])
    #expect(drift.status == 2)
    #expect(drift.stderr.contains("about 200,000,000 drift updates per replication"))
    let fine = try CLI.run(["check", "structured-vs-unstructured"])
    #expect(fine.status == 0 && fine.stdout.contains("memory       about"))
    let allowed = try CLI.run(["check", "structured-vs-unstructured", "--allow-large"] + tasks)
    #expect(allowed.status == 0)
  }

  @Test("the messages the issue listed read right")
  func messages() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let file = s.folder.appendingPathComponent("readers.json").path
    let swept = try CLI.run(["check", file, "--set", "design.reviewRate=0.2"])
    #expect(swept.status == 2 && swept.stderr.contains("the experiment sweeps this key"))
    let huge = try CLI.run([
      "check", "structured-vs-unstructured", "--set", "design.reviewRate=1e308",
    ])
    #expect(huge.status == 2)
    #expect(huge.stderr.contains("--set: design.reviewRate: 1e+308 is out of range"))
    #expect(!huge.stderr.contains("design.reviewRate: design.reviewRate"))
    let seedFile = s.folder.appendingPathComponent("seed.json").path
    try "{ seed: 18446744073709551616 }".write(toFile: seedFile, atomically: true, encoding: .utf8)
    let seed = try CLI.run(["check", seedFile])
    #expect(seed.stderr.contains("(allowed: 0 to 18446744073709551615)"), "\(seed.stderr)")
    try "{ seed: 9007199254740993 }".write(toFile: seedFile, atomically: true, encoding: .utf8)
    #expect(try CLI.run(["check", seedFile]).stdout.contains("seed         9007199254740993"))
    let top = try CLI.run(["--help"])
    #expect(top.stdout.contains("130 interrupted"))
  }
}
