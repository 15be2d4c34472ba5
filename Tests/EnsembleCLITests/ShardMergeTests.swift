import Foundation
import Testing

/// `--shard`, `ensemble merge` and `ensemble report`, end to end.
@Suite("Shards, merge and report", .serialized)
struct ShardMergeTests {
  static let experiment = """
    {
      name: "sharded", seed: 11, replications: 5,
      set: { horizon: 5 },
      sweep: { "design.reviewRate": [0.5, 1] },
    }
    """

  /// A folder with the experiment file, and the runs made from it so far; each test removes
  /// it when done.
  struct Setup {
    let folder: URL
    let file: String

    init() throws {
      folder = try CLI.temporaryFolder()
      file = folder.appendingPathComponent("sharded.json").path
      try ShardMergeTests.experiment.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    func run(_ out: String, _ extra: [String] = []) throws -> CommandResult {
      let result = try CLI.run(["run", file, "--out", path(out), "--quiet"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      return result
    }

    func shards(_ prefix: String = "shard", count: Int = 3, _ extra: [String] = []) throws {
      for i in 1...count { try run("\(prefix)-\(i)", ["--shard", "\(i)/\(count)"] + extra) }
    }
  }

  @Test("three shards in separate processes merge into the unsharded run, byte for byte")
  func mergeEqualsUnsharded() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    try s.run("full")
    try s.shards()
    let merged = try CLI.run([
      "merge", s.path("shard-2"), s.path("shard-3"), s.path("shard-1"), "--out", s.path("merged"),
    ])
    #expect(merged.status == 0, "\(merged.stderr)")
    for name in ["runs.csv", "summary.csv", "contrasts.csv", "report.md"] {
      let full = try Data(contentsOf: s.folder.appendingPathComponent("full/\(name)"))
      let joined = try Data(contentsOf: s.folder.appendingPathComponent("merged/\(name)"))
      #expect(full == joined, "\(name) differs")
    }
    // Each shard holds a disjoint slice; together they hold every run.
    var rows = 0
    for i in 1...3 {
      let text = try CLI.read(s.folder.appendingPathComponent("shard-\(i)/runs.csv"))
      rows += text.split(separator: "\n").count - 1
    }
    #expect(rows == 2 * 2 * 5)
    let manifest = try CLI.read(s.folder.appendingPathComponent("shard-2/manifest.json"))
    #expect(manifest.contains("\"index\": 2") && manifest.contains("\"count\": 3"))
  }

  func refusal(
    _ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
  }

  @Test("merge refuses shards that do not belong together, naming the folders")
  func refusals() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    try s.shards()
    let out = s.path("out")
    // A missing shard and a repeated one.
    try refusal(["merge", s.path("shard-1"), s.path("shard-2"), "--out", out], "missing shard 3/3")
    try refusal(
      [
        "merge", s.path("shard-1"), s.path("shard-2"), s.path("shard-2"), s.path("shard-3"),
        "--out", out,
      ],
      "shard 2/3 is given twice: \(s.path("shard-2")) and \(s.path("shard-2"))")
    // Another seed, another replication count.
    try s.run("seeded-3", ["--shard", "3/3", "--seed", "12"])
    try refusal(
      ["merge", s.path("shard-1"), s.path("shard-2"), s.path("seeded-3"), "--out", out],
      "\(s.path("seeded-3")) has seed 12 but \(s.path("shard-1")) has seed 11")
    try s.run("reps-3", ["--shard", "3/3", "--replications", "4"])
    try refusal(
      ["merge", s.path("shard-1"), s.path("shard-2"), s.path("reps-3"), "--out", out],
      "\(s.path("reps-3")) has 4 replications but \(s.path("shard-1")) has 5")
    // Another experiment.
    let other = s.folder.appendingPathComponent("other.json").path
    try Self.experiment.replacingOccurrences(of: "\"sharded\"", with: "\"other\"")
      .write(toFile: other, atomically: true, encoding: .utf8)
    #expect(
      try CLI.run(["run", other, "--shard", "3/3", "--out", s.path("other-3"), "--quiet"]).status
        == 0)
    try refusal(
      ["merge", s.path("shard-1"), s.path("shard-2"), s.path("other-3"), "--out", out],
      "\(s.path("other-3")) and \(s.path("shard-1")) are from different experiments")
    // Another engine version.
    try FileManager.default.copyItem(atPath: s.path("shard-3"), toPath: s.path("old-3"))
    let manifest = s.folder.appendingPathComponent("old-3/manifest.json")
    let text = try CLI.read(manifest).replacingOccurrences(
      of: "\"engineVersion\": \"", with: "\"engineVersion\": \"0.9-")
    try text.write(to: manifest, atomically: true, encoding: .utf8)
    try refusal(
      ["merge", s.path("shard-1"), s.path("shard-2"), s.path("old-3"), "--out", out],
      "\(s.path("old-3")) was made by engine 0.9-")
    // A shard whose run did not finish: no manifest.
    try FileManager.default.copyItem(atPath: s.path("shard-3"), toPath: s.path("cut-3"))
    try FileManager.default.removeItem(atPath: s.path("cut-3") + "/manifest.json")
    try refusal(
      ["merge", s.path("shard-1"), s.path("shard-2"), s.path("cut-3"), "--out", out],
      "\(s.path("cut-3")) has no manifest.json: its run did not finish")
    #expect(!FileManager.default.fileExists(atPath: out), "nothing is written on a refusal")
  }

