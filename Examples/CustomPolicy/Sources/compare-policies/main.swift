import CustomPolicies
import EnsembleModel

// Runs the default scenario under the structured design with the built-in routing, with
// round-robin routing, and with either plus a stand-up every 8 hours, on the same
// replication seeds, and prints the mean of a few metrics for each.

let replications = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200
let scenario = Scenario.default
let design = Design.structured

struct Totals {
  var correct = 0.0
  var cycle = 0.0
  var costPerCorrect = 0.0
  var regret = 0.0
  mutating func add(_ m: Metrics) {
    correct += m.correctRate ?? 0
    cycle += m.meanCycle ?? 0
    costPerCorrect += m.costPerCorrect ?? 0
    regret += m.routingRegret ?? 0
  }
}

func measure<R: RoutingPolicy, M: Mechanism>(_ routing: R, _ mechanism: M) -> Totals {
  var simulator = CustomSimulator(scenario: scenario, routing: routing, mechanism: mechanism)
  var totals = Totals()
  for r in 0..<replications {
    let seed = ReplicationSeed.derive(experimentSeed: 20_261_205, replication: r)
    totals.add(simulator.run(design: design, seed: seed))
  }
  return totals
}

let rows: [(String, Totals)] = [
  ("built-in routing", measure(EstimateRouting(), NoMechanism())),
  ("round-robin", measure(RoundRobin(), NoMechanism())),
  ("built-in + stand-up", measure(EstimateRouting(), StandUp())),
  ("round-robin + stand-up", measure(RoundRobin(), StandUp())),
]

func cell(_ x: Double, _ width: Int, _ decimals: Int) -> String {
  var text = String(Int((x * pow10(decimals)).rounded()))
  while text.count <= decimals { text = "0" + text }
  text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
  return String(repeating: " ", count: max(0, width - text.count)) + text
}
func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

print("Default scenario, structured design, \(replications) replications (means)")
print("policy                    correct rate  cycle (h)  cost/correct  routing regret")
for (name, t) in rows {
  let n = Double(replications)
  print(
    name + String(repeating: " ", count: max(0, 24 - name.count))
      + cell(t.correct / n, 14, 3) + cell(t.cycle / n, 11, 2)
      + cell(t.costPerCorrect / n, 14, 1) + cell(t.regret / n, 16, 3))
}
