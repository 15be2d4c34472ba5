import EnsembleModel
import Foundation
import Testing

/// The validation cases of docs/MODEL.md section 9: cases with exact answers.
///
/// Tolerances are derived from the standard error of the fixed-seed sample: the estimate
/// must fall within `z` standard errors of the exact value, with z = 4 (a false failure
/// has probability about 6e-5 for a correct engine; the seeds are fixed, so a pass is
/// repeatable).
@Suite("Validation cases (docs/MODEL.md section 9)")
struct ValidationTests {
  static let z = 4.0

  /// Erlang C: the mean wait in queue `Wq` of an M/M/c queue with arrival rate `lambda`
  /// and service rate `mu` per server.
  static func erlangCWait(servers c: Int, lambda: Double, mu: Double) -> Double {
    let a = lambda / mu
    let rho = a / Double(c)
    var term = 1.0  // a^k / k!
    var sum = 0.0
    for k in 0..<c {
      if k > 0 { term *= a / Double(k) }
      sum += term
    }
    let last = term * a / Double(c) / (1 - rho)  // a^c / c! / (1 - rho)
    let probabilityOfWaiting = last / (sum + last)
    return probabilityOfWaiting / (Double(c) * mu - lambda)
  }

  @Test("Erlang C formula matches a known value")
  func erlangCKnownValue() {
    // M/M/1 with rho = 0.5: Wq = rho / (mu - lambda) = 0.5 / 0.5 = 1.
    #expect(abs(Self.erlangCWait(servers: 1, lambda: 0.5, mu: 1) - 1) < 1e-12)
    // M/M/2 with lambda = 1, mu = 1: C = 1/3, Wq = (1/3) / (2 - 1).
    #expect(abs(Self.erlangCWait(servers: 2, lambda: 1, mu: 1) - 1.0 / 3) < 1e-12)
  }

  @Test("M/M/c mean wait converges to Erlang C", arguments: [(2, 1.2), (3, 2.4)])
  func erlangC(servers: Int, lambda: Double) {
    let scenario = identicalAgents(
      count: servers, skill: 1, silentShare: 0, arrivalRate: lambda, horizon: 2000,
      difficulty: 0, steepness: 100)
    var delivered = 0
    var arrived = 0
    let waits = collect(scenario, plainDesign, replications: 16, seed: 11) {
      delivered += $0.delivered
      arrived += $0.arrived
      return $0.meanWait
    }
    #expect(delivered == arrived, "every output must be correct and delivered")
    let stats = SampleStats(waits)
    let exact = Self.erlangCWait(servers: servers, lambda: lambda, mu: 1)
    #expect(
      abs(stats.mean - exact) < Self.z * stats.standardError,
      "mean wait \(stats.mean) vs Erlang C \(exact), se \(stats.standardError)")
  }

  /// `P(Bin(k, p) > k/2) + 0.5 P(Bin(k, p) = k/2)`.
  static func condorcet(k: Int, p: Double) -> Double {
    var total = 0.0
    for j in 0...k {
      var choose = 1.0
      for i in 0..<j { choose *= Double(k - i) / Double(i + 1) }
      let probability = choose * pow(p, Double(j)) * pow(1 - p, Double(k - j))
      if 2 * j > k { total += probability } else if 2 * j == k { total += 0.5 * probability }
    }
    return total
  }

  @Test("Condorcet: majority voting of k identical agents", arguments: [1, 3, 5, 7])
  func condorcet(k: Int) {
    let p = 0.6
    // Skill above difficulty by logit(p) / steepness gives success probability p exactly.
    let scenario = identicalAgents(
      count: 9, skill: log(p / (1 - p)) / 10, silentShare: 1, arrivalRate: 0.5,
      horizon: 400)
    var design = plainDesign
    design.redundancy = k
    var perTask: [Double] = []
    var simulator = Simulator(scenario: scenario)
    for r in 0..<30 {
      let m = simulator.run(
        design: design, seed: ReplicationSeed.derive(experimentSeed: 3, replication: r))
      #expect(m.backlog == 0)
      perTask.append(Double(m.correct) / Double(m.arrived))
    }
    let stats = SampleStats(perTask)
    let exact = Self.condorcet(k: k, p: p)
    #expect(
      abs(stats.mean - exact) < Self.z * stats.standardError,
      "correct rate \(stats.mean) vs \(exact), se \(stats.standardError)")
  }

  @Test("Condorcet reference: the binomial formula for even k counts half the ties")
  func condorcetEven() {
    // k = 2, p = 0.6: P(2 correct) + 0.5 P(1 correct) = 0.36 + 0.5 * 0.48 = 0.6.
    #expect(abs(Self.condorcet(k: 2, p: 0.6) - 0.6) < 1e-12)
  }

  /// Little's law: the time-average number of open tasks equals the arrival rate times the
  /// mean cycle time; measured per replication as `L - lambda W`, whose mean must be zero.
  @Test("Little's law holds in a stable run", arguments: ["mmc", "structured"])
  func littlesLaw(kind: String) {
    var scenario: Scenario
    var design: Design
    if kind == "mmc" {
      scenario = identicalAgents(
        count: 3, skill: 1, silentShare: 0, arrivalRate: 2.4, horizon: 500, steepness: 100)
      design = plainDesign
    } else {
      // The default team under structure, at a load where the run drains quickly, so the
      // end effects (the drain after the last arrival) stay well below the noise.
      scenario = .default
      scenario.horizon = 400
      scenario.workload.arrivalRate = 8
      design = .structured
    }
    let lambda = scenario.workload.arrivalRate
    var abandoned = 0
    let gaps = collect(scenario, design, replications: 20, seed: 5) { m in
      abandoned += m.abandoned
      return m.backlog == 0 ? m.meanInSystem - lambda * m.meanCycle! : nil
    }
    #expect(gaps.count == 20)
    #expect(abandoned == 0 || kind != "mmc")
    let stats = SampleStats(gaps)
    #expect(
      abs(stats.mean) < Self.z * stats.standardError,
      "L - lambda W = \(stats.mean), se \(stats.standardError)")
  }
}
