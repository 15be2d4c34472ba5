import EnsembleModel
import Foundation
import Testing

/// Version-2 experiments through the binary: the same bytes whatever the threads or shards.
@Suite("Version-2 runs", .serialized)
struct VersionTwoTests {
  static let experiment = """
    {
      name: "stages", seed: 17, replications: 6,
      set: { horizon: 6, "workload.stakesRate": 0.4, "design.signoff": "high-stakes" },
      conditions: [
        { name: "unstructured", design: "unstructured" },
        { name: "structured", design: "structured" },
        { name: "owner", design: "structured", set: { "design.continuity": true } },
      ],
      sweep: { "workload.stages": [1, 3], "workload.shape": ["chain", "fanout"] },
      report: { metrics: ["correct_rate", "error_amplification", "handoffs", "accountability_coverage"] },
    }
    """

  @Test("a version-2 sweep gives the same bytes with 1 and 2 threads and in 3 merged shards")
  func determinism() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let file = folder.appendingPathComponent("stages.json").path
    try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    for (out, options) in [("one", ["--threads", "1"]), ("two", ["--threads", "2"])] {
      let result = try CLI.run(["run", file, "--out", path(out), "--quiet"] + options)
      #expect(result.status == 0, "\(result.stderr)")
    }
    for i in 1...3 {
      let result = try CLI.run([
        "run", file, "--out", path("shard-\(i)"), "--shard", "\(i)/3", "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
    }
    let merged = try CLI.run([
      "merge", path("shard-3"), path("shard-1"), path("shard-2"), "--out", path("merged"),
      "--quiet",
    ])
    #expect(merged.status == 0, "\(merged.stderr)")
    for name in ["runs.csv", "summary.csv", "contrasts.csv", "report.md"] {
      let one = try Data(contentsOf: URL(fileURLWithPath: path("one/\(name)")))
      #expect(one == (try Data(contentsOf: URL(fileURLWithPath: path("two/\(name)")))), "\(name)")
      #expect(
        one == (try Data(contentsOf: URL(fileURLWithPath: path("merged/\(name)")))), "\(name)")
    }
    // The new metrics are columns of runs.csv, and the report names the model version.
    let runs = try CLI.read(URL(fileURLWithPath: path("one/runs.csv")))
    let header = runs.split(separator: "\n")[0]
    for metric in [
      "error_amplification", "handoffs", "accountability_coverage", "stakes_escape_rate",
    ] {
      #expect(header.contains(metric), "\(metric)")
    }
    let report = try CLI.read(URL(fileURLWithPath: path("one/report.md")))
    #expect(report.contains("model version \(EngineVersion.model)"))
  }

  @Test("bad version-2 values exit 2 naming the key and what would be right")
  func badValues() throws {
    for (set, message) in [
      ("workload.stages=0", "workload.stages: 0 is out of range (allowed: 1 to 16)"),
      ("workload.stages=17", "17 is out of range (allowed: 1 to 16)"),
      ("workload.shape=tree", #""tree" is not one of "chain", "fanout""#),
      ("design.signoff=maybe", #""maybe" is not one of "none", "high-stakes", "all""#),
    ] {
      let result = try CLI.run(["check", "structured-vs-unstructured", "--set", set])
      #expect(result.status == 2, "\(set)")
      #expect(result.stderr.contains(message), "\(result.stderr)")
    }
  }
}
