import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// What a sensitivity analysis explains: one condition's mean of a metric, or the mean
/// paired difference of a condition from the baseline (what drives the advantage of
/// structure).
public struct SensitivityTarget: Sendable, Hashable {
  public var condition: Int
  /// The baseline condition for a contrast, nil for a condition's own mean.
  public var baseline: Int?
  /// The metric's index in ``Metrics/table``.
  public var metric: Int

  /// "structured" or "structured - unstructured".
  public func name(_ conditions: [String]) -> String {
    baseline.map { "\(conditions[condition]) - \(conditions[$0])" } ?? conditions[condition]
  }
}

/// The results of a sensitivity analysis, point by point as they come, and the indices once
/// every point is in. Memory: what the estimators must keep (for Sobol', the N · (k + 2)
/// point means of each target; for Morris, two running sums per parameter and target).
public struct SensitivityCollector: Sendable {
  public let spec: SensitivitySpec
  public let conditions: [String]
  public let metrics: [String]
  public let targets: [SensitivityTarget]
  public let replications: Int
  let metricIndex: [Int]
  /// Morris: the parameter and signed step of each step of each trajectory.
  let morrisSteps: [[MorrisDesign.Step]]
  var sobol: [SobolAccumulator]
  var morris: [MorrisAccumulator]
  /// The current Sobol' block or Morris trajectory of each target.
  var pending: [[Double]]
  /// Targets with a point where the metric had no value (their indices are undefined).
  var undefined: [Bool]
  /// Each target's replication-noise share so far (constant memory per target).
  var noise: [ReplicationNoise.Accumulator]
  public private(set) var pointsAdded = 0

  /// A collector for `spec` over the `metrics` (report metrics) of `conditions`; with a
  /// baseline, each other condition's contrast is a target too.
  public init(
    spec: SensitivitySpec, seed: UInt64, conditions: [String], baseline: Int, metrics: [String],
    replications: Int
  ) {
    self.spec = spec
    self.conditions = conditions
    self.metrics = metrics
    self.replications = replications
    metricIndex = metrics.map { name in Metrics.names.firstIndex(of: name)! }
    var targets: [SensitivityTarget] = []
    for (m, index) in metricIndex.enumerated() {
      _ = m
      for c in conditions.indices {
        targets.append(SensitivityTarget(condition: c, baseline: nil, metric: index))
      }
      for c in conditions.indices where c != baseline {
        targets.append(SensitivityTarget(condition: c, baseline: baseline, metric: index))
      }
    }
    self.targets = targets
    let k = spec.factors.count
    morrisSteps =
      spec.method == .morris ? spec.morris(seed: seed).trajectories.map(\.steps) : []
    sobol = Array(repeating: SobolAccumulator(parameterCount: k), count: targets.count)
    morris = Array(repeating: MorrisAccumulator(parameterCount: k), count: targets.count)
    pending = Array(repeating: [], count: targets.count)
    undefined = Array(repeating: false, count: targets.count)
    noise = Array(
      repeating: ReplicationNoise.Accumulator(replications: replications), count: targets.count)
  }

  /// The mean and standard deviation over replications of every target at one point, from the
  /// metric values `values[replication][condition][metric in Metrics.table]`.
  public func summarise(_ values: [[[Double?]]]) -> [(mean: Double?, sd: Double?)] {
    targets.map { target in
      var stats = RunningStats()
      for replication in values {
        guard let x = replication[target.condition][target.metric] else { continue }
        if let b = target.baseline {
          guard let y = replication[b][target.metric] else { continue }
          stats.add(x - y)
        } else {
          stats.add(x)
        }
      }
      return (stats.mean, stats.sd)
    }
  }

