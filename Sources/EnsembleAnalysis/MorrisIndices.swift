/// Morris screening measures of one parameter on one output.
public struct MorrisIndex: Sendable, Hashable {
  /// μ*, the mean absolute elementary effect (Campolongo, Cariboni and Saltelli 2007): how
  /// much the parameter matters at all. Effects of opposite sign do not cancel.
  public var muStar: Double
  /// μ, the mean elementary effect (Morris 1991); |μ| much below μ* means effects of both signs.
  public var mu: Double
  /// σ, the standard deviation of the elementary effects (n − 1 denominator, as SALib): large
  /// when the effect depends on where in the space it is measured (non-linearity or
  /// interactions). Nil with fewer than 2 effects.
  public var sigma: Double?
  /// The number of elementary effects, r for a complete design.
  public var effectCount: Int
  /// The 95% percentile bootstrap interval of μ* over the effects (SALib reports a normal
  /// interval of the same bootstrap as `mu_star_conf`); nil when not computed.
  public var muStarLow: Double?
  public var muStarHigh: Double?

  public init(
    muStar: Double, mu: Double, sigma: Double?, effectCount: Int, muStarLow: Double? = nil,
    muStarHigh: Double? = nil
  ) {
    self.muStar = muStar
    self.mu = mu
    self.sigma = sigma
    self.effectCount = effectCount
    self.muStarLow = muStarLow
    self.muStarHigh = muStarHigh
  }
}

/// Collects elementary effects of one output over Morris trajectories, in one pass.
///
/// A step that moves parameter i by the signed amount δ (±Δ in the unit hypercube) from a
/// point with output y₀ to one with output y₁ gives the elementary effect
///
///     EE_i = (y₁ − y₀) / δ,
///
/// the change of the output per unit of the parameter's range: dividing by the signed step
/// makes a step down measure the same slope as a step up. Effects are scaled to the unit
/// hypercube, as in SALib, so for f = Σ c_i x_i with x_i spanning [low_i, high_i],
/// EE_i = c_i (high_i − low_i): parameters with different units compare directly.
///
/// Storage: every elementary effect (r per parameter), for the bootstrap of μ*, and two
/// running sums per parameter.
public struct MorrisAccumulator: Sendable {
  /// k, the number of parameters.
  public let parameterCount: Int
  private var effects: [RunningStats]
  private var absoluteEffects: [RunningStats]
  /// The effects of each parameter in the order they came.
  private var all: [[Double]]

  /// An empty accumulator for `parameterCount` parameters.
  ///
  /// - Precondition: `parameterCount ≥ 1`.
  public init(parameterCount: Int) {
    precondition(parameterCount >= 1, "MorrisAccumulator: need at least 1 parameter")
    self.parameterCount = parameterCount
    effects = Array(repeating: RunningStats(), count: parameterCount)
    absoluteEffects = effects
    all = Array(repeating: [], count: parameterCount)
  }

  /// Adds the effect of one step: parameter `parameter` (from 0) moved by `step` (signed),
  /// and the output went from `before` to `after`.
  ///
  /// - Precondition: `parameter` in 0..<parameterCount, `step ≠ 0`, all values finite.
  public mutating func add(parameter: Int, before: Double, after: Double, step: Double) {
    precondition((0..<parameterCount).contains(parameter), "MorrisAccumulator: bad parameter")
    precondition(step != 0 && step.isFinite, "MorrisAccumulator: step must be non-zero")
    let effect = (after - before) / step
    effects[parameter].add(effect)
    absoluteEffects[parameter].add(abs(effect))
    all[parameter].append(effect)
  }

  /// Adds the k effects of one trajectory: `outputs` at its k + 1 points in order, and for
  /// each step s the parameter that moved and by how much (from `outputs[s]` to
  /// `outputs[s + 1]`).
  ///
  /// - Precondition: `outputs.count == parameters.count + 1 == steps.count + 1`.
  public mutating func add(trajectory outputs: [Double], parameters: [Int], steps: [Double]) {
    precondition(
      outputs.count == parameters.count + 1 && parameters.count == steps.count,
      "MorrisAccumulator: a trajectory needs one output more than it has steps")
    for s in 0..<steps.count {
      add(parameter: parameters[s], before: outputs[s], after: outputs[s + 1], step: steps[s])
    }
  }

  /// μ*, μ and σ of each parameter, in parameter order; nil while some parameter has no
  /// effect yet.
  public var indices: [MorrisIndex]? {
    var result: [MorrisIndex] = []
    for i in 0..<parameterCount {
      guard let mu = effects[i].mean, let muStar = absoluteEffects[i].mean else { return nil }
      result.append(
        MorrisIndex(muStar: muStar, mu: mu, sigma: effects[i].sd, effectCount: effects[i].n))
    }
    return result
  }

  /// ``indices`` with a percentile bootstrap interval of each μ*: `resamples` times, each
  /// parameter's effects are drawn with replacement (as many as it has) and their mean
  /// absolute value taken; the interval is the (1 − level)/2 and (1 + level)/2 quantiles of
  /// those means. SALib's `mu_star_conf` is the same bootstrap summarised as
  /// z₀.₉₇₅ · sd instead. When each trajectory runs on its own replication seeds, its
  /// effects carry their own replication noise, so the interval covers the noise too.
  /// Draws come from SplitMix64 seeded with `seed`, parameter after parameter.
  ///
  /// - Precondition: `resamples ≥ 2`, `0 < level < 1`.
  public func indices(resamples: Int = 1000, level: Double = 0.95, seed: UInt64)
    -> [MorrisIndex]?
  {
    precondition(resamples >= 2, "MorrisAccumulator: need at least 2 bootstrap resamples")
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1), got \(level)")
    guard var result = indices else { return nil }
    var generator = ResampleGenerator(seed: seed)
    for i in 0..<parameterCount {
      let effects = all[i]
      let n = effects.count
      var means: [Double] = []
      means.reserveCapacity(resamples)
      for _ in 0..<resamples {
        var sum = 0.0
        for _ in 0..<n { sum += abs(effects[Int(generator.below(UInt64(n)))]) }
        means.append(sum / Double(n))
      }
      means.sort()
      result[i].muStarLow = SobolAccumulator.quantile(means, (1 - level) / 2)
      result[i].muStarHigh = SobolAccumulator.quantile(means, (1 + level) / 2)
    }
    return result
  }
}
