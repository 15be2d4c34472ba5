import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

/// `ensemble trace`: one replication of an experiment, event by event, and its timeline.
enum TraceCommand {
  static let help = """
    Usage: ensemble trace [FILE|NAME] [options]

    Runs one replication of an experiment for each of its conditions, exactly as
    `ensemble run` does (same seed, same tasks, same numbers), and writes what
    happened: for each condition events-CONDITION.csv (one row per arrival, job
    start and end, drift update, rework, delivery and abandonment),
    agents-CONDITION.csv and timeline-CONDITION.svg, and timeline.html with the
    conditions stacked on one time axis. Without FILE or NAME, traces the built-in
    structured-vs-unstructured.

    Options:
      --replication R    the replication to trace, from 0 (default 0)
      --point P          the sweep point, from 0 (default 0; `ensemble check` lists
                         them)
      --condition NAME   a condition to trace; repeatable (default: every condition)
      --from H, --to H   a time window in hours: the timeline and event files keep
                         what happened in it (jobs that overlap it whole); default:
                         the whole run
      --seed S, --replications N, --set KEY=VALUE
                         as for `ensemble run`
      --out DIR          output folder (default: results/<experiment name>-trace)
      --force            replace the files in a non-empty output folder
      --quiet            print nothing but errors

    Exit status: 0 done, 2 a mistake in the command or the file (a replication or
    point out of range, an unknown condition, a window with --from at or after
    --to).
    """

