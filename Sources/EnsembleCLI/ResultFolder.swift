import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

/// Reading result folders (`report`, `merge`, `run --force`): the manifest and `runs.csv`,
/// checked in full, with messages naming the file, line and column.
enum ResultFolder {
  /// The largest `manifest.json` read (a manifest of the largest plan is a few megabytes).
  static let maximumManifestBytes = ResultManifest.maximumBytes

  /// Reads and checks `folder/manifest.json`.
  static func manifest(_ folder: URL, display: String, command: String) throws(CLIError)
    -> ResultManifest
  {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
      throw CLIError("\(command): \(display) does not exist")
    }
    guard isDirectory.boolValue else {
      throw CLIError("\(command): \(display) is a file, not a result folder")
    }
    let url = folder.appendingPathComponent("manifest.json")
    let name = display.hasSuffix("/") ? display + "manifest.json" : display + "/manifest.json"
    guard manager.fileExists(atPath: url.path) else {
      throw missingManifest(folder, display: display, command: command)
    }
    let data: Data
    do {
      let source = try FileSource(path: url.path, name: name)
      if source.size > UInt64(maximumManifestBytes) {
        throw CLIError(
          "\(command): \(name) is \(source.size) bytes, more than a manifest can be "
            + "(\(maximumManifestBytes >> 20) MB)")
      }
      data = try Data(contentsOf: url)
    } catch let error as CLIError {
      throw error
    } catch let error as ResultFileError {
      throw CLIError("\(command): \(error.description)")
    } catch {
      throw CLIError("\(command): cannot read \(name): \(OutputDirectory.reason(error))")
    }
    return try parse(Array(data), name: name, command: command)
  }

  /// Why a folder without `manifest.json` holds no result to read: a publish that stopped
  /// half way, a run that did not finish, or no result at all.
  static func missingManifest(_ folder: URL, display: String, command: String) -> CLIError {
    let manager = FileManager.default
    let staging = folder.appendingPathComponent(OutputDirectory.stagingName)
    if Publication.read(in: staging) != nil {
      return CLIError(
        "\(command): \(display) has no manifest.json: the command that was publishing its "
          + "result stopped half way; `ensemble report \(display)` finishes the publish (as "
          + "does any command writing to the folder)")
    }
    if manager.fileExists(atPath: staging.appendingPathComponent(RunJournal.identityName).path) {
      let kind = RunJournal.kind(in: staging)
      let resume = kind == "run" ? "ensemble run ... --resume" : "ensemble sensitivity ... --resume"
      return CLIError(
        "\(command): \(display) has no manifest.json: its \(kind) did not finish (continue it "
          + "with `\(resume)`)")
    }
    if manager.fileExists(atPath: folder.appendingPathComponent("runs.csv").path) {
      return CLIError("\(command): \(display) has no manifest.json: its run did not finish")
    }
    return CLIError("\(command): \(display) holds no results (no manifest.json)")
  }

  /// A run's manifest from its bytes (`name` is how messages call the file).
  static func parse(_ bytes: [UInt8], name: String, command: String) throws(CLIError)
    -> ResultManifest
  {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw CLIError("\(command): \(name) is not UTF-8 text")
    }
    do {
      return try ResultManifest(parsing: text)
    } catch {
      let place = error.position.map { "\(name):\($0.line):\($0.column)" } ?? name
      throw CLIError("\(command): \(place): \(error.message)")
    }
  }

  /// What a result folder holds, as its manifest says.
  enum Contents {
    /// The result of `ensemble run` (or a merge of its shards).
    case run(ResultManifest)
    /// A sensitivity analysis, and its manifest.
    case sensitivity(JSONNode)
  }

  /// Reads a folder's `manifest.json` once, through the descriptor opened under the
  /// folder's lock (`file`; nil when there is none), and says what the folder holds.
  /// A trace is refused (neither `report` nor `merge` works on one), naming the folder.
  static func contents(_ file: InputFile?, folder: FolderPath, command: String)
    throws(CLIError) -> (Contents, bytes: [UInt8])
  {
    guard let file else {
      throw missingManifest(folder.url, display: folder.shown, command: command)
    }
    let bytes = try file.readAll(limit: maximumManifestBytes, command: command)
    let node = try? JSON5.parse(String(decoding: bytes, as: UTF8.self))
    if case .string(let format)? = node?["format"]?.value {
      if format == TraceCommand.format {
        throw CLIError(
          "\(command): \(folder.shown) holds a trace (made by ensemble trace); "
            + (command == "merge"
              ? "merge joins the shards of a run or of a sensitivity analysis"
              : "its report is its timeline.html; report rebuilds the results of run and "
                + "sensitivity"))
      }
      if format == SensitivityCommand.format, let node { return (.sensitivity(node), bytes) }
    }
    return (.run(try parse(bytes, name: file.name, command: command)), bytes)
  }

  /// Checks every line of `folder/runs.csv` against `manifest`, reading it by its path;
  /// returns the file and each condition's rows. (`report` and `merge` read through one
  /// descriptor instead: ``runs(_:manifest:display:command:)`` with an ``InputFile``.)
  static func runs(
    _ folder: URL, manifest: ResultManifest, display: String, command: String
  ) throws(CLIError) -> (FileSource, [RowSegment]) {
    let name = display.hasSuffix("/") ? display + "runs.csv" : display + "/runs.csv"
    do {
      let source = try FileSource(
        path: folder.appendingPathComponent("runs.csv").path, name: name)
      return (source, try RunsFile.scan(source, manifest: manifest))
    } catch {
      throw CLIError("\(command): \(error.description)")
    }
  }

  /// Checks every line of a result's `runs.csv` (`file`, opened under the folder's lock;
  /// nil when there is none) against `manifest`; returns each condition's rows.
  static func runs(
    _ file: InputFile?, manifest: ResultManifest, display: String, command: String
  ) throws(CLIError) -> [RowSegment] {
    guard let file else {
      throw CLIError("\(command): \(display) has no runs.csv, which its manifest describes")
    }
    do {
      return try RunsFile.scan(file, manifest: manifest)
    } catch {
      throw CLIError("\(command): \(error.description)")
    }
  }

  /// The statistics layout of a manifest's result.
  static func layout(_ manifest: ResultManifest) -> ResultLayout {
    ResultLayout(
      conditions: manifest.conditions, baseline: manifest.baseline,
      sweptKeys: manifest.sweptKeys, points: manifest.points,
      metrics: Metrics.names)
  }
}
