import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// The `manifest.json` of a sensitivity-analysis folder (format `ensemble-sensitivity`),
/// read strictly: every field `report` and `merge` rely on must be there, of the right type
/// and within range, the versions must be ones this program knows, and the experiment text
/// must load and have the design the manifest counts.
public struct SensitivityManifest: Sendable {
  public static let format = "ensemble-sensitivity"
  /// The only version of the format there is.
  public static let formatVersion = 1

  /// The whole manifest as read.
  public var json: JSONNode
  public var experimentText: String
  public var seed: UInt64
  public var replications: Int
  public var pointCount: Int
  public var shardIndex: Int
  public var shardCount: Int
  public var firstPoint: Int
  public var endPoint: Int
  public var command: String
  public var modelVersion: Int
  public var engineVersion: String
  /// The experiment of `experimentText`, with the manifest's seed and replications.
  public var experiment: Experiment

  /// Parses the text of a sensitivity folder's `manifest.json`; `source` names it in the
  /// messages of its experiment text.
  public init(parsing text: String, source: String) throws(ManifestError) {
    let node: JSONNode
    do {
      node = try JSON5.parse(text)
    } catch {
      throw ManifestError("not valid JSON: \(error.message)", at: error.position)
    }
    try self.init(node, source: source)
  }

  public init(_ node: JSONNode, source: String) throws(ManifestError) {
    let r = ManifestReader(root: node)
    guard case .object = node.value else { throw r.fail(node, "", "expects an object") }
    let format = try r.string(node, "format")
    guard format == Self.format else {
      throw r.fail(
        node["format"], "format",
        format == "ensemble-results"
          ? "is \"ensemble-results\": the results of a run, not of a sensitivity analysis"
          : "is not \"\(Self.format)\": not the manifest of a sensitivity analysis")
    }
    let version = try r.integer(node, "formatVersion", in: 0...Int(Int32.max))
    guard version == Self.formatVersion else {
      throw r.fail(
        node["formatVersion"], "formatVersion",
        "is \(version); this ensemble reads version \(Self.formatVersion) (use the ensemble "
          + "that wrote it)")
    }
    modelVersion = try r.integer(node, "modelVersion", in: 0...Int(Int32.max))
    try ResultManifest.checkModelVersion(modelVersion, r.item(node["modelVersion"], 0), r)
    engineVersion = try r.string(node, "engineVersion")
    guard case .bool(true)? = node["complete"]?.value else {
      throw r.fail(node["complete"], "complete", "is not true: its run did not finish")
    }
    json = node
    experimentText = try r.string(node, "experimentText")
    let seedText = try r.string(node, "seed")
    guard let seed = ResultManifest.seed(seedText) else {
      throw r.fail(
        node["seed"], "seed",
        "\(RowChecker.quoted(seedText)) is not a whole number from 0 to \(UInt64.max)")
    }
    self.seed = seed
    replications = try r.integer(node, "replications", in: 1...100_000_000)
    pointCount = try r.integer(node, "points", in: 1...100_000_000)
    let shard = try r.object(node, "shard")
    shardCount = try r.integer(shard, "count", path: "shard.count", in: 1...pointCount)
    shardIndex = try r.integer(shard, "index", path: "shard.index", in: 1...shardCount)
    firstPoint = try r.integer(shard, "firstPoint", path: "shard.firstPoint", in: 0...pointCount)
    endPoint = try r.integer(shard, "endPoint", path: "shard.endPoint", in: 0...pointCount)
    command = try r.string(node, "command")
    // The name the run gave it (its file's base name when the text has none).
    let name = try r.string(node, "name")
    var experiment: Experiment
    do {
      experiment = try ExperimentLoader.load(
        experimentText, source: "\(source): experimentText", defaultName: name)
    } catch {
      throw ManifestError("experimentText: \(error.description)")
    }
    experiment.seed = seed
    experiment.replications = replications
    guard let spec = experiment.sensitivity else {
      throw r.fail(node["experimentText"], "experimentText", "has no sensitivity section")
    }
    let method = try r.string(node, "method")
    guard method == spec.method.rawValue else {
      throw r.fail(
        node["method"], "method",
        "is \"\(method)\", but the experiment's design is \"\(spec.method.rawValue)\"")
    }
    guard spec.pointCount == pointCount else {
      throw r.fail(
        node["points"], "points",
        "is \(pointCount), but the experiment's design has \(spec.pointCount) points")
    }
    // A shard takes whole base rows or trajectories; earlier versions sliced points. Compared
    // bound by bound: a range of a first point after the end would trap.
    let slices = [
      Plan.sensitivitySlice(spec, shard: (shardIndex, shardCount)),
      Plan.slice(total: pointCount, shard: (shardIndex, shardCount)),
    ]
    let (first, end) = (firstPoint, endPoint)
    guard slices.contains(where: { first == $0.lowerBound && end == $0.upperBound }) else {
      let slice = slices[0]
      throw r.fail(
        shard["firstPoint"], "shard",
        "points \(firstPoint)..<\(endPoint) are not those of shard \(shardIndex) of "
          + "\(shardCount) (\(slice.lowerBound)..<\(slice.upperBound))")
    }
    self.experiment = experiment
  }