  static let options = OptionSpec(
    values: ["replication", "point", "from", "to", "out", "seed", "replications"],
    repeated: ["condition", "set"], flags: ["force", "quiet"], maxPositionals: 1)

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: options, command: "trace")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    let source = try ExperimentSource.load(
      args.positionals.first ?? "structured-vs-unstructured", with: args, command: "trace")
    let experiment = source.experiment
    let plan = Plan(experiment)
    let replication =
      try args.integer(
        "replication", in: 0...(experiment.replications - 1), command: "trace") ?? 0
    let point = try args.integer("point", in: 0...(plan.points.count - 1), command: "trace") ?? 0
    let names = experiment.conditions.map(\.name)
    var chosen: [Int] = []
    for name in args.repeated["condition"] ?? [] {
      guard let c = names.firstIndex(of: name) else {
        let hint = nearest(name, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        throw CLIError(
          "trace: --condition \"\(name)\" is not a condition of \(experiment.name)\(hint) "
            + "(conditions: \(names.joined(separator: ", ")))")
      }
      if !chosen.contains(c) { chosen.append(c) }
    }
    if chosen.isEmpty { chosen = Array(names.indices) }
    // The run stops at the latest at twice its horizon: a window must overlap that time.
    let longest =
      chosen.map { 2 * plan.configuration(point: point, condition: $0).scenario.horizon }
      .max() ?? 0
    let from = try hours(args, "from", runLength: longest) ?? 0
    let to = try hours(args, "to", runLength: longest)
    if let to, from >= to {
      throw CLIError(
        "trace: the window --from \(NumberFormat.brief(from)) --to \(NumberFormat.brief(to)) "
          + "is empty; --from must be before --to")
    }
    if let to, to - from < Self.shortestWindow * max(1, to) {
      throw CLIError(
        "trace: the window --from \(args.values["from"] ?? "0") --to \(args.values["to"] ?? "") "
          + "is too short to draw (\(NumberFormat.brief(to - from)) h); give one of at least "
          + "\(NumberFormat.brief(Self.shortestWindow * max(1, to))) h")
    }
    let out = try OutputDirectory.outputPath(
      args.values["out"], default: "results/\(experiment.name)-trace", command: "trace")
    let outPath = out.shown
    let (output, _) = try OutputDirectory.open(
      path: out, command: "trace", force: args.flags.contains("force"), resume: false,
      quiet: args.flags.contains("quiet"), inputs: source.inputs)

    let published = try output.publish(failure: "trace") {
      var files: [String] = []
      let seed = plan.seed(replication: replication)
      var conditions: [TimelineCondition] = []
      var end = 0.0
      for c in chosen {
        if Interrupts.requested { return false }
        let configuration = plan.configuration(point: point, condition: c)
        let simulator = Simulator(scenario: configuration.scenario)
        let (_, events) = simulator.trace(design: configuration.design, seed: seed)
        let length = events.last(where: { $0.kind == .end })?.time ?? 0
        end = max(end, length)
        let kept = TraceSchema.window(events, from: from, to: to ?? .infinity)
        let agents = TraceSchema.agents(configuration.scenario)
        let file = fileName(names[c])
        var csv = CSV.line(TraceSchema.eventsHeader)
        for event in kept { csv += TraceSchema.row(event) }
        try output.write("events-\(file).csv", csv)
        try output.write("agents-\(file).csv", TraceSchema.agentsCSV(agents))
        files += ["events-\(file).csv", "agents-\(file).csv"]
        conditions.append(TraceSchema.timeline(name: names[c], agents: agents, events: kept))
      }
      let window = TimelineWindow(from: from, to: to ?? max(end, from + 1))
      let title = "\(experiment.name): replication \(replication)"
      let subtitle = describe(plan, point: point, seed: seed)
      for (c, condition) in zip(chosen, conditions) {
        if Interrupts.requested { return false }
        files.append("timeline-\(fileName(names[c])).svg")
        try output.write(
          "timeline-\(fileName(names[c])).svg",
          Timeline.svg(
            condition, window: window, title: "\(title), \(condition.name)",
            subtitle: subtitle))
      }
      try output.write(
        "timeline.html", Timeline.html(conditions, window: window, title: title, subtitle: subtitle)
      )
      files += ["timeline.html", "manifest.json"]
      // What the folder holds, so that a later --force replaces exactly these files.
      let manifest = JSON.object([
        ("format", .string(Self.format)),
        ("formatVersion", JSON.integer(1)),
        ("engineVersion", .string(EngineVersion.engine)),
        ("modelVersion", JSON.integer(EngineVersion.model)),
        ("complete", .bool(true)),
        ("name", .string(experiment.name)),
        ("seed", .string(String(seed))),
        ("replication", JSON.integer(replication)),
        ("point", JSON.integer(point)),
        ("conditions", JSON.array(chosen.map { .string(names[$0]) })),
        ("from", JSON.number(window.from)),
        ("to", JSON.number(window.to)),
        ("files", JSON.array(files.map { .string($0) })),
      ])
      try output.write("manifest.json", manifest.render() + "\n")
      return !Interrupts.requested
    }
    guard published else {
      Console.error("ensemble: trace interrupted; nothing was written to \(outPath)")
      return .interrupted
    }
    if !args.flags.contains("quiet") {
      Console.error(
        "ensemble: traced replication \(replication) at point \(point) of \(experiment.name) "
          + "(\(chosen.count) conditions) into \(outPath)/")
    }
    return .success
  }

  /// The shortest window drawn, relative to its end (far above a double's resolution, so
  /// the window's ends are always distinct times).
  static let shortestWindow = 1e-6

  /// A number of hours given with `--name`, if any: from 0 to the run's longest length
  /// (twice its horizon), before which a `--from` must lie.
  static func hours(_ args: Arguments, _ name: String, runLength: Double) throws(CLIError)
    -> Double?
  {
    guard let text = args.values[name] else { return nil }
    guard let value = Double(text), value.isFinite, value >= 0 else {
      throw CLIError("trace: --\(name) expects hours, a number of 0 or more, got \"\(text)\"")
    }
    let length = NumberFormat.brief(runLength)
    if name == "from" && value >= runLength {
      throw CLIError(
        "trace: --from \(text) is after the run: it stops at the latest at \(length) h (twice "
          + "the horizon); give --from below \(length)")
    }
    if name == "to" && value > runLength {
      throw CLIError(
        "trace: --to \(text) is after the run: it stops at the latest at \(length) h (twice "
          + "the horizon); give --to \(length) or less, or leave --to out to trace to the end")
    }
    return value
  }

  /// The `format` of a trace folder's `manifest.json`.
  static let format = "ensemble-trace"

  /// Refuses a trace folder given to `report` or `merge`, which read run results.
  static func refuseTrace(_ url: URL, display path: String, command: String) throws(CLIError) {
    if let (kind, _, _) = OutputDirectory.listedResult(url), kind == "a trace" {
      throw CLIError(
        "\(command): \(path) holds a trace (made by ensemble trace); "
          + (command == "merge"
            ? "merge joins the shards of a run or of a sensitivity analysis"
            : "its report is its timeline.html; report rebuilds the results of run and "
              + "sensitivity"))
    }
  }

  /// A condition's name in a file name (unique per condition: the loader refuses names
  /// that would meet).
  static func fileName(_ name: String) -> String { Condition.fileName(name) }

  /// "seed 123; team.ai.count = 5" for the timeline's subtitle.
  static func describe(_ plan: Plan, point: Int, seed: UInt64) -> String {
    var parts = ["replication seed \(seed)"]
    for (axis, value) in zip(plan.experiment.sweep, plan.points[point]) {
      parts.append("\(axis.key) = \(value.text)")
    }
    return parts.joined(separator: "; ")
  }
}
