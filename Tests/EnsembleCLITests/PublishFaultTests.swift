import Foundation
import Testing

/// Issue 20: every writer publishes the same way. Each is killed (`SIGKILL`, through the
/// `ENSEMBLE_FAULT_PUBLISH_STEP` hook) before every change its publish makes to the disk;
/// the folder then holds the old result or the new one whole (a folder with a manifest is
/// never a mix), and the next command on it finishes or undoes the publish and leaves
/// nothing of its own behind.
@Suite("Publishing under kill -9")
struct PublishFaultTests {
  static let experiment = """
    {
      name: "publish", seed: 1, replications: 2,
      set: { horizon: 2 },
      conditions: [{ name: "a" }, { name: "b", design: "structured" }],
      report: { metrics: ["correct_rate"] },
    }
    """

  /// Another experiment, with a sweep: its result has files (the sweep's charts) that a
  /// result of `experiment` does not, so replacing it also removes files.
  static let sweptExperiment = """
    {
      name: "publish", seed: 3, replications: 2,
      set: { horizon: 2 },
      conditions: [{ name: "a" }, { name: "b", design: "structured" }],
      sweep: { "design.reviewRate": [0.5, 1] },
      report: { metrics: ["correct_rate", "mean_cycle"] },
    }
    """

  static let sensitivityExperiment = """
    {
      name: "levers", seed: 1, replications: 2,
      set: { horizon: 2 },
      conditions: [{ name: "a" }, { name: "b", design: "structured" }],
      sensitivity: {
        method: "sobol", samples: 4,
        parameters: { "design.auditRate": [0, 0.1], "workload.edgeCaseRate": [0, 0.5] },
      },
      report: { metrics: ["correct_rate"] },
    }
    """

  /// A writer: how to make the old result, the command that replaces it, and a command that
  /// opens the folder (finishing or undoing an interrupted publish) and then refuses to
  /// write, exit 2.
  struct Writer: Sendable, CustomTestStringConvertible {
    let name: String
    let prepare: @Sendable (_ root: URL, _ out: URL) throws -> Void
    let command: @Sendable (_ root: URL, _ out: URL) -> [String]
    let probe: @Sendable (_ root: URL, _ out: URL) -> [String]
    var testDescription: String { name }
  }

  static func exp(_ root: URL) -> String { root.appendingPathComponent("exp.json").path }
  static func levers(_ root: URL) -> String { root.appendingPathComponent("levers.json").path }
  static func swept(_ root: URL) -> String { root.appendingPathComponent("swept.json").path }
  static func shards(_ root: URL) -> [String] {
    (1...2).map { root.appendingPathComponent("shards/shard-\($0)").path }
  }

