import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

/// `ensemble list`, `show`, `check` and `params`: commands that only read and print.
enum InfoCommands {
  static let listHelp = """
    Usage: ensemble list

    Lists the built-in experiments and scenarios, one line each.
    """

  static func list(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: OptionSpec(), command: "list")
    if args.flags.contains("help") {
      Console.out(listHelp)
      return .success
    }
    Console.out("Experiments (ensemble run NAME, ensemble show NAME):")
    let width = (BuiltinExperiments.names.map(\.count).max() ?? 0) + 2
    for name in BuiltinExperiments.names {
      Console.out(
        "  " + name.padding(toLength: width, withPad: " ", startingAt: 0)
          + BuiltinExperiments.summary(named: name))
    }
    Console.out("")
    Console.out("Scenarios (scenario: \"NAME\" in an experiment file):")
    for scenario in BuiltinScenarios.all {
      Console.out(
        "  " + scenario.name.padding(toLength: width, withPad: " ", startingAt: 0)
          + scenario.summary)
    }
    return .success
  }

  static let showHelp = """
    Usage: ensemble show NAME

    Prints a built-in experiment as a file to start from, without its name, so that
    a copy takes its own file name (and its own output folder):
      ensemble show structured-vs-unstructured > mine.json
      ensemble run mine.json                      # writes results/mine/
    """

  static func show(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: OptionSpec(maxPositionals: 1), command: "show")
    if args.flags.contains("help") {
      Console.out(showHelp)
      return .success
    }
    guard let name = args.positionals.first else {
      throw CLIError("show: which experiment? `ensemble list` shows the built-in ones")
    }
    guard let text = BuiltinExperiments.text(named: name) else {
      let hint =
        nearest(name, among: BuiltinExperiments.names).map { "; did you mean \"\($0)\"?" } ?? ""
      throw CLIError("show: \"\(name)\" is not a built-in experiment\(hint) (`ensemble list`)")
    }
    Console.write(STDOUT_FILENO, withoutName(text))
    return .success
  }

  /// An experiment's text without its `name: "…",` line: a copy is named after its file.
  static func withoutName(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if let i = lines.firstIndex(where: { line in
      let trimmed = line.drop { $0 == " " }
      return trimmed.hasPrefix("name:") && trimmed.hasSuffix(",")
    }) {
      lines.remove(at: i)
    }
    return lines.joined(separator: "\n")
  }

  static let checkHelp = """
    Usage: ensemble check FILE|NAME [--set KEY=VALUE]... [--replications N] [--seed
    S]
                          [--threads N] [--allow-large]

    Validates an experiment file and prints the expanded plan: conditions, sweep
    points, replications and runs, and its size: the tasks and drift updates of the
    largest replication and the memory per thread. Exits with 2 and a message naming
    the mistake when the file is not valid, or when the plan is over a size limit
    that `run` would refuse (10,000,000 tasks or drift updates per replication, 2 GB
    per thread, or more memory on --threads N threads than the machine has) unless
    --allow-large.
    """

  static func check(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let spec = OptionSpec(
      values: ["replications", "seed", "threads"], repeated: ["set"], flags: ["allow-large"],
      maxPositionals: 1)
    let args = try Arguments(arguments, spec: spec, command: "check")
    if args.flags.contains("help") {
      Console.out(checkHelp)
      return .success
    }
    guard let argument = args.positionals.first else {
      throw CLIError("check: which file? e.g. `ensemble check Experiments/ablation.json`")
    }
    let source = try ExperimentSource.load(argument, with: args, command: "check")
    let e = source.experiment
    let plan = e.sensitivity == nil ? Plan(e) : Plan(sensitivity: e)
    if e.sensitivity == nil,
      let problem = ResultManifest.sizeProblem(plan: plan, experimentText: source.text, extra: 4096)
    {
      throw CLIError("check: \(e.source): \(problem)")
    }
    Console.out("\(e.source): valid")
    Console.out("experiment   \(e.name)")
    Console.out("seed         \(e.seed)")
    Console.out("scenario     \(e.scenarioName)")
    for assignment in e.set {
      Console.out("set          \(assignment.key) = \(assignment.value.text)")
    }
    Console.out("conditions   \(e.conditions.count) (baseline: \(e.conditions[e.baseline].name))")
    for condition in e.conditions {
      var line = "  \(condition.name): \(condition.preset ?? "custom design")"
      if !condition.set.isEmpty {
        line += "; " + condition.set.map { "\($0.key) = \($0.value.text)" }.joined(separator: ", ")
      }
      Console.out(line)
    }
    if let spec = e.sensitivity {
      Console.out("sensitivity  " + sensitivityLine(spec, points: plan.points.count))
      for factor in spec.factors {
        if factor.isDummy {
          Console.out(
            "  \(factor.name): ignored by the model; it re-draws the replication seeds, so its "
              + "index is the noise floor")
          continue
        }
        Console.out(
          "  \(factor.name): \(ParameterValue.format(factor.low)) to "
            + "\(ParameterValue.format(factor.high))" + (factor.isInteger ? " (integer)" : ""))
      }
    } else {
      Console.out("sweep points \(plan.points.count)")
      for axis in e.sweep {
        Console.out("  \(axis.key): " + axis.values.map(\.text).joined(separator: ", "))
      }
    }
    Console.out("replications \(e.replications)")
    Console.out(
      "runs         \(plan.runCount) (\(e.conditions.count) conditions x \(plan.points.count) "
        + "points x \(e.replications) replications)")
    for line in SizeCheck.lines(plan) { Console.out(line) }
    let threads =
      try args.integer("threads", in: 1...4096, command: "check") ?? Console.processorCount
    if SizeCheck.problems(plan, threads: threads).isEmpty {
      Console.out("time         " + estimatedTime(plan, threads: threads))
    }
    try SizeCheck.enforce(
      plan, threads: threads, allowLarge: args.flags.contains("allow-large"), command: "check")
    return .success
  }

  /// The plan line of a sensitivity analysis: method, design, repeats, the dummy and the
  /// point count, e.g. "sobol, scrambled design, base sample 512 x 4 repeats: 2048 x (9 + 2)
  /// = 22528 points, with a dummy".
  static func sensitivityLine(_ spec: SensitivitySpec, points: Int) -> String {
    let k = spec.factors.count
    var line = spec.method.rawValue + ", "
    switch spec.method {
    case .sobol:
      line +=
        spec.design == .scrambled
        ? "scrambled design (Owen), "
        : "unscrambled design (SALib's, the first \(spec.samples) points skipped), "
      let rows = spec.samples * spec.repeats
      line +=
        spec.repeats > 1
        ? "base sample \(spec.samples) x \(spec.repeats) repeats: \(rows) x (\(k) + 2)"
        : "base sample \(spec.samples): \(rows) x (\(k) + 2)"
    case .morris:
      line +=
        "\(spec.samples) trajectories on a \(spec.levels)-level grid: \(spec.samples) x (\(k) + 1)"
    }
    line += " = \(points) points"
    if spec.dummyIndex != nil { line += ", with a dummy (the noise floor)" }
    return line
  }

  /// "about 8 s on 2 threads": a few replications of every condition at the plan's first,
  /// middle and last points, timed, scaled to the plan's runs (one replication when a run
  /// is large; only for plans within the size limits).
  static func estimatedTime(_ plan: Plan, threads: Int) -> String {
    let samples = PlanEstimate(plan).tasks > 100_000 ? 1 : 3
    let units = plan.units
    var points: [Int] = []
    for unit in [units.lowerBound, units.lowerBound + units.count / 2, units.upperBound - 1] {
      let point = plan.point(ofUnit: unit)
      if !points.contains(point) { points.append(point) }
    }
    let started = DispatchTime.now().uptimeNanoseconds
    for point in points {
      for c in 0..<plan.conditionCount {
        let configuration = plan.configuration(point: point, condition: c)
        var simulator = Simulator(scenario: configuration.scenario)
        for r in 0..<samples {
          _ = simulator.run(
            design: configuration.design, seed: plan.seed(point: point, replication: r))
        }
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let perRun = seconds / Double(samples * points.count * max(1, plan.conditionCount))
    let total = perRun * Double(plan.runCount) / Double(max(1, min(threads, units.count)))
    let text =
      total < 60 ? "\(NumberFormat.brief(total)) s" : "\(NumberFormat.brief(total / 60)) min"
    let at = points.count == 1 ? "the plan's only point" : "\(points.count) of its points"
    return "about \(text) on \(threads) threads (timed from a few runs at \(at))"
  }

  static let paramsHelp = """
    Usage: ensemble params [--scenario NAME]

    Prints the parameter registry: every key an experiment's `set`, `sweep` or
    `--set` accepts, with its type, default (in the scenario and the unstructured
    preset), range, unit and meaning. `team.<group>.*` keys exist for each group of
    the scenario. Then the metrics every run measures: the values each can take,
    which way is better, and what it means.
    """

  /// What the structured preset changes, read from the presets themselves: "...; the
  /// structured preset sets signoff=high-stakes, routing=conductor, ..., translation,
  /// ... and ledger."
  static func presetNote(_ registry: ParameterRegistry, _ scenario: Scenario) -> String {
    let plain = Configuration(scenario: scenario, design: .unstructured)
    let structured = Configuration(scenario: scenario, design: .structured)
    let prefix = "design."
    let changes = registry.parameters.compactMap { p -> String? in
      let value = p.value(in: structured)
      guard p.key.hasPrefix(prefix), value != p.value(in: plain) else { return nil }
      let name = String(p.key.dropFirst(prefix.count))
      return value == .boolean(true) ? name : "\(name)=\(value.text)"
    }
    let list =
      changes.count > 1
      ? changes.dropLast().joined(separator: ", ") + " and " + changes.last!
      : changes.first ?? "nothing"
    return "Design defaults are those of the unstructured preset; the structured preset sets "
      + list + "."
  }

  /// `text` in lines of at most `width` characters, broken at spaces.
  static func wrapped(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  static func params(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(
      arguments, spec: OptionSpec(values: ["scenario"]), command: "params")
    if args.flags.contains("help") {
      Console.out(paramsHelp)
      return .success
    }
    let name = args.values["scenario"] ?? "default"
    guard let scenario = BuiltinScenarios.named(name) else {
      throw CLIError("params: \"\(name)\" is not a built-in scenario (`ensemble list`)")
    }
    let registry = ParameterRegistry(scenario: scenario)
    let configuration = Configuration(scenario: scenario, design: .unstructured)
    var rows = [["key", "type", "default", "range", "unit", "meaning"]]
    for p in registry.parameters {
      rows.append([
        p.key, p.type.name, p.value(in: configuration).text, p.rangeText, p.unit, p.meaning,
      ])
    }
    table(rows)
    Console.out("")
    for line in wrapped(presetNote(registry, scenario), width: 80) { Console.out(line) }
    Console.out("")
    Console.out("Metrics (the columns of runs.csv after the swept keys, in this order):")
    table(
      [["metric", "values", "better", "meaning"]]
        + Metrics.table.map { [$0.name, $0.bounds.text, $0.better.rawValue, $0.meaning] })
    return .success
  }

  /// Prints rows as columns padded to their widest cell; the last column is not padded.
  static func table(_ rows: [[String]]) {
    guard let columns = rows.first?.count else { return }
    let widths = (0..<columns - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
      var line = ""
      for column in 0..<columns - 1 {
        line += row[column].padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
      }
      Console.out(line + row[columns - 1])
    }
  }
}
