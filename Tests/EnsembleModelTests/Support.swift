import EnsembleModel

/// Mean and standard error of a sample.
struct SampleStats {
  let n: Int
  let mean: Double
  let sd: Double
  var standardError: Double { sd / Double(n).squareRoot() }

  init(_ values: [Double]) {
    let count = values.count
    let average = values.reduce(0, +) / Double(count)
    let squares = values.reduce(0) { $0 + ($1 - average) * ($1 - average) }
    n = count
    mean = average
    sd = count > 1 ? (squares / Double(count - 1)).squareRoot() : 0
  }
}

/// Runs `replications` replications of `design` on `scenario` and collects one metric.
func collect(
  _ scenario: Scenario, _ design: Design, replications: Int, seed: UInt64 = 7,
  _ metric: (Metrics) -> Double?
) -> [Double] {
  var simulator = Simulator(scenario: scenario)
  var values: [Double] = []
  for r in 0..<replications {
    let m = simulator.run(
      design: design, seed: ReplicationSeed.derive(experimentSeed: seed, replication: r))
    if let v = metric(m) { values.append(v) }
  }
  return values
}

/// A scenario of `count` identical agents of one kind with no penalties, one domain,
/// and tasks whose success depends only on `skill - difficulty`.
func identicalAgents(
  count: Int, skill: Double, silentShare: Double, arrivalRate: Double, horizon: Double,
  difficulty: Double = 0, steepness: Double = 10, work: Distribution = .exponential(mean: 1)
) -> Scenario {
  var group = AgentGroup(name: "agents", kind: .human, count: count, skill: [skill])
  group.edgePenalty = 0
  group.ambiguityPenalty = 0
  group.noveltyPenalty = 0
  group.silentShare = silentShare
  group.speed = 1
  var scenario = Scenario(team: [group])
  scenario.domains = 1
  scenario.horizon = horizon
  scenario.workload.arrivalRate = arrivalRate
  scenario.workload.difficulty = .fixed(difficulty)
  scenario.workload.edgeCaseRate = 0
  scenario.workload.noveltyRate = 0
  scenario.workload.ambiguity = .fixed(0)
  scenario.workload.work = work
  scenario.model.steepness = steepness
  return scenario
}

/// The plain design: self-selection, no overhead, no duplication, nothing switched on.
var plainDesign: Design {
  var design = Design.unstructured
  design.commCost = 0
  design.duplicationRate = 0
  return design
}