  @Test("--shard auto/N takes the index from Slurm or Kubernetes, and says when neither is set")
  func autoShard() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    var environment = ProcessInfo.processInfo.environment
    environment["SLURM_ARRAY_TASK_ID"] = nil
    environment["JOB_COMPLETION_INDEX"] = nil
    let none = try CLI.run(
      ["run", s.file, "--shard", "auto/3", "--out", s.path("a")], environment: environment)
    #expect(none.status == 2)
    #expect(
      none.stderr.contains("SLURM_ARRAY_TASK_ID") && none.stderr.contains("JOB_COMPLETION_INDEX"))

    environment["SLURM_ARRAY_TASK_ID"] = "2"
    let slurm = try CLI.run(
      ["run", s.file, "--shard", "auto/3", "--out", s.path("slurm"), "--quiet"],
      environment: environment)
    #expect(slurm.status == 0, "\(slurm.stderr)")
    environment["SLURM_ARRAY_TASK_ID"] = nil
    environment["JOB_COMPLETION_INDEX"] = "1"  // 0-based: shard 2
    let kubernetes = try CLI.run(
      ["run", s.file, "--shard", "auto/3", "--out", s.path("k8s"), "--quiet"],
      environment: environment)
    #expect(kubernetes.status == 0, "\(kubernetes.stderr)")
    try s.run("explicit", ["--shard", "2/3"])
    for folder in ["slurm", "k8s"] {
      let a = try Data(contentsOf: s.folder.appendingPathComponent("\(folder)/runs.csv"))
      let b = try Data(contentsOf: s.folder.appendingPathComponent("explicit/runs.csv"))
      #expect(a == b, "\(folder)")
    }
  }

  @Test("report rebuilds the statistics and the report from runs.csv and manifest.json")
  func report() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    try s.run("r")
    let folder = s.folder.appendingPathComponent("r")
    var before: [String: Data] = [:]
    let names = ["summary.csv", "contrasts.csv", "report.md", "report.html"]
    for name in names {
      before[name] = try Data(contentsOf: folder.appendingPathComponent(name))
      try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
    let result = try CLI.run(["report", folder.path])
    #expect(result.status == 0, "\(result.stderr)")
    for name in names {
      #expect(try Data(contentsOf: folder.appendingPathComponent(name)) == before[name], "\(name)")
    }
    let missing = try CLI.run(["report", s.path("nowhere")])
    #expect(missing.status == 2 && missing.stderr.contains("nowhere does not exist"))
  }
}
