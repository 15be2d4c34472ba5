import EnsembleExperiments
import EnsembleModel
import Foundation

/// `ensemble bench`: the engine's speed on the default scenario, one core, both presets.
enum BenchCommand {
  static let help = """
    Usage: ensemble bench [--replications N] [--stages S] [--shape chain|fanout]
                          [--preset unstructured|structured] [--set KEY=VALUE]...

    Runs the default scenario under the unstructured and structured presets on one
    core, both on each replication seed as a run does (the task list is drawn once
    per seed), and prints events per second (entries taken off the event queue),
    replications per second and the peak memory of the process. --stages and --shape
    make its tasks multi-stage work (default: 1 stage, as in model version 1);
    `--stages 4` is the version-2 benchmark. --set changes a parameter of the
    scenario or of both presets, as for `run`: `--set design.judgment=judge`
    measures judgment. --preset runs one preset only. Build with
    `swift build -c release` and run on an idle machine for figures worth quoting.
    """

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(
      arguments,
      spec: OptionSpec(
        values: ["replications", "stages", "shape", "preset"], repeated: ["set"]),
      command: "bench")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    let replications =
      try args.integer("replications", in: 1...10_000_000, command: "bench") ?? 2000
    var scenario = Scenario.default
    scenario.workload.stages = try args.integer("stages", in: 1...16, command: "bench") ?? 1
    if let shape = args.values["shape"] {
      guard let value = WorkShape(rawValue: shape) else {
        throw CLIError("bench: --shape expects chain or fanout, got \"\(shape)\"")
      }
      scenario.workload.shape = value
    }
    var presets = Design.presets
    if let name = args.values["preset"] {
      guard Design.preset(named: name) != nil else {
        let names = presets.map(\.name).joined(separator: " or ")
        throw CLIError("bench: --preset expects \(names), got \"\(name)\"")
      }
      presets = presets.filter { $0.name == name }
    }
    let sets = args.repeated["set"] ?? []
    if !sets.isEmpty {
      let registry = ParameterRegistry(scenario: scenario)
      var configurations = presets.map { Configuration(scenario: scenario, design: $0.design) }
      for option in sets {
        let assignment: Assignment
        do {
          assignment = try ExperimentLoader.assignment(option, registry: registry)
        } catch {
          throw CLIError("bench: \(error.description)")
        }
        for c in configurations.indices {
          registry[assignment.key]!.apply(assignment.value, to: &configurations[c])
        }
      }
      for (c, configuration) in configurations.enumerated() {
        if let problem = configuration.problem() { throw CLIError("bench: --set: \(problem)") }
        presets[c].design = configuration.design
      }
      scenario = configurations[0].scenario
    }
    #if DEBUG
      Console.error(
        "ensemble bench: this is a debug build; use `swift build -c release` for real figures")
    #endif
    Console.out(
      "design        replications  events/s        replications/s  mean events/replication")
    // Both presets run on each replication seed, as the runner runs the conditions of a
    // replication; the order alternates so that each pays for drawing the task list (done
    // once per seed) half of the time.
    var simulator = Simulator(scenario: scenario)
    for r in 0..<10 {  // warm up: the first replications size the engine's storage
      for (_, design) in presets { _ = simulator.run(design: design, seed: UInt64(r)) }
    }
    var events = Array(repeating: 0, count: presets.count)
    var nanoseconds = Array(repeating: UInt64(0), count: presets.count)
    for r in 0..<replications {
      let seed = ReplicationSeed.derive(experimentSeed: 1, replication: r)
      for k in 0..<presets.count {
        let p = (k + r) % presets.count
        let start = DispatchTime.now().uptimeNanoseconds
        events[p] += simulator.run(design: presets[p].design, seed: seed).events
        nanoseconds[p] += DispatchTime.now().uptimeNanoseconds - start
      }
    }
    func row(_ name: String, _ runs: Int, _ events: Int, _ ns: UInt64) {
      let seconds = Double(ns) / 1e9
      Console.out(
        name.padding(toLength: 14, withPad: " ", startingAt: 0)
          + String(runs).padding(toLength: 14, withPad: " ", startingAt: 0)
          + format(Double(events) / seconds).padding(toLength: 16, withPad: " ", startingAt: 0)
          + format(Double(runs) / seconds).padding(toLength: 16, withPad: " ", startingAt: 0)
          + String(events / max(1, runs)))
    }
    for (p, preset) in presets.enumerated() {
      row(preset.name, replications, events[p], nanoseconds[p])
    }
    row("both", presets.count * replications, events.reduce(0, +), nanoseconds.reduce(0, +))
    Console.out("peak memory   \(Console.peakMemoryBytes / 1024) KiB")
    return .success
  }

  /// A rate with thousands separators, e.g. 9,512,331.
  static func format(_ x: Double) -> String {
    let digits = String(Int(x.rounded()))
    var out = ""
    for (i, ch) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }
}
