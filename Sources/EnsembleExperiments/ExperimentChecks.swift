import EnsembleModel

/// Checks of an experiment file that need more than one value at a time: the exact digits
/// of a 64-bit seed, role indices against group sizes, and the size of the grid.
public enum ExperimentChecks {
  /// The seed as written: a number's own digits (JSON numbers are doubles, which round
  /// seeds above 2^53), or a string of digits.
  static func seed(_ node: JSONNode, text: String, _ r: SpecReader) throws(ExperimentError)
    -> UInt64
  {
    let range = "a whole number from 0 to \(UInt64.max)"
    switch node.value {
    case .string(let digits):
      guard let seed = UInt64(digits) else {
        throw r.error("seed", "expects \(range), got \"\(digits)\"", at: node)
      }
      return seed
    case .number(let x):
      let token = Self.token(at: node.position, in: text)
      if !token.isEmpty && token.allSatisfy({ $0.isASCII && $0.isNumber }) {
        guard let seed = UInt64(token) else {
          throw r.error("seed", "\(token) is out of range (allowed: 0 to \(UInt64.max))", at: node)
        }
        return seed
      }
      if token.lowercased().hasPrefix("0x"), let seed = UInt64(token.dropFirst(2), radix: 16) {
        return seed
      }
      // Another form (1e6, 12.0): exact only up to 2^53.
      guard x.isFinite, x == x.rounded(), x >= 0, x <= 9_007_199_254_740_992 else {
        throw r.error(
          "seed", "expects \(range) written in digits, got \(ParameterValue.format(x))", at: node)
      }
      return UInt64(x)
    default:
      throw r.error("seed", "expects \(range), got \(node.value.typeName)", at: node)
    }
  }

  /// The characters of the number token at `position` (line and column in Unicode scalars,
  /// counted as the JSON5 parser counts them).
  static func token(at position: SourcePosition, in text: String) -> String {
    var line = 1
    var column = 1
    var token = ""
    var inside = false
    var previous: Unicode.Scalar = " "
    for scalar in text.unicodeScalars {
      if inside {
        let allowed = scalar.properties.isASCIIHexDigit || "xX+-.eE".unicodeScalars.contains(scalar)
        if !allowed { break }
        token.unicodeScalars.append(scalar)
        continue
      }
      if line == position.line && column == position.column {
        inside = true
        if scalar == "+" { continue }
        token.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n" where previous == "\r":
        column = 1
      case "\n", "\r", "\u{2028}", "\u{2029}":
        line += 1
        column = 1
      default:
        column += 1
      }
      previous = scalar
      if line > position.line { break }
    }
    return token
  }

  /// Refuses role indices (`roles: { translator: [7] }`) naming a member that no
  /// configuration of the experiment has: the group is smaller at every condition and point.
  /// An index that exists at some points only is allowed (a sweep of the group's count).
  static func roleIndices(
    _ root: JSONNode, _ experiment: Experiment, _ r: SpecReader
  ) throws(ExperimentError) {
    guard case .array(let groups)? = root["scenario"]?["team"]?.value else { return }
    var largest: [String: Int] = [:]
    for point in experiment.points {
      for c in experiment.conditions.indices {
        for group in experiment.configuration(condition: c, point: point).scenario.team {
          largest[group.name] = max(largest[group.name] ?? 0, group.count)
        }
      }
    }
    for (g, groupNode) in groups.enumerated() {
      guard case .string(let name)? = groupNode["name"]?.value,
        case .object(let roles)? = groupNode["roles"]?.value
      else { continue }
      let size = largest[name] ?? 0
      for role in roles {
        guard case .array(let items) = role.value.value else { continue }
        for (i, item) in items.enumerated() {
          guard case .number(let x) = item.value, x >= Double(size) else { continue }
          let members =
            size == 0
            ? "has no members"
            : "has at most \(size) member\(size == 1 ? "" : "s") "
              + "(indices 0 to \(size - 1))"
          throw r.error(
            "scenario.team[\(g)].roles.\(role.key)[\(i)]",
            "member \(ParameterValue.format(x)) does not exist: group \(name) \(members)",
            at: item)
        }
      }
    }
  }

  /// Refuses more conditions or sweep points than ``ExperimentLimits`` allow.
  static func size(_ root: JSONNode, conditions: Int, sweep: [SweepAxis], _ r: SpecReader)
    throws(ExperimentError)
  {
    guard
      let (key, message) = ExperimentLimits.problem(
        conditions: conditions, axisSizes: sweep.map(\.values.count))
    else { return }
    throw r.error(key, message, at: root[key])
  }
}

extension ExperimentChecks {
  /// Refuses a `set` (the experiment's, a condition's or `--set`) of a key the experiment
  /// sweeps: the sweep point's value would replace it at every point, silently.
  /// So is a key the sensitivity analysis varies: its design's values replace it likewise.
  static func sweptKeysNotSet(_ experiment: Experiment, _ r: SpecReader) throws(ExperimentError) {
    let swept = Set(experiment.sweepKeys)
    let varied = Set(experiment.sensitivity?.keys ?? [])
    var places = experiment.set.map { ("set", $0.key) }
    for (c, condition) in experiment.conditions.enumerated() {
      places += condition.set.map { ("conditions[\(c)].set", $0.key) }
    }
    for (path, key) in places where swept.contains(key) {
      throw r.error(
        join(path, key),
        "\(key) is swept by this experiment, so the sweep's values would replace this one at "
          + "every point; set it in the sweep or remove it from the sweep")
    }
    for (path, key) in places where varied.contains(key) {
      throw r.error(
        join(path, key),
        "\(key) is varied by the sensitivity analysis, so its design's values would replace "
          + "this one at every point; remove it here or from sensitivity.parameters")
    }
  }

  /// ``sweptKeysNotSet(_:_:)`` for `--set` options applied after loading.
  public static func checkSweptKeysNotSet(_ experiment: Experiment, assignments: [Assignment])
    throws(ExperimentError)
  {
    let swept = Set(experiment.sweepKeys)
    let varied = Set(experiment.sensitivity?.keys ?? [])
    for assignment in assignments where swept.contains(assignment.key) {
      let values = experiment.sweep.first { $0.key == assignment.key }!.values.map(\.text)
      throw ExperimentError(
        source: "--set", path: assignment.key,
        message:
          "the experiment sweeps this key (\(values.joined(separator: ", "))), so --set would be "
          + "replaced at every point; edit the sweep in the experiment file instead")
    }
    for assignment in assignments where varied.contains(assignment.key) {
      throw ExperimentError(
        source: "--set", path: assignment.key,
        message:
          "the sensitivity analysis varies this key, so --set would be replaced at every "
          + "point; edit its range in sensitivity.parameters instead")
    }
  }
}
