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
/// replications, and for a Sobol' analysis the replication noise of the mean (what the noise
/// correction needs); while a base row is being summarised, each replication's value too.
public struct TargetSummary: Sendable, Hashable {
  public var mean: Double?
  public var sd: Double?
  /// Sobol': the noise of the mean (``MeanNoise``); nil with one replication, for Morris, or
  /// read from a `points.csv` of an older version.
  public var noise: MeanNoise?
  /// One value per replication, in replication order (nil where the metric had none): kept
  /// only until the point's base row is complete, never written.
  public var values: [Double?]

  public init(mean: Double?, sd: Double?, noise: MeanNoise? = nil, values: [Double?] = []) {
    self.mean = mean
    self.sd = sd
    self.noise = noise
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
  /// noise (nil once a point of the block has none).
  var pending: [[Double]]
  var pendingNoise: [[MeanNoise]?]
  /// Targets with a point where the metric had no value (their indices are undefined).
  var undefined: [Bool]
  /// Each target's replication-noise share so far (constant memory per target).
  var noise: [ReplicationNoise.Accumulator]
  /// Each target's mean at every point so far.
  var pointMeans: [[Double]]
  /// Whether the points came without their noise columns (a Sobol' `points.csv` of an
  /// older version, whose points all ran on the same seeds): the indices are then not
  /// corrected for replication noise.
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
    pendingNoise = Array(repeating: [], count: targets.count)
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

  /// The summaries of one whole base row or trajectory (`block[point][target]`, from
  /// ``summarise(_:)``, design order) with the noise of each Sobol' mean filled in from the
  /// row's replications, and the replications dropped: what ``pointRow(_:values:summaries:)``
  /// writes and ``add(_:)`` takes.
  ///
  /// - Precondition: `block.count == spec.blockWidth`.
  public func completing(block: [[TargetSummary]]) -> [[TargetSummary]] {
    precondition(block.count == spec.blockWidth, "a block needs \(spec.blockWidth) points")
    var result = block
    for t in targets.indices {
      var noise: [MeanNoise]?
      if spec.method == .sobol {
        noise = SobolAccumulator.noise(ofRow: block.map { $0[t].values })
      }
      for p in block.indices {
        result[p][t].noise = noise?[p]
        result[p][t].values = []
      }
    }
    return result
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
      if position == 0 { pendingNoise[t] = [] }
      if let n = summary.noise, n.isValid {
        pendingNoise[t]?.append(n)
      } else {
        pendingNoise[t] = nil
      }
      if position == width - 1 {
        if spec.method == .sobol {
          sobol[t].add(means: pending[t], noise: pendingNoise[t])
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
    /// Whether the indices were corrected for replication noise.
    public var noiseCorrected: Bool = false
    /// Base rows left out of the corrected indices: their noise could not be measured.
    public var rowsLeftOut: Int = 0
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
        // Shares of variance lie in [0, 1]; the estimators' overshoot (noise, few rows)
        // is not shown as a share below 0 or above 1 (``SobolIndex/clamped(to:)``).
        for p in spec.factors.indices {
          rows.append(
            Row(
              target: target, parameter: p, first: indices.firstOrder[p].clamped(to: 0...1),
              total: indices.totalOrder[p].clamped(to: 0...1), noiseShare: noise,
              noiseCorrected: indices.noiseCorrected, rowsLeftOut: indices.rowsLeftOut))
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
  /// target's mean and standard deviation over replications, then for a Sobol' analysis each
  /// target's replication noise: the variance of the point's mean and its covariances with
  /// the means at the base row's A and B points (`TARGET:METRIC:noise_var`, `:noise_cov_a`,
  /// `:noise_cov_b`; empty with one replication).
  public var pointsHeader: [String] {
    guard spec.method == .sobol else { return legacyHeader }
    return legacyHeader
      + targets.flatMap { t in
        let name = columnName(t)
        return [name + ":noise_var", name + ":noise_cov_a", name + ":noise_cov_b"]
      }
  }

  /// The columns of a `points.csv` written before the noise was kept (and, for Morris, now).
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

  /// Whether `header` is a `points.csv` header of this analysis: the current one, or a
  /// Sobol' one without the noise columns (then the indices are not corrected).
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
    var fields = [String(point)] + values.map(\.text)
    fields += summaries.flatMap { s in [CSV.formatNumber(s.mean), CSV.formatNumber(s.sd)] }
    if spec.method == .sobol {
      fields += summaries.flatMap { s in
        [s.noise?.variance, s.noise?.covarianceWithA, s.noise?.covarianceWithB].map(
          CSV.formatNumber)
      }
    }
    return CSV.line(fields)
  }

  /// The summaries of a `points.csv` row (as ``pointRow(_:values:summaries:)`` wrote it, or
  /// an older row without the noise columns).
  public func summaries(ofRow fields: [String]) -> [TargetSummary] {
    let start = 1 + spec.keys.count
    let noiseStart = start + 2 * targets.count
    let withNoise = spec.method == .sobol && !withoutReplications
    return targets.indices.map { t in
      let mean = CSV.parseNumber(fields[start + 2 * t])
      let sd = CSV.parseNumber(fields[start + 2 * t + 1])
      guard withNoise,
        let variance = CSV.parseNumber(fields[noiseStart + 3 * t]),
        let withA = CSV.parseNumber(fields[noiseStart + 3 * t + 1]),
        let withB = CSV.parseNumber(fields[noiseStart + 3 * t + 2])
      else { return TargetSummary(mean: mean, sd: sd) }
      return TargetSummary(
        mean: mean, sd: sd,
        noise: MeanNoise(variance: variance, covarianceWithA: withA, covarianceWithB: withB))
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