  /// The first way in which this shard and `other` are not shards of one analysis, in words
  /// ("its seed is 9, against 20261122"); nil when they are. The experiment is compared by its
  /// name and text and the options by their effect (seed, replications, `--set` values),
  /// so the path the file was given by does not matter.
  public func shardDifference(from other: SensitivityManifest) -> String? {
    func differs<T: Equatable>(_ what: String, _ mine: T, _ theirs: T) -> String? {
      mine == theirs ? nil : "its \(what) is \(mine), against \(theirs)"
    }
    func listed(_ settings: [String]) -> String {
      settings.isEmpty ? "(none)" : settings.joined(separator: " --set ")
    }
    let differences: [String?] = [
      differs("engine", engineVersion, other.engineVersion),
      differs("model version", modelVersion, other.modelVersion),
      differs("experiment", experiment.name, other.experiment.name),
      experimentText == other.experimentText
        ? nil : "its experiment file's text differs (the file was edited between the shards)",
      differs("seed", seed, other.seed),
      differs("replications", replications, other.replications),
      differs("shard count", shardCount, other.shardCount),
      differs("points", pointCount, other.pointCount),
      settings == other.settings
        ? nil : "its --set values are \(listed(settings)), against \(listed(other.settings))",
    ]
    return differences.compactMap { $0 }.first
  }

  /// The `--set` values of the reproducing command, in order.
  public var settings: [String] {
    let words = Self.shellWords(command)
    return zip(words, words.dropFirst()).filter { $0.0 == "--set" }.map(\.1)
  }

  /// The words of a command as written by the reproducing command: plain words, or words in
  /// single quotes with `'\''` for a quote.
  static func shellWords(_ command: String) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quoted = false
    var escaped = false
    for c in command {
      if quoted {
        if c == "'" { quoted = false } else { word.append(c) }
      } else if escaped {
        word.append(c)
        escaped = false
      } else if c == "'" {
        quoted = true
        inWord = true
      } else if c == "\\" {
        escaped = true
        inWord = true
      } else if c == " " {
        if inWord { words.append(word) }
        word = ""
        inWord = false
      } else {
        word.append(c)
        inWord = true
      }
    }
    if inWord { words.append(word) }
    return words
  }

  /// A shard's reproducing command without its `--shard`.
  public static func unsharded(_ command: String) -> String {
    var words = command.split(separator: " ").map(String.init)
    if let i = words.firstIndex(of: "--shard"), i + 1 < words.count {
      words.removeSubrange(i...(i + 1))
    }
    return words.joined(separator: " ")
  }
}

