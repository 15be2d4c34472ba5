import EnsembleModel

/// The `sensitivity` section of an experiment: which parameters a global sensitivity
/// analysis varies, over which ranges, by which method and design, and with how many samples.
///
/// A sensitivity analysis is a plan like a sweep: a list of design points, each run for
/// every condition and every replication. The points of one base row (Sobol') or one
/// trajectory (Morris) share their replication seeds (common random numbers), so the
/// differences the estimators take within a row are not blurred by independent noise at each
/// end; different rows run on different seeds, so rows — with their replication noise — are
/// independent draws, and resampling rows covers both the design and the noise (see
/// ``seedStream(ofPoint:seed:)`` and docs/MODEL.md, "Sensitivity analysis").
public struct SensitivitySpec: Sendable, Hashable {
  public enum Method: String, Sendable, Hashable, CaseIterable {
    /// Sobol' indices from Saltelli's scheme: N · (k + 2) points.
    case sobol
    /// Morris elementary effects: r trajectories of k + 1 points.
    case morris
  }

  /// Where a Sobol' analysis's base sample comes from.
  public enum Design: String, Sendable, Hashable, CaseIterable {
    /// Owen-scrambled Sobol' points, scrambled from the experiment seed (the default).
    case scrambled
    /// The unscrambled Sobol' sequence from point N on (the first N points, among them the
    /// degenerate origin and centre, skipped): SALib's
    /// `sobol.sample(problem, N, calc_second_order=False, scramble=False, skip_values=N)`.
    case sobol
  }

  public var method: Method
  /// Sobol': the base sample N (a power of two, at least 4); Morris: the trajectories r.
  public var samples: Int
  /// Morris: the levels p of the grid (even, default 4).
  public var levels: Int
  /// Sobol': the base sample's design.
  public var design: Design
  /// Sobol': how many independent scrambles of the base sample (each N base rows); their
  /// spread gives every index an error estimate. 1 unless the file says otherwise.
  public var repeats: Int
  /// The parameters varied, each a registry key with its range, in the file's order; with
  /// `dummy: true`, the dummy parameter last (see ``SensitivityFactor/dummy``).
  public var factors: [SensitivityFactor]

  public init(
    method: Method, samples: Int, levels: Int = 4, design: Design = .scrambled,
    repeats: Int = 1, factors: [SensitivityFactor]
  ) {
    self.method = method
    self.samples = samples
    self.levels = levels
    self.design = design
    self.repeats = repeats
    self.factors = factors
  }

  /// The names of every factor varied, the dummy's included, in design order.
  public var keys: [String] { factors.map(\.name) }

  /// The factors the model is given (every factor but the dummy).
  public var modelFactors: [SensitivityFactor] { factors.filter { !$0.isDummy } }

  /// The registry keys the model is given.
  public var modelKeys: [String] { modelFactors.map(\.name) }

  /// The dummy's position among the factors, or nil when there is none.
  public var dummyIndex: Int? { factors.firstIndex(where: \.isDummy) }

  /// The points of one base row (Sobol', k + 2) or one trajectory (Morris, k + 1).
  public var blockWidth: Int {
    switch method {
    case .sobol: factors.count + 2
    case .morris: factors.count + 1
    }
  }

  /// The number of base rows (all repeats) or trajectories.
  public var blockCount: Int {
    switch method {
    case .sobol: samples * repeats
    case .morris: samples
    }
  }

  /// The number of design points.
  public var pointCount: Int { blockCount * blockWidth }

  /// The design in the unit hypercube, point by point: Saltelli's rows (base row by base
  /// row: A, AB for each parameter, B; repeat after repeat), or Morris's trajectories one
  /// after another, drawn from `seed` (the experiment's, so the design is part of the
  /// experiment).
  public func unitPoints(seed: UInt64) -> [[Double]] {
    switch method {
    case .sobol:
      return (0..<repeats).flatMap { Array(saltelli(seed: seed, repeat: $0)) }
    case .morris:
      return morris(seed: seed).points
    }
  }

  /// Repeat `repeat` of the Saltelli design: scrambled from `seed` and the repeat, or the
  /// unscrambled sequence from point N on.
  public func saltelli(seed: UInt64, repeat index: Int) -> SaltelliDesign {
    switch design {
    case .scrambled:
      return SaltelliDesign(
        parameterCount: factors.count, baseSampleSize: samples,
        scramble: Self.scrambleSeed(seed, repeat: index))
    case .sobol:
      return SaltelliDesign(
        parameterCount: factors.count, baseSampleSize: samples, skip: samples)
    }
  }

