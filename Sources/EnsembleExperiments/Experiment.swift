import EnsembleModel

/// One `key = value` of a `set` block, a `--set` option or a sweep point.
public struct Assignment: Sendable, Hashable {
  public var key: String
  public var value: ParameterValue

  public init(key: String, value: ParameterValue) {
    self.key = key
    self.value = value
  }
}

/// A condition: a design preset or object, and overrides.
public struct Condition: Sendable {
  public var name: String
  /// The design before any `set`: a preset, or design fields over `unstructured`.
  public var design: Design
  /// How the design was given: a preset name, or nil for an object.
  public var preset: String?
  public var set: [Assignment]

  /// A condition's name in the names of its files (`events-NAME.csv` of a trace): letters,
  /// digits, `.`, `_` and `-` kept, anything else replaced by `-`; `condition-` in front of
  /// a name that would be empty or start with a dot. The loader refuses two conditions
  /// whose file names are the same, ignoring case.
  public static func fileName(_ name: String) -> String {
    let kept = name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" }
    let text = String(kept)
    return text.isEmpty || text.hasPrefix(".") ? "condition-" + text : text
  }
}

/// The exact value of a metric at each sweep point (one value without a sweep), from theory:
/// a validation's report says whether the simulated mean matches it.
public struct ExactValues: Sendable, Equatable {
  /// The metric, a name in ``Metrics/table``.
  public var metric: String
  /// One value per sweep point, in plan order.
  public var values: [Double]
  /// Where the values come from, e.g. "Erlang C"; empty when not said.
  public var source: String

  public init(metric: String, values: [Double], source: String) {
    self.metric = metric
    self.values = values
    self.source = source
  }
}

/// One swept key and its values.
public struct SweepAxis: Sendable, Hashable {
  public var key: String
  public var values: [ParameterValue]
}

/// A resolved experiment: validated against the registry, ready to expand into runs.
///
/// The configuration of a run is built in this order: the scenario (built-in or written
/// out), the condition's design, the experiment's `set` (with `--set` options merged into
/// it), the condition's `set`, then the sweep point's values.
public struct Experiment: Sendable {
  public var name: String
  public var description: String
  public var seed: UInt64
  public var replications: Int
  /// The scenario before any `set`, and the name of its built-in base.
  public var scenario: Scenario
  public var scenarioName: String
  public var set: [Assignment]
  public var conditions: [Condition]
  public var baseline: Int
  public var sweep: [SweepAxis]
  /// Metrics the report leads with.
  public var reportMetrics: [String]
  public var registry: ParameterRegistry
  /// Where the experiment was read from (a path, or `built-in NAME`).
  public var source: String
  /// A global sensitivity analysis instead of a sweep (`ensemble sensitivity`).
  public var sensitivity: SensitivitySpec?
  /// The member indices the file gives roles in its written-out team, checked against the
  /// group sizes of the plan after loading and after every override.
  public var roleIndices: [RoleIndex] = []
  /// The question the experiment asks (`question:`), which its report answers first; empty
  /// when the file states none.
  public var question: String = ""
  /// Exact values the report compares a metric with (`report.exact`), for validations.
  public var exact: ExactValues?

  /// Sweep points in grid order: the first key varies slowest. One empty point without a sweep.
  public var points: [[ParameterValue]] {
    var points: [[ParameterValue]] = [[]]
    for axis in sweep {
      points = points.flatMap { point in axis.values.map { point + [$0] } }
    }
    return points
  }

  public var sweepKeys: [String] { sweep.map(\.key) }

  /// The configuration of condition `c` at sweep point `point`.
  public func configuration(condition c: Int, point: [ParameterValue]) -> Configuration {
    var configuration = Configuration(scenario: scenario, design: conditions[c].design)
    for assignment in set + conditions[c].set {
      registry[assignment.key]!.apply(assignment.value, to: &configuration)
    }
    for (axis, value) in zip(sweep, point) {
      registry[axis.key]!.apply(value, to: &configuration)
    }
    return configuration
  }

  /// The configuration of condition `c` with `keys` set to `values` after everything else
  /// (a sensitivity analysis's design point).
  public func configuration(condition c: Int, keys: [String], values: [ParameterValue])
    -> Configuration
  {
    var configuration = configuration(condition: c, point: [])
    for (key, value) in zip(keys, values) { registry[key]!.apply(value, to: &configuration) }
    return configuration
  }

  /// Checks every configuration of the plan for values that are valid one by one but not
  /// together (a skill list of the wrong length, an own domain that does not exist, ...).
  /// For a sensitivity analysis, the corners of its ranges stand for its points.
  public func validate() throws(ExperimentError) {
    var checked = points
    if let sensitivity {
      checked = [
        sensitivity.modelFactors.map { value($0, $0.low) },
        sensitivity.modelFactors.map { value($0, $0.high) },
      ]
    }
    for (c, condition) in conditions.enumerated() {
      for point in checked {
        let keys = sensitivity?.modelKeys ?? sweep.map(\.key)
        let resolved =
          sensitivity == nil
          ? configuration(condition: c, point: point)
          : configuration(condition: c, keys: keys, values: point)
        if let problem = resolved.problem() {
          var place = "conditions[\(c)] (\(condition.name))"
          if !point.isEmpty {
            place +=
              " at " + zip(keys, point).map { "\($0)=\($1.text)" }.joined(separator: ", ")
          }
          throw ExperimentError(source: source, path: place, message: problem)
        }
      }
    }
  }

  /// A factor's value as a parameter value.
  func value(_ factor: SensitivityFactor, _ x: Double) -> ParameterValue {
    factor.isInteger ? .integer(Int(x)) : .number(x)
  }

  /// Replaces or adds `--set` style assignments to the experiment-level `set`.
  public mutating func override(_ assignments: [Assignment]) {
    for assignment in assignments {
      set.removeAll { $0.key == assignment.key }
      set.append(assignment)
    }
  }
}

extension Configuration {
  /// The first cross-field inconsistency, or nil.
  public func problem() -> String? {
    let d = scenario.domains
    if scenario.teamSize == 0 { return "the team has no agents" }
    if let w = scenario.workload.domainWeights {
      if w.count != d { return "workload.domainWeights has \(w.count) values for \(d) domains" }
      if w.reduce(0, +) <= 0 { return "workload.domainWeights must not all be zero" }
    }
    for group in scenario.team {
      if group.skill.count != 1 && group.skill.count != d {
        return "team.\(group.name).skill has \(group.skill.count) values for \(d) domains"
      }
      if let e = group.expertise, let bad = e.domains.first(where: { $0 < 0 || $0 >= d }) {
        return
          "team.\(group.name).expertise.domains names domain \(bad), but domains are 0 to \(d - 1)"
      }
    }
    let team = Team(scenario)
    var executors = team.count
    if design.routing == .conductor && team.firstHolder(of: .conductor) != nil { executors -= 1 }
    if design.redundancy > executors {
      return "design.redundancy is \(design.redundancy) but only \(executors) agents can execute"
    }
    if scenario.workload.kind == .decide && scenario.workload.stages != 1 {
      return "workload.kind is decide, which needs workload.stages = 1, but workload.stages is "
        + "\(scenario.workload.stages); a decision has one stage (set workload.stages to 1, or "
        + "workload.kind to create)"
    }
    return nil
  }
}