/// Reading a sensitivity folder's `points.csv` back: every row checked before its numbers
/// reach the indices.
public enum PointsFile {
  /// Checks `source` (the points of `manifest`'s slice) against the design and adds each
  /// point's summaries to `collector`, in order; returns the rows as read (without their
  /// line breaks), for a merge to copy.
  ///
  /// A row holds its point's number, the design's parameter values at that point (as
  /// `sensitivity` wrote them), and per target a mean and an sd: each empty (no value) or
  /// one number read by the strict parser (``CSV/parseNumber(_:)``), the mean within the
  /// target's bounds from the metric table (for a contrast, the differences those bounds
  /// allow), the sd from 0 to the width of those bounds, and no sd without a mean. Memory:
  /// the rows returned; time linear in the file.
  public static func read(
    _ source: ByteSource, manifest: SensitivityManifest,
    into collector: inout SensitivityCollector
  ) throws(ResultFileError) -> [String] {
    let file = source.name
    let reader = LineReader(source)
    let header = collector.pointsHeader
    guard let first = try reader.next() else {
      throw ResultFileError(file: file, "is empty; expected a header line and the points")
    }
    let fields = try Self.fields(first, file: file)
    guard collector.accept(header: fields) else {
      let column =
        zip(fields, header).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(fields.count, header.count)
      throw ResultFileError(
        file: file, line: 1, column: column + 1,
        "the header does not match the experiment"
          + (column < header.count ? " (expected \"\(header[column])\")" : ""))
    }
    let check = RowCheck(collector: collector, experiment: manifest.experiment)
    var rows: [String] = []
    var last = first
    for point in manifest.firstPoint..<manifest.endPoint {
      guard let line = try reader.next() else {
        throw ResultFileError(
          file: file, line: last.number + 1,
          "the file ends after \(point - manifest.firstPoint) points; the manifest says "
            + "\(manifest.endPoint - manifest.firstPoint)")
      }
      last = line
      let fields = try check.check(line, point: point, file: file)
      collector.add(collector.summaries(ofRow: fields))
      rows.append(line.text)
    }
    if let extra = try reader.next() {
      throw ResultFileError(
        file: file, line: extra.number,
        "more rows than the manifest's \(manifest.endPoint - manifest.firstPoint) points")
    }
    if !last.terminated {
      throw ResultFileError(
        file: file, line: last.number, "the last line has no line break: the file was cut short")
    }
    return rows
  }

  /// The check of one row of `points.csv`, for ``read(_:manifest:into:)`` and for a
  /// sensitivity analysis's journal (whose rows are rows of `points.csv`, checked before
  /// `--resume` keeps them).
  public struct RowCheck {
    let header: [String]
    let spec: SensitivitySpec
    let design: PlanPoints
    let bounds: [ClosedRange<Double>]
    let start: Int

    /// The check for the rows `collector` takes (after it accepted the file's header: the
    /// current one, or an older one without the noise columns) of `experiment`'s design.
    public init(collector: SensitivityCollector, experiment: Experiment) {
      header = Array(collector.pointsHeader.prefix(collector.columnCount))
      spec = collector.spec
      design = Plan(sensitivity: experiment).points
      bounds = collector.targets.map { PointsFile.bounds(of: $0) }
      start = 1 + spec.keys.count
    }

