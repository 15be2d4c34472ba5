import EnsembleAnalysis
import EnsembleModel
import Foundation
import Testing

/// End-to-end tests of `ensemble run` and friends, through the built binary.
@Suite("ensemble run", .serialized)
struct RunCommandTests {
  /// Two conditions, a two-point sweep, a short horizon: quick in a debug build.
  static let small = """
    {
      name: "small", seed: 5, replications: 4,
      set: { horizon: 6 },
      conditions: [
        { name: "loose", design: "unstructured" },
        { name: "tight", design: "structured" },
      ],
      sweep: { "team.ai.count": [2, 5] },
    }
    """

  func writeSmall(_ folder: URL, _ text: String = RunCommandTests.small) throws -> String {
    let path = folder.appendingPathComponent("small.json").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test("a small experiment writes four files with the right columns and rows")
  func files() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let file = try writeSmall(folder)
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run(["run", file, "--out", out.path, "--quiet"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "--quiet prints nothing")
    let files = CLI.files(in: out)
    for name in [
      "contrasts.csv", "manifest.json", "runs.csv", "summary.csv", "report.md", "report.html",
    ] {
      #expect(files.contains(name), "\(name)")
    }
    #expect(!files.contains { $0.hasPrefix(".") }, "no temporary file is left")

    let runs = try CSV.parse(try CLI.read(out.appendingPathComponent("runs.csv")))
    #expect(
      Array(runs.header.prefix(5)) == [
        "condition", "point", "replication", "seed", "team.ai.count",
      ])
    #expect(runs.header.contains("correct_rate") && runs.header.contains("routing_regret"))
    #expect(runs.rows.count == 2 * 2 * 4)
    // Plan order: condition, then point, then replication.
    #expect(
      runs.rows.map { $0[0] } == Array(repeating: "loose", count: 8)
        + Array(repeating: "tight", count: 8))
    #expect(runs.rows.prefix(8).map { $0[1] } == ["0", "0", "0", "0", "1", "1", "1", "1"])
    #expect(runs.rows.prefix(4).map { $0[4] } == ["2", "2", "2", "2"])
    // The same replication has the same seed in every condition and point.
    #expect(runs.rows[1][3] == runs.rows[5][3] && runs.rows[1][3] == runs.rows[9][3])

