import EnsembleModel

/// Bounds on the shape of an experiment: how many conditions and sweep points it may have.
/// Everything that grows with them (the plan's configurations, the statistics, the summary
/// tables) stays within a few hundred megabytes at these bounds. They are checked before
/// the grid is expanded, so a huge grid is refused at once instead of exhausting memory.
public enum ExperimentLimits {
  public static let maximumConditions = 1_000
  public static let maximumPoints = 100_000
  /// Conditions times points: the cells of the summary and of the statistics.
  public static let maximumCells = 100_000
  /// The largest experiment file: far more than any experiment needs, and small enough that
  /// the manifest, which keeps the file's text, stays readable (see ``maximumDescriptionBytes``).
  public static let maximumFileBytes = 8 << 20
  /// The longest name of an experiment, a condition or a group, in bytes of UTF-8 (names
  /// become folder and file names, column values and parameter keys).
  public static let maximumNameBytes = 200
  /// The longest description, in bytes of UTF-8: a paragraph or a page, printed at the top
  /// of every report. With ``maximumFileBytes`` it keeps a result's `manifest.json` within
  /// what its readers accept, whatever the file holds.
  public static let maximumDescriptionBytes = 10_000
  /// The most groups of a written-out team.
  public static let maximumGroups = 64
  /// The most swept keys: a grid of more axes than this with two values each is over
  /// ``maximumPoints`` anyway.
  public static let maximumSweepKeys = 16
  /// The most numbers in a list value (a skill or weight per domain, own domains).
  public static let maximumListItems = 64
  /// The most members a role's list may name (a group's largest count).
  public static let maximumRoleMembers = 10_000

  /// Why `name` (of a condition, a group or the experiment) is too long, or nil.
  public static func nameProblem(_ name: String) -> String? {
    let bytes = name.utf8.count
    guard bytes > maximumNameBytes else { return nil }
    return "is \(bytes) bytes long; a name is at most \(maximumNameBytes) bytes "
      + "(\(maximumNameBytes) ASCII characters)"
  }

  /// The limits on the lists and objects of an experiment file, refused while it is parsed
  /// (so 10^6 conditions cost the first 1,001 of them, not the file).
  static let fileLimits = JSON5Limits(defaultItems: maximumPoints) { path in
    listLimit(path)
  }

  /// The limits on the value of a `--set` option: lists of at most ``maximumListItems``.
  static let valueLimits = JSON5Limits(defaultItems: maximumListItems) { _ in listValue }

  static let listValue = (
    maximum: maximumListItems,
    message: "holds more than \(maximumListItems) values; a list value has at most one per "
      + "domain (\(maximumListItems) at most)"
  )

  static func listLimit(_ path: [String]) -> (maximum: Int, message: String)? {
    switch path.count {
    case 0: return nil
    case 1 where path[0] == "conditions":
      return (
        maximumConditions,
        "more than \(maximumConditions) conditions; split the experiment into several files"
      )
    case 1 where path[0] == "sweep":
      return (
        maximumSweepKeys,
        "more than \(maximumSweepKeys) swept keys; sweep fewer keys, or set the keys with one "
          + "value in `set`"
      )
    case 2 where path[0] == "sweep":
      return (
        maximumPoints,
        "more than \(maximumPoints) values: the grid would have more than the \(maximumPoints) "
          + "points allowed"
      )
    case 2 where path == ["scenario", "team"]:
      return (maximumGroups, "more than \(maximumGroups) groups; merge groups of equal agents")
    case 3 where path[0] == "sweep":
      return listValue
    case 5 where path[0] == "scenario" && path[1] == "team" && path[3] == "roles":
      return (
        maximumRoleMembers,
        "names more than \(maximumRoleMembers) members, more than a group can have"
      )
    default:
      break
    }
    if path[0] == "scenario" { return listValue }
    if let set = path.firstIndex(of: "set"), set < path.count - 1 { return listValue }
    return nil
  }

