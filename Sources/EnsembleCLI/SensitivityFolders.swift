import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

/// `report` and `merge` of sensitivity-analysis folders (their manifest's format is
/// `ensemble-sensitivity`): everything is rebuilt from `points.csv`.
extension SensitivityCommand {
  /// What a sensitivity folder's manifest says.
  struct Folder {
    var path: String
    var url: URL
    var json: JSONNode
    var experimentText: String
    var seed: UInt64
    var replications: Int
    var pointCount: Int
    var shardIndex: Int
    var shardCount: Int
    var firstPoint: Int
    var endPoint: Int
    var command: String
    var experiment: Experiment

    /// The fields that must agree between shards of one analysis.
    var fingerprint: String {
      "\(experimentText)|\(seed)|\(replications)|\(pointCount)|\(shardCount)|"
        + unsharded(command)
    }
  }

  /// Whether `folder` holds a sensitivity result (a manifest of that format).
  static func isSensitivityFolder(_ folder: URL) -> Bool {
    let url = folder.appendingPathComponent("manifest.json")
    guard let data = FileManager.default.contents(atPath: url.path),
      let node = try? JSON5.parse(String(decoding: data, as: UTF8.self)),
      case .string(let format)? = node["format"]?.value
    else { return false }
    return format == Self.format
  }

  /// Reads and checks a sensitivity folder's manifest.
  static func folder(_ url: URL, display path: String, command: String) throws(CLIError)
    -> Folder
  {
    let file = url.appendingPathComponent("manifest.json")
    guard let data = FileManager.default.contents(atPath: file.path) else {
      throw CLIError("\(command): \(path) holds no results (no manifest.json)")
    }
    let node: JSONNode
    do {
      node = try JSON5.parse(String(decoding: data, as: UTF8.self))
    } catch {
      throw CLIError("\(command): \(file.path): not valid JSON (\(error.description))")
    }
    func fail(_ what: String) -> CLIError {
      CLIError("\(command): \(file.path): \(what) is missing or malformed")
    }
    func string(_ n: JSONNode?, _ what: String) throws(CLIError) -> String {
      guard case .string(let s)? = n?.value else { throw fail(what) }
      return s
    }
    func int(_ n: JSONNode?, _ what: String, _ range: ClosedRange<Int>) throws(CLIError) -> Int {
      guard case .number(let x)? = n?.value, x == x.rounded(), x >= Double(range.lowerBound),
        x <= Double(range.upperBound)
      else { throw fail(what) }
      return Int(x)
    }
    guard case .string(Self.format)? = node["format"]?.value else {
      if case .string("ensemble-results")? = node["format"]?.value {
        throw CLIError(
          "\(command): \(path) holds the results of a run, not of a sensitivity analysis; "
            + "give \(command) folders of one kind")
      }
      throw CLIError(
        "\(command): \(file.path): format is not \"\(Self.format)\": not the manifest of a "
          + "sensitivity analysis")
    }
    guard case .bool(true)? = node["complete"]?.value else {
      throw CLIError("\(command): \(path): its run did not finish")
    }
    let text = try string(node["experimentText"], "experimentText")
    guard let seed = UInt64(try string(node["seed"], "seed")) else { throw fail("seed") }
    let replications = try int(node["replications"], "replications", 1...100_000_000)
    let points = try int(node["points"], "points", 1...100_000_000)
    let shard = node["shard"]
    let shardCount = try int(shard?["count"], "shard.count", 1...points)
    let shardIndex = try int(shard?["index"], "shard.index", 1...shardCount)
    let firstPoint = try int(shard?["firstPoint"], "shard.firstPoint", 0...points)
    let endPoint = try int(shard?["endPoint"], "shard.endPoint", firstPoint...points)
    var experiment: Experiment
    do {
      experiment = try ExperimentLoader.load(
        text, source: "\(file.path): experimentText", defaultName: "x")
    } catch {
      throw CLIError("\(command): \(error.description)")
    }
    experiment.seed = seed
    experiment.replications = replications
    guard let spec = experiment.sensitivity, spec.pointCount == points else {
      throw fail("points (the experiment's design has another number)")
    }
    // Shards take whole base rows or trajectories; older versions sliced points.
    let slice = firstPoint..<endPoint
    guard
      slice == Plan.sensitivitySlice(spec, shard: (shardIndex, shardCount))
        || slice == Plan.slice(total: points, shard: (shardIndex, shardCount))
    else { throw fail("shard (points of another slice)") }
    return Folder(
      path: path, url: url, json: node, experimentText: text, seed: seed,
      replications: replications, pointCount: points, shardIndex: shardIndex,
      shardCount: shardCount, firstPoint: firstPoint, endPoint: endPoint,
      command: try string(node["command"], "command"), experiment: experiment)
  }

