import EnsembleModel

/// An experiment expanded into runs: conditions × sweep points × replications.
///
/// Work is done in **units**: one (sweep point, replication) pair with every condition,
/// so that the conditions of a replication, which share its seed and task list, are
/// compared as they finish. Unit `u` is point `u / replications`, replication
/// `u % replications`. Output rows are in plan order: condition, then point, then
/// replication.
public struct Plan: Sendable {
  public let experiment: Experiment
  public let points: PlanPoints
  /// The keys a point's values set: the swept keys, or a sensitivity analysis's parameters.
  public let keys: [String]
  /// `configurations[point][condition]` of a sweep, resolved beforehand; empty for a
  /// sensitivity analysis, whose thousands of points are resolved as they run.
  let configurations: [[Configuration]]
  /// The units this plan runs (all of them, or a shard's slice).
  public let units: Range<Int>
  /// A sensitivity analysis's seed stream of each point (``SensitivitySpec/seedStreams(seed:)``);
  /// empty for a sweep, whose points all run on the same replication seeds.
  let seedStreams: [Int]
  /// The shard, 1-based, and the number of shards; (1, 1) for a whole run.
  public let shard: (index: Int, count: Int)

  public init(_ experiment: Experiment, shard: (index: Int, count: Int) = (1, 1)) {
    precondition(shard.index >= 1 && shard.index <= shard.count)
    self.experiment = experiment
    points = PlanPoints(grid: experiment.points)
    keys = experiment.sweepKeys
    configurations = points.map { point in
      experiment.conditions.indices.map { experiment.configuration(condition: $0, point: point) }
    }
    let total = points.count * experiment.replications
    units = Self.slice(total: total, shard: shard)
    self.shard = shard
    seedStreams = []
  }

  /// The plan of a sensitivity analysis: its design points in design order, every
  /// condition and replication at each. A shard takes whole base rows or trajectories
  /// (``sensitivitySlice(_:shard:)``), so that each point's summary, and each row's
  /// replication noise, is made in one place.
  public init(sensitivity experiment: Experiment, shard: (index: Int, count: Int) = (1, 1)) {
    precondition(shard.index >= 1 && shard.index <= shard.count)
    let spec = experiment.sensitivity!
    self.experiment = experiment
    points = PlanPoints(design: spec, seed: experiment.seed)
    keys = spec.modelKeys
    configurations = []
    seedStreams = spec.seedStreams(seed: experiment.seed)
    let slice = Self.sensitivitySlice(spec, shard: shard)
    let r = experiment.replications
    units = (slice.lowerBound * r)..<(slice.upperBound * r)
    self.shard = shard
  }

  /// The configurations the size limits are checked on, `[point][condition]`: every one of
  /// a sweep; for a sensitivity analysis, each condition at the lower and at the upper ends
  /// of every range (the design's largest replications are at one of these corners for
  /// arrival rates, horizons, team sizes and drift rates, which grow the run).
  public var sizeProbes: [[Configuration]] {
    guard configurations.isEmpty, let spec = experiment.sensitivity else { return configurations }
    let factors = spec.modelFactors
    return [factors.map { $0.low }, factors.map { $0.high }].map { corner in
      let values = zip(factors, corner).map { factor, x -> ParameterValue in
        factor.isInteger ? .integer(Int(x)) : .number(x)
      }
      return experiment.conditions.indices.map {
        experiment.configuration(condition: $0, keys: keys, values: values)
      }
    }
  }

  /// The configuration of condition `condition` at point `point`.
  public func configuration(point: Int, condition: Int) -> Configuration {
    if !configurations.isEmpty { return configurations[point][condition] }
    // The model's keys come first in a design point; a dummy's value, last, is not applied.
    return experiment.configuration(
      condition: condition, keys: keys, values: Array(points[point].prefix(keys.count)))
  }

  /// The same plan with only its units from `unit` on: what is left of an interrupted run.
  public func remaining(from unit: Int) -> Plan {
    Plan(self, units: max(units.lowerBound, min(unit, units.upperBound))..<units.upperBound)
  }

