import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

/// `ensemble sensitivity`: a global sensitivity analysis of an experiment, and `report` and
/// `merge` of its result folders.
enum SensitivityCommand {
  static let help = """
    Usage: ensemble sensitivity FILE|NAME [options]

    Runs the experiment's sensitivity analysis (its `sensitivity` section): every
    condition at every design point (Sobol': N x (k + 2) points of Saltelli's
    scheme; Morris: r trajectories of k + 1 points), the points of a base row or
    trajectory on the same replication seeds and each row on seeds of its own, and
    writes into the output folder:
      points.csv        each point's parameter values, and each target's mean and sd
                        over the replications (a target: a condition's mean of a
                        report metric, or a condition's paired difference from the
                        baseline); for Sobol', the replication noise of each mean
                        (its variance and covariances with the row's A and B)
      sensitivity.csv   per target, metric and parameter: S1, ST and their 95%
                        bootstrap intervals (or Morris's mu*, its interval, mu and
                        sigma), and the noise share
      report.md, report.html, sensitivity-METRIC.svg, manifest.json

    Options:
      --replications N   replications per point and condition (overrides the file)
      --seed S           experiment seed (overrides the file; also draws a Morris
                         design)
      --set KEY=VALUE    set a parameter for every condition; repeatable
      --out DIR          output folder (default: results/<experiment name>)
      --threads N        worker threads (default: all cores); results do not depend
                         on it
      --shard I/N        run slice I of N of the base rows or trajectories (also
                         auto/N); `ensemble merge` joins the shards and computes the
                         indices
      --resume           continue an interrupted analysis in DIR (same experiment,
                         seed and options): its finished base rows or trajectories
                         are kept, and the files are those of an uninterrupted run
      --force            replace the results in a non-empty output folder
      --allow-large      run a plan over the size limits (see `ensemble check`)
      --quiet            print nothing but errors

    `ensemble check FILE` prints the plan: points, runs and an estimated time. The
    output folder is locked while the analysis works in it, as for `ensemble run`.
    Exit status: 0 done, 1 the run failed, 2 a mistake in the command or the file,
    130 interrupted (no file that looks finished is left behind; --resume
    continues).
    """

  static let options = OptionSpec(
    values: ["replications", "seed", "out", "threads", "shard"], repeated: ["set"],
    flags: ["force", "quiet", "resume", "allow-large"], maxPositionals: 1)

