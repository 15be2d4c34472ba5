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

/// What one point says about one target: the mean and standard deviation over the
/// replications, and each replication's value (nil where the metric had none).
public struct TargetSummary: Sendable, Hashable {
  public var mean: Double?
  public var sd: Double?
  /// One value per replication, in replication order; empty when read from a `points.csv`
  /// written before replications were kept.
  public var values: [Double?]

  public init(mean: Double?, sd: Double?, values: [Double?] = []) {
    self.mean = mean
    self.sd = sd
    self.values = values
  }
}

/// The results of a sensitivity analysis, point by point as they come, and the indices once
/// every point is in. Memory: what the estimators must keep (for Sobol', per base row and
/// target the k + 2 point means and 2k + 1 noise terms; for Morris, every elementary effect)
/// and each target's point means, for the correlation between targets.
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
  /// The current Sobol' block or Morris trajectory of each target: means, and each point's
  /// replications.
  var pending: [[Double]]
  var pendingReplications: [[[Double?]]]
  /// Targets with a point where the metric had no value (their indices are undefined).
  var undefined: [Bool]
  /// Each target's replication-noise share so far (constant memory per target).
  var noise: [ReplicationNoise.Accumulator]
  /// Each target's mean at every point so far.
  var pointMeans: [[Double]]
  /// Whether the points came without their replications (a `points.csv` of an older
  /// version): the indices are then not corrected for replication noise.
  public private(set) var withoutReplications = false
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
    for index in metricIndex {
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
    pendingReplications = Array(repeating: [], count: targets.count)
    undefined = Array(repeating: false, count: targets.count)
    noise = Array(
      repeating: ReplicationNoise.Accumulator(replications: replications), count: targets.count)
    pointMeans = Array(repeating: [], count: targets.count)
  }

  /// Every target's summary at one point, from the metric values
  /// `values[replication][condition][metric in Metrics.table]`.
  public func summarise(_ values: [[[Double?]]]) -> [TargetSummary] {
    targets.map { target in
      var stats = RunningStats()
      var each: [Double?] = []
      each.reserveCapacity(values.count)
      for replication in values {
        var value = replication[target.condition][target.metric]
        if let b = target.baseline, let x = value {
          value = replication[b][target.metric].map { x - $0 }
        }
        if let value { stats.add(value) }
        each.append(value)
      }
      return TargetSummary(mean: stats.mean, sd: stats.sd, values: each)
    }
  }

  /// Adds the next point's summaries (from ``summarise(_:)``, or read back from
  /// `points.csv`), in design order.
  public mutating func add(_ summaries: [TargetSummary]) {
    let width = spec.blockWidth
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
      pointMeans[t].append(mean)
      pending[t].append(mean)
      pendingReplications[t].append(summary.values)
      if position == width - 1 {
        if spec.method == .sobol {
          if withoutReplications {
            sobol[t].add(block: pending[t])
          } else {
            sobol[t].add(means: pending[t], replications: pendingReplications[t])
          }
        } else {
          let steps = morrisSteps[pointsAdded / width]
          morris[t].add(
            trajectory: pending[t], parameters: steps.map(\.parameter), steps: steps.map(\.delta))
        }
        pending[t].removeAll(keepingCapacity: true)
        pendingReplications[t].removeAll(keepingCapacity: true)
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
    /// Whether the indices were corrected for replication noise.
    public var noiseCorrected: Bool = false
  }

  /// Every target's indices, parameter by parameter (empty for targets that were undefined
  /// at some point or did not vary). Bootstrap resamples are seeded with `seed`.
  public func rows(seed: UInt64) -> [Row] {
    var rows: [Row] = []
    for (t, target) in targets.enumerated() where !undefined[t] {
      let noise = self.noise[t].share
      switch spec.method {
      case .sobol:
        guard
          let indices = sobol[t].indices(seed: seed &+ UInt64(t), repeats: spec.repeats)
        else { continue }
        for p in spec.factors.indices {
          rows.append(
            Row(
              target: target, parameter: p, first: indices.firstOrder[p],
              total: indices.totalOrder[p], noiseShare: noise,
              noiseCorrected: indices.noiseCorrected))
        }
      case .morris:
        guard let indices = morris[t].indices(seed: seed &+ UInt64(t)) else { continue }
        for p in spec.factors.indices {
          rows.append(Row(target: target, parameter: p, morris: indices[p], noiseShare: noise))
        }
      }
    }
    return rows
  }

  /// The correlation across the design's points of two targets' point means (Pearson), or
  /// nil when either is undefined or does not vary.
  public func correlation(_ a: SensitivityTarget, _ b: SensitivityTarget) -> Double? {
    guard let i = targets.firstIndex(of: a), let j = targets.firstIndex(of: b),
      !undefined[i], !undefined[j], pointMeans[i].count == pointMeans[j].count,
      pointMeans[i].count >= 3
    else { return nil }
    let x = pointMeans[i]
    let y = pointMeans[j]
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (u, v) in zip(x, y) {
      sxy += (u - mx) * (v - my)
      sxx += (u - mx) * (u - mx)
      syy += (v - my) * (v - my)
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
  }

  // MARK: - Files

  /// The column name of a target in `points.csv`, e.g. `structured - unstructured:correct_rate`.
  func columnName(_ target: SensitivityTarget) -> String {
    "\(target.name(conditions)):\(Metrics.names[target.metric])"
  }

  /// Columns of `points.csv`: the point, the parameters' values (the dummy's included), each
  /// target's mean and standard deviation over replications, then each target's value in
  /// every replication (`TARGET:METRIC:rep1` …).
  public var pointsHeader: [String] {
    legacyHeader
      + targets.flatMap { t in
        (1...max(1, replications)).map { "\(columnName(t)):rep\($0)" }
      }
  }

  /// The columns of a `points.csv` written before replications were kept.
  var legacyHeader: [String] {
    ["point"] + spec.keys
      + targets.flatMap { t in
        let name = columnName(t)
        return [name, name + ":sd"]
      }
  }

  /// The number of fields of a `points.csv` row, as ``accept(header:)`` found the file.
  public var columnCount: Int {
    withoutReplications ? legacyHeader.count : pointsHeader.count
  }

  /// Whether `header` is a `points.csv` header of this analysis: the current one, or one
  /// without the replications' columns (then the points are taken without replications).
  public mutating func accept(header: [String]) -> Bool {
    if header == pointsHeader { return true }
    if header == legacyHeader {
      withoutReplications = true
      return true
    }
    return false
  }

  /// One row of `points.csv`.
  public func pointRow(_ point: Int, values: [ParameterValue], summaries: [TargetSummary])
    -> String
  {
    let r = max(1, replications)
    return CSV.line(
      [String(point)] + values.map(\.text)
        + summaries.flatMap { s in [CSV.formatNumber(s.mean), CSV.formatNumber(s.sd)] }
        + summaries.flatMap { s in
          (0..<r).map { CSV.formatNumber($0 < s.values.count ? s.values[$0] : nil) }
        })
  }

  /// The summaries of a `points.csv` row (as ``pointRow(_:values:summaries:)`` wrote it, or
  /// an older row without replications).
  public func summaries(ofRow fields: [String]) -> [TargetSummary] {
    let start = 1 + spec.keys.count
    let r = max(1, replications)
    let valuesStart = start + 2 * targets.count
    return targets.indices.map { t in
      let mean = CSV.parseNumber(fields[start + 2 * t])
      let sd = CSV.parseNumber(fields[start + 2 * t + 1])
      guard !withoutReplications else { return TargetSummary(mean: mean, sd: sd) }
      let first = valuesStart + r * t
      return TargetSummary(
        mean: mean, sd: sd, values: (first..<(first + r)).map { CSV.parseNumber(fields[$0]) })
    }
  }

  /// `sensitivity.csv`: target, metric, parameter and the indices (S1 and ST with their
  /// 95% intervals, and with repeats their repeat standard errors; or μ* with its interval,
  /// μ and σ), with the noise share of the target.
  public func sensitivityCSV(_ rows: [Row]) -> String {
    let repeats = spec.method == .sobol && spec.repeats > 1
    let indexColumns =
      spec.method == .sobol
      ? ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
        + (repeats ? ["S1_repeat_se", "ST_repeat_se"] : [])
      : ["mu_star", "mu_star_low", "mu_star_high", "mu", "sigma"]
    var text = CSV.line(["target", "metric", "parameter"] + indexColumns + ["noise_share"])
    for row in rows {
      var numbers: [Double?]
      if let s1 = row.first, let st = row.total {
        numbers = [s1.estimate, s1.low, s1.high, st.estimate, st.low, st.high]
        if repeats { numbers += [s1.repeatError, st.repeatError] }
      } else if let m = row.morris {
        numbers = [m.muStar, m.muStarLow, m.muStarHigh, m.mu, m.sigma]
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
