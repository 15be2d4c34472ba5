import EnsembleModel
import Testing

@testable import EnsembleExperiments

/// Nothing a parameter allows can crash the engine: every distribution the registry accepts
/// gives finite draws and a replication with finite metrics within their bounds, and every
/// distribution whose draws could overflow (or be 0 / 0) is refused naming the key.
@Suite("Parameter safety")
struct ParameterSafetyTests {
  static let registry = ParameterRegistry(scenario: .default)
  static let distributionKeys = registry.parameters.filter { $0.type == .distribution }.map(\.key)

  /// The corners of every distribution's allowed parameters (and just inside them).
  static let corners: [Distribution] = [
    .fixed(0), .fixed(1_000_000), .fixed(-1_000_000), .fixed(5e-324),
    .uniform(0, 0), .uniform(0, 1_000_000), .uniform(-1_000_000, 1_000_000),
    .beta(0.1, 0.1), .beta(0.1, 1_000_000), .beta(1_000_000, 1_000_000),
    .exponential(mean: 1_000_000), .exponential(mean: 5e-324),
    .lognormal(mean: 1e-6, sd: 1e-3), .lognormal(mean: 1e-6, sd: 0),
    .lognormal(mean: 1_000_000, sd: 1_000_000), .lognormal(mean: 1_000, sd: 1_000_000),
    .lognormal(mean: 1, sd: 1_000),
  ]

  /// Distributions whose draws or mean would not be finite numbers the engine can use.
  static let refused: [(Distribution, String)] = [
    (.lognormal(mean: 1, sd: 1e155), "sd 1e+155"),
    (.lognormal(mean: 1e-300, sd: 1e-297), "mean 1e-300"),
    (.lognormal(mean: 1, sd: 1_001), "more than 1000 times the mean"),
    (.lognormal(mean: 0, sd: 0), "mean 0"),
    (.lognormal(mean: 2e6, sd: 0), "mean 2000000"),
    (.beta(0.01, 1), "from 0.1 to 1000000"),
    (.beta(1, 2e6), "from 0.1 to 1000000"),
    (.beta(.nan, 1), "from 0.1"),
    (.exponential(mean: 2e6), "exponential mean 2000000"),
    (.exponential(mean: 0), "exponential mean 0"),
    (.uniform(0, 1e300), "bounds must be from"),
    (.uniform(-.infinity, 0), "bounds must be from"),
    (.uniform(2, 1), "a <= b"),
    (.fixed(1e300), "out of range"),
    (.fixed(.nan), "out of range"),
  ]

  @Test("refused distributions name what is wrong", arguments: 0..<refused.count)
  func refusedDistributions(index: Int) {
    let (distribution, words) = Self.refused[index]
    #expect(distribution.problem?.contains(words) == true, "\(distribution)")
    for key in Self.distributionKeys {
      #expect(Self.registry[key]!.problem(with: .distribution(distribution)) != nil)
    }
  }

  @Test("the crash of issue 21 is refused at check time, naming the key")
  func lognormalOverflow() {
    do {
      _ = try ExperimentLoader.assignment(
        "workload.work={lognormal: {mean: 1, sd: 1e155}}", registry: Self.registry)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("workload.work"))
      #expect(error.message.contains("lognormal sd 1e+155 is out of range"))
    }
    do {
      _ = try ExperimentLoader.load(
        #"{ set: { "workload.work": { lognormal: { mean: 1, sd: 1e155 } } } }"#, source: "t.json",
        defaultName: "t")
      Issue.record("expected an error")
    } catch {
      #expect(error.path == #"set."workload.work""#)
    }
  }

  /// Every corner the registry accepts, for every distribution key, one short replication
  /// of both designs (with the engine's invariants checked after every event: a debug
  /// build), single- and multi-stage.
  @Test("every accepted corner runs a replication with finite metrics", arguments: [1, 3])
  func acceptedCornersRun(stages: Int) {
    var ran = 0
    for key in Self.distributionKeys {
      let parameter = Self.registry[key]!
      for corner in Self.corners where parameter.problem(with: .distribution(corner)) == nil {
        #expect(corner.problem == nil)
        var configuration = Configuration(scenario: .default, design: .structured)
        configuration.scenario.horizon = 3
        configuration.scenario.workload.arrivalRate = 4
        configuration.scenario.workload.stages = stages
        parameter.apply(.distribution(corner), to: &configuration)
        #expect(configuration.problem() == nil)
        var draws = RandomStreams(replicationSeed: 7).workload
        for _ in 0..<1_000 {
          let x = corner.sample(&draws)
          #expect(x.isFinite, "\(key) = \(corner): a draw of \(x)")
          if !x.isFinite { break }
        }
        #expect(corner.mean.isFinite)
        var simulator = Simulator(scenario: configuration.scenario)
        for design in [Design.unstructured, Design.structured] {
          let metrics = simulator.run(design: design, seed: 11)
          for descriptor in Metrics.table {
            guard let value = descriptor.value(metrics) else { continue }
            #expect(
              descriptor.bounds.contains(value) && abs(value) <= 1e30,
              "\(key) = \(corner), stages \(stages): \(descriptor.name) = \(value)")
          }
        }
        ran += 1
      }
    }
    #expect(ran >= 3 * 8, "each key accepts several corners")
  }

  /// The engine's preconditions (Team.init, Engine.configure) guard values the loader never
  /// lets through: each is a message at check time, naming the key.
  @Test(
    "every precondition of the engine is a message when the experiment is read",
    arguments: [
      (#"{ set: { domains: 0 } }"#, "domains: 0 is out of range (allowed: 1 to 64)"),
      (#"{ set: { "team.ai.skill": [0.5, 0.6] } }"#, "team.ai.skill has 2 values for 4 domains"),
      (#"{ set: { "team.ai.edgePenalty": -0.1 } }"#, "-0.1 is out of range (allowed: 0 to 1)"),
      (#"{ set: { "team.ai.ambiguityPenalty": -1 } }"#, "-1 is out of range (allowed: 0 to 1)"),
      (#"{ set: { "team.ai.noveltyPenalty": -1 } }"#, "-1 is out of range (allowed: 0 to 1)"),
      (
        #"{ set: { "team.ai.expertise.domains": [5] } }"#,
        "team.ai.expertise.domains names domain 5, but domains are 0 to 3"
      ),
      (#"{ set: { "design.handoffLoss": -0.5 } }"#, "-0.5 is out of range (allowed: 0 to 10)"),
      (#"{ set: { "workload.stages": 0 } }"#, "0 is out of range (allowed: 1 to 16)"),
      (
        #"{ set: { "team.lead.count": 0, "team.experts.count": 0, "team.designer.count": 0, "team.ai.count": 0 } }"#,
        "the team has no agents"
      ),
    ])
  func preconditionsAreMessages(text: String, message: String) {
    do {
      _ = try ExperimentLoader.load(text, source: "t.json", defaultName: "t")
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains(message), "\(error)")
    }
  }
}
