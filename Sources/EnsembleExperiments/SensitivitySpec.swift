import EnsembleModel

/// The `sensitivity` section of an experiment: which parameters a global sensitivity
/// analysis varies, over which ranges, by which method and with how many samples.
///
/// A sensitivity analysis is a plan like a sweep: a list of design points, each run for
/// every condition and every replication, with the same replication seeds at every point
/// (common random numbers), so that differences between points are not replication noise.
public struct SensitivitySpec: Sendable, Hashable {
  public enum Method: String, Sendable, Hashable, CaseIterable {
    /// Sobol' indices from Saltelli's scheme: N · (k + 2) points.
    case sobol
    /// Morris elementary effects: r trajectories of k + 1 points.
    case morris
  }

  public var method: Method
  /// Sobol': the base sample N (a power of two, at least 4); Morris: the trajectories r.
  public var samples: Int
  /// Morris: the levels p of the grid (even, default 4).
  public var levels: Int
  /// The parameters varied, each a registry key with its range.
  public var factors: [SensitivityFactor]

  public init(method: Method, samples: Int, levels: Int = 4, factors: [SensitivityFactor]) {
    self.method = method
    self.samples = samples
    self.levels = levels
    self.factors = factors
  }

  /// The registry keys varied, in the file's order.
  public var keys: [String] { factors.map(\.name) }

  /// The number of design points.
  public var pointCount: Int {
    switch method {
    case .sobol: samples * (factors.count + 2)
    case .morris: samples * (factors.count + 1)
    }
  }

  /// The design in the unit hypercube, point by point: Saltelli's rows (base row by base
  /// row: A, AB for each parameter, B), or Morris's trajectories one after another, drawn
  /// from `seed` (the experiment's, so the design is part of the experiment).
  public func unitPoints(seed: UInt64) -> [[Double]] {
    switch method {
    case .sobol:
      return Array(SaltelliDesign(parameterCount: factors.count, baseSampleSize: samples))
    case .morris:
      return morris(seed: seed).points
    }
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
  /// point (integers already rounded): the plan's compact form of the design.
  func pointValues(seed: UInt64) -> [Double] {
    var values: [Double] = []
    values.reserveCapacity(pointCount * factors.count)
    switch method {
    case .sobol:
      for unit in SaltelliDesign(parameterCount: factors.count, baseSampleSize: samples) {
        values += SensitivityFactor.values(at: unit, of: factors)
      }
    case .morris:
      for unit in morris(seed: seed).points {
        values += SensitivityFactor.values(at: unit, of: factors)
      }
    }
    return values
  }

  /// Why the plan cannot run, or nil: too few parameters, a bad range, or a sample size
  /// the method does not take.
  public var problem: String? {
    if let problem = SensitivityFactor.problem(with: factors) { return problem }
    switch method {
    case .sobol:
      return SaltelliDesign.problem(parameterCount: factors.count, baseSampleSize: samples)
    case .morris:
      return MorrisDesign.problem(
        parameterCount: factors.count, trajectoryCount: samples, levels: levels)
    }
  }
}

extension ExperimentLoader {
  /// Reads `sensitivity: { method, samples, levels, parameters: { key: [low, high] } }`.
  static func sensitivity(
    _ node: JSONNode, _ registry: ParameterRegistry, _ r: SpecReader
  ) throws(ExperimentError) -> SensitivitySpec {
    let path = "sensitivity"
    let members = try r.members(
      node, path, allowed: ["method", "samples", "levels", "parameters"])
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
      factors.append(SensitivityFactor(name: entry.key, low: low, high: high, isInteger: isInteger))
    }
    let spec = SensitivitySpec(method: method, samples: samples, levels: levels, factors: factors)
    if let problem = spec.problem { throw r.error(path, problem, at: node) }
    return spec
  }
}
