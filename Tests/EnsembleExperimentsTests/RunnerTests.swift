import EnsembleModel
import Testing

@testable import EnsembleExperiments

@Suite("Plans, shards and the runner")
struct RunnerTests {
  static func experiment(replications: Int = 6) throws -> Experiment {
    var e = try ExperimentLoader.load(
      #"{ seed: 9, sweep: { "team.ai.count": [2, 4] }, set: { horizon: 4 } }"#,
      source: "t", defaultName: "t")
    e.replications = replications
    return e
  }

  @Test("shards are disjoint, contiguous and cover the plan", arguments: [1, 2, 3, 7, 50])
  func shards(count: Int) {
    for total in [0, 1, 5, 12, 1000] {
      var covered: [Int] = []
      for i in 1...count {
        covered += Array(Plan.slice(total: total, shard: (i, count)))
      }
      #expect(covered == Array(0..<total))
    }
  }

  /// The replication seed of docs/MODEL.md section 7, written out here independently:
  /// `mix(mix(seed) ^ (index + 1) * golden)`, with SplitMix64's finaliser `mix`.
  static func referenceSeed(_ experimentSeed: UInt64, _ index: Int) -> UInt64 {
    func mix(_ value: UInt64) -> UInt64 {
      var z = value
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    return mix(mix(experimentSeed) ^ (UInt64(index) &+ 1) &* 0x9E37_79B9_7F4A_7C15)
  }

  @Test("replication seeds follow the documented derivation, and depend only on seed and index")
  func seeds() throws {
    // SplitMix64's first output from state 0 is its published reference value.
    #expect(SplitMix64.mix(0x9E37_79B9_7F4A_7C15) == 0xE220_A839_7B1D_CDAF)
    for (seed, index) in [(UInt64(0), 0), (9, 3), (20_261_122, 999), (UInt64.max, 12_345)] {
      #expect(
        ReplicationSeed.derive(experimentSeed: seed, replication: index)
          == Self.referenceSeed(seed, index), "seed \(seed), replication \(index)")
    }
    let plan = Plan(try Self.experiment())
    for r in 0..<plan.experiment.replications {
      #expect(plan.seed(replication: r) == Self.referenceSeed(9, r))
    }
    let seeds = (0..<1000).map { Self.referenceSeed(9, $0) }
    #expect(Set(seeds).count == seeds.count, "replication seeds collide")
  }

  func collect(_ plan: Plan, threads: Int) throws -> [UnitResult] {
    var results: [UnitResult] = []
    let outcome = try Runner.run(plan, threads: threads) { results.append($0) }
    #expect(outcome == .completed)
    return results
  }

  @Test("results come back in unit order, identical for 1 and 2 threads")
  func threadIndependence() throws {
    let plan = Plan(try Self.experiment(replications: 10))
    let one = try collect(plan, threads: 1)
    let two = try collect(plan, threads: 2)
    let many = try collect(plan, threads: 5)
    #expect(one.map(\.unit) == Array(plan.units))
    #expect(one.map(\.metrics) == two.map(\.metrics))
    #expect(one.map(\.metrics) == many.map(\.metrics))
    #expect(one.allSatisfy { $0.metrics.count == plan.conditionCount })
  }

  @Test("a shard's units give the same results as in the whole run")
  func shardResults() throws {
    let experiment = try Self.experiment()
    let whole = try collect(Plan(experiment), threads: 2)
    var pieces: [UnitResult] = []
    for i in 1...3 { pieces += try collect(Plan(experiment, shard: (i, 3)), threads: 1) }
    #expect(whole.map(\.metrics) == pieces.map(\.metrics))
  }

  @Test("cancelling stops the run early")
  func cancel() throws {
    let plan = Plan(try Self.experiment(replications: 50))
    var delivered = 0
    let outcome = try Runner.run(plan, threads: 2, isCancelled: { true }) { _ in delivered += 1 }
    #expect(outcome == .cancelled)
    #expect(delivered < plan.units.count)
  }

  @Test("an error from the consumer stops the run and is rethrown")
  func consumerError() throws {
    struct Full: Error {}
    let plan = Plan(try Self.experiment(replications: 50))
    #expect(throws: Full.self) {
      try Runner.run(plan, threads: 2) { result in if result.unit == 3 { throw Full() } }
    }
  }
}
