import EnsembleAnalysis
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `ensemble trace`: the trace is the run, event by event.
@Suite("Trace", .serialized)
struct TraceTests {
  /// Both presets, and multi-stage work with sign-off of every high-stakes task.
  static let experiment = """
    {
      name: "traced", seed: 23, replications: 3,
      set: { horizon: 8 },
      conditions: [
        { name: "unstructured", design: "unstructured" },
        { name: "structured", design: "structured" },
        {
          name: "staged", design: "structured",
          set: { "workload.stages": 3, "workload.stakesRate": 0.5, "design.signoff": "high-stakes" },
        },
        {
          name: "fanout", design: "unstructured",
          set: { "workload.stages": 4, "workload.shape": "fanout", "design.review": "peer" },
        },
      ],
    }
    """

  /// A folder with the experiment file in it.
  static func setup() throws -> (folder: URL, file: String) {
    let folder = try CLI.temporaryFolder()
    let file = folder.appendingPathComponent("traced.json").path
    try experiment.write(toFile: file, atomically: true, encoding: .utf8)
    return (folder, file)
  }

  /// The metrics of a replication, recomputed from its events.csv and agents.csv.
  static func replay(events: CSVTable, agents: CSVTable) -> [String: Double] {
    func column(_ table: CSVTable, _ name: String) -> Int { table.columnIndex(name)! }
    let (time, event, agent, job, task, outcome, hours, comm) = (
      column(events, "time"), column(events, "event"), column(events, "agent"),
      column(events, "job"), column(events, "task"), column(events, "outcome"),
      column(events, "hours"), column(events, "comm_hours")
    )
    let cost = agents.rows.map { Double($0[column(agents, "cost_per_hour")])! }
    let human = agents.rows.map { $0[column(agents, "kind")] == "human" }
    var busy = Array(repeating: 0.0, count: agents.rows.count)
    var m: [String: Double] = [:]
    var arrivals: [Int: Double] = [:]
    var waits: [Int: Double] = [:]
    var structure = 0.0
    var communication = 0.0
    var length = 0.0
    for row in events.rows {
      let t = Double(row[time])!
      switch row[event] {
      case "arrive":
        m["arrived", default: 0] += 1
        arrivals[Int(row[task])!] = t
      case "start" where row[job] == "execute":
        let id = Int(row[task])!
        if waits[id] == nil { waits[id] = t - arrivals[id]! }
      case "finish", "cut":
        let h = Double(row[hours])!
        busy[Int(row[agent])!] += h
        communication += Double(row[comm])!
        if row[job] != "execute" { structure += h }
        if row[outcome] == "discarded" { m["duplicate_hours", default: 0] += h }
        if row[job] == "audit" && row[outcome] == "found error" {
          m["caught_late", default: 0] += 1
        }
      case "rework":
        m["rework_hours", default: 0] += Double(row[hours])!
      case "deliver":
        m["delivered", default: 0] += 1
        if row[outcome] == "correct" { m["correct", default: 0] += 1 }
      case "abandon":
        m["abandoned", default: 0] += 1
      case "end":
        length = t
      default:
        break
      }
    }
    let total = busy.reduce(0, +)
    let delivered = m["delivered", default: 0]
    m["correct_rate"] = m["correct", default: 0] / m["arrived", default: 0]
    m["escape_rate"] = (delivered - m["correct", default: 0]) / delivered
    m["cost"] = zip(busy, cost).reduce(0) { $0 + $1.0 * $1.1 }
    m["structure_share"] = structure / total
    m["overhead_share"] = communication / total
    m["backlog"] = m["arrived", default: 0] - delivered - m["abandoned", default: 0]
    m["mean_wait"] = waits.values.reduce(0, +) / Double(waits.count)
    let humans = Double(human.filter { $0 }.count)
    let humanBusy = zip(busy, human).filter(\.1).reduce(0) { $0 + $1.0 }
    m["human_utilization"] = humanBusy / (humans * length)
    m["ai_utilization"] = (total - humanBusy) / (Double(human.count) - humans) / length
    m["throughput"] = delivered / length
    return m
  }

