import EnsembleModel

/// Strict reading of JSON values into typed values, with errors that name the source, the
/// key path and the position, and suggest the nearest known key.
struct SpecReader {
  let source: String

  func error(_ path: String, _ message: String, at node: JSONNode? = nil) -> ExperimentError {
    ExperimentError(source: source, path: path, message: message, position: node?.position)
  }

  /// The members of an object, refusing keys not in `allowed` (naming the nearest one).
  func members(
    _ node: JSONNode, _ path: String, allowed: [String], what: String = "key"
  ) throws(ExperimentError) -> [(key: String, value: JSONNode)] {
    guard case .object(let members) = node.value else {
      throw error(path, "expects an object, got \(node.value.typeName)", at: node)
    }
    var result: [(key: String, value: JSONNode)] = []
    for member in members {
      if !allowed.contains(member.key) {
        let hint = nearest(member.key, among: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
        throw error(
          join(path, member.key), "\"\(member.key)\" is not a known \(what)\(hint)",
          at: member.value)
      }
      result.append((member.key, member.value))
    }
    return result
  }

  func string(_ node: JSONNode, _ path: String) throws(ExperimentError) -> String {
    guard case .string(let s) = node.value else {
      throw error(path, "expects a string, got \(node.value.typeName)", at: node)
    }
    return s
  }

  func number(_ node: JSONNode, _ path: String) throws(ExperimentError) -> Double {
    guard case .number(let x) = node.value else {
      throw error(path, "expects a number, got \(node.value.typeName)", at: node)
    }
    guard x.isFinite else { throw error(path, "expects a finite number", at: node) }
    return x
  }

  func integer(
    _ node: JSONNode, _ path: String, in range: ClosedRange<Double>
  ) throws(ExperimentError) -> Int {
    let x = try number(node, path)
    guard x == x.rounded() else {
      throw error(path, "expects a whole number, got \(ParameterValue.format(x))", at: node)
    }
    guard range.contains(x) else {
      throw error(
        path,
        "\(ParameterValue.format(x)) is out of range (allowed: "
          + "\(ParameterValue.format(range.lowerBound)) to \(ParameterValue.format(range.upperBound)))",
        at: node)
    }
    return Int(x)
  }

  func array(_ node: JSONNode, _ path: String) throws(ExperimentError) -> [JSONNode] {
    guard case .array(let items) = node.value else {
      throw error(path, "expects a list, got \(node.value.typeName)", at: node)
    }
    return items
  }

  /// A value for `parameter`, read as its type demands and checked against its range.
  func value(
    _ node: JSONNode, for parameter: Parameter, _ path: String
  ) throws(ExperimentError) -> ParameterValue {
    let value = try rawValue(node, type: parameter.type, path)
    if let problem = parameter.problem(with: value) {
      // The key once: the path already ends with it in `set`, `--set` and `sweep`.
      let named = path == parameter.key || path.hasSuffix(join("", parameter.key))
      throw error(path, named ? problem : "\(parameter.key): \(problem)", at: node)
    }
    return value
  }

  func rawValue(
    _ node: JSONNode, type: ParameterType, _ path: String
  ) throws(ExperimentError) -> ParameterValue {
    switch type {
    case .number:
      return .number(try number(node, path))
    case .integer:
      let x = try number(node, path)
      guard x == x.rounded(), abs(x) < 1e15 else {
        throw error(path, "expects a whole number, got \(ParameterValue.format(x))", at: node)
      }
      return .integer(Int(x))
    case .boolean:
      guard case .bool(let b) = node.value else {
        throw error(path, "expects true or false, got \(node.value.typeName)", at: node)
      }
      return .boolean(b)
    case .choice(let words):
      guard case .string(let s) = node.value else {
        throw error(
          path,
          "expects one of \(words.map { "\"\($0)\"" }.joined(separator: ", ")), got "
            + node.value.typeName, at: node)
      }
      return .choice(s)
    case .numberList, .integerList:
      return .list(
        try array(node, path).enumerated().map { (i, item) throws(ExperimentError) in
          try number(item, "\(path)[\(i)]")
        })
    case .numberOrList:
      if case .array = node.value { return try rawValue(node, type: .numberList, path) }
      return .number(try number(node, path))
    case .distribution:
      return .distribution(try distribution(node, path))
    }
  }

  /// `{fixed: x}`, `{uniform: [a, b]}`, `{beta: [a, b]}`, `{exponential: mean}`,
  /// `{lognormal: {mean: m, sd: s}}`, or a bare number meaning `{fixed: x}`.
  func distribution(_ node: JSONNode, _ path: String) throws(ExperimentError) -> Distribution {
    if case .number = node.value { return .fixed(try number(node, path)) }
    let forms = ["fixed", "uniform", "beta", "exponential", "lognormal"]
    let chosen = try members(node, path, allowed: forms, what: "distribution")
    guard chosen.count == 1, let (form, argument) = chosen.first else {
      throw error(
        path,
        "a distribution is one of {fixed: x}, {uniform: [a, b]}, {beta: [a, b]}, "
          + "{exponential: mean}, {lognormal: {mean: m, sd: s}}", at: node)
    }
    let inner = join(path, form)
    func pair() throws(ExperimentError) -> (Double, Double) {
      let items = try array(argument, inner)
      guard items.count == 2 else {
        throw error(inner, "expects two numbers [a, b]", at: argument)
      }
      return (try number(items[0], inner + "[0]"), try number(items[1], inner + "[1]"))
    }
    switch form {
    case "fixed": return .fixed(try number(argument, inner))
    case "uniform":
      let (a, b) = try pair()
      return .uniform(a, b)
    case "beta":
      let (a, b) = try pair()
      return .beta(a, b)
    case "exponential": return .exponential(mean: try number(argument, inner))
    default:
      var mean: Double?
      var sd: Double?
      for (key, value) in try members(argument, inner, allowed: ["mean", "sd"]) {
        if key == "mean" { mean = try number(value, join(inner, key)) }
        if key == "sd" { sd = try number(value, join(inner, key)) }
      }
      guard let mean, let sd else {
        throw error(inner, "lognormal needs both \"mean\" and \"sd\"", at: argument)
      }
      return .lognormal(mean: mean, sd: sd)
    }
  }
}

/// Joins a key path and a key: `a.b`, or `a."x.y"` when the key has dots itself.
func join(_ path: String, _ key: String) -> String {
  let part = key.contains(".") || key.contains(" ") ? "\"\(key)\"" : key
  return path.isEmpty ? part : "\(path).\(part)"
}