  static func succeed(_ arguments: [String]) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
  }

  static let writers: [Writer] = [
    Writer(
      name: "run",
      prepare: { root, out in
        try succeed(["run", swept(root), "--out", out.path, "--quiet"])
      },
      command: { root, out in
        ["run", exp(root), "--seed", "2", "--out", out.path, "--force", "--quiet"]
      },
      probe: { root, out in ["run", exp(root), "--seed", "2", "--out", out.path] }),
    Writer(
      name: "merge",
      prepare: { root, out in
        // The old result: a run of a sweep (its charts must go); the new: two shards merged.
        try succeed(["run", swept(root), "--out", out.path, "--quiet"])
        for (i, shard) in shards(root).enumerated()
        where !FileManager.default.fileExists(atPath: shard) {
          try succeed(["run", exp(root), "--shard", "\(i + 1)/2", "--out", shard, "--quiet"])
        }
      },
      command: { root, out in ["merge"] + shards(root) + ["--out", out.path, "--force", "--quiet"]
      },
      probe: { root, out in ["merge"] + shards(root) + ["--out", out.path] }),
    Writer(
      name: "report",
      prepare: { root, out in
        // A result whose derived files are out of date (one chart missing).
        try succeed(["run", exp(root), "--out", out.path, "--quiet"])
        for name in ["summary.csv", "contrasts.csv", "report.md", "report.html"] {
          try "old \(name)\n".write(
            to: out.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try FileManager.default.removeItem(at: out.appendingPathComponent("conditions.svg"))
      },
      command: { _, out in ["report", out.path] },
      probe: { root, out in ["run", exp(root), "--out", out.path] }),
    Writer(
      name: "sensitivity",
      prepare: { root, out in
        try succeed(["sensitivity", levers(root), "--out", out.path, "--quiet"])
      },
      command: { root, out in
        ["sensitivity", levers(root), "--seed", "2", "--out", out.path, "--force", "--quiet"]
      },
      probe: { root, out in ["sensitivity", levers(root), "--out", out.path] }),
    Writer(
      name: "trace",
      prepare: { root, out in
        try succeed(["trace", exp(root), "--out", out.path, "--quiet"])
      },
      command: { root, out in
        ["trace", exp(root), "--replication", "1", "--out", out.path, "--force", "--quiet"]
      },
      probe: { root, out in ["trace", exp(root), "--out", out.path] }),
  ]

  /// The files of a folder that a reader sees (not the hidden lock and staging folder), with
  /// their bytes; of `manifest.json` all but the lines that differ between two runs of the
  /// same command (its wall time and command line).
  static func visible(_ folder: URL) -> [String: Data] {
    var result: [String: Data] = [:]
    for name in CLI.files(in: folder) where !name.hasPrefix(".") {
      guard
        var data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
      else { continue }
      if name == "manifest.json" {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
          .filter { !$0.contains("\"wallSeconds\"") && !$0.contains("\"invocation\"") }
        data = Data(lines.joined(separator: "\n").utf8)
      }
      result[name] = data
    }
    return result
  }

  static func hidden(_ folder: URL) -> [String] {
    CLI.files(in: folder).filter { $0.hasPrefix(".") }
  }

  @Test("a full disk midway through report leaves the old files, and no staging or lock")
  func fullDiskReport() throws {
    let root = try CLI.temporaryFolder()
    defer { CLI.remove(root) }
    try Self.experiment.write(toFile: Self.exp(root), atomically: true, encoding: .utf8)
    let result = root.appendingPathComponent("result")
    try Self.succeed(["run", Self.exp(root), "--out", result.path, "--quiet"])
    try "old summary\n".write(
      to: result.appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
    let disk = root.appendingPathComponent("disk")
    try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
    // A 64 KB file system of its own (in a private mount namespace), filled up to the
    // given KB; then report, and every file's checksum and name afterwards.
    let script = """
      mount -t tmpfs -o size=64k tmpfs "$1" || exit 77
      cp "$2"/* "$1"/ || exit 78
      used=$(du -sk "$1" | cut -f1)
      head -c $(( (64 - used - $3) * 1024 )) /dev/zero > "$1"/filler 2>/dev/null
      "$0" report "$1" || echo "status $?"
      for f in "$1"/*; do echo "$(basename "$f") $(cksum < "$f")"; done
      ls -A "$1"
      """
    let unshare = URL(fileURLWithPath: "/usr/bin/unshare")
    guard FileManager.default.isExecutableFile(atPath: unshare.path) else { return }
    for free in [8, 16] {
      let process = Process()
      process.executableURL = unshare
      process.arguments = [
        "-rm", "/bin/sh", "-c", script, CLI.executable.path, disk.path, result.path, "\(free)",
      ]
      let out = Pipe()
      let err = Pipe()
      process.standardOutput = out
      process.standardError = err
      try process.run()
      let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      // No user namespaces or mounts here: nothing to show.
      if process.terminationStatus == 77 || stderr.contains("unshare:") { return }
      #expect(stdout.contains("status 1"), "\(free) KB: \(stdout) \(stderr)")
      #expect(stderr.contains("No space left on device"), "\(stderr)")
      // Every old file as it was, and nothing hidden left behind.
      for name in CLI.files(in: result) {
        let sum = Self.cksum(result.appendingPathComponent(name))
        #expect(stdout.contains("\(name) \(sum)"), "\(free) KB: \(name) changed: \(stdout)")
      }
      #expect(!stdout.contains(".ensemble"), "\(free) KB: \(stdout)")
    }
  }

  /// `cksum < file`, as the shell prints it.
  static func cksum(_ file: URL) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "cksum < \"$0\"", file.path]
    let out = Pipe()
    process.standardOutput = out
    try? process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test(
    "killed before each step of its publish, a writer leaves the old result or the new",
    arguments: writers)
  func killAtEveryStep(writer: Writer) throws {
    let root = try CLI.temporaryFolder()
    defer { CLI.remove(root) }
    try Self.experiment.write(toFile: Self.exp(root), atomically: true, encoding: .utf8)
    try Self.sensitivityExperiment.write(
      toFile: Self.levers(root), atomically: true, encoding: .utf8)
    try Self.sweptExperiment.write(toFile: Self.swept(root), atomically: true, encoding: .utf8)
    let pristine = root.appendingPathComponent("pristine")
    try writer.prepare(root, pristine)
    let old = Self.visible(pristine)
    // The new result, from a command that is not stopped.
    let reference = root.appendingPathComponent("reference")
    try FileManager.default.copyItem(at: pristine, to: reference)
    try Self.succeed(writer.command(root, reference))
    let new = Self.visible(reference)
    #expect(old != new && new["manifest.json"] != nil)
    if writer.name == "run" || writer.name == "merge" {
      #expect(
        old.keys.contains("sweep-mean_cycle.svg") && !new.keys.contains("sweep-mean_cycle.svg"))
    }

    let out = root.appendingPathComponent("out")
    var step = 1
    var committed = 0
    while step < 60 {
      try? FileManager.default.removeItem(at: out)
      try FileManager.default.copyItem(at: pristine, to: out)
      let killed = try CLI.run(
        writer.command(root, out),
        environment: ProcessInfo.processInfo.environment.merging(
          ["ENSEMBLE_FAULT_PUBLISH_STEP": "\(step)"]) { $1 })
      if killed.status == 0 {
        // Past the last step: the publish ran to the end.
        #expect(Self.visible(out) == new, "\(writer.name): the new result")
        #expect(Self.hidden(out).isEmpty, "\(writer.name): \(Self.hidden(out))")
        break
      }
      #expect(killed.status == SIGKILL || killed.status == 128 + SIGKILL, "\(killed.stderr)")
      let recorded = FileManager.default.fileExists(
        atPath: out.appendingPathComponent(".ensemble-run/publish").path)
      let seen = Self.visible(out)
      // A folder with a manifest holds one result whole; one without awaits its publish.
      if seen["manifest.json"] != nil {
        #expect(seen == old || seen == new, "\(writer.name) step \(step): a mix")
      } else {
        #expect(recorded, "\(writer.name) step \(step): no manifest and no record")
      }
      if recorded {
        committed += 1
      }
      if committed == 1 && recorded {
        // Killed again while finishing it: the finishing is carried out once more.
        _ = try CLI.run(
          writer.probe(root, out),
          environment: ProcessInfo.processInfo.environment.merging(
            ["ENSEMBLE_FAULT_PUBLISH_STEP": "2"]) { $1 })
      }
      // Once recorded, the publish is finished; before, the folder stays as it is (the old
      // result, or the new one whose publish only had its clean-up left).
      let expected = recorded ? new : seen
      let probe = try CLI.run(writer.probe(root, out))
      #expect(probe.status == 2, "\(writer.name) step \(step): \(probe.stderr)")
      #expect(
        Self.visible(out) == expected,
        "\(writer.name) step \(step): \(recorded ? "rolled forward" : "rolled back")")
      let left = Self.hidden(out)
      if writer.name == "run" && expected == old {
        // The interrupted run's journal stays for --resume, which finishes the new result.
        #expect(left == [".ensemble-run"], "\(left)")
        #expect(
          CLI.files(in: out.appendingPathComponent(".ensemble-run"))
            == ["ensemble-staging", "journal", "rows", "run.json"])
        let resumed = try CLI.run(
          writer.command(root, out).filter { $0 != "--force" } + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(Self.visible(out) == new && Self.hidden(out).isEmpty)
      } else {
        #expect(left.isEmpty, "\(writer.name) step \(step): \(left)")
      }
      step += 1
    }
    // Every publish has a step before its record, and several after it.
    #expect(
      step > 5 && committed >= 4, "\(writer.name): \(step) steps, \(committed) after the record")
  }
}