    /// Checks `line`, the row of design point `point`; returns its fields.
    public func check(_ line: LineReader.Line, point: Int, file: String)
      throws(ResultFileError) -> [String]
    {
      let fields = try PointsFile.fields(line, file: file)
      func fail(_ column: Int, _ message: String) -> ResultFileError {
        ResultFileError(file: file, line: line.number, column: column, message)
      }
      guard fields.count == header.count else {
        throw fail(0, "the row has \(fields.count) fields, the header \(header.count)")
      }
      guard fields[0] == String(point) else {
        throw fail(
          1, "expected point \(point) (design order), found \(RowChecker.quoted(fields[0]))")
      }
      guard point < design.count else {
        throw fail(1, "point \(point) is not in the design (\(design.count) points)")
      }
      for (k, value) in design[point].enumerated() where fields[1 + k] != value.text {
        throw fail(
          2 + k,
          "\(spec.keys[k]) at point \(point) is \(value.text) in the design, found "
            + RowChecker.quoted(fields[1 + k]))
      }
      for (t, range) in bounds.enumerated() {
        let column = start + 2 * t
        let name = header[column]
        let mean = try number(fields[column], name, fail: { fail(column + 1, $0) })
        let sd = try number(fields[column + 1], name + ":sd", fail: { fail(column + 2, $0) })
        if let mean, !PointsFile.contains(range, mean) {
          throw fail(
            column + 1,
            "\(name): \(fields[column]) is out of range (allowed: \(PointsFile.text(range)))")
        }
        if let sd {
          let width = min(range.upperBound - range.lowerBound, RowChecker.maximumMagnitude)
          guard sd >= 0, sd <= width * (1 + 1e-12) else {
            throw fail(
              column + 2,
              "\(name):sd: \(fields[column + 1]) is out of range (allowed: 0 to "
                + "\(ParameterValue.format(width)))")
          }
          if mean == nil {
            throw fail(column + 2, "\(name):sd: an sd without a mean")
          }
        }
      }
      // The noise columns (a Sobol' analysis's): a variance, 0 or more, and two covariances,
      // each empty or a finite number.
      for column in (start + 2 * bounds.count)..<header.count {
        let name = header[column]
        let x = try number(fields[column], name, fail: { fail(column + 1, $0) })
        if let x, name.hasSuffix(":noise_var"), x < 0 {
          throw fail(
            column + 1, "\(name): \(fields[column]) is out of range (allowed: 0 or more)")
        }
      }
      return fields
    }

    func number(_ text: String, _ name: String, fail: (String) -> ResultFileError)
      throws(ResultFileError) -> Double?
    {
      try PointsFile.number(text, name, fail: fail)
    }
  }

  static func fields(_ line: LineReader.Line, file: String) throws(ResultFileError) -> [String] {
    do {
      return try CSV.fields(line.text)
    } catch {
      throw ResultFileError(file: file, line: line.number, "not a CSV record")
    }
  }

  /// An empty field (nil) or a finite number, read strictly.
  static func number(
    _ text: String, _ name: String, fail: (String) -> ResultFileError
  ) throws(ResultFileError) -> Double? {
    if text.isEmpty { return nil }
    guard let x = CSV.parseNumber(text) else {
      throw fail(
        "\(name): \(RowChecker.quoted(text)) is not a finite number (or empty for no value)")
    }
    guard abs(x) <= RowChecker.maximumMagnitude else {
      throw fail("\(name): \(text) is out of range (allowed: at most 1e30 in size)")
    }
    return x
  }

  /// The values a target's mean can take: the metric's bounds, or for a contrast the
  /// differences of two values within them.
  static func bounds(of target: SensitivityTarget) -> ClosedRange<Double> {
    let range = Metrics.table[target.metric].bounds.range
    let low = max(range.lowerBound, -RowChecker.maximumMagnitude)
    let high = min(range.upperBound, RowChecker.maximumMagnitude)
    guard target.baseline != nil else { return low...high }
    return (low - high)...(high - low)
  }

  /// Whether `x` is within `range`, with the metric table's relative slack for rounding.
  static func contains(_ range: ClosedRange<Double>, _ x: Double) -> Bool {
    let slack = 1e-12 * max(1, abs(x))
    return x >= range.lowerBound - slack && x <= range.upperBound + slack
  }

  static func text(_ range: ClosedRange<Double>) -> String {
    "\(ParameterValue.format(range.lowerBound)) to \(ParameterValue.format(range.upperBound))"
  }
}