  /// Reads a folder's points.csv into the collector, checking its header and point numbers.
  static func readPoints(
    _ folder: Folder, into collector: inout SensitivityCollector, rows: inout [String],
    command: String
  ) throws(CLIError) {
    let file = folder.url.appendingPathComponent("points.csv")
    guard let data = FileManager.default.contents(atPath: file.path) else {
      throw CLIError("\(command): \(folder.path) has no points.csv")
    }
    var lines = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    guard let header = lines.first, collector.accept(header: (try? CSV.fields(header)) ?? [])
    else {
      throw CLIError("\(command): \(file.path):1: the header does not match the experiment")
    }
    let body = lines.dropFirst()
    guard body.count == folder.endPoint - folder.firstPoint else {
      throw CLIError(
        "\(command): \(file.path): \(body.count) points, but the manifest says "
          + "\(folder.endPoint - folder.firstPoint)")
    }
    let columns = collector.columnCount
    for (i, line) in body.enumerated() {
      let number = i + 2
      let fields: [String]
      do {
        fields = try CSV.fields(line)
      } catch {
        throw CLIError("\(command): \(file.path):\(number): \(error.message)")
      }
      guard fields.count == columns, fields[0] == String(folder.firstPoint + i) else {
        throw CLIError(
          "\(command): \(file.path):\(number): expected point \(folder.firstPoint + i) with "
            + "\(columns) fields")
      }
      for (c, field) in fields.enumerated().dropFirst(1 + collector.spec.keys.count)
      where !field.isEmpty && !(CSV.parseNumber(field)?.isFinite ?? false) {
        throw CLIError(
          "\(command): \(file.path):\(number):\(c + 1): \"\(field)\" is not a finite number")
      }
      collector.add(collector.summaries(ofRow: fields))
      rows.append(line)
    }
  }

  /// `ensemble report DIR` of a sensitivity folder (locked and recovered as `output`).
  static func report(_ path: String, output: OutputDirectory) throws(CLIError) -> ExitCode {
    let folder = try folder(output.url, display: path, command: "report")
    guard folder.shardCount == 1 else {
      throw CLIError(
        "report: \(path) holds shard \(folder.shardIndex) of \(folder.shardCount) of a "
          + "sensitivity analysis; the indices need every point: `ensemble merge` the shards")
    }
    var collector = collector(folder.experiment)
    var rows: [String] = []
    try readPoints(folder, into: &collector, rows: &rows, command: "report")
    let published = try output.publish(failure: "report", keeping: ["points.csv"]) {
      if Interrupts.requested { return false }
      _ = try writeResults(
        collector, rows: collector.rows(seed: folder.seed), experiment: folder.experiment,
        command: folder.command, output: output)
      if Interrupts.requested { return false }
      try output.copy(from: folder.url.appendingPathComponent("manifest.json"), as: "manifest.json")
      return true
    }
    guard published else {
      Console.error("ensemble: report interrupted; nothing was changed")
      return .interrupted
    }
    Console.error("ensemble: rebuilt the sensitivity indices and report in \(path)/")
    return .success
  }

