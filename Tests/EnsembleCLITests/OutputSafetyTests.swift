import Foundation
import Testing

/// The accidents that used to lose or corrupt results: two runs into one folder, an empty
/// `--out`, `--force` then Ctrl-C, a kill at any instant, merging into an input.
@Suite("Output folders, locks and resume", .serialized)
struct OutputSafetyTests {
  /// Two conditions, a two-point sweep, 30 replications: 60 units, a few seconds of work
  /// for a debug build only when paused.
  static let experiment = """
    {
      name: "safe", seed: 7, replications: 30,
      set: { horizon: 4 },
      conditions: [
        { name: "loose", design: "unstructured" },
        { name: "tight", design: "structured" },
      ],
      sweep: { "design.reviewRate": [0.5, 1] },
    }
    """

  static let resultFiles = [
    "runs.csv", "summary.csv", "contrasts.csv", "report.md", "report.html",
    "sweep-correct_rate.svg",
  ]

  struct Setup {
    let folder: URL
    let file: String

    init() throws {
      folder = try CLI.temporaryFolder()
      file = folder.appendingPathComponent("safe.json").path
      try OutputSafetyTests.experiment.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// A finished, uninterrupted run into `name`.
    func reference(_ name: String = "reference") throws -> URL {
      let result = try CLI.run(["run", file, "--out", url(name).path, "--quiet"])
      #expect(result.status == 0, "\(result.stderr)")
      return url(name)
    }

    /// A run in the background that checkpoints after every unit.
    func background(_ out: String, _ extra: [String] = []) throws -> BackgroundCommand {
      try BackgroundCommand(
        ["run", file, "--out", url(out).path, "--quiet", "--threads", "1"] + extra,
        environment: ["ENSEMBLE_CHECKPOINT_SECONDS": "0"])
    }

    func journal(_ out: String) -> URL { url(out).appendingPathComponent(".ensemble-run/journal") }
  }

  @Test("a second run into a busy folder is refused, and the first's files equal a clean run's")
  func concurrentRuns() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let first = try s.background("same", ["--seed", "1"])
    // Paused while it holds the lock, so the second run meets it for sure.
    #expect(first.wait { CLI.lineCount(s.journal("same")) >= 1 })
    first.signal(SIGSTOP)
    let second = try CLI.run(["run", s.file, "--seed", "2", "--out", s.url("same").path])
    first.signal(SIGCONT)
    #expect(second.status == 2)
    #expect(second.stderr.contains("is in use by another ensemble command (pid \(first.pid)"))
    #expect(first.finish().status == 0)
    let clean = try CLI.run(["run", s.file, "--seed", "1", "--out", s.url("clean").path])
    #expect(clean.status == 0)
    #expect(CLI.differingFiles(s.url("same"), s.url("clean"), Self.resultFiles).isEmpty)
    #expect(CLI.files(in: s.url("same")).allSatisfy { !$0.hasPrefix(".") }, "no lock or staging")
  }

