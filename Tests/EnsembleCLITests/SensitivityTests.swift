import EnsembleAnalysis
import EnsembleModel
import Foundation
import Testing

/// `ensemble sensitivity` end to end: determinism, sharding, the model's known answers and
/// refusals.
@Suite("Sensitivity", .serialized)
struct SensitivityTests {
  static let experiment = """
    {
      name: "levers", seed: 5, replications: 3,
      set: { horizon: 6 },
      conditions: [
        { name: "unstructured", design: "unstructured" },
        { name: "structured", design: "structured" },
      ],
      sensitivity: {
        method: "sobol", samples: 16,
        parameters: {
          "workload.edgeCaseRate": [0, 1],
          "design.auditRate": [0, 0.1],
          "design.handoffLoss": [0, 0.8],
        },
      },
      report: { metrics: ["correct_rate"] },
    }
    """

  static func setup() throws -> (folder: URL, file: String) {
    let folder = try CLI.temporaryFolder()
    let file = folder.appendingPathComponent("levers.json").path
    try experiment.write(toFile: file, atomically: true, encoding: .utf8)
    return (folder, file)
  }

  @Test("the same bytes with 1 and 2 threads, in 3 merged shards, and from report")
  func determinism() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    for (out, options) in [("one", ["--threads", "1"]), ("two", ["--threads", "2"])] {
      let result = try CLI.run(["sensitivity", file, "--out", path(out), "--quiet"] + options)
      #expect(result.status == 0, "\(result.stderr)")
    }
    for i in 1...3 {
      let result = try CLI.run([
        "sensitivity", file, "--out", path("shard-\(i)"), "--shard", "\(i)/3", "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
    }
    let merged = try CLI.run([
      "merge", path("shard-2"), path("shard-3"), path("shard-1"), "--out", path("merged"),
      "--quiet",
    ])
    #expect(merged.status == 0, "\(merged.stderr)")
    for name in ["points.csv", "sensitivity.csv", "report.md", "sensitivity-correct_rate.svg"] {
      let one = try Data(contentsOf: URL(fileURLWithPath: path("one/\(name)")))
      #expect(one == (try Data(contentsOf: URL(fileURLWithPath: path("two/\(name)")))), "\(name)")
      #expect(
        one == (try Data(contentsOf: URL(fileURLWithPath: path("merged/\(name)")))), "\(name)")
    }
    try FileManager.default.removeItem(atPath: path("one/sensitivity.csv"))
    #expect(try CLI.run(["report", path("one")]).status == 0)
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: path("one/sensitivity.csv")))
        == (try Data(contentsOf: URL(fileURLWithPath: path("two/sensitivity.csv")))))
    // A shard alone has no indices.
    #expect(!FileManager.default.fileExists(atPath: path("shard-1/sensitivity.csv")))
    #expect(try CLI.run(["report", path("shard-1")]).status == 2)
  }

  static let resultFiles = [
    "points.csv", "sensitivity.csv", "report.md", "report.html", "sensitivity-correct_rate.svg",
  ]

  /// The complete lines of an analysis's journal: one per checkpoint, each of whole base
  /// rows or trajectories.
  static func saved(_ out: URL) -> Int {
    CLI.lineCount(out.appendingPathComponent(".ensemble-run/journal"))
  }

  @Test(
    "killed at several points, in the middle of a write included, --resume gives the same bytes",
    arguments: ["sobol", "morris"])
  func killAndResume(method: String) throws {
    let (folder, sobolFile) = try Self.setup()
    defer { CLI.remove(folder) }
    var file = sobolFile
    if method == "morris" {
      file = folder.appendingPathComponent("morris.json").path
      try Self.experiment.replacingOccurrences(
        of: #"method: "sobol", samples: 16"#, with: #"method: "morris", samples: 12"#
      ).write(toFile: file, atomically: true, encoding: .utf8)
    }
    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    let reference = try CLI.run(["sensitivity", file, "--out", url("reference").path, "--quiet"])
    #expect(reference.status == 0, "\(reference.stderr)")
    let out = url("killed")
    // A checkpoint after every base row (16 Sobol' rows of 5 points; 12 Morris trajectories
    // of 4); kill -9 after 3, then 7 were saved, resuming in between.
    for (round, rows) in [3, 7].enumerated() {
      let run = try BackgroundCommand(
        ["sensitivity", file, "--out", out.path, "--quiet", "--threads", "1"]
          + (round == 0 ? [] : ["--resume"]),
        environment: ["ENSEMBLE_CHECKPOINT_SECONDS": "0"])
      #expect(run.wait { Self.saved(out) >= rows }, "round \(round)")
      run.signal(SIGKILL)
      #expect(run.finish().status == 128 + SIGKILL)
    }
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("points.csv").path))
    // A plain command is told what the folder holds and how to go on.
    let plain = try CLI.run(["sensitivity", file, "--out", out.path])
    #expect(plain.status == 2, "\(plain.stderr)")
    #expect(plain.stderr.contains("took over the lock"), "\(plain.stderr)")
    #expect(
      plain.stderr.contains("holds an interrupted sensitivity analysis")
        && plain.stderr.contains("--resume"), "\(plain.stderr)")
    // Half of the last journal line and stray bytes of rows, as a kill mid-write leaves.
    let journal = out.appendingPathComponent(".ensemble-run/journal")
    let saved = Self.saved(out)
    var text = try Data(contentsOf: journal)
    let lastLine = text.dropLast().lastIndex(of: 10).map { $0 + 1 } ?? 0
    text = text.prefix(lastLine + (text.count - lastLine) / 2)
    try text.write(to: journal)
    let handle = try FileHandle(forWritingTo: out.appendingPathComponent(".ensemble-run/rows"))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("99,0.5,garbage".utf8))
    try handle.close()
    // Other settings, and a run's --resume, are refused, naming the difference.
    let other = try CLI.run(["sensitivity", file, "--out", out.path, "--seed", "8", "--resume"])
    #expect(other.status == 2)
    #expect(other.stderr.contains("seed was \"5\", now \"8\""), "\(other.stderr)")
    let resumed = try CLI.run(["sensitivity", file, "--out", out.path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    // Every row completely written is kept (the torn one is not): 3 replications of 2
    // conditions at each point of a row.
    let width = method == "sobol" ? 5 : 4
    #expect(saved >= 7)
    #expect(
      resumed.stderr.contains("(\((saved - 1) * width * 3 * 2) from the interrupted analysis"),
      "\(resumed.stderr)")
    #expect(CLI.differingFiles(out, url("reference"), Self.resultFiles).isEmpty)
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") }, "no lock or staging")
    // Resuming the finished analysis does nothing; other settings are refused.
    let again = try CLI.run(["sensitivity", file, "--out", out.path, "--resume"])
    #expect(again.status == 0 && again.stderr.contains("already holds this analysis"))
    let changed = try CLI.run([
      "sensitivity", file, "--out", out.path, "--resume", "--replications", "4",
    ])
    #expect(changed.status == 2 && changed.stderr.contains("other settings"), "\(changed.stderr)")
  }

  @Test("a killed shard resumes, and the merged shards equal the unsharded analysis")
  func shardResume() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    #expect(
      try CLI.run(["sensitivity", file, "--out", url("reference").path, "--quiet"]).status == 0)
    #expect(
      try CLI.run([
        "sensitivity", file, "--shard", "1/2", "--out", url("s/shard-1").path, "--quiet",
      ]).status == 0)
    let shard = url("s/shard-2")
    let command = ["sensitivity", file, "--shard", "2/2", "--out", shard.path, "--threads", "1"]
    let run = try BackgroundCommand(
      command + ["--quiet"], environment: ["ENSEMBLE_CHECKPOINT_SECONDS": "0"])
    #expect(run.wait { Self.saved(shard) >= 3 })
    run.signal(SIGKILL)
    #expect(run.finish().status == 128 + SIGKILL)
    let resumed = try CLI.run(command + ["--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("from the interrupted analysis"), "\(resumed.stderr)")
    let merged = try CLI.run(
      ["merge", url("s/shard-1").path, shard.path, "--out", url("s").path, "--quiet"])
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(CLI.differingFiles(url("s"), url("reference"), Self.resultFiles).isEmpty)
  }

  @Test("an unused parameter gets ST zero; the dominant one the largest ST")
  func knownAnswers() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run(["sensitivity", file, "--out", out.path, "--quiet"])
    #expect(result.status == 0, "\(result.stderr)")
    let table = try CSV.parse(try CLI.read(out.appendingPathComponent("sensitivity.csv")))
    let (target, parameter, st) = (
      table.columnIndex("target")!, table.columnIndex("parameter")!, table.columnIndex("ST")!
    )
    // The unstructured team's correct rate: audit is off and work has one stage, so the
    // audit rate and the hand-off loss change nothing; edge cases drive everything.
    let rows = table.rows.filter { $0[target] == "unstructured" }
    func total(_ key: String) -> Double {
      CSV.parseNumber(rows.first { $0[parameter] == key }![st])!
    }
    #expect(total("design.handoffLoss") == 0, "hand-off loss is inert on one-stage work")
    #expect(total("design.auditRate") == 0, "audit is off in the unstructured design")
    #expect(total("workload.edgeCaseRate") > 0.5)
    // The hand-off loss is inert in every target.
    for row in table.rows where row[parameter] == "design.handoffLoss" {
      #expect(CSV.parseNumber(row[st]) == 0, "\(row)")
    }
    let report = try CLI.read(out.appendingPathComponent("report.md"))
    #expect(report.contains("Edge case rate explains"), "\(report)")
  }

  @Test("a folder whose points.csv has no replication columns (older versions) still reports")
  func olderFolders() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    #expect(try CLI.run(["sensitivity", file, "--out", out.path, "--quiet"]).status == 0)
    let points = out.appendingPathComponent("points.csv")
    let lines = try CLI.read(points).split(separator: "\n").map(String.init)
    // point, 3 parameters, then mean and sd of 3 targets: what older versions wrote.
    let legacy = lines.map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
        .prefix(1 + 3 + 2 * 3).joined(separator: ",")
    }
    #expect(lines[0].contains(":noise_cov_b") && !legacy[0].contains(":noise"))
    try (legacy.joined(separator: "\n") + "\n").write(to: points, atomically: true, encoding: .utf8)
    let result = try CLI.run(["report", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try CLI.read(out.appendingPathComponent("report.md"))
    #expect(report.contains("predates the replication-noise columns"), "\(report)")
  }

  @Test("one replication: no noise to measure, said so; points.csv keeps 3 noise columns")
  func oneReplication() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    for (out, r) in [("one", "1"), ("five", "5")] {
      let result = try CLI.run([
        "sensitivity", file, "--replications", r, "--out", path(out), "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
    }
    let one = try CSV.parse(try CLI.read(URL(fileURLWithPath: path("one/points.csv"))))
    let five = try CSV.parse(try CLI.read(URL(fileURLWithPath: path("five/points.csv"))))
    // 3 targets x (mean, sd, 3 noise numbers) whatever the replications.
    #expect(one.header == five.header && one.header.count == 1 + 3 + 3 * 5)
    let noise = try #require(one.columnIndex("structured - unstructured:correct_rate:noise_var"))
    #expect(one.rows.allSatisfy { $0[noise].isEmpty })
    #expect(five.rows.allSatisfy { !$0[noise].isEmpty })
    let report = try CLI.read(URL(fileURLWithPath: path("one/report.md")))
    #expect(report.contains("With one replication the noise cannot be measured"), "\(report)")
    // One replication, in the singular everywhere (the text, the facts, the charts), and no
    // share of a spread that cannot be measured.
    let chart = try CLI.read(
      URL(fileURLWithPath: path("one/sensitivity-correct_rate.svg")))
    for text in [report, chart] {
      #expect(!text.contains("1 replications") && text.contains("1 replication"))
    }
    #expect(!report.contains("not measurable here"))
    // A shard count above the base rows (16) is refused, naming the limit.
    let many = try CLI.run(["sensitivity", file, "--shard", "1/17", "--out", path("x")])
    #expect(many.status == 2 && many.stderr.contains("at most 16 shards"), "\(many.stderr)")
  }

  @Test("--force replaces exactly the previous result's files, of either kind")
  func forceReplacesListedFiles() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let two = folder.appendingPathComponent("two.json").path
    try Self.experiment.replacingOccurrences(
      of: #"metrics: ["correct_rate"]"#, with: #"metrics: ["correct_rate", "escape_rate"]"#
    ).write(toFile: two, atomically: true, encoding: .utf8)
    let out = folder.appendingPathComponent("out")
    func has(_ name: String) -> Bool {
      FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path)
    }
    #expect(try CLI.run(["sensitivity", two, "--out", out.path, "--quiet"]).status == 0)
    #expect(has("sensitivity-escape_rate.svg"))
    try "mine".write(
      to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

    let refused = try CLI.run(["sensitivity", file, "--out", out.path, "--quiet"])
    #expect(refused.status == 2 && refused.stderr.contains("holds a sensitivity analysis"))
    #expect(
      try CLI.run(["sensitivity", file, "--out", out.path, "--quiet", "--force"]).status == 0)
    #expect(!has("sensitivity-escape_rate.svg") && has("sensitivity-correct_rate.svg"))
    #expect(has("notes.txt"))

    // A run over it removes the analysis's files, and an analysis over the run the run's.
    #expect(
      try CLI.run([
        "run", "structured-vs-unstructured", "--replications", "2", "--set", "horizon=6",
        "--out", out.path, "--quiet", "--force",
      ]).status == 0)
    #expect(has("runs.csv") && !has("points.csv") && !has("sensitivity.csv") && has("notes.txt"))
    #expect(
      try CLI.run(["sensitivity", file, "--out", out.path, "--quiet", "--force"]).status == 0)
    #expect(has("points.csv") && !has("runs.csv") && !has("summary.csv") && has("notes.txt"))
  }

  @Test("bad sensitivity commands exit 2 naming the problem")
  func refusals() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let bad = folder.appendingPathComponent("bad.json").path
    try Self.experiment.replacingOccurrences(of: "samples: 16", with: "samples: 12")
      .write(toFile: bad, atomically: true, encoding: .utf8)
    let notPower = try CLI.run([
      "sensitivity", bad, "--out", folder.appendingPathComponent("x").path,
    ])
    #expect(notPower.status == 2 && notPower.stderr.contains("bad.json"), "\(notPower.stderr)")
    #expect(notPower.stderr.contains("power of two"), "\(notPower.stderr)")
    // --set of a parameter the analysis varies would be replaced at every point.
    let varied = try CLI.run([
      "sensitivity", file, "--set", "design.auditRate=0.05", "--out",
      folder.appendingPathComponent("y").path,
    ])
    #expect(varied.status == 2, "\(varied.stderr)")
    #expect(varied.stderr.contains("design.auditRate") && varied.stderr.contains("varies this key"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("y").path))
    let none = try CLI.run(["sensitivity", "structured-vs-unstructured"])
    #expect(none.status == 2 && none.stderr.contains("no `sensitivity` section"))
    let check = try CLI.run(["check", file])
    #expect(
      check.status == 0
        && check.stdout.contains(
          "sobol, scrambled design (Owen), base sample 16: 16 x (3 + 2) = 80 points\n"),
      "\(check.stdout)")
    // The built-in analysis: its design, repeats and dummy are in the plan line.
    let builtin = try CLI.run(["check", "sensitivity"])
    #expect(
      builtin.stdout.contains(
        "sobol, scrambled design (Owen), base sample 512 x 4 repeats: 2048 x (9 + 2) = 22528 "
          + "points, with a dummy (the noise floor)"), "\(builtin.stdout)")
    #expect(builtin.stdout.contains("dummy: ignored by the model"), "\(builtin.stdout)")

    // A sensitivity shard and a run's folder do not merge, whichever comes first.
    let shard = folder.appendingPathComponent("shard").path
    let run = folder.appendingPathComponent("run").path
    #expect(
      try CLI.run(["sensitivity", file, "--shard", "1/2", "--out", shard, "--quiet"]).status == 0)
    #expect(
      try CLI.run([
        "run", "structured-vs-unstructured", "--replications", "2", "--set", "horizon=6",
        "--out", run, "--quiet",
      ]).status == 0)
    for inputs in [[shard, run], [run, shard]] {
      let out = folder.appendingPathComponent("merged").path
      let mixed = try CLI.run(["merge"] + inputs + ["--out", out])
      #expect(mixed.status == 2, "\(mixed.stderr)")
      #expect(mixed.stderr.contains("\(run) holds the results of a run"), "\(mixed.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  /// Damaged points.csv files (issue 21: a mean correct rate of 1.5, a negative sd or a NUL
  /// were accepted and the indices rebuilt from them): the edit and the message.
  static let pointsCases: [(@Sendable (String) -> String, String)] = [
    (
      ResultReaderTests.field(1, 4, "1.5"),
      "points.csv:2:5: unstructured:correct_rate: 1.5 is out of range (allowed: 0 to 1)"
    ),
    (
      ResultReaderTests.field(1, 5, "-0.1"),
      "points.csv:2:6: unstructured:correct_rate:sd: -0.1 is out of range (allowed: 0 to 1)"
    ),
    (
      ResultReaderTests.field(2, 7, "0.1\u{0}junk"),
      #"points.csv:3:8: structured:correct_rate:sd: "0.1\0junk" is not a finite number"#
    ),
    // A finite number too large to keep is out of range, not "not a finite number".
    (
      ResultReaderTests.field(2, 7, "1e50"),
      "points.csv:3:8: structured:correct_rate:sd: 1e50 is out of range"
    ),
    (
      ResultReaderTests.field(2, 8, "2.5"),
      "points.csv:3:9: structured - unstructured:correct_rate: 2.5 is out of range "
        + "(allowed: -1 to 1)"
    ),
    (
      ResultReaderTests.field(3, 6, ""),
      "points.csv:4:8: structured:correct_rate:sd: an sd without a mean"
    ),
    (ResultReaderTests.field(3, 2, "0.05"), "points.csv:4:3: design.auditRate at point 2 is"),
    (ResultReaderTests.field(4, 0, "7"), "points.csv:5:1: expected point 3 (design order)"),
    (ResultReaderTests.field(0, 4, "x"), "points.csv:1:5: the header does not match"),
    ({ String($0.dropLast()) }, "points.csv:81: the last line has no line break"),
    ({ $0 + "80\n" }, "points.csv:82: more rows than the manifest's 80 points"),
  ]

  /// Damaged sensitivity manifests: the key path, the new value as JSON, the message.
  static let manifestCases: [([String], String?, String)] = [
    (["formatVersion"], "99", "formatVersion: is 99; this ensemble reads version 1"),
    (
      ["modelVersion"], "99",
      "modelVersion: is 99; this ensemble knows model versions 1 to \(EngineVersion.model)"
    ),
    (["seed"], #""1e3""#, #"seed: "1e3" is not a whole number"#),
    (["method"], #""morris""#, #"method: is "morris", but the experiment's design is "sobol""#),
    (["points"], "81", "points: is 81, but the experiment's design has 80 points"),
    (["shard", "count"], "2", "shard: points 0..<80 are not those of shard 1 of 2"),
    (["complete"], "false", "its run did not finish"),
    (["command"], nil, "command is missing"),
  ]

  @Test("a damaged points.csv or manifest is refused, naming the place, and nothing is written")
  func damagedFolders() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let good = folder.appendingPathComponent("good")
    let result = try CLI.run(["sensitivity", file, "--out", good.path, "--quiet"])
    #expect(result.status == 0, "\(result.stderr)")
    func damaged(_ i: Int, _ name: String, _ edit: (String) -> String) throws -> URL {
      let copy = folder.appendingPathComponent("bad-\(name)-\(i)")
      try FileManager.default.copyItem(at: good, to: copy)
      let url = copy.appendingPathComponent(name)
      try edit(try CLI.read(url)).write(to: url, atomically: true, encoding: .utf8)
      return copy
    }
    func expectRefusal(_ copy: URL, _ message: String) throws {
      let before = try Data(contentsOf: copy.appendingPathComponent("sensitivity.csv"))
      let report = try CLI.run(["report", copy.path])
      #expect(report.status == 2, "\(report.stderr)")
      #expect(report.stderr.contains(message), "\(message): \(report.stderr)")
      #expect(report.stderr.split(separator: "\n").count == 1, "one line: \(report.stderr)")
      #expect(try Data(contentsOf: copy.appendingPathComponent("sensitivity.csv")) == before)
      let merged = folder.appendingPathComponent("merged-\(copy.lastPathComponent)")
      let merge = try CLI.run(["merge", copy.path, "--out", merged.path])
      #expect(merge.status == 2 && merge.stderr.contains(message), "\(merge.stderr)")
      #expect(!FileManager.default.fileExists(atPath: merged.path))
    }
    for (i, (edit, message)) in Self.pointsCases.enumerated() {
      try expectRefusal(try damaged(i, "points.csv", edit), message)
    }
    for (i, (path, value, message)) in Self.manifestCases.enumerated() {
      try expectRefusal(
        try damaged(i, "manifest.json", ResultReaderTests.setting(path, to: value)), message)
    }
  }
}