  static let format = "ensemble-sensitivity"

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: options, command: "sensitivity")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    guard let argument = args.positionals.first else {
      throw CLIError(
        "sensitivity: which experiment? e.g. `ensemble sensitivity sensitivity` (the built-in "
          + "one) or a file with a `sensitivity` section")
    }
    let source = try ExperimentSource.load(argument, with: args, command: "sensitivity")
    let experiment = source.experiment
    guard experiment.sensitivity != nil else {
      throw CLIError(
        "sensitivity: \(experiment.source) has no `sensitivity` section; add one, e.g. "
          + "sensitivity: { method: \"sobol\", samples: 256, parameters: { "
          + "\"design.reviewRate\": [0, 1], \"workload.edgeCaseRate\": [0, 0.8] } }")
    }
    let threads =
      try args.integer("threads", in: 1...4096, command: "sensitivity") ?? Console.processorCount
    let shard = try Shard.parse(args.values["shard"], command: "sensitivity")
    let quiet = args.flags.contains("quiet")
    let out = try OutputDirectory.outputPath(
      args.values["out"], default: "results/\(experiment.name)", shard: shard,
      command: "sensitivity")
    let outPath = out.shown
    let plan = Plan(sensitivity: experiment, shard: (shard.index, shard.count))
    if plan.units.isEmpty {
      let spec = experiment.sensitivity!
      let blocks = spec.method == .sobol ? "base rows" : "trajectories"
      throw CLIError(
        "sensitivity: shard \(shard.index)/\(shard.count) holds no points: a shard takes whole "
          + "\(blocks), and the design has only \(spec.blockCount); use at most "
          + "\(spec.blockCount) shards")
    }
    try SizeCheck.enforce(
      plan, threads: threads, allowLarge: args.flags.contains("allow-large"),
      command: "sensitivity")
    let resume = args.flags.contains("resume")
    let force = args.flags.contains("force")
    let (output, previous) = try OutputDirectory.open(
      path: out, command: "sensitivity", force: force, resume: resume, quiet: quiet,
      inputs: source.inputs)
    let started = Date()
    let command = RunCommand.reproducingCommand(args, shard: shard, verb: "sensitivity")
    func manifestJSON(seconds: Double, files: [String]) -> JSONValue {
      manifest(
        experiment: experiment, text: source.text, plan: plan, command: command,
        seconds: seconds, threads: threads, files: files)
    }
    let identity = Self.identity(manifestJSON(seconds: 0, files: []))
    let r = experiment.replications
    let points = (plan.units.lowerBound / r)..<(plan.units.upperBound / r)
    let width = experiment.sensitivity!.blockWidth
    var collector = collector(experiment)

    // Where the analysis starts: afresh, from an interrupted one's journal, or not at all.
    let journal: RunJournal
    switch previous {
    case .interrupted where resume:
      journal = try RunJournal.open(
        in: output.target, identity: identity, conditions: 1, units: points, display: outPath,
        checker: PointRowChecker(
          check: PointsFile.RowCheck(collector: collector, experiment: experiment)),
        command: "sensitivity")
      if let dropped = journal.dropped, !quiet {
        Console.error(
          "ensemble: the journal's points from \(dropped.unit) on are not kept "
            + "(\(dropped.reason)); they run again")
      }
      guard (journal.end - points.lowerBound) % width == 0 else {
        throw CLIError(
          "sensitivity: --resume: the journal in \(outPath) ends inside a base row or "
            + "trajectory (at point \(journal.end)), which ensemble never writes; start over "
            + "with --force")
      }
    case .listed(let kind, _, _) where resume && !force:
      guard kind == "a sensitivity analysis", let saved = try? finishedIdentity(output.url) else {
        throw CLIError(
          "sensitivity: --resume: \(out.described) holds \(kind), not an interrupted "
            + "sensitivity analysis; use --force without --resume to replace it")
      }
      if let difference = JSONDifference.first(saved, identity) {
        throw CLIError(
          "sensitivity: --resume: \(outPath) holds a finished sensitivity analysis of other "
            + "settings (\(difference)); use --force without --resume to replace it")
      }
      if !quiet {
        Console.error("ensemble: \(outPath) already holds this analysis's finished result")
      }
      return .success
    case .result(let manifest) where !force:
      throw CLIError(
        "sensitivity: the output folder \(out.described) holds the result of a run of "
          + "\(manifest.name), not a sensitivity analysis; choose another --out, or pass --force "
          + "to replace it")
    default:
      try output.startStaging()
      journal = try RunJournal.create(
        in: output.target, identity: identity, conditions: 1, start: points.lowerBound)
    }

    let resumedPoints = journal.end - points.lowerBound
    do throws(CLIError) {
      try rebuild(journal, into: &collector)
      var progress = Progress(
        total: plan.runCount, quiet: quiet,
        initial: resumedPoints * r * plan.conditionCount)
      let outcome = try execute(
        plan.remaining(from: journal.end * r), journal: journal, collector: &collector,
        threads: threads, progress: &progress)
      if outcome == .completed {
        guard journal.end == points.upperBound else {
          throw CLIError(
            "the analysis stopped at point \(journal.end) of \(points)", code: .failure)
        }
        let file = try BufferedFile(output.temporaryURL(for: "points.csv"))
        try file.write(CSV.line(collector.pointsHeader))
        if try journal.copyRows(to: file, isCancelled: { Interrupts.requested }) {
          try file.sync()
          try file.close()
          try output.finish(file.url, as: "points.csv")
          let whole = shard.count == 1
          let files = try writeResults(
            collector, rows: whole ? collector.rows(seed: experiment.seed) : nil,
            experiment: experiment, command: command, output: output)
          if !Interrupts.requested {
            let seconds = Date().timeIntervalSince(started)
            try output.write(
              "manifest.json", manifestJSON(seconds: seconds, files: files).render() + "\n")
            try output.publish()
            if !quiet {
              let time = String(format: "%.1f", seconds)
              let runs =
                resumedPoints > 0
                ? "(\(resumedPoints * r * plan.conditionCount) from the interrupted analysis, "
                  + "\((points.count - resumedPoints) * r * plan.conditionCount) in \(time) s)"
                : "in \(time) s"
              Console.error(
                "ensemble: \(plan.runCount) runs at \(points.count) points \(runs); results in "
                  + "\(outPath)/")
            }
            return .success
          }
        } else {
          try? file.close()
        }
      }
      try journal.checkpoint()
      output.removeTemporaries()
      Console.error(
        "ensemble: interrupted; \(journal.end - points.lowerBound) of \(points.count) points are "
          + "saved in \(outPath)/\(OutputDirectory.stagingName) (no result was written); add "
          + "--resume to the same command to continue")
      return .interrupted
    } catch {
      try? journal.checkpoint()
      output.removeTemporaries()
      throw CLIError(
        error.message + "; \(journal.end - points.lowerBound) of \(points.count) points are "
          + "saved, and --resume continues once the cause is fixed", code: error.code)
    }
  }

  /// What an analysis is, for comparing an interrupted one with its resume: its manifest
  /// without what does not change its files' contents (threads, time, file list).
  static func identity(_ manifest: JSONValue) -> JSONValue {
    guard case .object(let members) = manifest else { return manifest }
    let left = ["complete", "threads", "wallSeconds", "files"]
    return .object(members.filter { !left.contains($0.key) })
  }

  /// The identity of the finished analysis in `folder` (its manifest.json).
  static func finishedIdentity(_ folder: URL) throws -> JSONValue {
    let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
    return identity(try JSON5.parse(String(decoding: data, as: UTF8.self)).value)
  }

  /// Adds the points already in the journal to the collector, read back from their rows as
  /// `points.csv` holds them (so a resumed analysis adds the same numbers, bit for bit).
  static func rebuild(_ journal: RunJournal, into collector: inout SensitivityCollector)
    throws(CLIError)
  {
    guard !journal.chunks.isEmpty else { return }
    do {
      let source = try FileSource(path: journal.rowsURL.path)
      for part in journal.segments(source) {
        let reader = LineReader(source, offset: part[0].offset, length: part[0].length)
        while let line = try reader.next() {
          collector.add(collector.summaries(ofRow: try CSV.fields(line.text)))
        }
      }
    } catch {
      throw CLIError("cannot read back the saved points: \(error)", code: .failure)
    }
  }

  /// Runs the plan's units; as each base row or trajectory completes, its points' rows go
  /// to the journal (which writes them out in checkpoints, whole rows only) and into the
  /// collector, read back from the row as a resume would read them.
  static func execute(
    _ plan: Plan, journal: RunJournal, collector: inout SensitivityCollector, threads: Int,
    progress: inout Progress
  ) throws(CLIError) -> Runner.Outcome {
    var done = progress.initial
    var pending: [[[Double?]]] = []
    // The points of the current base row or trajectory: a row's noise needs all of them
    // (a shard holds whole rows), and then its points are written and added.
    var block: [(point: Int, summaries: [TargetSummary])] = []
    let width = plan.experiment.sensitivity!.blockWidth
    let replications = plan.experiment.replications
    let outcome: Runner.Outcome
    do {
      outcome = try Runner.run(
        plan, threads: threads, isCancelled: { Interrupts.requested },
        prepare: { result in (result.point, result.metrics.map(\.values)) },
        deliver: { (point: Int, values: [[Double?]]) in
          pending.append(values)
          if pending.count == replications {
            block.append((point, collector.summarise(pending)))
            pending.removeAll(keepingCapacity: true)
          }
          if block.count == width {
            let completed = collector.completing(block: block.map(\.summaries))
            for (entry, summaries) in zip(block, completed) {
              let row = collector.pointRow(
                entry.point, values: plan.points[entry.point], summaries: summaries)
              journal.add([row])
              collector.add(collector.summaries(ofRow: try CSV.fields(String(row.dropLast()))))
            }
            block.removeAll(keepingCapacity: true)
            try journal.checkpointIfDue()
          }
          done += plan.conditionCount
          progress.update(done)
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

  /// The rows of an interrupted analysis's journal are rows of `points.csv`: each is
  /// checked as `report` checks that file (``PointsFile/RowCheck``) before `--resume`
  /// keeps it.
  struct PointRowChecker: JournalRowChecker {
    let check: PointsFile.RowCheck

    func checkJournalRow(_ line: LineReader.Line, condition: Int, unit: Int, file: String)
      throws(ResultFileError)
    {
      _ = try check.check(line, point: unit, file: file)
    }
  }

  static func collector(_ experiment: Experiment) -> SensitivityCollector {
    SensitivityCollector(
      spec: experiment.sensitivity!, seed: experiment.seed,
      conditions: experiment.conditions.map(\.name), baseline: experiment.baseline,
      metrics: experiment.reportMetrics, replications: experiment.replications)
  }

  /// Writes sensitivity.csv, the charts and the report (for a shard, only a report saying
  /// the indices need every point); returns the files written.
  static func writeResults(
    _ collector: SensitivityCollector, rows: [SensitivityCollector.Row]?, experiment: Experiment,
    command: String, output: OutputDirectory
  ) throws(CLIError) -> [String] {
    guard let rows else {
      var doc = ReportDocument(title: "\(experiment.name): sensitivity analysis, one shard")
      doc.blocks.append(
        .paragraph(
          "This folder holds \(collector.pointsAdded) of the design's points (points.csv). "
            + "The indices need every point: join the shards with `ensemble merge`."))
      try output.write("report.md", doc.markdown)
      try output.write("report.html", doc.html)
      return ["points.csv", "report.md", "report.html"]
    }
    try output.write("sensitivity.csv", collector.sensitivityCSV(rows))
    let document = SensitivityReport.build(
      name: experiment.name, description: experiment.description, command: command,
      engineVersion: EngineVersion.engine, modelVersion: EngineVersion.model,
      collector: collector, rows: rows)
    for (file, svg) in document.figures { try output.write(file, svg) }
    try output.write("report.md", document.markdown)
    try output.write("report.html", document.html)
    return ["points.csv", "sensitivity.csv"] + document.figures.map(\.file) + [
      "report.md", "report.html",
    ]
  }

  static func manifest(
    experiment: Experiment, text: String, plan: Plan, command: String, seconds: Double,
    threads: Int, files: [String]
  ) -> JSONValue {
    let spec = experiment.sensitivity!
    let r = experiment.replications
    return JSON.object([
      ("format", .string(format)),
      ("formatVersion", JSON.integer(1)),
      ("engineVersion", .string(EngineVersion.engine)),
      ("modelVersion", JSON.integer(EngineVersion.model)),
      ("complete", .bool(true)),
      ("name", .string(experiment.name)),
      ("experimentText", .string(text)),
      ("seed", .string(String(experiment.seed))),
      ("replications", JSON.integer(r)),
      ("method", .string(spec.method.rawValue)),
      ("points", JSON.integer(plan.points.count)),
      (
        "shard",
        JSON.object([
          ("index", JSON.integer(plan.shard.index)), ("count", JSON.integer(plan.shard.count)),
          ("firstPoint", JSON.integer(plan.units.lowerBound / r)),
          ("endPoint", JSON.integer(plan.units.upperBound / r)),
        ])
      ),
      ("command", .string(command)),
      ("threads", JSON.integer(threads)),
      ("wallSeconds", JSON.number((seconds * 1000).rounded() / 1000)),
      ("files", JSON.array((files + ["manifest.json"]).map { .string($0) })),
    ])
  }
}