  /// The scramble of repeat `index` of an experiment seeded `seed`.
  static func scrambleSeed(_ seed: UInt64, repeat index: Int) -> UInt64 {
    SplitMix64.mix(SplitMix64.mix(seed ^ 0x5343_5241_4D42_4C45) &+ UInt64(index))
  }

  /// The Morris design of ``unitPoints(seed:)``, with its steps.
  public func morris(seed: UInt64) -> MorrisDesign {
    MorrisDesign(
      parameterCount: factors.count, trajectoryCount: samples, levels: levels, seed: seed)
  }

  /// The parameter values of every design point, as a sweep point's values.
  public func points(seed: UInt64) -> [[ParameterValue]] {
    Array(PlanPoints(design: self, seed: seed))
  }

  /// The parameter values of every design point, one number per parameter, point after
  /// point (integers already on whole numbers): the plan's compact form of the design.
  func pointValues(seed: UInt64) -> [Double] {
    var values: [Double] = []
    values.reserveCapacity(pointCount * factors.count)
    switch method {
    case .sobol:
      for index in 0..<repeats {
        for unit in saltelli(seed: seed, repeat: index) {
          values += SensitivityFactor.values(at: unit, of: factors)
        }
      }
    case .morris:
      for unit in morris(seed: seed).points {
        values += zip(factors, unit).map { $0.gridValue(at: $1, levels: levels) }
      }
    }
    return values
  }

  /// The seed stream of every design point: its replications run on seeds derived from the
  /// experiment seed and this number (``Plan/seed(point:replication:)``).
  ///
  /// Stream 2b belongs to block b (a base row, counting through the repeats, or a
  /// trajectory): all its points share their replication seeds. With a dummy, the points on
  /// the dummy's "B side" take stream 2b + 1 instead: B and AB⁽dummy⁾ in a Sobol' row, the
  /// points after the dummy's step in a Morris trajectory. The dummy then changes nothing in
  /// the model but re-draws the randomness, as the weakest parameter that does anything
  /// would; with the same seeds on both sides it would get exactly zero, which measures
  /// nothing.
  public func seedStreams(seed: UInt64) -> [Int] {
    var streams: [Int] = []
    streams.reserveCapacity(pointCount)
    let width = blockWidth
    switch method {
    case .sobol:
      for b in 0..<blockCount {
        for q in 0..<width {
          let bSide = dummyIndex.map { q == width - 1 || q == 1 + $0 } ?? false
          streams.append(2 * b + (bSide ? 1 : 0))
        }
      }
    case .morris:
      for (t, trajectory) in morris(seed: seed).trajectories.enumerated() {
        var moved = false
        streams.append(2 * t)
        for step in trajectory.steps {
          if step.parameter == dummyIndex { moved = true }
          streams.append(2 * t + (moved ? 1 : 0))
        }
      }
    }
    return streams
  }

  /// Why the plan cannot run, or nil: too few parameters, a bad range, an integer range the
  /// Morris grid cannot put on whole numbers, or a sample size the method does not take.
  public var problem: String? {
    if let problem = SensitivityFactor.problem(with: factors) { return problem }
    switch method {
    case .sobol:
      if repeats < 1 { return "repeats must be at least 1, got \(repeats)" }
      if repeats > 1 && design == .sobol {
        return "repeats: \(repeats) needs design: \"scrambled\" (every repeat of the "
          + "unscrambled sequence would be the same points)"
      }
      return SaltelliDesign.problem(parameterCount: factors.count, baseSampleSize: samples)
    case .morris:
      if let problem = MorrisDesign.problem(
        parameterCount: factors.count, trajectoryCount: samples, levels: levels)
      {
        return problem
      }
      for factor in factors {
        if let problem = factor.gridProblem(levels: levels) { return problem }
      }
      return nil
    }
  }
}

