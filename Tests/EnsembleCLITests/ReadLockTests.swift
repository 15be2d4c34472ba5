import Foundation
import Testing

/// Issue 21: readers take the folder's lock before they read, read each file once, and
/// stop when a file changes under them; a merge killed and requeued finishes cleanly. A
/// command is met while it holds its locks through the `ENSEMBLE_PAUSE_BEFORE_PUBLISH`
/// hook (it stops itself just before publishing), never after a sleep.
@Suite("Reading under lock, and merges that are killed and requeued", .serialized)
struct ReadLockTests {
  static let experiment = """
    {
      name: "locked", seed: 3, replications: 6,
      set: { horizon: 3 },
      conditions: [{ name: "a" }, { name: "b", design: "structured" }],
      report: { metrics: ["correct_rate"] },
    }
    """

  static let resultFiles = [
    "runs.csv", "summary.csv", "contrasts.csv", "report.md", "report.html", "conditions.svg",
  ]

  struct Setup {
    let folder: URL
    let file: String

    /// The experiment, three shards of it in `shards/`, and the unsharded run in
    /// `reference`.
    init() throws {
      folder = try CLI.temporaryFolder()
      file = folder.appendingPathComponent("locked.json").path
      try ReadLockTests.experiment.write(toFile: file, atomically: true, encoding: .utf8)
      try succeed(["run", file, "--out", path("reference"), "--quiet"])
      for i in 1...3 {
        try succeed(["run", file, "--shard", "\(i)/3", "--out", shard(i), "--quiet"])
      }
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    func path(_ name: String) -> String { url(name).path }
    func shard(_ i: Int) -> String { path("shards/shard-\(i)") }
    var shards: [String] { (1...3).map(shard) }
    var marker: String { path("paused") }

    func succeed(_ arguments: [String]) throws {
      let result = try CLI.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }

    /// Starts `arguments` in the background; returns once it has read its inputs and holds
    /// its locks, stopped just before its publish.
    func paused(_ arguments: [String]) throws -> BackgroundCommand {
      try? FileManager.default.removeItem(atPath: marker)
      let command = try BackgroundCommand(
        arguments, environment: ["ENSEMBLE_PAUSE_BEFORE_PUBLISH": marker])
      #expect(command.wait { FileManager.default.fileExists(atPath: marker) })
      return command
    }

    func lockFiles() -> [String] {
      (shards + [path("reference")]).filter {
        FileManager.default.fileExists(atPath: $0 + "/.ensemble-lock")
      }
    }
  }

