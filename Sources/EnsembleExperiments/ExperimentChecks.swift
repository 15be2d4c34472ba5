import EnsembleModel

/// Why a seed's text is refused (a message without the place, which the caller adds).
public struct SeedText: Error, Sendable, Equatable {
  public let text: String

  init(_ text: String) { self.text = text }

  static let range = "a whole number from 0 to \(UInt64.max)"

  /// The whole number a decimal number denotes (`12.0`, `1.2e1`, `+12`, `9.007199254740993e15`)
  /// in plain digits, computed from the text and not through a double; nil when the text is
  /// not a decimal number, is negative, or has a fraction. Exponents beyond 100 give a text
  /// of over 40 digits without writing them out.
  static func exactDigits(_ text: String) -> String? {
    var scalars = Substring(text)
    if scalars.hasPrefix("+") { scalars = scalars.dropFirst() }
    var mantissa = scalars
    var exponent = 0
    if let e = scalars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = scalars[..<e]
      var power = scalars[scalars.index(after: e)...]
      var negative = false
      if power.hasPrefix("+") || power.hasPrefix("-") {
        negative = power.first == "-"
        power = power.dropFirst()
      }
      guard !power.isEmpty, power.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        return nil
      }
      let digits = power.drop { $0 == "0" }
      guard digits.count <= 6, let value = Int(digits.isEmpty ? "0" : digits) else {
        return negative ? nil : String(repeating: "9", count: 41)
      }
      exponent = negative ? -value : value
    }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, !mantissa.isEmpty, mantissa != "." else { return nil }
    let whole = parts[0]
    let fraction = parts.count == 2 ? parts[1] : ""
    guard (whole + fraction).utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    // digits x 10^(exponent - fraction.count)
    var digits = String(whole + fraction)
    var shift = exponent - fraction.count
    while shift < 0 {
      guard digits.last == "0" else {
        // A fraction unless every digit is zero.
        return digits.allSatisfy({ $0 == "0" }) ? "0" : nil
      }
      digits.removeLast()
      shift += 1
    }
    digits = String(digits.drop { $0 == "0" })
    if digits.isEmpty { return "0" }
    if digits.count + shift > 40 { return String(repeating: "9", count: 41) }
    return digits + String(repeating: "0", count: shift)
  }
}

/// A member index the experiment file gives a role (`roles: { monitor: [4] }`), and where.
public struct RoleIndex: Sendable, Hashable {
  public var group: String
  /// The role's name as written.
  public var role: String
  public var member: Int
  /// Where the index is written, e.g. `scenario.team[3].roles.monitor[0]`.
  public var path: String
  public var position: SourcePosition?
}

/// Checks of an experiment file that need more than one value at a time: the exact digits
/// of a 64-bit seed, role indices against group sizes, and the size of the grid.
public enum ExperimentChecks {
  /// The seed as written: a number's own digits (JSON numbers are doubles, which round
  /// seeds above 2^53), a hexadecimal number, or a string of digits. Any other form (`12.0`,
  /// `1e6`, `9.007199254740993e15`) is refused with the exact digits to write instead, so a
  /// seed never silently becomes a neighbouring one.
  static func seed(_ node: JSONNode, text: String, _ r: SpecReader) throws(ExperimentError)
    -> UInt64
  {
    switch node.value {
    case .string(let digits):
      do {
        return try seed(digits)
      } catch let message {
        throw r.error("seed", message.text, at: node)
      }
    case .number(let x):
      guard x.isFinite else {
        throw r.error(
          "seed", "expects \(SeedText.range), got \(ParameterValue.format(x))", at: node)
      }
      let token = Self.token(at: node.position, in: text)
      if token.lowercased().hasPrefix("0x"), let seed = UInt64(token.dropFirst(2), radix: 16) {
        return seed
      }
      do {
        return try seed(token.isEmpty ? ParameterValue.format(x) : token)
      } catch let message {
        throw r.error("seed", message.text, at: node)
      }
    default:
      throw r.error("seed", "expects \(SeedText.range), got \(node.value.typeName)", at: node)
    }
  }

