import Foundation
import Testing

/// The reproductions of issue 21 (items 2 to 5) run through the binary: what crashed is
/// refused at check time, what was silently changed is refused naming the key, and what was
/// quadratic is refused or done in linear time.
@Suite("Strict input", .serialized)
struct StrictInputTests {
  /// A folder with `files` written into it (name: text).
  static func folder(_ files: [String: String]) throws -> URL {
    let folder = try CLI.temporaryFolder()
    for (name, text) in files {
      try text.write(
        to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// `run` and `check` both exit 2 with one line holding `message`, and `run` writes nothing.
  static func bothRefuse(
    _ arguments: [String], in folder: URL, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let out = folder.appendingPathComponent("out-\(UUID().uuidString)")
    let check = try CLI.run(["check"] + arguments, in: folder)
    let run = try CLI.run(["run"] + arguments + ["--out", out.path, "--quiet"], in: folder)
    for result in [check, run] {
      #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
      #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
      #expect(
        result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)",
        sourceLocation: sourceLocation)
    }
    #expect(
      check.stderr == run.stderr.replacingOccurrences(of: "run:", with: "check:"),
      "check and run say the same", sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: out.path), sourceLocation: sourceLocation)
  }

  @Test("a lognormal whose draws overflow is refused by check and run alike, naming the key")
  func lognormalOverflow() throws {
    let folder = try Self.folder([:])
    defer { CLI.remove(folder) }
    try Self.bothRefuse(
      [
        "structured-vs-unstructured", "--replications", "20", "--set",
        "workload.work={lognormal: {mean: 1, sd: 1e155}}",
      ], in: folder, "--set: workload.work: lognormal sd 1e+155 is out of range")
    try Self.bothRefuse(
      ["structured-vs-unstructured", "--set", "workload.ambiguity={beta: [0.001, 1]}"],
      in: folder, "workload.ambiguity: beta [0.001, 1]: both shapes must be from 0.1")
  }

  static let monitors = """
    { name: "monitors", replications: 2, set: { horizon: 3 },
      scenario: { team: [
        { name: "lead", kind: "human", count: 1, skill: 0.6, roles: ["conductor"] },
        { name: "ai", kind: "ai", count: 5, skill: 0.5, roles: { monitor: [4] } },
      ] } }
    """

  @Test("--set and a sensitivity range that would drop a role's member are refused")
  func droppedRoles() throws {
    let sensitivity =
      String(Self.monitors.dropLast(2))
      + #", sensitivity: { samples: 4, parameters: { "team.ai.count": [1, 3], "workload.arrivalRate": [1, 2] } } }"#
    let folder = try Self.folder(["monitors.json": Self.monitors, "range.json": sensitivity])
    defer { CLI.remove(folder) }
    try Self.bothRefuse(
      ["monitors.json", "--set", "team.ai.count=3"], in: folder,
      "--set: team.ai.count=3 would drop a role: member 4 of group ai holds the monitor role")
    let range = try CLI.run(["sensitivity", "range.json", "--quiet"], in: folder)
    #expect(range.status == 2)
    #expect(
      range.stderr.contains(
        #"sensitivity.parameters."team.ai.count": the range [1, 3] would drop a role"#),
      "\(range.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("results").path))
    #expect(
      try CLI.run(["check", "monitors.json", "--set", "team.ai.count=6"], in: folder).status == 0)
  }

  @Test("seeds in exponent or decimal form are refused with the digits to write")
  func seeds() throws {
    let folder = try Self.folder([
      "decimal.json": "{ seed: 9007199254740993.0, replications: 1 }",
      "exponent.json": "{ seed: 9.007199254740993e15, replications: 1 }",
      "plain.json": "{ seed: 9007199254740993, replications: 1, set: { horizon: 2 } }",
    ])
    defer { CLI.remove(folder) }
    for file in ["decimal.json", "exponent.json"] {
      try Self.bothRefuse([file], in: folder, "seed: ")
      let check = try CLI.run(["check", file], in: folder)
      #expect(check.stderr.hasSuffix("; write 9007199254740993\n"), "\(check.stderr)")
    }
    try Self.bothRefuse(
      ["plain.json", "--seed", "9.007199254740993e15"], in: folder,
      "--seed: 9.007199254740993e15 is not in plain digits")
    let plain = try CLI.run(["check", "plain.json"], in: folder)
    #expect(plain.status == 0 && plain.stdout.contains("seed         9007199254740993"))
  }

  @Test("condition names that would share a trace file are refused at check time")
  func traceFileNames() throws {
    let folder = try Self.folder([
      "clash.json":
        #"{ set: { horizon: 2 }, conditions: [{ name: "ai+human" }, { name: "ai-human" }] }"#,
      "case.json": #"{ set: { horizon: 2 }, conditions: [{ name: "Team" }, { name: "team" }] }"#,
      "fine.json":
        #"{ replications: 1, set: { horizon: 2 }, conditions: [{ name: "ai+human" }, { name: "ai and human" }] }"#,
    ])
    defer { CLI.remove(folder) }
    try Self.bothRefuse(
      ["clash.json"], in: folder,
      #"conditions[1].name: "ai-human" and "ai+human" (conditions[0]) would share the trace files events-ai-human.csv"#
    )
    try Self.bothRefuse(["case.json"], in: folder, "would share the trace files events-team.csv")
    let out = folder.appendingPathComponent("trace")
    let trace = try CLI.run(["trace", "fine.json", "--out", out.path], in: folder)
    #expect(trace.status == 0, "\(trace.stderr)")
    let events = CLI.files(in: out).filter { $0.hasPrefix("events-") }
    #expect(events == ["events-ai-and-human.csv", "events-ai-human.csv"])
    let manifest = try CLI.read(out.appendingPathComponent("manifest.json"))
    for file in events { #expect(manifest.components(separatedBy: file).count == 2) }
  }

  @Test("10^6 named conditions, and 10^6 unnamed ones, are refused in well under a second")
  func millionConditions() throws {
    let named = (0..<1_000_000).map { "{name:\"c\($0)\"}" }.joined(separator: ",")
    let folder = try Self.folder([
      "named.json": "{ conditions: [\(named)] }",
      "unnamed.json": "{ conditions: [" + String(repeating: "{},", count: 1_000_000) + "] }",
    ])
    defer { CLI.remove(folder) }
    let clock = ContinuousClock()
    for (file, message) in [
      ("named.json", "bytes, more than the 8388608 an experiment may be"),
      ("unnamed.json", "unnamed.json:1:3016: conditions: more than 1000 conditions"),
    ] {
      var result: CommandResult?
      let elapsed = try clock.measure { result = try CLI.run(["check", file], in: folder) }
      #expect(result?.status == 2)
      #expect(result?.stderr.contains(message) == true, "\(result?.stderr ?? "")")
      #expect(elapsed < .seconds(1), "\(file): \(elapsed)")
    }
  }

  @Test("names and descriptions are capped; a 200-byte name runs and reports at once")
  func longNames() throws {
    let long = String(repeating: "n", count: 200)
    let folder = try Self.folder([
      "name.json": "{ conditions: [{ name: \"\(String(repeating: "x", count: 10_000))\" }] }",
      "group.json":
        "{ scenario: { team: [{ name: \"\(String(repeating: "g", count: 201))\", kind: \"ai\", skill: 0.5 }] } }",
      "description.json": "{ description: \"\(String(repeating: "d", count: 10_001))\" }",
      "huge.json": "{ description: \"\(String(repeating: "d", count: 9 << 20))\" }",
      "fine.json": """
      { name: "\(long)", description: "\(String(repeating: "word ", count: 2_000))",
        replications: 3, set: { horizon: 3 },
        conditions: [{ name: "\(long)" }, { name: "s\(long.dropFirst())", design: "structured" }] }
      """,
    ])
    defer { CLI.remove(folder) }
    try Self.bothRefuse(
      ["name.json"], in: folder,
      "conditions[0].name: is 10000 bytes long; a name is at most 200 bytes")
    try Self.bothRefuse(
      ["group.json"], in: folder, "scenario.team[0].name: is 201 bytes long")
    try Self.bothRefuse(
      ["description.json"], in: folder,
      "description: is 10001 bytes long; a description is at most 10000 bytes")
    try Self.bothRefuse(["huge.json"], in: folder, "more than the 8388608 an experiment may be")
    let out = folder.appendingPathComponent("fine")
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
      let run = try CLI.run(["run", "fine.json", "--out", out.path, "--quiet"], in: folder)
      #expect(run.status == 0, "\(run.stderr)")
      let report = try CLI.run(["report", out.path])
      #expect(report.status == 0, "\(report.stderr)")
    }
    #expect(elapsed < .seconds(10), "\(elapsed)")
    #expect(try CLI.read(out.appendingPathComponent("report.md")).contains(long))
  }
}