extension ExperimentLoader {
  /// Reads `sensitivity: { method, samples, levels, design, repeats, dummy, parameters: {
  /// key: [low, high] } }`. Without `design`, a Sobol' analysis is scrambled.
  static func sensitivity(
    _ node: JSONNode, _ registry: ParameterRegistry, _ r: SpecReader
  ) throws(ExperimentError) -> SensitivitySpec {
    let path = "sensitivity"
    let members = try r.members(
      node, path,
      allowed: ["method", "samples", "levels", "design", "repeats", "dummy", "parameters"])
    func member(_ key: String) -> JSONNode? { members.first { $0.key == key }?.value }
    var method = SensitivitySpec.Method.sobol
    if let m = member("method") {
      let word = try r.string(m, path + ".method")
      guard let value = SensitivitySpec.Method(rawValue: word) else {
        throw r.error(path + ".method", "\"\(word)\" is not one of \"sobol\", \"morris\"", at: m)
      }
      method = value
    }
    guard let samplesNode = member("samples") else {
      throw r.error(
        path, "needs \"samples\": the base sample N for sobol, the trajectories for morris",
        at: node)
    }
    let samples = try r.integer(samplesNode, path + ".samples", in: 1...1_048_576)
    var levels = 4
    if let l = member("levels") { levels = try r.integer(l, path + ".levels", in: 2...100) }
    var design = SensitivitySpec.Design.scrambled
    if let d = member("design") {
      let word = try r.string(d, path + ".design")
      guard let value = SensitivitySpec.Design(rawValue: word) else {
        throw r.error(
          path + ".design",
          "\"\(word)\" is not one of \"scrambled\" (Owen-scrambled Sobol' "
            + "points, the default), \"sobol\" (the unscrambled sequence, as SALib draws it)",
          at: d)
      }
      design = value
    }
    var repeats = 1
    if let n = member("repeats") { repeats = try r.integer(n, path + ".repeats", in: 1...1000) }
    if method == .morris {
      for key in ["design", "repeats"] {
        if let node = member(key) {
          throw r.error(
            path + "." + key, "applies to method \"sobol\" only; remove it for \"morris\"",
            at: node)
        }
      }
    }
    var dummy = false
    if let d = member("dummy") {
      guard case .bool(let flag) = d.value else {
        throw r.error(path + ".dummy", "expects true or false, got \(d.value.typeName)", at: d)
      }
      dummy = flag
    }
    guard let parametersNode = member("parameters"),
      case .object(let entries) = parametersNode.value
    else {
      throw r.error(
        path + ".parameters",
        "expects an object of key: [low, high], e.g. "
          + "{ \"design.reviewRate\": [0, 1] }", at: member("parameters") ?? node)
    }
    var factors: [SensitivityFactor] = []
    for entry in entries {
      if entry.key == SensitivityFactor.dummy.name {
        throw r.error(
          join(path + ".parameters", entry.key),
          "\"dummy\" is not a parameter; to add the dummy, write dummy: true in the section",
          at: entry.value)
      }
      let keyPath = join(path + ".parameters", entry.key)
      let parameter = try self.parameter(entry.key, keyPath, registry, r, at: entry.value)
      let isInteger: Bool
      switch parameter.type {
      case .number: isInteger = false
      case .integer: isInteger = true
      default:
        throw r.error(
          keyPath,
          "\(entry.key) is a \(parameter.type.name), not a number: a sensitivity analysis "
            + "varies numeric parameters only", at: entry.value)
      }
      let bounds = try r.array(entry.value, keyPath)
      guard bounds.count == 2 else {
        throw r.error(keyPath, "expects [low, high], got \(bounds.count) values", at: entry.value)
      }
      let low = try r.number(bounds[0], keyPath + "[0]")
      let high = try r.number(bounds[1], keyPath + "[1]")
      guard low < high else {
        throw r.error(
          keyPath,
          "the range [\(ParameterValue.format(low)), \(ParameterValue.format(high))] is "
            + "empty or reversed; give [low, high] with low < high", at: entry.value)
      }
      for (bound, x) in [("low", low), ("high", high)] {
        let value: ParameterValue = isInteger ? .integer(Int(x)) : .number(x)
        if isInteger && x != x.rounded() {
          throw r.error(
            keyPath, "\(entry.key) is an integer: \(bound) must be a whole number",
            at: entry.value)
        }
        if let problem = parameter.problem(with: value) {
          throw r.error(keyPath, "\(entry.key): \(bound) \(problem)", at: entry.value)
        }
      }
      factors.append(
        SensitivityFactor(
          name: entry.key, low: low, high: high, isInteger: isInteger, unit: parameter.unit))
    }
    if dummy { factors.append(SensitivityFactor.dummy) }
    let spec = SensitivitySpec(
      method: method, samples: samples, levels: levels, design: design, repeats: repeats,
      factors: factors)
    if let problem = spec.problem { throw r.error(path, problem, at: node) }
    return spec
  }
}
