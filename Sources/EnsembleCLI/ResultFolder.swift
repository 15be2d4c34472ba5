import EnsembleAnalysis
import EnsembleReport
import Foundation

/// Reading result folders (`report`, `merge`, `run --force`): the manifest and `runs.csv`,
/// checked in full, with messages naming the file, line and column.
enum ResultFolder {
  /// The largest `manifest.json` read (a manifest of the largest plan is a few megabytes).
  static let maximumManifestBytes = 256 << 20

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
      let staging = folder.appendingPathComponent(OutputDirectory.stagingName)
      if Publication.read(in: staging) != nil {
        throw CLIError(
          "\(command): \(display) has no manifest.json: the command that was publishing its "
            + "result stopped half way; `ensemble report \(display)` finishes the publish (as "
            + "does any command writing to the folder)")
      }
      if manager.fileExists(atPath: staging.appendingPathComponent(RunJournal.identityName).path) {
        throw CLIError(
          "\(command): \(display) has no manifest.json: its run did not finish (continue it "
            + "with `ensemble run ... --resume`)")
      }
      if manager.fileExists(atPath: folder.appendingPathComponent("runs.csv").path) {
        throw CLIError("\(command): \(display) has no manifest.json: its run did not finish")
      }
      throw CLIError("\(command): \(display) holds no results (no manifest.json)")
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
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError("\(command): \(name) is not UTF-8 text")
    }
    do {
      return try ResultManifest(parsing: text)
    } catch {
      let place = error.position.map { "\(name):\($0.line):\($0.column)" } ?? name
      throw CLIError("\(command): \(place): \(error.message)")
    }
  }

  /// Checks every line of `folder/runs.csv` against `manifest`; returns the file and each
  /// condition's rows.
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

  /// The statistics layout of a manifest's result.
  static func layout(_ manifest: ResultManifest) -> ResultLayout {
    ResultLayout(
      conditions: manifest.conditions, baseline: manifest.baseline,
      sweptKeys: manifest.sweptKeys, points: manifest.points,
      metrics: Array(RunsFile.header(sweptKeys: []).dropFirst(4)))
  }
}