  /// A limit's key path as messages write it: `conditions`, `scenario.team[2].skill`.
  static func render(_ path: [String]) -> String {
    path.reduce("") { text, key in key.hasPrefix("[") ? text + key : join(text, key) }
  }

  /// Why an experiment with `conditions` conditions and sweep axes of `axisSizes` values is
  /// too large, or nil.
  public static func problem(conditions: Int, axisSizes: [Int]) -> (key: String, message: String)? {
    if conditions > maximumConditions {
      return (
        "conditions",
        "\(conditions) conditions are more than the \(maximumConditions) allowed; "
          + "split the experiment into several files"
      )
    }
    var points = 1
    for size in axisSizes {
      let (product, overflow) = points.multipliedReportingOverflow(by: size)
      points = overflow ? Int.max : product
    }
    let sizes = axisSizes.map(String.init).joined(separator: " x ")
    if points > maximumPoints {
      return (
        "sweep",
        "the grid has \(points == Int.max ? "more than \(Int.max)" : String(points)) points "
          + "(\(sizes)), more than the \(maximumPoints) allowed; sweep fewer values or split the sweep"
      )
    }
    if points * conditions > maximumCells {
      return (
        "sweep",
        "\(conditions) conditions x \(points) points (\(sizes)) make \(points * conditions) "
          + "cells, more than the \(maximumCells) allowed; sweep fewer values or split the experiment"
      )
    }
    return nil
  }
}

/// What one replication of a configuration needs: tasks, drift updates and the memory of
/// the simulator that runs it. A pure function of the configuration, so `check` and `run`
/// can refuse a plan that would exhaust memory before running any of it.
///
/// The figures are expectations: tasks arrive as a Poisson process (mean
/// `arrivalRate x horizon`), each AI agent's model updates too (mean `driftRate x 2 x
/// horizon`, over the whole run). Memory is what the engine keeps per task and per drift
/// update, measured with `/usr/bin/time -v` on runs of 10^5 to 10^7 tasks (253 bytes per task
/// with one stage; 62 bytes per drift update with 4 domains, 172 with 16), rounded up and
/// with room for per-stage state.
public struct SizeEstimate: Sendable, Equatable {
  /// Expected tasks per replication.
  public var tasks: Double
  /// Expected model updates (drift events) per replication.
  public var driftUpdates: Double
  /// Bytes the simulator holds for one replication.
  public var bytes: Double

  /// Bytes per task with `stages` stages per task.
  public static func bytesPerTask(stages: Int) -> Double { 250 + 150 * Double(stages) }
  /// Bytes per drift update with `domains` domains.
  public static func bytesPerDriftUpdate(domains: Int) -> Double { 48 + 8 * Double(domains) }
  /// A simulator's fixed part: the team tables, queues and buffers of a small run.
  public static let baseBytes = 1_000_000.0

  public init(tasks: Double, driftUpdates: Double, bytes: Double) {
    self.tasks = tasks
    self.driftUpdates = driftUpdates
    self.bytes = bytes
  }

  /// The estimate for one replication of `configuration`.
  public init(_ configuration: Configuration) {
    let scenario = configuration.scenario
    let horizon = max(0, scenario.horizon)
    tasks = max(0, scenario.workload.arrivalRate) * horizon
    var drift = 0.0
    for group in scenario.team where group.kind == .ai {
      drift += Double(max(0, group.count)) * max(0, group.driftRate) * 2 * horizon
    }
    driftUpdates = drift
    bytes =
      Self.baseBytes + tasks * Self.bytesPerTask(stages: Self.stages(configuration))
      + drift * Self.bytesPerDriftUpdate(domains: scenario.domains)
  }

  /// Stages per task: `workload.stages` when the registry has that key, else 1.
  static func stages(_ configuration: Configuration) -> Int {
    let registry = ParameterRegistry(scenario: configuration.scenario)
    guard let parameter = registry["workload.stages"] else { return 1 }
    switch parameter.value(in: configuration) {
    case .integer(let i): return max(1, i)
    case .number(let x) where x.isFinite: return max(1, Int(min(x.rounded(.up), 1e6)))
    default: return 1
    }
  }
}

