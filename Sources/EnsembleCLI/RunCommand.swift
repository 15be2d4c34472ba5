import EnsembleAnalysis
import EnsembleExperiments
import EnsembleReport
import Foundation
import Synchronization

/// Set by Ctrl-C (SIGINT) or SIGTERM; polled by the runner.
let interruptFlag = Atomic<Bool>(false)

/// `ensemble run`: runs an experiment and writes its results.
enum RunCommand {
  static let help = """
    Usage: ensemble run [FILE|NAME] [options]

    Runs an experiment: every condition at every sweep point, for every replication, in
    parallel, and writes runs.csv, summary.csv, contrasts.csv, manifest.json and the report
    into the output folder. FILE is an experiment file (JSON5); NAME a built-in experiment
    (`ensemble list`). Without either, runs the built-in structured-vs-unstructured.

    Options:
      --replications N   replications per condition and point (overrides the file)
      --seed S           experiment seed (overrides the file)
      --set KEY=VALUE    set a parameter for every condition; repeatable
                         (`ensemble params` lists the keys), e.g. --set design.reviewRate=0.5
      --out DIR          output folder (default: results/<experiment name>)
      --threads N        worker threads (default: all cores); results do not depend on it
      --shard I/N        run slice I of N of the plan (also auto/N under Slurm or Kubernetes)
      --force            replace the results in a non-empty output folder
      --quiet            print nothing but errors
      --help             show this help

    Exit status: 0 done, 1 the run failed, 2 a mistake in the command or the file,
    130 interrupted (no file that looks finished is left behind).
    """

  static let options = OptionSpec(
    values: ["replications", "seed", "out", "threads", "shard"], repeated: ["set"],
    flags: ["force", "quiet"], maxPositionals: 1)

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: options, command: "run")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    var source = try ExperimentSource.load(
      args.positionals.first ?? "structured-vs-unstructured", command: "run")
    try source.override(
      seed: args.values["seed"], replications: args.values["replications"],
      sets: args.repeated["set"] ?? [], command: "run")
    let experiment = source.experiment
    let threads =
      try args.integer("threads", in: 1...4096, command: "run") ?? Console.processorCount
    let shard = try Shard.parse(args.values["shard"], command: "run")
    let quiet = args.flags.contains("quiet")
    var outPath = args.values["out"] ?? "results/\(experiment.name)"
    if args.values["out"] == nil && shard.count > 1 {
      outPath += "/shard-\(shard.index)-of-\(shard.count)"
    }
    let plan = Plan(experiment, shard: (shard.index, shard.count))
    let output = try OutputDirectory(
      path: outPath, force: args.flags.contains("force"), command: "run")

    installInterruptHandler()
    let started = Date()
    do {
      let (outcome, statistics) = try execute(plan, threads: threads, output: output, quiet: quiet)
      if outcome == .cancelled {
        output.removeTemporaries()
        Console.error(
          "ensemble: interrupted; no results were written to \(outPath) (partial files removed)")
        return .interrupted
      }
      let seconds = Date().timeIntervalSince(started)
      let json = ResultManifest.json(
        plan: plan, experimentText: source.text, threads: threads, wallSeconds: seconds,
        command: reproducingCommand(args, shard: shard), invocation: commandLine())
      let manifest = try readBack(json)
      try ReportWriter.writeAll(manifest: manifest, statistics: statistics, output: output)
      try output.write("manifest.json", json.render() + "\n")
      if !quiet {
        Console.error(
          "ensemble: \(plan.runCount) runs in \(String(format: "%.1f", seconds)) s; "
            + "results in \(outPath)/")
      }
      return .success
    } catch {
      output.removeTemporaries()
      throw error
    }
  }

  /// Runs the plan, streaming rows to one temporary file per condition, then joins them
  /// into runs.csv in plan order and writes the statistics.
  static func execute(
    _ plan: Plan, threads: Int, output: OutputDirectory, quiet: Bool
  ) throws(CLIError) -> (Runner.Outcome, ResultStatistics) {
    let experiment = plan.experiment
    let layout = ResultSchema.layout(of: plan)
    var statistics = ResultStatistics(layout: layout)
    var parts: [BufferedFile] = []
    for c in experiment.conditions.indices {
      parts.append(try BufferedFile(output.temporaryURL(for: "runs.csv.part\(c)")))
    }
    var progress = Progress(total: plan.runCount, quiet: quiet)
    var done = 0
    let outcome: Runner.Outcome
    do {
      // Workers format the rows; this thread only writes them and adds up statistics.
      outcome = try Runner.run(
        plan, threads: threads, isCancelled: { interruptFlag.load(ordering: .relaxed) },
        prepare: { result in
          let values = result.metrics.map(\.values)
          let rows = values.enumerated().map { c, row in
            ResultSchema.runRow(plan, condition: c, result: result, values: row)
          }
          return (result.point, values, rows)
        },
        deliver: { (point: Int, values: [[Double?]], rows: [String]) in
          for (c, row) in rows.enumerated() { try parts[c].write(row) }
          statistics.add(point: point, values: values)
          done += plan.conditionCount
          progress.update(done)
        })
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError("the run failed: \(error)", code: .failure)
    }
    progress.finish()
    for part in parts { try part.close() }
    if outcome == .cancelled { return (outcome, statistics) }

    // runs.csv: the header, then each condition's rows (plan order: condition, point,
    // replication).
    let runs = try BufferedFile(output.temporaryURL(for: "runs.csv"))
    try runs.write(CSV.line(ResultSchema.runsHeader(plan)))
    try runs.flush()
    for part in parts {
      try runs.append(contentsOf: part.url)
      try? FileManager.default.removeItem(at: part.url)
    }
    try runs.close()
    try output.commit(runs.url, as: "runs.csv")
    return (outcome, statistics)
  }

  /// The run's own manifest as the report reads it.
  static func readBack(_ json: JSONValue) throws(CLIError) -> ResultManifest {
    do {
      return try ResultManifest(JSON.node(json))
    } catch {
      throw CLIError("run: its manifest does not read back: \(error.message)", code: .failure)
    }
  }

  static func installInterruptHandler() {
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        if interruptFlag.exchange(true, ordering: .relaxed) {
          exit(ExitCode.interrupted.rawValue)  // a second Ctrl-C: stop at once
        }
        Console.error("\nensemble: stopping (Ctrl-C again to quit at once)")
      }
      source.resume()
      signalSources.append(source)
    }
  }

  nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []

  /// The command as typed, for the manifest.
  static func commandLine() -> String {
    (["ensemble"] + CommandLine.arguments.dropFirst()).map(shellWord).joined(separator: " ")
  }

  /// The command that reproduces the results: the experiment and every option that changes
  /// them, none that does not (`--out`, `--threads`, `--force`, `--quiet`).
  static func reproducingCommand(_ args: Arguments, shard: Shard) -> String {
    var words = ["ensemble", "run"]
    if let experiment = args.positionals.first { words.append(experiment) }
    if let seed = args.values["seed"] { words += ["--seed", seed] }
    if let replications = args.values["replications"] { words += ["--replications", replications] }
    for set in args.repeated["set"] ?? [] { words += ["--set", set] }
    if shard.count > 1 { words += ["--shard", "\(shard.index)/\(shard.count)"] }
    return words.map(shellWord).joined(separator: " ")
  }

  /// A word as a POSIX shell reads it back: quoted when it has special characters.
  static func shellWord(_ word: String) -> String {
    word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) } && !word.isEmpty
      ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