  /// `ensemble merge` of sensitivity shards.
  static func merge(
    _ paths: [FolderPath], out: FolderPath, force: Bool, quiet: Bool, inputs: Set<FileIdentity>,
    inside: Set<String>
  ) throws(CLIError) -> ExitCode {
    let outPath = out.shown
    var folders: [Folder] = []
    for path in paths {
      folders.append(try folder(path.url, display: path.shown, command: "merge"))
    }
    let first = folders[0]
    for f in folders.dropFirst() where f.fingerprint != first.fingerprint {
      throw CLIError(
        "merge: \(f.path) and \(first.path) are not shards of the same sensitivity analysis")
    }
    var seen: [Int: String] = [:]
    for f in folders {
      if let other = seen[f.shardIndex] {
        throw CLIError(
          "merge: shard \(f.shardIndex)/\(f.shardCount) is given twice: \(other) and \(f.path)")
      }
      seen[f.shardIndex] = f.path
    }
    let missing = (1...first.shardCount).filter { seen[$0] == nil }
    if !missing.isEmpty {
      throw CLIError(
        "merge: missing shard" + (missing.count > 1 ? "s " : " ")
          + missing.map { "\($0)/\(first.shardCount)" }.joined(separator: ", "))
    }
    folders.sort { $0.shardIndex < $1.shardIndex }
    var collector = collector(first.experiment)
    var rows: [String] = []
    for f in folders {
      if Interrupts.requested { return ResultCommands.interrupted() }
      try readPoints(f, into: &collector, rows: &rows, command: "merge")
    }
    if Interrupts.requested { return ResultCommands.interrupted() }
    let (output, previous) = try OutputDirectory.open(
      path: out, command: "merge", force: force, resume: false, quiet: quiet, inputs: inputs,
      ignoring: inside)
    if case .interrupted = previous {
      throw CLIError(
        "merge: \(out.described) holds an interrupted run; finish it with `ensemble run ... "
          + "--resume` or merge elsewhere")
    }
    let published = try output.publish(failure: "merge") {
      try output.write(
        "points.csv", CSV.line(collector.pointsHeader) + rows.map { $0 + "\n" }.joined())
      let command = unsharded(first.command)
      let files = try writeResults(
        collector, rows: collector.rows(seed: first.seed), experiment: first.experiment,
        command: command, output: output)
      guard case .object(var members) = first.json.value else {
        throw CLIError("merge: \(first.path): the manifest is not an object")
      }
      var wall = 0.0
      for f in folders {
        if case .number(let x)? = f.json["wallSeconds"]?.value { wall += x }
      }
      for (i, member) in members.enumerated() {
        switch member.key {
        case "shard":
          members[i].value = JSON.node(
            JSON.object([
              ("index", JSON.integer(1)), ("count", JSON.integer(1)),
              ("firstPoint", JSON.integer(0)), ("endPoint", JSON.integer(first.pointCount)),
              ("mergedFrom", JSON.integer(folders.count)),
            ]))
        case "command": members[i].value = JSON.node(.string(command))
        case "wallSeconds":
          members[i].value = JSON.node(JSON.number((wall * 1000).rounded() / 1000))
        case "files":
          members[i].value = JSON.node(JSON.array((files + ["manifest.json"]).map { .string($0) }))
        default: break
        }
      }
      if Interrupts.requested { return false }
      try output.write("manifest.json", JSONValue.object(members).render() + "\n")
      return true
    }
    guard published else { return ResultCommands.interrupted() }
    if !quiet {
      Console.error("ensemble: merged \(folders.count) sensitivity shards into \(outPath)/")
    }
    return .success
  }

  /// A shard's reproducing command without its `--shard`.
  static func unsharded(_ command: String) -> String {
    var words = command.split(separator: " ").map(String.init)
    if let i = words.firstIndex(of: "--shard"), i + 1 < words.count {
      words.removeSubrange(i...(i + 1))
    }
    return words.joined(separator: " ")
  }
}