  init(_ plan: Plan, units: Range<Int>) {
    experiment = plan.experiment
    points = plan.points
    keys = plan.keys
    configurations = plan.configurations
    seedStreams = plan.seedStreams
    shard = plan.shard
    self.units = units
  }

  /// The units of shard `index` of `count`: contiguous, disjoint, together all units.
  public static func slice(total: Int, shard: (index: Int, count: Int)) -> Range<Int> {
    let low = total * (shard.index - 1) / shard.count
    let high = total * shard.index / shard.count
    return low..<high
  }

  /// The points of shard `index` of `count` of a sensitivity analysis: the points of a
  /// contiguous slice of its base rows (Sobol') or trajectories (Morris).
  public static func sensitivitySlice(_ spec: SensitivitySpec, shard: (index: Int, count: Int))
    -> Range<Int>
  {
    let blocks = slice(total: spec.blockCount, shard: shard)
    return (blocks.lowerBound * spec.blockWidth)..<(blocks.upperBound * spec.blockWidth)
  }

  public var conditionCount: Int { experiment.conditions.count }
  public var totalUnits: Int { points.count * experiment.replications }
  /// Runs in this plan (its units times the conditions).
  public var runCount: Int { units.count * conditionCount }

  public func point(ofUnit unit: Int) -> Int { unit / experiment.replications }
  public func replication(ofUnit unit: Int) -> Int { unit % experiment.replications }

  /// The seed of a replication: it depends only on the experiment seed and the index.
  public func seed(replication: Int) -> UInt64 {
    ReplicationSeed.derive(experimentSeed: experiment.seed, replication: replication)
  }

  /// The seed of a replication at a point: ``seed(replication:)`` for a sweep (every point
  /// on the same seeds); for a sensitivity analysis, seeds of the point's seed stream, so
  /// that the points of one base row or trajectory share seeds and different rows do not.
  public func seed(point: Int, replication: Int) -> UInt64 {
    guard !seedStreams.isEmpty else { return seed(replication: replication) }
    let stream = UInt64(seedStreams[point])
    let streamSeed = SplitMix64.mix(
      SplitMix64.mix(experiment.seed ^ 0x5345_4544_5354_524D) &+ stream)
    return ReplicationSeed.derive(experimentSeed: streamSeed, replication: replication)
  }
}

/// The metrics of one unit: every condition of one replication at one point.
public struct UnitResult: Sendable {
  public let unit: Int
  public let point: Int
  public let replication: Int
  public let seed: UInt64
  /// One per condition, in condition order.
  public let metrics: [Metrics]
}

/// A plan's points, each as the values its keys take: a sweep's grid as it is, or a
/// sensitivity design kept as plain numbers (8 bytes a value, where parameter values
/// would take several times that), each point made into values when it is read. A design
/// of a million points then costs its numbers, not a million small arrays.
public struct PlanPoints: RandomAccessCollection, Sendable {
  enum Storage: Sendable {
    case grid([[ParameterValue]])
    /// `values[point * isInteger.count + parameter]`.
    case design(values: [Double], isInteger: [Bool])
  }

  let storage: Storage
  public let startIndex = 0
  public let endIndex: Int

  init(grid: [[ParameterValue]]) {
    storage = .grid(grid)
    endIndex = grid.count
  }

  init(design spec: SensitivitySpec, seed: UInt64) {
    storage = .design(
      values: spec.pointValues(seed: seed), isInteger: spec.factors.map(\.isInteger))
    endIndex = spec.pointCount
  }

  public subscript(point: Int) -> [ParameterValue] {
    switch storage {
    case .grid(let points):
      return points[point]
    case .design(let values, let isInteger):
      let k = isInteger.count
      return (0..<k).map { i in
        let x = values[point * k + i]
        return isInteger[i] ? .integer(Int(x)) : .number(x)
      }
    }
  }
}