/// `--shard I/N`, or `auto/N` taking I from Slurm or a Kubernetes Indexed Job.
struct Shard {
  var index = 1
  var count = 1

  static func parse(
    _ text: String?, command: String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(CLIError) -> Shard {
    guard let text else { return Shard() }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let count = Int(parts[1]), count >= 1, count <= 1_000_000 else {
      throw CLIError("\(command): --shard expects I/N (e.g. 2/8) or auto/N, got \"\(text)\"")
    }
    var index: Int
    if parts[0] == "auto" {
      if let slurm = environment["SLURM_ARRAY_TASK_ID"] {
        guard let i = Int(slurm) else {
          throw CLIError("\(command): SLURM_ARRAY_TASK_ID is \"\(slurm)\", not a number")
        }
        index = i
      } else if let kubernetes = environment["JOB_COMPLETION_INDEX"] {
        guard let i = Int(kubernetes) else {
          throw CLIError("\(command): JOB_COMPLETION_INDEX is \"\(kubernetes)\", not a number")
        }
        index = i + 1  // Kubernetes counts from 0
      } else {
        throw CLIError(
          "\(command): --shard auto/\(count) needs SLURM_ARRAY_TASK_ID (Slurm job array, "
            + "--array=1-\(count)) or JOB_COMPLETION_INDEX (Kubernetes Indexed Job); neither is set"
        )
      }
    } else {
      guard let i = Int(parts[0]) else {
        throw CLIError("\(command): --shard expects I/N (e.g. 2/8) or auto/N, got \"\(text)\"")
      }
      index = i
    }
    guard index >= 1 && index <= count else {
      throw CLIError("\(command): shard \(index) is outside 1 to \(count)")
    }
    return Shard(index: index, count: count)
  }
}