  /// Adds the next point's summaries (from ``summarise(_:)``, or read back from
  /// `points.csv`), in design order.
  public mutating func add(_ summaries: [(mean: Double?, sd: Double?)]) {
    let k = spec.factors.count
    let width = spec.method == .sobol ? k + 2 : k + 1
    let position = pointsAdded % width
    for (t, summary) in summaries.enumerated() {
      guard let mean = summary.mean, mean.isFinite else {
        undefined[t] = true
        continue
      }
      // The variance from the sd as points.csv keeps it, so that a rebuild from the file
      // gives the same bits.
      let sd = summary.sd ?? 0
      noise[t].add(mean: mean, variance: sd * sd)
      if undefined[t] { continue }
      pending[t].append(mean)
      if position == width - 1 {
        if spec.method == .sobol {
          sobol[t].add(block: pending[t])
        } else {
          let steps = morrisSteps[pointsAdded / width]
          morris[t].add(
            trajectory: pending[t], parameters: steps.map(\.parameter), steps: steps.map(\.delta))
        }
        pending[t].removeAll(keepingCapacity: true)
      }
    }
    pointsAdded += 1
  }

  /// The indices of one target and parameter.
  public struct Row: Sendable {
    public var target: SensitivityTarget
    public var parameter: Int
    public var first: SobolIndex?
    public var total: SobolIndex?
    public var morris: MorrisIndex?
    /// The share of the variance of the target's point means that is replication noise.
    public var noiseShare: Double?
  }

  /// Every target's indices, parameter by parameter (empty for targets that were undefined
  /// at some point or did not vary). Bootstrap resamples are seeded with `seed`.
  public func rows(seed: UInt64) -> [Row] {
    var rows: [Row] = []
    for (t, target) in targets.enumerated() where !undefined[t] {
      let noise = self.noise[t].share
      switch spec.method {
      case .sobol:
        guard let indices = sobol[t].indices(seed: seed &+ UInt64(t)) else { continue }
        for p in spec.factors.indices {
          rows.append(
            Row(
              target: target, parameter: p, first: indices.firstOrder[p],
              total: indices.totalOrder[p], noiseShare: noise))
        }
      case .morris:
        guard let indices = morris[t].indices else { continue }
        for p in spec.factors.indices {
          rows.append(Row(target: target, parameter: p, morris: indices[p], noiseShare: noise))
        }
      }
    }
    return rows
  }

  // MARK: - Files

  /// Columns of `points.csv`: the point, the parameters' values, then each target's mean and
  /// standard deviation over replications.
  public var pointsHeader: [String] {
    ["point"] + spec.keys
      + targets.flatMap { t in
        let name = "\(t.name(conditions)):\(Metrics.names[t.metric])"
        return [name, name + ":sd"]
      }
  }

  /// One row of `points.csv`.
  public func pointRow(
    _ point: Int, values: [ParameterValue], summaries: [(mean: Double?, sd: Double?)]
  ) -> String {
    CSV.line(
      [String(point)] + values.map(\.text)
        + summaries.flatMap { s in
          [CSV.formatNumber(s.mean), CSV.formatNumber(s.sd)]
        })
  }

  /// The summaries of a `points.csv` row (as ``pointRow(_:values:summaries:)`` wrote it).
  public func summaries(ofRow fields: [String]) -> [(mean: Double?, sd: Double?)] {
    let start = 1 + spec.keys.count
    return targets.indices.map { t in
      let mean = CSV.parseNumber(fields[start + 2 * t])
      return (mean, CSV.parseNumber(fields[start + 2 * t + 1]))
    }
  }

  /// `sensitivity.csv`: target, metric, parameter and the indices (S1 and ST with their
  /// 95% intervals, or μ*, μ and σ), with the noise share of the target.
  public func sensitivityCSV(_ rows: [Row]) -> String {
    let indexColumns =
      spec.method == .sobol
      ? ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"] : ["mu_star", "mu", "sigma"]
    var text = CSV.line(["target", "metric", "parameter"] + indexColumns + ["noise_share"])
    for row in rows {
      let numbers: [Double?]
      if let s1 = row.first, let st = row.total {
        numbers = [s1.estimate, s1.low, s1.high, st.estimate, st.low, st.high]
      } else if let m = row.morris {
        numbers = [m.muStar, m.mu, m.sigma]
      } else {
        numbers = []
      }
      text += CSV.line(
        [
          row.target.name(conditions), Metrics.names[row.target.metric],
          spec.keys[row.parameter],
        ] + (numbers + [row.noiseShare]).map(CSV.formatNumber))
    }
    return text
  }
}
