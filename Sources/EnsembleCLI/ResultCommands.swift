import EnsembleAnalysis
import EnsembleReport
import Foundation

/// `ensemble report` and `ensemble merge`: commands that work on result folders.
enum ResultCommands {
  static let reportHelp = """
    Usage: ensemble report DIR

    Rebuilds summary.csv, contrasts.csv, the charts, report.md and report.html of a
    result folder from its runs.csv and manifest.json (for example after copying
    runs.csv from a cluster, or after a newer Ensemble changed the report). Both
    files are checked in full first (every manifest field; every row's place, seed,
    swept values and metrics; CRLF line ends are fine), and a mistake stops it with
    exit 2 and the file, line and column, before anything is written. The folder is
    locked while it works.
    """

  static func report(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: OptionSpec(maxPositionals: 1), command: "report")
    if args.flags.contains("help") {
      Console.out(reportHelp)
      return .success
    }
    guard let path = args.positionals.first else {
      throw CLIError(
        "report: which result folder? e.g. `ensemble report results/structured-vs-unstructured`")
    }
    if SensitivityCommand.isSensitivityFolder(path) { return try SensitivityCommand.report(path) }
    try TraceCommand.refuseTrace(path, command: "report")
    let folder = URL(fileURLWithPath: path)
    // Everything is read and checked before anything is written.
    let manifest = try ResultFolder.manifest(folder, display: path, command: "report")
    guard manifest.complete else {
      throw CLIError("report: \(path): its run did not finish (manifest.json says complete: false)")
    }
    let (_, segments) = try ResultFolder.runs(
      folder, manifest: manifest, display: path, command: "report")
    let statistics: ResultStatistics
    do {
      statistics = try RunsFile.statistics(
        layout: ResultFolder.layout(manifest), segments: [segments],
        checker: RowChecker(manifest))
    } catch {
      throw CLIError("report: \(error.description)")
    }
    Interrupts.install()
    let output = try OutputDirectory.existing(folder, display: path, command: "report")
    if Interrupts.requested {
      Console.error("ensemble: report interrupted; nothing was written")
      return .interrupted
    }
    do {
      try ReportWriter.writeAll(manifest: manifest, statistics: statistics, output: output)
    } catch {
      output.removeTemporaries()
      throw error
    }
    Console.error("ensemble: rebuilt the statistics and report in \(path)/")
    return .success
  }

  static let mergeHelp = """
    Usage: ensemble merge DIR... --out DIR [--force] [--quiet]

    Joins the outputs of `ensemble run --shard I/N` (one folder per shard, in any
    order) into one result whose runs.csv, summary.csv and contrasts.csv are byte
    for byte those of an unsharded run, and rebuilds the report. Refuses shards from
    different experiments, seeds, replication counts, engine or model versions, a
    missing or repeated shard, and a shard whose run did not finish, naming the
    folders; checks every shard's manifest.json and runs.csv in full before writing
    anything. --out may hold the shard folders (`ensemble merge results/x/shard-*
    --out results/x`) but may not be one of them or lie inside one. It is locked
    while the merge works, and the merged files move into it only when all are
    complete.
    """

  static func merge(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(
      arguments,
      spec: OptionSpec(values: ["out"], flags: ["force", "quiet"], maxPositionals: 100_000),
      command: "merge")
    if args.flags.contains("help") {
      Console.out(mergeHelp)
      return .success
    }
    guard !args.positionals.isEmpty else {
      throw CLIError(
        "merge: give the shard folders, e.g. `ensemble merge results/x/shard-* --out results/x`")
    }
    guard let outPath = try OutputDirectory.checkPath(args.values["out"], command: "merge") else {
      throw CLIError("merge: --out DIR is required: where the merged result goes")
    }
    let out = URL(fileURLWithPath: outPath).standardized.resolvingSymlinksInPath()
    var inside: Set<String> = []
    for path in args.positionals {
      try TraceCommand.refuseTrace(path, command: "merge")
      let input = URL(fileURLWithPath: path).standardized.resolvingSymlinksInPath()
      if out.path == input.path || out.path.hasPrefix(input.path + "/") {
        throw CLIError(
          "merge: --out \(outPath) is \(out.path == input.path ? "" : "inside ")the input "
            + "\(path); write the merged result elsewhere (the folder above the shards will do)")
      }
      if input.deletingLastPathComponent().path == out.path {
        inside.insert(input.lastPathComponent)
      }
    }
    Interrupts.install()
    if args.positionals.contains(where: SensitivityCommand.isSensitivityFolder) {
      return try SensitivityCommand.merge(
        args.positionals, outPath: outPath, force: args.flags.contains("force"),
        quiet: args.flags.contains("quiet"))
    }

    // Every input is read and checked in full before anything is written.
    var inputs: [(path: String, manifest: ResultManifest)] = []
    for path in args.positionals {
      let manifest = try ResultFolder.manifest(
        URL(fileURLWithPath: path), display: path, command: "merge")
      guard manifest.complete else {
        throw CLIError(
          "merge: \(path): its run did not finish (manifest.json says complete: false)")
      }
      inputs.append((path, manifest))
    }
    try checkCompatible(inputs.map(\.manifest), paths: args.positionals)
    inputs.sort { $0.manifest.shardIndex < $1.manifest.shardIndex }
    var parts: [[RowSegment]] = []
    for (path, manifest) in inputs {
      if Interrupts.requested { return interrupted() }
      parts.append(
        try ResultFolder.runs(
          URL(fileURLWithPath: path), manifest: manifest, display: path, command: "merge"
        ).1)
    }
    let (merged, json) = ResultManifest.merged(inputs.map(\.manifest))
    let statistics: ResultStatistics
    do {
      statistics = try RunsFile.statistics(
        layout: ResultFolder.layout(merged), segments: parts, checker: RowChecker(merged))
    } catch {
      throw CLIError("merge: \(error.description)")
    }
    if Interrupts.requested { return interrupted() }

    let (output, previous) = try OutputDirectory.open(
      path: outPath, command: "merge", force: args.flags.contains("force"), resume: false,
      ignoring: inside)
    if case .interrupted = previous {
      throw CLIError(
        "merge: \(outPath) holds an interrupted run; finish it with `ensemble run ... --resume` "
          + "or merge elsewhere")
    }
    let published = try output.publish(failure: "merge") {
      try output.startStaging(replacing: previous)
      // runs.csv: the header, then for each condition every shard's rows in shard order:
      // exactly the plan order of an unsharded run.
      let runs = try BufferedFile(output.temporaryURL(for: "runs.csv"))
      try runs.write(CSV.line(RunsFile.header(sweptKeys: merged.sweptKeys)))
      for c in merged.conditions.indices {
        for part in parts {
          if Interrupts.requested { return false }
          try copyLines(part[c], to: runs)
        }
      }
      try runs.sync()
      try runs.close()
      try output.finish(runs.url, as: "runs.csv")
      let files = try ReportWriter.writeAll(
        manifest: merged, statistics: statistics, output: output)
      if Interrupts.requested { return false }
      try output.write("manifest.json", RunCommand.withFiles(json, files).render() + "\n")
      return true
    }
    guard published else { return interrupted() }
    if !args.flags.contains("quiet") {
      let count = inputs.count == 1 ? "1 shard" : "\(inputs.count) shards"
      Console.error("ensemble: merged \(count) into \(outPath)/")
    }
    return .success
  }

  /// Copies checked rows line by line (a shard written with CRLF line ends is merged with
  /// LF ones, as a run writes them).
  static func copyLines(_ segment: RowSegment, to file: BufferedFile) throws(CLIError) {
    let reader = LineReader(segment.source, offset: segment.offset, length: segment.length)
    do {
      while let line = try reader.next() { try file.write(line.text + "\n") }
      segment.source.close()
    } catch let error as ResultFileError {
      throw CLIError("merge: \(error.description)")
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError("merge: \(error)", code: .failure)
    }
  }

  /// Ctrl-C during a merge (its staging folder, if any, already removed): nothing is left
  /// behind but the inputs.
  static func interrupted() -> ExitCode {
    Console.error("ensemble: merge interrupted; nothing was written")
    return .interrupted
  }

  /// Refuses shards that do not belong together, naming the folders.
  static func checkCompatible(_ shards: [ResultManifest], paths: [String]) throws(CLIError) {
    let first = shards[0]
    let firstPath = paths[0]
    for (shard, path) in zip(shards, paths).dropFirst() {
      if shard.seed != first.seed {
        throw CLIError(
          "merge: \(path) has seed \(shard.seed) but \(firstPath) has seed \(first.seed)")
      }
      if shard.replications != first.replications {
        throw CLIError(
          "merge: \(path) has \(shard.replications) replications but \(firstPath) has \(first.replications)"
        )
      }
      if shard.engineVersion != first.engineVersion {
        throw CLIError(
          "merge: \(path) was made by engine \(shard.engineVersion) but \(firstPath) by \(first.engineVersion)"
        )
      }
      if shard.modelVersion != first.modelVersion {
        throw CLIError(
          "merge: \(path) follows model version \(shard.modelVersion) but \(firstPath) "
            + "version \(first.modelVersion)")
      }
      if shard.name != first.name || shard.fingerprint != first.fingerprint
        || shard.sweptKeys != first.sweptKeys || shard.points != first.points
        || shard.conditions != first.conditions
      {
        throw CLIError(
          "merge: \(path) and \(firstPath) are from different experiments "
            + (shard.name != first.name
              ? "(\(shard.name) and \(first.name))" : "(\(first.name) with other settings)"))
      }
      if shard.shardCount != first.shardCount {
        throw CLIError(
          "merge: \(path) is a shard of \(shard.shardCount) but \(firstPath) of \(first.shardCount)"
        )
      }
    }
    var seen: [Int: String] = [:]
    for (shard, path) in zip(shards, paths) {
      if let other = seen[shard.shardIndex] {
        throw CLIError(
          "merge: shard \(shard.shardIndex)/\(shard.shardCount) is given twice: \(other) and \(path)"
        )
      }
      seen[shard.shardIndex] = path
    }
    let missing = (1...first.shardCount).filter { seen[$0] == nil }
    if !missing.isEmpty {
      let shown = missing.prefix(20).map { "\($0)/\(first.shardCount)" }.joined(separator: ", ")
      throw CLIError(
        "merge: missing shard" + (missing.count > 1 ? "s " : " ") + shown
          + (missing.count > 20 ? " and \(missing.count - 20) more" : "")
          + " (given: " + seen.keys.sorted().prefix(20).map { "\($0)" }.joined(separator: ", ")
          + (seen.count > 20 ? ", ..." : "") + ")")
    }
  }
}
