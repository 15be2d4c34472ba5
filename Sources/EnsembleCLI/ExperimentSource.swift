import EnsembleExperiments
import Foundation

/// Where an experiment comes from: a file, or a built-in experiment by name.
struct ExperimentSource {
  var experiment: Experiment
  /// The experiment's text as read (kept in the manifest, so a run can be reproduced).
  var text: String
  /// The file read, if any: an input the command's output must never replace.
  var inputs: Set<FileIdentity> = []

  /// Loads `argument`: an existing file path, else a built-in experiment name.
  static func load(_ argument: String, command: String) throws(CLIError) -> ExperimentSource {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: argument, isDirectory: &isDirectory) {
      if isDirectory.boolValue {
        throw CLIError("\(command): \(argument) is a folder; give an experiment file (.json)")
      }
      let size = (try? manager.attributesOfItem(atPath: argument)[.size] as? Int) ?? 0
      if size > ExperimentLimits.maximumFileBytes {
        throw CLIError(
          "\(argument): the file is \(size) bytes, more than the "
            + "\(ExperimentLimits.maximumFileBytes) an experiment may be; keep long notes outside it"
        )
      }
      guard let data = manager.contents(atPath: argument),
        let text = String(data: data, encoding: .utf8)
      else {
        throw CLIError("\(command): cannot read \(argument) as UTF-8 text")
      }
      let base = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
      do {
        let experiment = try ExperimentLoader.load(text, source: argument, defaultName: base)
        let identity = FileIdentity(path: argument)
        return ExperimentSource(
          experiment: experiment, text: text, inputs: identity.map { [$0] } ?? [])
      } catch {
        throw CLIError(error.description)
      }
    }
    if let text = BuiltinExperiments.text(named: argument) {
      do {
        let experiment = try ExperimentLoader.load(
          text, source: "built-in \(argument)", defaultName: argument)
        return ExperimentSource(experiment: experiment, text: text)
      } catch {
        throw CLIError(error.description)
      }
    }
    let names = BuiltinExperiments.names
    if argument.hasSuffix(".json") || argument.hasSuffix(".json5") || argument.contains("/") {
      throw CLIError("\(command): no such file: \(argument)")
    }
    let hint = nearest(argument, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
    throw CLIError(
      "\(command): \"\(argument)\" is neither a file nor a built-in experiment\(hint) "
        + "(`ensemble list` shows the built-in ones)")
  }

  /// Loads `argument` and applies the command line's `--seed`, `--replications` and
  /// `--set` (run, check, sensitivity and trace take them alike).
  static func load(_ argument: String, with args: Arguments, command: String) throws(CLIError)
    -> ExperimentSource
  {
    var source = try load(argument, command: command)
    try source.override(
      seed: args.values["seed"], replications: args.values["replications"],
      sets: args.repeated["set"] ?? [], command: command)
    return source
  }

  /// Applies `--seed`, `--replications` and `--set` and checks the result again.
  mutating func override(
    seed: String?, replications: String?, sets: [String], command: String
  ) throws(CLIError) {
    if let seed {
      do {
        experiment.seed = try ExperimentChecks.seed(seed)
      } catch {
        throw CLIError("\(command): --seed: \(error.text)")
      }
    }
    if let replications {
      guard let value = Int(replications), value >= 1, value <= 100_000_000 else {
        throw CLIError(
          "\(command): --replications expects a whole number from 1 to 100000000, got \"\(replications)\""
        )
      }
      experiment.replications = value
    }
    do {
      try ExperimentLoader.override(&experiment, sets: sets)
    } catch {
      throw CLIError(error.description)
    }
  }
}