    let summary = try CSV.parse(try CLI.read(out.appendingPathComponent("summary.csv")))
    #expect(
      summary.header == [
        "condition", "point", "team.ai.count", "metric", "n", "mean", "sd", "ci_low", "ci_high",
      ])
    // The columns: condition, point, replication, seed, the swept key, the metrics, and the
    // empty column whose name carries the metric table's version.
    #expect(runs.header.last == "metric_table_v\(EngineVersion.metricTable)")
    let metricCount = runs.header.count - 6
    #expect(metricCount == Metrics.names.count)
    #expect(summary.rows.count == 2 * 2 * metricCount)
    let contrasts = try CSV.parse(try CLI.read(out.appendingPathComponent("contrasts.csv")))
    #expect(
      contrasts.header == [
        "condition", "baseline", "point", "team.ai.count", "metric", "n", "mean_diff", "ci_low",
        "ci_high", "rel_change", "effect_size",
      ])
    #expect(contrasts.rows.count == 1 * 2 * metricCount)
    #expect(contrasts.rows.allSatisfy { $0[0] == "tight" && $0[1] == "loose" })

    let manifest =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
    #expect(manifest?["complete"] as? Bool == true)
    #expect((manifest?["experiment"] as? [String: Any])?["name"] as? String == "small")
  }

  @Test("summary.csv agrees with statistics recomputed from runs.csv")
  func summaryAgrees() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    try CLI.run(["run", try writeSmall(folder), "--out", out.path, "--quiet"])
    let runs = try CSV.parse(try CLI.read(out.appendingPathComponent("runs.csv")))
    let summary = try CSV.parse(try CLI.read(out.appendingPathComponent("summary.csv")))
    var checked = 0
    for row in summary.rows {
      let (condition, point, metric) = (row[0], row[1], row[3])
      let column = runs.header.firstIndex(of: metric)!
      let values = runs.rows.filter { $0[0] == condition && $0[1] == point }
        .compactMap { CSV.parseNumber($0[column]) }
      #expect(Int(row[4]) == values.count)
      guard values.count >= 2 else { continue }
      let mean = values.reduce(0, +) / Double(values.count)
      let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1))
        .squareRoot()
      #expect(abs(CSV.parseNumber(row[5])! - mean) <= 1e-9 * max(1, abs(mean)), "\(row)")
      #expect(abs(CSV.parseNumber(row[6])! - sd) <= 1e-9 * max(1, sd), "\(row)")
      // 95% t interval with 3 degrees of freedom: t = 3.182446305284263 (scipy.stats.t.ppf(0.975, 3)).
      let half = 3.182446305284263 * sd / Double(values.count).squareRoot()
      #expect(abs(CSV.parseNumber(row[7])! - (mean - half)) <= 1e-9 * max(1, abs(mean)), "\(row)")
      checked += 1
    }
    #expect(checked > 20)
  }

  @Test("--threads 1 and --threads 2 give byte-identical files")
  func threadsDoNotMatter() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let file = try writeSmall(folder)
    let one = folder.appendingPathComponent("one")
    let two = folder.appendingPathComponent("two")
    #expect(try CLI.run(["run", file, "--out", one.path, "--threads", "1", "--quiet"]).status == 0)
    #expect(try CLI.run(["run", file, "--out", two.path, "--threads", "2", "--quiet"]).status == 0)
    for name in ["runs.csv", "summary.csv", "contrasts.csv"] {
      let a = try Data(contentsOf: one.appendingPathComponent(name))
      let b = try Data(contentsOf: two.appendingPathComponent(name))
      #expect(a == b, "\(name) differs between thread counts")
    }
  }

  /// Every bad input: exit code 2, a message naming the problem, nothing written.
  @Test(
    "bad input exits 2 with a message and writes nothing",
    arguments: [
      ("{ seed: 1,, }", "small.json:1:"),
      (#"{ set: { "workload.edgeCaseRat": 0.2 } }"#, #"did you mean "workload.edgeCaseRate"?"#),
      (#"{ set: { "design.audit": 3 } }"#, "expects true or false"),
      (#"{ set: { "design.reviewRate": 2 } }"#, "2 is out of range (allowed: 0 to 1)"),
      (#"{ sweep: { "design.reviewRate": [] } }"#, "the sweep list is empty"),
      (#"{ conditions: [{ name: "a" }, { name: "a" }] }"#, #"duplicate condition name "a""#),
      (#"{ baseline: "nobody" }"#, #""nobody" is not a condition"#),
      ("{ replications: 0 }", "replications: 0 is out of range"),
    ])
  func badInput(text: String, message: String) throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run(["run", try writeSmall(folder, text), "--out", out.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.contains("small.json"), "the message names the file")
    #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written to --out")
  }

  @Test("a missing file, a bad option and a bad --set exit 2 and write nothing")
  func badCommandLine() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let cases: [([String], String)] = [
      (["run", "nowhere/missing.json", "--out", out.path], "no such file: nowhere/missing.json"),
      (["run", "--out", out.path, "--thread", "2"], "did you mean --threads?"),
      (["run", "--out", out.path, "--set", "design.reviewRate=7"], "out of range"),
      (
        ["run", "--out", out.path, "--set", "desgn.review=peer"], #"did you mean "design.review"?"#
      ),
      (["run", "--out", out.path, "--replications", "0"], "--replications expects"),
      (["run", "--out", out.path, "--shard", "4/3"], "shard 4 is outside 1 to 3"),
      (
        ["run", "structured-vs-unstructure", "--out", out.path],
        #"did you mean "structured-vs-unstructured"?"#
      ),
      (["runn"], #"did you mean "run"?"#),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.path))
    }
  }

  @Test("a non-empty --out is refused without --force and replaced with it")
  func force() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let file = try writeSmall(folder)
    let out = folder.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try "old".write(to: out.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
    let refused = try CLI.run(["run", file, "--out", out.path])
    #expect(refused.status == 2 && refused.stderr.contains("--force"))
    #expect(try CLI.read(out.appendingPathComponent("runs.csv")) == "old")
    let forced = try CLI.run(["run", file, "--out", out.path, "--force", "--quiet"])
    #expect(forced.status == 0)
    #expect(try CLI.read(out.appendingPathComponent("runs.csv")).hasPrefix("condition,"))
  }

  @Test("with no argument, run runs the built-in experiment into results/<name>")
  func defaultExperiment() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let result = try CLI.run(["run", "--replications", "3", "--quiet"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let out = folder.appendingPathComponent("results/structured-vs-unstructured")
    #expect(CLI.files(in: out).contains("runs.csv"))
    let runs = try CSV.parse(try CLI.read(out.appendingPathComponent("runs.csv")))
    #expect(runs.rows.count == 6)
  }

  @Test("built-in experiments work from a copied binary")
  func copiedBinary() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let copy = folder.appendingPathComponent("ensemble")
    try FileManager.default.copyItem(at: CLI.executable, to: copy)
    let list = try CLI.run(["list"], in: folder, executable: copy)
    #expect(list.status == 0 && list.stdout.contains("structured-vs-unstructured"))
    let show = try CLI.run(["show", "structured-vs-unstructured"], in: folder, executable: copy)
    #expect(show.status == 0 && show.stdout.contains("seed: 20261122"))
    let check = try CLI.run(["check", "structured-vs-unstructured"], in: folder, executable: copy)
    #expect(check.status == 0 && check.stdout.contains("runs         2000"))
  }

  @Test("Ctrl-C stops the run, exits 130, leaves no file that looks finished, and keeps a journal")
  func interrupt() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    // Interrupt once the run is under way: its journal exists.
    let journal = out.appendingPathComponent(".ensemble-run/journal")
    let result = try CLI.run(
      ["run", "--replications", "100000", "--out", out.path, "--threads", "1"],
      interruptWhen: { FileManager.default.fileExists(atPath: journal.path) })
    #expect(result.status == 130, "\(result.stderr)")
    #expect(result.stderr.contains("interrupted") && result.stderr.contains("--resume"))
    #expect(CLI.files(in: out) == [".ensemble-run"], "\(CLI.files(in: out))")
    let staging = CLI.files(in: out.appendingPathComponent(".ensemble-run"))
    #expect(staging == ["ensemble-staging", "journal", "rows", "run.json"], "\(staging)")
    // A plain run into it is refused, naming both ways on.
    let again = try CLI.run(["run", "--replications", "3", "--out", out.path])
    #expect(again.status == 2)
    #expect(again.stderr.contains("interrupted run") && again.stderr.contains("--force"))
  }

  @Test("every command has --help, and the top-level help lists every command")
  func help() throws {
    let top = try CLI.run(["--help"])
    #expect(top.status == 0 && top.stdout.contains("Commands:"))
    // The commands as the top-level help lists them: every one must describe itself.
    // A command's line is indented two spaces; a wrapped description, further.
    let listed = top.stdout.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("  "), !line.hasPrefix("   "),
        let word = line.split(separator: " ").first
      else { return nil }
      return word.allSatisfy(\.isLetter) ? String(word) : nil
    }
    #expect(
      Set(listed).isSuperset(of: [
        "run", "list", "show", "check", "params", "report", "explore",
        "merge", "trace", "sensitivity", "bench",
      ]), "\(listed)")
    for command in listed {
      let result = try CLI.run([command, "--help"])
      #expect(result.status == 0, "\(command)")
      #expect(result.stdout.contains("Usage: ensemble \(command)"), "\(command): \(result.stdout)")
      #expect(result.stderr.isEmpty, "\(command)")
    }
  }

  @Test("--version names the library's release, model and metric table")
  func version() throws {
    let result = try CLI.run(["--version"])
    #expect(result.status == 0)
    #expect(
      result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == EngineVersion.description)
    #expect(result.stdout.hasPrefix("ensemble \(EngineVersion.release) "))
  }

  @Test("params lists every key with type, default, range and meaning")
  func params() throws {
    let result = try CLI.run(["params"])
    #expect(result.status == 0)
    for key in [
      "horizon", "workload.edgeCaseRate", "team.ai.count", "team.experts.expertise.skill",
      "design.review", "design.auditRate", "model.steepness",
    ] {
      #expect(result.stdout.contains(key), "\(key)")
    }
    #expect(result.stdout.contains("none|expert|peer"))
    // The note on the presets is read from them: it names the sign-off of high-stakes work,
    // which a hand-written note once left out, and each switch the preset turns on.
    let note = result.stdout.components(separatedBy: "Design defaults")
      .last!.components(separatedBy: "\n\n").first!
      .replacingOccurrences(of: "\n", with: " ")
    for change in [
      "signoff=high-stakes", "routing=conductor", "review=expert", "translation", "ledger",
    ] {
      #expect(note.contains(change), "\(change) in \(note)")
    }
    #expect(!note.contains("falseAlarmRate"), "unchanged keys are left out")
  }

  @Test("a shown experiment has no name, so a copy runs into its own folder")
  func shownCopyRuns() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let shown = try CLI.run(["show", "structured-vs-unstructured"])
    #expect(shown.status == 0)
    #expect(!shown.stdout.contains("\n  name:"))
    #expect(shown.stdout.contains("question:"))
    try shown.stdout.write(
      to: folder.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
    let run = try CLI.run(
      ["run", "mine.json", "--replications", "2", "--set", "horizon=4", "--quiet"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("results/mine/report.md").path))
  }

  @Test("`ensemble help COMMAND` is the command's help, and every help line fits 80 columns")
  func helpFits() throws {
    let run = try CLI.run(["help", "run"])
    #expect(run.status == 0 && run.stdout.hasPrefix("Usage: ensemble run"))
    for command in [
      "", "run", "list", "show", "check", "params", "report", "merge", "trace", "sensitivity",
      "bench",
    ] {
      let result = try CLI.run(command.isEmpty ? ["help"] : [command, "--help"])
      #expect(result.status == 0)
      for line in result.stdout.split(separator: "\n") where line.count > 80 {
        Issue.record("`\(command) --help`: \(line.count) columns: \(line)")
      }
    }
  }
}