  @Test(
    "replaying events.csv gives the runs.csv row of the same replication",
    arguments: [0, 2])
  func traceIsTheRun(replication: Int) throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let run = folder.appendingPathComponent("run")
    let trace = folder.appendingPathComponent("trace")
    #expect(try CLI.run(["run", file, "--out", run.path, "--quiet"]).status == 0)
    let traced = try CLI.run([
      "trace", file, "--replication", String(replication), "--out", trace.path, "--quiet",
    ])
    #expect(traced.status == 0, "\(traced.stderr)")
    let runs = try CSV.parse(try CLI.read(run.appendingPathComponent("runs.csv")))
    for condition in ["unstructured", "structured", "staged", "fanout"] {
      let events = try CSV.parse(
        try CLI.read(trace.appendingPathComponent("events-\(condition).csv")))
      let agents = try CSV.parse(
        try CLI.read(trace.appendingPathComponent("agents-\(condition).csv")))
      let row = try #require(
        runs.rows.first {
          $0[0] == condition && $0[1] == "0" && $0[2] == String(replication)
        })
      let replayed = Self.replay(events: events, agents: agents)
      for (metric, value) in replayed where runs.columnIndex(metric) != nil {
        let expected = try #require(CSV.parseNumber(row[runs.columnIndex(metric)!]))
        #expect(
          abs(value - expected) <= 1e-9 * max(1, abs(expected)),
          "\(condition) \(metric): replayed \(value), runs.csv \(expected)")
      }
      #expect(replayed["arrived"]! > 0 && replayed["delivered"]! > 0)
      // Event times never decrease.
      let times = events.rows.map { Double($0[0])! }
      #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "\(condition)")
    }
  }

  @Test("the timeline has one row per agent and one bar per job in the window")
  func timeline() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("window")
    let result = try CLI.run([
      "trace", file, "--condition", "staged", "--from", "2", "--to", "5", "--out", out.path,
      "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      CLI.files(in: out).filter { !$0.hasPrefix(".") } == [
        "agents-staged.csv", "events-staged.csv", "manifest.json", "timeline-staged.svg",
        "timeline.html",
      ], "only the chosen condition")
    let dir = out
    let svg = try CLI.read(dir.appendingPathComponent("timeline-staged.svg"))
    let parser = XMLParser(data: Data(svg.utf8))
    #expect(parser.parse(), "timeline.svg is well-formed XML")
    let agents = try CSV.parse(try CLI.read(dir.appendingPathComponent("agents-staged.csv")))
    #expect(svg.components(separatedBy: "class=\"agent-row\"").count - 1 == agents.rows.count)
    // The jobs that show in [2, 5]: those overlapping it for a positive time.
    let events = try CSV.parse(try CLI.read(dir.appendingPathComponent("events-staged.csv")))
    var starts: [String: Double] = [:]
    var shown = 0
    for row in events.rows {
      let t = Double(row[0])!
      if row[1] == "start" { starts[row[2]] = t }
      if row[1] == "finish" || row[1] == "cut", let s = starts.removeValue(forKey: row[2]) {
        if s == t ? (2 <= s && s <= 5) : (s < 5 && t > 2) { shown += 1 }
      }
      #expect(
        row[1] == "start" || row[1] == "finish" || row[1] == "cut" || (2 <= t && t <= 5),
        "events.csv keeps the window's events")
    }
    #expect(shown > 0)
    #expect(svg.components(separatedBy: "<rect class=\"job\"").count - 1 == shown)
    let html = try CLI.read(out.appendingPathComponent("timeline.html"))
    #expect(html.contains("<svg") && !html.contains("<script"))
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "no network")
  }

  @Test("--force replaces exactly the previous trace's files; report and merge refuse a trace")
  func forceAndRefusals() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("trace")
    func has(_ name: String) -> Bool {
      FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path)
    }
    #expect(try CLI.run(["trace", file, "--out", out.path, "--quiet"]).status == 0)
    #expect(has("timeline-fanout.svg") && has("manifest.json"))
    try "mine".write(
      to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    let again = ["trace", file, "--condition", "structured", "--out", out.path, "--quiet"]
    let refused = try CLI.run(again)
    #expect(refused.status == 2 && refused.stderr.contains("holds a trace of traced"))
    #expect(try CLI.run(again + ["--force"]).status == 0)
    #expect(has("timeline-structured.svg") && has("events-structured.csv"))
    #expect(!has("timeline-fanout.svg") && !has("events-unstructured.csv"))
    #expect(has("notes.txt"))

    let report = try CLI.run(["report", out.path])
    #expect(report.status == 2 && report.stderr.contains("holds a trace"), "\(report.stderr)")
    let merged = folder.appendingPathComponent("merged").path
    let merge = try CLI.run(["merge", out.path, out.path, "--out", merged])
    #expect(merge.status == 2 && merge.stderr.contains("holds a trace"), "\(merge.stderr)")
  }

  @Test("bad trace requests exit 2 with a message")
  func badInput() throws {
    let (folder, file) = try Self.setup()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("bad").path
    for (options, message) in [
      (["--replication", "3"], "--replication expects a whole number from 0 to 2"),
      (["--point", "1"], "--point expects a whole number from 0 to 0"),
      (["--condition", "structure"], #"did you mean "structured"?"#),
      (["--from", "5", "--to", "5"], "--from must be before --to"),
      (["--from", "-1"], "--from expects hours"),
      // The run lasts at most twice its horizon (8 h here); 1e17 h once crashed (SIGILL).
      (["--from", "1e17"], "--from 1e17 is after the run: it stops at the latest at 16 h"),
      (["--from", "16"], "--from 16 is after the run"),
      (["--to", "1e17"], "--to 1e17 is after the run"),
      (["--from", "15.99999999999", "--to", "16"], "is too short to draw"),
    ] {
      let result = try CLI.run(["trace", file, "--out", out] + options)
      #expect(result.status == 2, "\(options): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(result.stderr)")
      #expect(
        CLI.files(in: URL(fileURLWithPath: out)).allSatisfy { $0.hasPrefix(".") },
        "nothing written")
    }
  }
}