  @Test("a merge reads its inputs under a shared lock: writers are refused, readers share it")
  func mergeHoldsItsInputs() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let merge = try s.paused(["merge"] + s.shards + ["--out", s.path("merged"), "--quiet"])
    // A rerun of a shard, and a report of one, meet the merge, named.
    let rerun = try CLI.run([
      "run", s.file, "--shard", "1/3", "--seed", "9", "--out", s.shard(1), "--force",
    ])
    #expect(rerun.status == 2, "\(rerun.stderr)")
    #expect(
      rerun.stderr.contains("is being read by another ensemble command (pid \(merge.pid)"),
      "\(rerun.stderr)")
    #expect(rerun.stderr.contains("ensemble merge"), "\(rerun.stderr)")
    let report = try CLI.run(["report", s.shard(2)])
    #expect(report.status == 2 && report.stderr.contains("is being read"), "\(report.stderr)")
    // Another merge of the same shards reads beside it.
    try s.succeed(["merge"] + s.shards + ["--out", s.path("beside"), "--quiet"])
    merge.signal(SIGCONT)
    let finished = merge.finish()
    #expect(finished.status == 0, "\(finished.stderr)")
    for out in ["merged", "beside"] {
      #expect(CLI.differingFiles(s.url(out), s.url("reference"), Self.resultFiles).isEmpty)
    }
    // The last reader to leave removed the lock; the shard is as it was.
    #expect(s.lockFiles().isEmpty, "\(s.lockFiles())")
    #expect(try CLI.read(s.url("shards/shard-1/manifest.json")).contains("\"seed\": \"3\""))
  }

  @Test("a merge meets a shard being written with a refusal naming the writer")
  func mergeMeetsWriter() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let rerun = try s.paused([
      "run", s.file, "--shard", "1/3", "--out", s.shard(1), "--force", "--quiet",
    ])
    let merge = try CLI.run(["merge"] + s.shards + ["--out", s.path("merged")])
    #expect(merge.status == 2, "\(merge.stderr)")
    #expect(
      merge.stderr.contains("is in use by another ensemble command (pid \(rerun.pid)"),
      "\(merge.stderr)")
    #expect(!FileManager.default.fileExists(atPath: s.path("merged")), "nothing written")
    rerun.signal(SIGCONT)
    #expect(rerun.finish().status == 0)
    try s.succeed(["merge"] + s.shards + ["--out", s.path("merged"), "--quiet"])
    #expect(CLI.differingFiles(s.url("merged"), s.url("reference"), Self.resultFiles).isEmpty)
  }

  /// Ways a file can change under a reader: written in place, grown, replaced by rename.
  static let changes: [(name: String, change: @Sendable (URL) throws -> Void)] = [
    (
      "written in place",
      { url in
        // Same size, other bytes: a digit of the last row changed.
        var data = try Data(contentsOf: url)
        let i = data.lastIndex { $0 >= 0x30 && $0 <= 0x38 }!
        data[i] += 1
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: data)
        try handle.close()
      }
    ),
    (
      "grown",
      { url in
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
      }
    ),
    (
      "replaced",
      { url in
        let copy = url.deletingLastPathComponent().appendingPathComponent("copy")
        try FileManager.default.copyItem(at: url, to: copy)
        _ = rename(copy.path, url.path)
      }
    ),
  ]

  @Test("an input that changes under merge or report stops it with exit 1; nothing is written")
  func changedUnderReader() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    for (name, change) in Self.changes {
      // merge: the shard's runs.csv changes after it was read.
      let out = s.path("merged-\(name.prefix(4))")
      let merge = try s.paused(["merge"] + s.shards + ["--out", out, "--quiet"])
      try change(s.url("shards/shard-2/runs.csv"))
      merge.signal(SIGCONT)
      let merged = merge.finish()
      #expect(merged.status == 1, "\(name): \(merged.stderr)")
      #expect(
        merged.stderr.contains("shard-2/runs.csv changed while merge read it"),
        "\(name): \(merged.stderr)")
      #expect(CLI.files(in: URL(fileURLWithPath: out)).isEmpty, "\(name): nothing written")
      // report: its own runs.csv changes after it was read; the old files stay.
      let folder = s.url("reference")
      func contents() -> [String: Data] {
        var files: [String: Data] = [:]
        for name in CLI.files(in: folder) where name != "runs.csv" {
          files[name] = FileManager.default.contents(
            atPath: folder.appendingPathComponent(name).path)
        }
        return files
      }
      let before = contents()
      let report = try s.paused(["report", folder.path])
      try change(folder.appendingPathComponent("runs.csv"))
      report.signal(SIGCONT)
      let reported = report.finish()
      #expect(reported.status == 1, "\(name): \(reported.stderr)")
      #expect(reported.stderr.contains("runs.csv changed while report read it"))
      // Every file but runs.csv (which the test changed) as it was.
      #expect(contents() == before, "\(name)")
      #expect(CLI.files(in: folder).allSatisfy { !$0.hasPrefix(".") }, "no lock or staging")
      try FileManager.default.removeItem(at: folder)
      try s.succeed(["run", s.file, "--out", folder.path, "--quiet"])
      for i in 1...3 {
        try s.succeed([
          "run", s.file, "--shard", "\(i)/3", "--out", s.shard(i), "--quiet", "--force",
        ])
      }
    }
  }

  @Test("a sensitivity merge and report read points.csv under lock and stop when it changes")
  func sensitivityReaders() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let levers = s.path("levers.json")
    try SensitivityTests.experiment.write(toFile: levers, atomically: true, encoding: .utf8)
    for i in 1...2 {
      try s.succeed([
        "sensitivity", levers, "--shard", "\(i)/2", "--out", s.path("sens/shard-\(i)"), "--quiet",
      ])
    }
    let inputs = (1...2).map { s.path("sens/shard-\($0)") }
    let merge = try s.paused(["merge"] + inputs + ["--out", s.path("sens/merged"), "--quiet"])
    let rerun = try CLI.run([
      "sensitivity", levers, "--shard", "1/2", "--out", inputs[0], "--force",
    ])
    #expect(rerun.status == 2 && rerun.stderr.contains("is being read"), "\(rerun.stderr)")
    try Self.changes[1].change(s.url("sens/shard-1/points.csv"))
    merge.signal(SIGCONT)
    let merged = merge.finish()
    #expect(merged.status == 1, "\(merged.stderr)")
    #expect(merged.stderr.contains("shard-1/points.csv changed while merge read it"))
    #expect(CLI.files(in: s.url("sens/merged")).isEmpty)
    // A report of the whole analysis: its points.csv replaced under it.
    try s.succeed([
      "sensitivity", levers, "--out", s.path("sens/whole"), "--quiet",
    ])
    let sensitivity = s.url("sens/whole/sensitivity.csv")
    let before = try Data(contentsOf: sensitivity)
    let report = try s.paused(["report", s.path("sens/whole")])
    try Self.changes[2].change(s.url("sens/whole/points.csv"))
    report.signal(SIGCONT)
    let reported = report.finish()
    #expect(reported.status == 1, "\(reported.stderr)")
    #expect(reported.stderr.contains("points.csv changed while report read it"))
    #expect(try Data(contentsOf: sensitivity) == before)
  }

  @Test("a reader killed -9 leaves a stale shared lock, which a writer and a reader take over")
  func staleReader() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let merge = try s.paused(["merge"] + s.shards + ["--out", s.path("merged"), "--quiet"])
    merge.signal(SIGKILL)
    #expect(merge.finish().status == 128 + SIGKILL)
    #expect(s.lockFiles().count == 3)
    try s.succeed(["merge"] + s.shards + ["--out", s.path("other"), "--quiet"])
    let rerun = try CLI.run(["run", s.file, "--shard", "1/3", "--out", s.shard(1), "--force"])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(s.lockFiles().isEmpty, "\(s.lockFiles())")
  }

  @Test("a merge killed at any step and requeued (the same command) finishes the merge")
  func requeuedMerge() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    // The recipe's merge: --force, into a folder that may hold an earlier merge.
    let command = ["merge"] + s.shards + ["--out", s.path("merged"), "--force", "--quiet"]
    try s.succeed(["run", s.file, "--seed", "4", "--out", s.path("merged"), "--quiet"])
    let environment = ProcessInfo.processInfo.environment
    // Killed while reading (holding every lock), then before each change of its publish.
    let reading = try s.paused(command)
    reading.signal(SIGKILL)
    #expect(reading.finish().status == 128 + SIGKILL)
    var step = 1
    while step < 40 {
      let killed = try CLI.run(
        command,
        environment: environment.merging(["ENSEMBLE_FAULT_PUBLISH_STEP": "\(step)"]) {
          $1
        })
      if killed.status == 0 { break }
      #expect(killed.status == 128 + SIGKILL || killed.status == SIGKILL, "\(killed.stderr)")
      // The requeued merge finishes (or undoes) what the killed one left, then merges.
      let requeued = try CLI.run(command)
      #expect(requeued.status == 0, "step \(step): \(requeued.stderr)")
      #expect(
        CLI.differingFiles(s.url("merged"), s.url("reference"), Self.resultFiles).isEmpty,
        "step \(step)")
      #expect(CLI.files(in: s.url("merged")).allSatisfy { !$0.hasPrefix(".") }, "step \(step)")
      #expect(s.lockFiles().isEmpty, "step \(step): \(s.lockFiles())")
      // Back to the earlier result for the next step.
      try s.succeed([
        "run", s.file, "--seed", "4", "--out", s.path("merged"), "--quiet", "--force",
      ])
      step += 1
    }
    #expect(step > 5, "\(step) steps")
  }
}