  @Test(
    "killed at several points, in the middle of a write included, --resume gives the same bytes")
  func killAndResume() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let reference = try s.reference()
    let out = s.url("killed")
    let journal = s.journal("killed")
    let rows = out.appendingPathComponent(".ensemble-run/rows")
    // Kill -9 after 3, then 15, then 40 units were saved; resume each time.
    for (round, units) in [3, 15, 40].enumerated() {
      let run = try s.background("killed", round == 0 ? [] : ["--resume"])
      #expect(run.wait { CLI.lineCount(journal) >= units }, "round \(round)")
      run.signal(SIGKILL)
      #expect(run.finish().status == 128 + SIGKILL)
    }
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("runs.csv").path))
    // The lock of a killed run is stale: the next command takes it over, saying so; a
    // plain run then says the folder holds an interrupted run, and how to go on.
    let stale = try CLI.run(["run", s.file, "--out", out.path])
    #expect(stale.status == 2, "\(stale.stderr)")
    #expect(stale.stderr.contains("took over the lock"), "\(stale.stderr)")
    #expect(stale.stderr.contains("holds an interrupted run") && stale.stderr.contains("--resume"))
    #expect(
      !FileManager.default.fileExists(atPath: out.appendingPathComponent(".ensemble-lock").path))
    // A kill in the middle of writing a chunk: half a journal line, stray bytes of rows.
    let saved = CLI.lineCount(journal)
    var text = try Data(contentsOf: journal)
    let lastLine = text.dropLast().lastIndex(of: 10).map { $0 + 1 } ?? 0
    text = text.prefix(lastLine + (text.count - lastLine) / 2)
    try text.write(to: journal)
    let handle = try FileHandle(forWritingTo: rows)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("loose,1,2,garbage".utf8))
    try handle.close()
    // Other settings are refused, naming the difference.
    let other = try CLI.run(["run", s.file, "--out", out.path, "--seed", "8", "--resume"])
    #expect(other.status == 2)
    #expect(other.stderr.contains("experiment.seed was \"7\", now \"8\""), "\(other.stderr)")
    let resumed = try CLI.run(["run", s.file, "--out", out.path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(saved >= 40)
    // Every unit completely written is kept (one per checkpoint here; the torn one is not).
    #expect(
      resumed.stderr.contains("(\((saved - 1) * 2) from the interrupted run"), "\(resumed.stderr)")
    #expect(CLI.differingFiles(out, reference, Self.resultFiles).isEmpty)
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") })
    // Resuming a finished run does nothing.
    let again = try CLI.run(["run", s.file, "--out", out.path, "--resume"])
    #expect(again.status == 0 && again.stderr.contains("already holds this run's finished result"))
  }

  /// FNV-1a, 64 bits: the journal's checksum.
  static func fnv(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      h ^= UInt64(byte)
      h &*= 0x100_0000_01b3
    }
    return h
  }

  @Test("a journal chunk forged with a valid checksum but a value out of range is not kept")
  func forgedJournal() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let reference = try s.reference()
    let run = try s.background("forged")
    #expect(run.wait { CLI.lineCount(s.journal("forged")) >= 3 })
    run.signal(SIGKILL)
    _ = run.finish()
    // Keep the first chunk only, with condition 0's first correct_rate set to 1.5 and the
    // chunk's sizes and both checksums recomputed, as a forger would.
    let journal = s.journal("forged")
    let rowsURL = s.url("forged/.ensemble-run/rows")
    let words = try CLI.read(journal).split(separator: "\n")[0].split(separator: " ")
    var sizes = words[4].split(separator: ",").map { Int($0)! }
    let rows = try Data(contentsOf: rowsURL).prefix(sizes.reduce(0, +))
    var text = String(decoding: rows.prefix(sizes[0]), as: UTF8.self)
    let column = try CLI.read(reference.appendingPathComponent("runs.csv"))
      .prefix { $0 != "\n" }.split(separator: ",").firstIndex(of: "correct_rate")!
    var first = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var fields = first[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    fields[column] = "1.5"
    first[0] = fields.joined(separator: ",")
    text = first.joined(separator: "\n")
    let data = Data(text.utf8) + rows.dropFirst(sizes[0])
    sizes[0] = text.utf8.count
    var line =
      "chunk \(words[1]) \(words[2]) 0 \(sizes.map(String.init).joined(separator: ",")) "
      + String(Self.fnv(data), radix: 16)
    line += " " + String(Self.fnv(Array(line.utf8)), radix: 16) + "\n"
    try data.write(to: rowsURL)
    try Data(line.utf8).write(to: journal)
    let resumed = try CLI.run(["run", s.file, "--out", s.url("forged").path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("are not kept") && resumed.stderr.contains("correct_rate"))
    #expect(!resumed.stderr.contains("from the interrupted run"), "every unit ran again")
    #expect(CLI.differingFiles(s.url("forged"), reference, Self.resultFiles).isEmpty)
  }

  @Test(
    "a damaged journal (a changed byte, a missing file) is named when resuming, and its units run again",
    arguments: ["changed byte", "missing journal"])
  func damagedJournal(_ damage: String) throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let reference = try s.reference()
    let run = try s.background("damaged")
    #expect(run.wait { CLI.lineCount(s.journal("damaged")) >= 3 })
    run.signal(SIGKILL)
    _ = run.finish()
    if damage == "missing journal" {
      try FileManager.default.removeItem(at: s.journal("damaged"))
    } else {
      let rowsURL = s.url("damaged/.ensemble-run/rows")
      var rows = try Data(contentsOf: rowsURL)
      rows[10] = rows[10] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
      try rows.write(to: rowsURL)
    }
    let resumed = try CLI.run(["run", s.file, "--out", s.url("damaged").path, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let reason =
      damage == "missing journal" ? "cannot be read" : "do not match their checksum"
    #expect(
      resumed.stderr.contains("are not kept") && resumed.stderr.contains(reason),
      "\(resumed.stderr)")
    #expect(CLI.differingFiles(s.url("damaged"), reference, Self.resultFiles).isEmpty)
  }

  @Test("--force then Ctrl-C leaves the old results intact; --force replaces only a result's files")
  func forceThenInterrupt() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let out = try s.reference("keep")
    try "mine".write(to: out.appendingPathComponent("notes.svg"), atomically: true, encoding: .utf8)
    let before = Self.resultFiles.map {
      FileManager.default.contents(atPath: out.appendingPathComponent($0).path)
    }
    let run = try s.background("keep", ["--force", "--replications", "100000"])
    #expect(run.wait { CLI.lineCount(s.journal("keep")) >= 2 })
    run.signal(SIGINT)
    let (status, stderr) = run.finish()
    #expect(status == 130, "\(stderr)")
    let after = Self.resultFiles.map {
      FileManager.default.contents(atPath: out.appendingPathComponent($0).path)
    }
    #expect(before == after, "the old results are intact")
    // Finishing with --force replaces the result, and leaves a file it did not write.
    let forced = try CLI.run([
      "run", s.file, "--out", out.path, "--force", "--seed", "9", "--quiet",
    ])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try CLI.read(out.appendingPathComponent("notes.svg")) == "mine")
    #expect(try CLI.read(out.appendingPathComponent("manifest.json")).contains("\"seed\": \"9\""))
  }

  @Test("an empty --out, an option as --out and a file in the way are refused, naming the problem")
  func badOut() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    try "x".write(to: s.url("afile"), atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
      (["run", s.file, "--out", ""], "--out is empty"),
      (["run", s.file, "--out=--quiet"], "--out --quiet looks like an option"),
      (["run", s.file, "--out", "--quiet"], "--out needs a value, but the next argument"),
      (["run", s.file, "--out", s.url("afile/sub").path], "afile is a file, not a folder"),
      (["merge", s.url("a").path, "--out", ""], "--out is empty"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments, in: s.folder)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }
    #expect(CLI.files(in: s.folder) == ["afile", "safe.json"], "nothing was written")
  }

  @Test("merge refuses an --out that is an input or inside one, and accepts the folder above")
  func mergeIntoInput() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    for i in 1...3 {
      let result = try CLI.run([
        "run", s.file, "--shard", "\(i)/3", "--out", s.url("x/shard-\(i)").path, "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
    }
    let shards = (1...3).map { s.url("x/shard-\($0)").path }
    let before = try Data(contentsOf: s.url("x/shard-1/runs.csv"))
    let into = try CLI.run(["merge"] + shards + ["--out", shards[0], "--force"])
    #expect(into.status == 2 && into.stderr.contains("is the input"), "\(into.stderr)")
    let inside = try CLI.run(["merge"] + shards + ["--out", shards[1] + "/merged"])
    #expect(inside.status == 2 && inside.stderr.contains("is inside the input"))
    #expect(try Data(contentsOf: s.url("x/shard-1/runs.csv")) == before)
    // The help's own example: the merged result beside the shard folders.
    let above = try CLI.run(["merge"] + shards + ["--out", s.url("x").path])
    #expect(above.status == 0, "\(above.stderr)")
    #expect(above.stderr.contains("merged 3 shards"))
    let reference = try s.reference()
    #expect(CLI.differingFiles(s.url("x"), reference, Self.resultFiles).isEmpty)
  }

  @Test("a shard's report speaks only of the sweep points it holds")
  func shardReport() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    // 60 units in 4 shards: shard 1 holds units 0 to 14, all at the first point.
    let result = try CLI.run([
      "run", s.file, "--shard", "1/4", "--out", s.url("s1").path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try CLI.read(s.url("s1/report.md"))
    #expect(report.contains("Shard 1 of 4"))
    #expect(!report.contains("| 1 "), "no row for the second point")
    #expect(report.contains("design.reviewRate = 0.5") || report.contains("0.5"))
  }

  @Test("with 64 file descriptors, 300 conditions run (one spool, not a file per condition)")
  func manyConditions() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let conditions = (0..<300).map { "{ name: \"c\($0)\" }" }.joined(separator: ", ")
    let file = s.url("many.json").path
    try "{ replications: 2, set: { horizon: 2 }, conditions: [\(conditions)] }".write(
      toFile: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "ulimit -n 64 && exec \"$0\" run \"$1\" --out \"$2\" --quiet", CLI.executable.path,
      file, s.url("many").path,
    ]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(CLI.lineCount(s.url("many/runs.csv")) == 1 + 300 * 2)
  }

  @Test(
    "16 shards merge with 48 open files (each shard's lock and runs.csv); 40 are refused up front"
  )
  func manyShards() throws {
    let s = try Setup()
    defer { CLI.remove(s.folder) }
    let file = s.url("sixteen.json").path
    try "{ replications: 16, set: { horizon: 2 } }".write(
      toFile: file, atomically: true, encoding: .utf8)
    for i in 1...16 {
      let result = try CLI.run([
        "run", file, "--shard", "\(i)/16", "--out", s.url("s/shard-\(i)").path, "--quiet",
        "--threads", "1",
      ])
      #expect(result.status == 0, "\(result.stderr)")
    }
    func merge(limit: Int) throws -> CommandResult {
      // `ulimit -n` sets the hard limit too: the merge cannot raise it.
      try CLI.run(
        [
          "-c", "ulimit -n \(limit) && exec \"$0\" merge \"$1\"/shard-* --out \"$1\" --quiet",
          CLI.executable.path, s.url("s").path,
        ], executable: URL(fileURLWithPath: "/bin/sh"))
    }
    let refused = try merge(limit: 40)
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains("needs 48 open files") && refused.stderr.contains("ulimit -n"))
    #expect(!FileManager.default.fileExists(atPath: s.url("s/runs.csv").path))
    let merged = try merge(limit: 48)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(CLI.lineCount(s.url("s/runs.csv")) == 1 + 2 * 16)
  }
}
