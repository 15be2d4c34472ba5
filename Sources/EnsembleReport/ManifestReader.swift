import EnsembleExperiments

/// Typed, range-checked access to the members of a parsed `manifest.json`, with errors that
/// name the key and the position of the value.
struct ManifestReader {
  let root: JSONNode

  func fail(_ node: JSONNode?, _ path: String, _ message: String) -> ManifestError {
    let place = path.isEmpty ? "" : "\(path): "
    if node == nil && !path.isEmpty { return ManifestError("\(path) is missing") }
    return ManifestError(place + message, at: node?.position)
  }

  func item(_ node: JSONNode?, _ i: Int) -> JSONNode? {
    guard case .array(let items)? = node?.value, items.indices.contains(i) else { return node }
    return items[i]
  }

  func member(_ node: JSONNode, _ key: String, _ path: String) throws(ManifestError) -> JSONNode {
    guard let value = node[key] else { throw ManifestError("\(path) is missing") }
    return value
  }

  func object(_ node: JSONNode, _ key: String) throws(ManifestError) -> JSONNode {
    let value = try member(node, key, key)
    guard case .object = value.value else {
      throw fail(value, key, "expects an object, got \(value.value.typeName)")
    }
    return value
  }

  func string(_ node: JSONNode, _ key: String, path: String? = nil) throws(ManifestError)
    -> String
  {
    let path = path ?? key
    let value = try member(node, key, path)
    guard case .string(let s) = value.value else {
      throw fail(value, path, "expects a string, got \(value.value.typeName)")
    }
    return s
  }

  func array(_ node: JSONNode, _ key: String, path: String? = nil) throws(ManifestError)
    -> [JSONNode]
  {
    let path = path ?? key
    let value = try member(node, key, path)
    guard case .array(let items) = value.value else {
      throw fail(value, path, "expects a list, got \(value.value.typeName)")
    }
    return items
  }

  /// A list of strings: `node[key]`, or `node` itself when `key` is a path only.
  func strings(_ node: JSONNode, _ key: String, path: String? = nil) throws(ManifestError)
    -> [String]
  {
    try stringList(try member(node, key, path ?? key), path ?? key)
  }

  func stringList(_ list: JSONNode, _ path: String) throws(ManifestError) -> [String] {
    guard case .array(let items) = list.value else {
      throw fail(list, path, "expects a list of strings, got \(list.value.typeName)")
    }
    var result: [String] = []
    for (i, item) in items.enumerated() {
      guard case .string(let s) = item.value else {
        throw fail(item, "\(path)[\(i)]", "expects a string, got \(item.value.typeName)")
      }
      result.append(s)
    }
    return result
  }

  /// A whole number within `range` (checked before any conversion, so no value traps).
  func integer(
    _ node: JSONNode, _ key: String, path: String? = nil, in range: ClosedRange<Int>
  ) throws(ManifestError) -> Int {
    let path = path ?? key
    let value = try member(node, key, path)
    guard case .number(let x) = value.value else {
      throw fail(value, path, "expects a whole number, got \(value.value.typeName)")
    }
    guard x.isFinite, x == x.rounded() else {
      throw fail(value, path, "expects a whole number, got \(ParameterValue.format(x))")
    }
    let i = abs(x) <= 9_007_199_254_740_992 ? Int(x) : nil
    guard let i, range.contains(i) else {
      let text = i.map(String.init) ?? ParameterValue.format(x)
      let high = range.upperBound == Int.max ? "" : " to \(range.upperBound)"
      throw fail(
        value, path,
        "\(text) is out of range (allowed: \(range.lowerBound)\(high.isEmpty ? " or more" : high))")
    }
    return i
  }
}
