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
      --force            replace the results in a non-empty output folder
      --allow-large      run a plan over the size limits (see `ensemble check`)
      --quiet            print nothing but errors

    `ensemble check FILE` prints the plan: points, runs and an estimated time.
    Exit status: 0 done, 1 the run failed, 2 a mistake in the command or the file,
    130 interrupted (no file that looks finished is left behind).
    """

  static let options = OptionSpec(
    values: ["replications", "seed", "out", "threads", "shard"], repeated: ["set"],
    flags: ["force", "quiet", "allow-large"], maxPositionals: 1)

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
    let (output, _) = try OutputDirectory.open(
      path: out, command: "sensitivity", force: args.flags.contains("force"), resume: false,
      quiet: quiet, inputs: source.inputs)
    let started = Date()
    let published = try output.publish(failure: "the sensitivity analysis failed") {
      var collector = collector(experiment)
      let points = try BufferedFile(output.temporaryURL(for: "points.csv"))
      try points.write(CSV.line(collector.pointsHeader))
      var progress = Progress(total: plan.runCount, quiet: quiet)
      var done = 0
      var pending: [[[Double?]]] = []
      // The points of the current base row or trajectory: a row's noise needs all of them
      // (a shard holds whole rows), and then its points are written and added.
      var block: [(point: Int, summaries: [TargetSummary])] = []
      let width = experiment.sensitivity!.blockWidth
      let outcome: Runner.Outcome
      do {
        outcome = try Runner.run(
          plan, threads: threads, isCancelled: { Interrupts.requested },
          prepare: { result in (result.point, result.metrics.map(\.values)) },
          deliver: { (point: Int, values: [[Double?]]) in
            pending.append(values)
            if pending.count == experiment.replications {
              block.append((point, collector.summarise(pending)))
              pending.removeAll(keepingCapacity: true)
            }
            if block.count == width {
              let completed = collector.completing(block: block.map(\.summaries))
              for (entry, summaries) in zip(block, completed) {
                try points.write(
                  collector.pointRow(
                    entry.point, values: plan.points[entry.point], summaries: summaries))
                collector.add(summaries)
              }
              block.removeAll(keepingCapacity: true)
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
      if outcome == .cancelled {
        try? points.close()
        return false
      }
      try points.sync()
      try points.close()
      try output.finish(points.url, as: "points.csv")
      let command = reproducingCommand(args, shard: shard)
      let whole = shard.count == 1
      let files = try writeResults(
        collector, rows: whole ? collector.rows(seed: experiment.seed) : nil,
        experiment: experiment, command: command, output: output)
      let json = manifest(
        experiment: experiment, text: source.text, plan: plan, command: command,
        seconds: Date().timeIntervalSince(started), threads: threads, files: files)
      try output.write("manifest.json", json.render() + "\n")
      return true
    }
    guard published else {
      Console.error(
        "ensemble: interrupted; no results were written to \(outPath) (partial files removed)")
      return .interrupted
    }
    if !quiet {
      Console.error(
        "ensemble: \(plan.runCount) runs at \(plan.units.count / experiment.replications) "
          + "points in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
          + "results in \(outPath)/")
    }
    return .success
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

  static func reproducingCommand(_ args: Arguments, shard: Shard) -> String {
    var words = ["ensemble", "sensitivity"]
    if let experiment = args.positionals.first { words.append(experiment) }
    if let seed = args.values["seed"] { words += ["--seed", seed] }
    if let replications = args.values["replications"] { words += ["--replications", replications] }
    for set in args.repeated["set"] ?? [] { words += ["--set", set] }
    if shard.count > 1 { words += ["--shard", "\(shard.index)/\(shard.count)"] }
    return words.map(RunCommand.shellWord).joined(separator: " ")
  }
}
