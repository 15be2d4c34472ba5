import EnsembleAnalysis
import EnsembleExperiments
import EnsembleReport
import Foundation

/// `ensemble run`: runs an experiment and writes its results.
enum RunCommand {
  static let help = """
    Usage: ensemble run [FILE|NAME] [options]

    Runs an experiment: every condition at every sweep point, for every replication,
    in parallel, and writes runs.csv, summary.csv, contrasts.csv, manifest.json and
    the report into the output folder. FILE is an experiment file (JSON5); NAME a
    built-in experiment (`ensemble list`). Without either, runs the built-in
    structured-vs-unstructured.

    Options:
      --replications N   replications per condition and point (overrides the file)
      --seed S           experiment seed (overrides the file)
      --set KEY=VALUE    set a parameter for every condition; repeatable (`ensemble
                         params` lists the keys), e.g. --set design.reviewRate=0.5;
                         a key the experiment sweeps cannot be set
      --out DIR          output folder (default: results/<experiment name>)
      --threads N        worker threads (default: all cores); results do not depend
                         on it
      --shard I/N        run slice I of N of the plan (also auto/N under Slurm or
                         Kubernetes)
      --resume           continue an interrupted run in DIR (same experiment, seed
                         and options); starts afresh when DIR is empty, and does
                         nothing when DIR already holds the finished result
      --force            replace the results in a non-empty output folder; the old
                         ones stay until the new ones are complete, and only their
                         files are removed
      --allow-large      run a plan over the size limits (see `ensemble check`)
      --quiet            print nothing but errors
      --help             show this help

    The output folder is locked while the run works in it: a second command on the
    same folder is refused. Files are written in DIR/.ensemble-run and moved into
    DIR when all are complete. A plan estimated above 10,000,000 tasks or drift
    updates per replication, or 2 GB of memory per thread, is refused unless
    --allow-large.

    Exit status: 0 done, 1 the run failed, 2 a mistake in the command or the file,
    130 interrupted (no file that looks finished is left behind; --resume
    continues).
    """

