import EnsembleAnalysis
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
}