/// The size of a whole plan: the largest replication, and the memory of one worker thread.
public struct PlanEstimate: Sendable {
  /// The largest expected tasks and drift updates of any replication, and where.
  public var tasks: Double
  public var tasksAt: (condition: Int, point: Int)
  public var driftUpdates: Double
  public var driftAt: (condition: Int, point: Int)
  /// Bytes one worker thread may hold: a worker keeps a simulator for each of the last
  /// ``SimulatorCache/capacity`` scenarios it ran, each as large as its largest replication.
  public var bytesPerThread: Double

  /// Documented limits; `--allow-large` lifts them.
  public static let maximumTasks = 10_000_000.0
  public static let maximumDriftUpdates = 10_000_000.0
  public static let maximumBytesPerThread = 2.0 * 1024 * 1024 * 1024

  public init(_ plan: Plan) {
    tasks = 0
    tasksAt = (0, 0)
    driftUpdates = 0
    driftAt = (0, 0)
    var byScenario: [Scenario: Double] = [:]
    for (p, row) in plan.sizeProbes.enumerated() {
      for (c, configuration) in row.enumerated() {
        let estimate = SizeEstimate(configuration)
        if estimate.tasks > tasks { (tasks, tasksAt) = (estimate.tasks, (c, p)) }
        if estimate.driftUpdates > driftUpdates {
          (driftUpdates, driftAt) = (estimate.driftUpdates, (c, p))
        }
        byScenario[configuration.scenario] = max(
          byScenario[configuration.scenario] ?? 0, estimate.bytes)
      }
    }
    bytesPerThread = byScenario.values.sorted(by: >).prefix(SimulatorCache.capacity).reduce(0, +)
  }

  /// The limits this plan exceeds, each as a sentence with the estimate, the limit and what
  /// to change; empty when it is within all of them.
  public func problems(_ plan: Plan) -> [String] {
    let experiment = plan.experiment
    func place(_ at: (condition: Int, point: Int)) -> String {
      var text = "condition \(experiment.conditions[at.condition].name)"
      let point = plan.points[at.point]
      if !point.isEmpty {
        text +=
          " at "
          + zip(experiment.sweep, point).map { "\($0.key)=\($1.text)" }
          .joined(separator: ", ")
      }
      return text
    }
    var problems: [String] = []
    if tasks > Self.maximumTasks {
      problems.append(
        "about \(Self.count(tasks)) tasks per replication (\(place(tasksAt))), more than the "
          + "limit of \(Self.count(Self.maximumTasks)); lower horizon or workload.arrivalRate")
    }
    if driftUpdates > Self.maximumDriftUpdates {
      problems.append(
        "about \(Self.count(driftUpdates)) drift updates per replication (\(place(driftAt))), "
          + "more than the limit of \(Self.count(Self.maximumDriftUpdates)); lower "
          + "team.<group>.driftRate, the AI agents' count or horizon")
    }
    if bytesPerThread > Self.maximumBytesPerThread {
      problems.append(
        "about \(Self.bytes(bytesPerThread)) of memory per thread, more than the limit of "
          + "\(Self.bytes(Self.maximumBytesPerThread)); lower horizon, workload.arrivalRate or "
          + "the drift rates")
    }
    return problems
  }

  /// 12,500,000 or 1.2e+11.
  public static func count(_ x: Double) -> String {
    guard x < 1e15 else { return ParameterValue.format(x.rounded()) }
    let digits = String(Int64(x.rounded()))
    var out = ""
    for (i, ch) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }

  /// 1.5 GB, 300 MB, 12 KB (powers of 1024, one decimal below 10).
  public static func bytes(_ x: Double) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = x
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(Int(value)) bytes" }
    let text =
      value < 10
      ? String(Double(Int((value * 10).rounded())) / 10) : String(Int(value.rounded()))
    return "\(text) \(units[unit])"
  }
}