  static let options = OptionSpec(
    values: ["replications", "seed", "out", "threads", "shard"], repeated: ["set"],
    flags: ["force", "quiet", "resume", "allow-large"], maxPositionals: 1)

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: options, command: "run")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    let source = try ExperimentSource.load(
      args.positionals.first ?? "structured-vs-unstructured", with: args, command: "run")
    let experiment = source.experiment
    if experiment.sensitivity != nil {
      throw CLIError(
        "run: \(experiment.source) is a sensitivity analysis (it has a `sensitivity` "
          + "section); run it with `ensemble sensitivity`")
    }
    let threads =
      try args.integer("threads", in: 1...4096, command: "run") ?? Console.processorCount
    let shard = try Shard.parse(args.values["shard"], command: "run")
    let quiet = args.flags.contains("quiet")
    let resume = args.flags.contains("resume")
    let out = try OutputDirectory.outputPath(
      args.values["out"], default: "results/\(experiment.name)", shard: shard, command: "run")
    let outPath = out.shown
    let plan = Plan(experiment, shard: (shard.index, shard.count))
    if plan.units.isEmpty {
      throw CLIError(
        "run: shard \(shard.index)/\(shard.count) holds no runs: the plan has only "
          + "\(plan.totalUnits) (point, replication) pairs; use at most \(plan.totalUnits) shards")
    }
    try SizeCheck.enforce(
      plan, threads: threads, allowLarge: args.flags.contains("allow-large"), command: "run")
    let command = reproducingCommand(args, shard: shard)
    if let problem = ResultManifest.sizeProblem(
      plan: plan, experimentText: source.text,
      extra: 6 * (command.utf8.count + commandLine().utf8.count) + 4096)
    {
      throw CLIError("run: \(problem)")
    }
    let (output, previous) = try OutputDirectory.open(
      path: out, command: "run", force: args.flags.contains("force"), resume: resume,
      quiet: quiet, inputs: source.inputs)

    let started = Date()
    func manifestJSON(seconds: Double) -> JSONValue {
      ResultManifest.json(
        plan: plan, experimentText: source.text, threads: threads, wallSeconds: seconds,
        command: command, invocation: commandLine())
    }
    let identity = Self.identity(manifestJSON(seconds: 0))
    let draft = try Self.readBack(manifestJSON(seconds: 0))

    // Where the run starts: afresh, from an interrupted run's journal, or not at all.
    let journal: RunJournal
    switch previous {
    case .interrupted where resume:
      journal = try RunJournal.open(
        in: output.target, identity: identity, conditions: plan.conditionCount,
        units: plan.units, display: outPath, checker: RowChecker(draft))
      if let dropped = journal.dropped, !quiet {
        Console.error(
          "ensemble: the journal's rows from unit \(dropped.unit) on are not kept (\(dropped.reason)); "
            + "those units run again")
      }
    case .result(let manifest) where resume:
      if let difference = JSONDifference.first(Self.identity(manifest.json.value), identity) {
        throw CLIError(
          "run: --resume: \(outPath) holds a finished result of other settings (\(difference)); "
            + "use --force without --resume to replace it")
      }
      if !quiet { Console.error("ensemble: \(outPath) already holds this run's finished result") }
      return .success
    default:
      try output.startStaging()
      journal = try RunJournal.create(
        in: output.target, identity: identity, conditions: plan.conditionCount,
        start: plan.units.lowerBound)
    }

    let resumed = (journal.end - plan.units.lowerBound) * plan.conditionCount
    do {
      var statistics = try rebuild(journal, plan: plan, manifest: draft)
      var progress = Progress(
        total: plan.runCount, quiet: quiet,
        initial: (journal.end - plan.units.lowerBound) * plan.conditionCount)
      let outcome = try execute(
        plan.remaining(from: journal.end), journal: journal, statistics: &statistics,
        threads: threads, progress: &progress)
      if outcome == .completed, try finish(plan, journal, statistics, output) {
        let seconds = Date().timeIntervalSince(started)
        let json = manifestJSON(seconds: seconds)
        let files = try ReportWriter.writeAll(
          manifest: try Self.readBack(json), statistics: statistics, output: output)
        try output.write("manifest.json", withFiles(json, files).render() + "\n")
        try output.publish()
        if !quiet {
          let time = String(format: "%.1f", seconds)
          Console.error(
            "ensemble: \(plan.runCount) runs "
              + (resumed > 0
                ? "(\(resumed) from the interrupted run, \(plan.runCount - resumed) in \(time) s)"
                : "in \(time) s") + "; results in \(outPath)/")
        }
        return .success
      }
      try journal.checkpoint()
      output.removeTemporaries()
      let saved = (journal.end - plan.units.lowerBound) * plan.conditionCount
      Console.error(
        "ensemble: interrupted; \(saved) of \(plan.runCount) runs are saved in "
          + "\(outPath)/\(OutputDirectory.stagingName) (no result was written); add --resume "
          + "to the same command to continue")
      return .interrupted
    } catch {
      try? journal.checkpoint()
      output.removeTemporaries()
      let saved = (journal.end - plan.units.lowerBound) * plan.conditionCount
      throw CLIError(
        error.message + "; \(saved) of \(plan.runCount) runs are saved, and --resume "
          + "continues once the cause is fixed", code: error.code)
    }
  }

  /// What a run is, for comparing an interrupted run with its resume: the engine, the shard,
  /// the resolved experiment (all but the path it was read from), its text and the
  /// reproducing command — everything that shows in the result's files.
  static func identity(_ manifest: JSONValue) -> JSONValue {
    guard case .object(let members) = manifest else { return manifest }
    let kept = [
      "engineVersion", "modelVersion", "metricTable", "experiment", "sweptKeys",
      "experimentText", "shard",
      "command",
    ]
    return .object(
      members.filter { kept.contains($0.key) }.map { member in
        guard member.key == "experiment", case .object(let inner) = member.value.value else {
          return member
        }
        var trimmed = member
        trimmed.value = JSON.node(.object(inner.filter { $0.key != "source" }))
        return trimmed
      })
  }

  /// The statistics of the units already in the journal, read back from its rows.
  static func rebuild(_ journal: RunJournal, plan: Plan, manifest: ResultManifest)
    throws(CLIError) -> ResultStatistics
  {
    let layout = ResultSchema.layout(of: plan)
    guard !journal.chunks.isEmpty else { return ResultStatistics(layout: layout) }
    do {
      let source = try FileSource(path: journal.rowsURL.path)
      return try RunsFile.statistics(
        layout: layout, segments: journal.segments(source), checker: RowChecker(manifest))
    } catch {
      throw CLIError("cannot read back the saved runs: \(error.description)", code: .failure)
    }
  }

  /// Runs the plan's units, buffering each unit's rows in the journal (which writes them
  /// out in checkpoints) and adding them to the statistics.
  static func execute(
    _ plan: Plan, journal: RunJournal, statistics: inout ResultStatistics, threads: Int,
    progress: inout Progress
  ) throws(CLIError) -> Runner.Outcome {
    var done = progress.initial
    let outcome: Runner.Outcome
    do {
      // Workers format the rows; this thread only buffers them and adds up statistics.
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
          journal.add(rows)
          statistics.add(point: point, values: values)
          done += plan.conditionCount
          progress.update(done)
          try journal.checkpointIfDue()
        })
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError("the run failed: \(error)", code: .failure)
    }
    progress.finish()
    if outcome == .completed { try journal.checkpoint() }
    return outcome
  }

  /// Writes runs.csv into the staging folder: the header, then each condition's rows (plan
  /// order: condition, point, replication). False when interrupted.
  static func finish(
    _ plan: Plan, _ journal: RunJournal, _ statistics: ResultStatistics, _ output: OutputDirectory
  ) throws(CLIError) -> Bool {
    guard journal.end == plan.units.upperBound else {
      throw CLIError("the run stopped at unit \(journal.end) of \(plan.units)", code: .failure)
    }
    let runs = try BufferedFile(output.temporaryURL(for: "runs.csv"))
    try runs.write(CSV.line(ResultSchema.runsHeader(plan)))
    guard try journal.copyRows(to: runs, isCancelled: { Interrupts.requested }) else {
      try runs.close()
      return false
    }
    try runs.sync()
    try runs.close()
    try output.finish(runs.url, as: "runs.csv")
    return true
  }

  /// The manifest with the list of the result's files (which `--force` replaces).
  static func withFiles(_ manifest: JSONValue, _ files: [String]) -> JSONValue {
    guard case .object(var members) = manifest else { return manifest }
    let list = JSON.array((["runs.csv"] + files + ["manifest.json"]).map { .string($0) })
    members.removeAll { $0.key == "files" }
    members.append(
      JSONMember(key: "files", keyPosition: members[0].keyPosition, value: JSON.node(list)))
    return .object(members)
  }

  /// The run's own manifest as the report reads it.
  static func readBack(_ json: JSONValue) throws(CLIError) -> ResultManifest {
    do {
      return try ResultManifest(JSON.node(json))
    } catch {
      throw CLIError("run: its manifest does not read back: \(error.message)", code: .failure)
    }
  }

  /// The command as typed, for the manifest.
  static func commandLine() -> String {
    (["ensemble"] + CommandLine.arguments.dropFirst()).map(shellWord).joined(separator: " ")
  }

  /// The command that reproduces the results of `ensemble VERB` (`run`, `sensitivity`): the
  /// experiment and every option that changes them, none that does not (`--out`,
  /// `--threads`, `--force`, `--quiet`).
  static func reproducingCommand(_ args: Arguments, shard: Shard, verb: String = "run")
    -> String
  {
    var words = ["ensemble", verb]
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
