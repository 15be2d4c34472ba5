// libFuzzer target: the experiment file reader (JSON5, the registry, the checks), `--set`
// values, and one short replication of whatever they accept.
// Built by Scripts/build-fuzzers.sh against the library modules (with DEBUG, so the engine
// checks its invariants after every event).
import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport

/// The input is an experiment file, after any number of leading `--set KEY=VALUE` lines
/// (applied as the command line's are). Anything either loads or is refused with an
/// ExperimentError; it never traps. A loaded experiment is expanded into its plan and size
/// estimate, as `check` does, and when its replications are small (a few thousand tasks and
/// drift updates), one replication of every condition at its first and last points is run:
/// every metric must be finite and within its bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExperimentFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  var text = Substring(
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
  var sets: [String] = []
  while text.hasPrefix("--set ") {
    let line = text.prefix { $0 != "\n" }
    sets.append(String(line.dropFirst(6)))
    text = text.dropFirst(line.count + 1)
  }
  guard var experiment = try? ExperimentLoader.load(String(text), source: "fuzz", defaultName: "fuzz")
  else { return 0 }
  guard (try? ExperimentLoader.override(&experiment, sets: sets)) != nil else { return 0 }
  // A design of millions of points is refused by nothing but memory; `check` prints it.
  if let spec = experiment.sensitivity, spec.pointCount > 10_000 { return 0 }
  let plan = experiment.sensitivity == nil ? Plan(experiment) : Plan(sensitivity: experiment)
  let estimate = PlanEstimate(plan)
  _ = estimate.problems(plan)
  guard estimate.tasks <= 2_000, estimate.driftUpdates <= 2_000 else { return 0 }
  let points = plan.points.count
  for point in points == 1 ? [0] : [0, points - 1] {
    for c in 0..<plan.conditionCount {
      let configuration = plan.configuration(point: point, condition: c)
      if let problem = configuration.problem() { fatalError("validated, yet: \(problem)") }
      if configuration.scenario.teamSize > 1_000 { continue }
      var simulator = Simulator(scenario: configuration.scenario)
      let metrics = simulator.run(design: configuration.design, seed: plan.seed(replication: 0))
      for descriptor in Metrics.table {
        guard let value = descriptor.value(metrics) else { continue }
        if !descriptor.bounds.contains(value) || abs(value) > RowChecker.maximumMagnitude {
          fatalError("\(descriptor.name) = \(value) at point \(point), condition \(c)")
        }
      }
    }
  }
  return 0
}