  /// A seed given as text (a string in the file, or `--seed S`): plain digits from 0 to
  /// 2^64 - 1. Another way of writing a whole number (`12.0`, `1e6`) is refused with the
  /// digits to write; a fraction or a sign, with the range.
  public static func seed(_ text: String) throws(SeedText) -> UInt64 {
    if !text.isEmpty && text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
      guard let seed = UInt64(text) else {
        throw SeedText("\(text) is out of range (allowed: 0 to \(UInt64.max))")
      }
      return seed
    }
    switch SeedText.exactDigits(text) {
    case .some(let digits) where UInt64(digits) != nil:
      throw SeedText(
        "\(text) is not in plain digits (other forms of a number are exact only up to 2^53); "
          + "write \(digits)")
    case .some(let digits):
      throw SeedText(
        "\(text) is \(digits.count > 40 ? "far " : "")out of range (allowed: 0 to \(UInt64.max))")
    case nil:
      throw SeedText("expects \(SeedText.range), got \(text.isEmpty ? "nothing" : "\"\(text)\"")")
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

  /// The member indices the file gives roles in its written-out team, with their places.
  static func writtenRoleIndices(_ root: JSONNode) -> [RoleIndex] {
    guard case .array(let groups)? = root["scenario"]?["team"]?.value else { return [] }
    var indices: [RoleIndex] = []
    for (g, groupNode) in groups.enumerated() {
      guard case .string(let name)? = groupNode["name"]?.value,
        case .object(let roles)? = groupNode["roles"]?.value
      else { continue }
      for role in roles {
        guard case .array(let items) = role.value.value else { continue }
        for (i, item) in items.enumerated() {
          guard case .number(let x) = item.value, x >= 0, x <= 100_000 else { continue }
          indices.append(
            RoleIndex(
              group: name, role: role.key, member: Int(x),
              path: "scenario.team[\(g)].roles.\(role.key)[\(i)]", position: item.position))
        }
      }
    }
    return indices
  }

  /// The largest count each group reaches in any configuration the plan runs: every
  /// condition at every sweep point, or at both corners of a sensitivity analysis's ranges.
  static func largestGroups(_ experiment: Experiment) -> [String: Int] {
    var largest: [String: Int] = [:]
    for c in experiment.conditions.indices {
      var configurations: [Configuration] = []
      if let spec = experiment.sensitivity {
        for corner in [spec.factors.map(\.low), spec.factors.map(\.high)] {
          let values = zip(spec.factors, corner).map { experiment.value($0, $1) }
          configurations.append(
            experiment.configuration(condition: c, keys: spec.keys, values: values))
        }
      } else {
        for point in experiment.points {
          configurations.append(experiment.configuration(condition: c, point: point))
        }
      }
      for configuration in configurations {
        for group in configuration.scenario.team {
          largest[group.name] = max(largest[group.name] ?? 0, group.count)
        }
      }
    }
    return largest
  }

  /// Refuses a role index the file writes (`roles: { translator: [7] }`) for a member that
  /// no configuration of the plan has: the group is smaller at every condition and point,
  /// so the role would be dropped silently. An index that exists at some points only is
  /// allowed (a sweep of the group's count). Run after loading and again after every
  /// override: `overrides` are the `--set` assignments applied, which the message names
  /// when one of them shrinks the group, as it names a sensitivity range that does.
  public static func checkRoleIndices(_ experiment: Experiment, overrides: [Assignment] = [])
    throws(ExperimentError)
  {
    guard !experiment.roleIndices.isEmpty else { return }
    let largest = largestGroups(experiment)
    for index in experiment.roleIndices {
      let size = largest[index.group] ?? 0
      guard index.member >= size else { continue }
      let members =
        size == 0
        ? "has no members"
        : "has at most \(size) member\(size == 1 ? "" : "s") (indices 0 to \(size - 1))"
      let dropped =
        "member \(index.member) of group \(index.group) holds the \(index.role) role "
        + "(\(index.path)), but the group \(members) in every condition and point"
      let fix =
        "; give the group at least \(index.member + 1) members or change the role's members"
      let countKey = "team.\(index.group).count"
      if let assignment = overrides.last(where: { $0.key == countKey }) {
        throw ExperimentError(
          source: "--set", path: "",
          message: "\(countKey)=\(assignment.value.text) would drop a role: \(dropped)\(fix)")
      }
      if let factor = experiment.sensitivity?.factors.first(where: { $0.name == countKey }) {
        throw ExperimentError(
          source: experiment.source, path: join("sensitivity.parameters", countKey),
          message:
            "the range [\(ParameterValue.format(factor.low)), \(ParameterValue.format(factor.high))] "
            + "would drop a role: \(dropped)\(fix)")
      }
      throw ExperimentError(
        source: experiment.source, path: index.path,
        message:
          "member \(index.member) does not exist: group \(index.group) \(members), so its "
          + "\(index.role) role would be dropped", position: index.position)
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
