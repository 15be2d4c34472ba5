import EnsembleModel

var simulator = Simulator(scenario: .default)
for design in [Design.unstructured, Design.structured] {
  var sum = 0.0
  var events = 0
  for r in 0..<200 {
    let m = simulator.run(design: design, seed: ReplicationSeed.derive(experimentSeed: 1, replication: r))
    sum += m.correctRate ?? 0
    events += m.events
  }
  print(design.routing, sum / 200, events)
}
