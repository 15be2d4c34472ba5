import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

/// `report` and `merge` of sensitivity-analysis folders (their manifest's format is
/// `ensemble-sensitivity`): everything is rebuilt from `points.csv`.
extension SensitivityCommand {
  /// A sensitivity folder and what its manifest says.
  struct Folder {
    var path: String
    var url: URL
    var manifest: SensitivityManifest

    var json: JSONNode { manifest.json }
    var experiment: Experiment { manifest.experiment }
    var seed: UInt64 { manifest.seed }
    var pointCount: Int { manifest.pointCount }
    var shardIndex: Int { manifest.shardIndex }
    var shardCount: Int { manifest.shardCount }
    var command: String { manifest.command }
    /// The folder as a merge reads it (locked shared); nil for `report`, which reads its
    /// own folder.
    var input: InputFolder? = nil
  }

  /// Whether `folder` holds a sensitivity result (a manifest of that format), read by its
  /// path. (`report` and `merge` read the manifest once, under the folder's lock:
  /// ``ResultFolder/contents(_:folder:command:)``.)
  static func isSensitivityFolder(_ folder: URL) -> Bool {
    let url = folder.appendingPathComponent("manifest.json")
    guard let data = FileManager.default.contents(atPath: url.path),
      let node = try? JSON5.parse(String(decoding: data, as: UTF8.self)),
      case .string(let format)? = node["format"]?.value
    else { return false }
    return format == Self.format
  }

  /// Checks a sensitivity folder's manifest (`data`, read once under the folder's lock,
  /// within ``ResultManifest/maximumBytes``).
  static func folder(_ url: URL, manifest data: [UInt8], display path: String, command: String)
    throws(CLIError) -> Folder
  {
    let file = url.appendingPathComponent("manifest.json")
    guard let text = String(validating: data, as: UTF8.self) else {
      throw CLIError("\(command): \(file.path) is not UTF-8 text")
    }
    do {
      let manifest = try SensitivityManifest(parsing: text, source: file.path)
      return Folder(path: path, url: url, manifest: manifest)
    } catch {
      if case .string("ensemble-results")? = (try? JSON5.parse(text))?["format"]?.value {
        throw CLIError(
          "\(command): \(path) holds the results of a run, not of a sensitivity analysis; "
            + "give \(command) folders of one kind")
      }
      if error.message.hasPrefix("complete:") {
        throw CLIError("\(command): \(path): its run did not finish")
      }
      let place = error.position.map { "\(file.path):\($0.line):\($0.column)" } ?? file.path
      throw CLIError("\(command): \(place): \(error.message)")
    }
  }

  /// Reads a folder's points.csv (`input`, opened under the folder's lock and read through
  /// that descriptor; nil when there is none) into the collector (``PointsFile``): the
  /// header, the point numbers, the design's values and every number checked.
  static func readPoints(
    _ folder: Folder, from input: InputFile?, into collector: inout SensitivityCollector,
    rows: inout [String], command: String
  ) throws(CLIError) {
    guard let input else {
      throw CLIError("\(command): \(folder.path) has no points.csv")
    }
    do {
      rows += try PointsFile.read(input, manifest: folder.manifest, into: &collector)
    } catch {
      throw CLIError("\(command): \(error.description)")
    }
  }

  /// `ensemble report DIR` of a sensitivity folder (locked and recovered as `output`; its
  /// manifest read as `bytes`).
  static func report(
    _ path: String, manifest bytes: [UInt8], output: OutputDirectory
  ) throws(CLIError) -> ExitCode {
    let folder = try folder(output.url, manifest: bytes, display: path, command: "report")
    guard folder.shardCount == 1 else {
      throw CLIError(
        "report: \(path) holds shard \(folder.shardIndex) of \(folder.shardCount) of a "
          + "sensitivity analysis; the indices need every point: `ensemble merge` the shards")
    }
    var collector = collector(folder.experiment)
    var rows: [String] = []
    try readPoints(
      folder, from: try output.input("points.csv"), into: &collector, rows: &rows,
      command: "report")
    let published = try output.publish(failure: "report", keeping: ["points.csv"]) {
      if Interrupts.requested { return false }
      _ = try writeResults(
        collector, rows: collector.rows(seed: folder.seed), experiment: folder.experiment,
        command: folder.command, output: output)
      if Interrupts.requested { return false }
      try output.write("manifest.json", bytes: bytes)
      return true
    }
    guard published else {
      Console.error("ensemble: report interrupted; nothing was changed")
      return .interrupted
    }
    Console.error("ensemble: rebuilt the sensitivity indices and report in \(path)/")
    return .success
  }

  /// `ensemble merge` of sensitivity shards (each locked shared as `reader`, its manifest
  /// read once).
  static func merge(
    _ shards: [(reader: InputFolder, manifest: [UInt8])], out: FolderPath, force: Bool,
    quiet: Bool, inputs: Set<FileIdentity>, inside: Set<String>
  ) throws(CLIError) -> ExitCode {
    let outPath = out.shown
    var folders: [Folder] = []
    for (reader, bytes) in shards {
      var folder = try folder(
        reader.path.url, manifest: bytes, display: reader.path.shown, command: "merge")
      folder.input = reader
      folders.append(folder)
    }
    let first = folders[0]
    for f in folders.dropFirst() {
      if let difference = f.manifest.shardDifference(from: first.manifest) {
        throw CLIError(
          "merge: \(f.path) is not a shard of the same sensitivity analysis as "
            + "\(first.path): \(difference)")
      }
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
      try readPoints(
        f, from: try f.input?.open("points.csv", command: "merge"), into: &collector,
        rows: &rows, command: "merge")
    }
    if Interrupts.requested { return ResultCommands.interrupted() }
    let (output, previous) = try OutputDirectory.open(
      path: out, command: "merge", force: force, resume: false, quiet: quiet, inputs: inputs,
      ignoring: inside)
    try output.refuseInterrupted(previous, described: out.described)
    output.watch(folders.compactMap(\.input).flatMap(\.files))
    let published = try output.publish(failure: "merge") {
      try output.write(
        "points.csv", CSV.line(collector.pointsHeader) + rows.map { $0 + "\n" }.joined())
      let command = SensitivityManifest.unsharded(first.command)
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
}
