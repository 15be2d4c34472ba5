import EnsembleAnalysis
import EnsembleExperiments
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
    locked before anything in it is read, each file is read once, and the new files
    replace the old ones only when all of them are complete; a file that changes
    under it (written to or replaced by another command) stops it with exit 1 and
    nothing written.
    """

  static func report(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: OptionSpec(maxPositionals: 1), command: "report")
    if args.flags.contains("help") {
      Console.out(reportHelp)
      return .success
    }
    guard let written = args.positionals.first else {
      throw CLIError(
        "report: which result folder? e.g. `ensemble report results/structured-vs-unstructured`")
    }
    let folder = try FolderPath.existingFolder(written, command: "report")
    // The folder is locked, and what an interrupted command left in it finished or undone,
    // before anything is read; each file is then read through one descriptor, and checked
    // in full before anything is written.
    let (output, previous) = try OutputDirectory.existing(folder, command: "report")
    try output.refuseInterrupted(
      previous, described: folder.described, before: "rebuilding its report")
    do throws(CLIError) {
      return try report(folder, output: output)
    } catch {
      throw InputFile.explaining(error, output.watched, command: "report")
    }
  }

  /// `report` of the folder locked as `output`.
  static func report(_ folder: FolderPath, output: OutputDirectory) throws(CLIError) -> ExitCode {
    let path = folder.shown
    let (contents, manifestBytes) = try ResultFolder.contents(
      try output.input("manifest.json", protect: false), folder: folder, command: "report")
    let manifest: ResultManifest
    switch contents {
    case .sensitivity:
      return try SensitivityCommand.report(path, manifest: manifestBytes, output: output)
    case .run(let read):
      manifest = read
    }
    guard manifest.complete else {
      throw CLIError("report: \(path): its run did not finish (manifest.json says complete: false)")
    }
    let segments = try ResultFolder.runs(
      try output.input("runs.csv"), manifest: manifest, display: path, command: "report")
    let statistics: ResultStatistics
    do {
      statistics = try RunsFile.statistics(
        layout: ResultFolder.layout(manifest), segments: [segments],
        checker: RowChecker(manifest))
    } catch {
      throw CLIError("report: \(error.description)")
    }
    // Numbers read from a file that changed meanwhile never reach a report.
    try InputFile.verify(output.watched, command: "report")
    let published = try output.publish(failure: "report", keeping: ["runs.csv"]) {
      if Interrupts.requested { return false }
      try ReportWriter.writeAll(manifest: manifest, statistics: statistics, output: output)
      if Interrupts.requested { return false }
      // The manifest moves out and back with the files it describes, so that no folder
      // holds a manifest beside a mix of old and new files.
      try output.write("manifest.json", bytes: manifestBytes)
      return true
    }
    guard published else {
      Console.error("ensemble: report interrupted; nothing was changed")
      return .interrupted
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
    complete. Each input is locked shared while it is read: other merges may read
    it too, but a run, --force or report into it waits for the merge (and is
    refused meanwhile), as a merge of a folder being written is. An input that
    changes under the merge all the same stops it with exit 1, nothing written.
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
    guard let out = try OutputDirectory.checkPath(args.values["out"], command: "merge") else {
      throw CLIError("merge: --out DIR is required: where the merged result goes")
    }
    let quiet = args.flags.contains("quiet")
    var folders: [FolderPath] = []
    for written in args.positionals {
      folders.append(try FolderPath.existingFolder(written, command: "merge"))
    }
    let (inputs, inside) = try checkOutput(out, against: folders)
    // Each input is locked (shared) before anything in it is read, and stays locked until
    // the merge has published: a run or --force into it meanwhile is refused. Its lock and
    // its runs.csv stay open, so a merge holds two files of each.
    try FileLimit.ensure(
      2 * folders.count + 16, for: "merging \(folders.count) folders", command: "merge")
    var readers: [InputFolder] = []
    for folder in folders {
      if Interrupts.requested { return interrupted() }
      readers.append(try InputFolder.lock(folder, command: "merge", quiet: quiet))
    }
    var runs: [(reader: InputFolder, manifest: ResultManifest)] = []
    var analyses: [(reader: InputFolder, manifest: [UInt8])] = []
    for reader in readers {
      let (contents, bytes) = try ResultFolder.contents(
        try reader.open("manifest.json", command: "merge"), folder: reader.path, command: "merge")
      switch contents {
      case .run(let manifest): runs.append((reader, manifest))
      case .sensitivity: analyses.append((reader, bytes))
      }
      if !runs.isEmpty && !analyses.isEmpty {
        let (run, analysis) = (runs[0].reader.path.shown, analyses[0].reader.path.shown)
        throw CLIError(
          "merge: \(run) holds the results of a run, \(analysis) those of a sensitivity "
            + "analysis; give merge folders of one kind")
      }
    }
    do throws(CLIError) {
      if !analyses.isEmpty {
        return try SensitivityCommand.merge(
          analyses, out: out, force: args.flags.contains("force"), quiet: quiet, inputs: inputs,
          inside: inside)
      }
      return try merge(
        runs, out: out, force: args.flags.contains("force"), quiet: quiet,
        inputs: inputs, inside: inside)
    } catch {
      throw InputFile.explaining(error, readers.flatMap(\.files), command: "merge")
    }
  }

  /// `merge` of the results of runs, each input locked shared as `reader`.
  static func merge(
    _ runs: [(reader: InputFolder, manifest: ResultManifest)], out: FolderPath, force: Bool,
    quiet: Bool, inputs: Set<FileIdentity>, inside: Set<String>
  ) throws(CLIError) -> ExitCode {
    // Every input is read and checked in full before anything is written.
    let outPath = out.shown
    var shards = runs
    for (reader, manifest) in shards where !manifest.complete {
      throw CLIError(
        "merge: \(reader.path.shown): its run did not finish (manifest.json says complete: false)")
    }
    try checkCompatible(shards.map(\.manifest), paths: shards.map(\.reader.path.shown))
    shards.sort { $0.manifest.shardIndex < $1.manifest.shardIndex }
    var parts: [[RowSegment]] = []
    for (reader, manifest) in shards {
      if Interrupts.requested { return interrupted() }
      parts.append(
        try ResultFolder.runs(
          try reader.open("runs.csv", command: "merge"), manifest: manifest,
          display: reader.path.shown, command: "merge"))
    }
    let (merged, json) = ResultManifest.merged(shards.map(\.manifest))
    let statistics: ResultStatistics
    do {
      statistics = try RunsFile.statistics(
        layout: ResultFolder.layout(merged), segments: parts, checker: RowChecker(merged))
    } catch {
      throw CLIError("merge: \(error.description)")
    }
    // Numbers read from a file that changed meanwhile never reach a report.
    try InputFile.verify(shards.flatMap(\.reader.files), command: "merge")
    if Interrupts.requested { return interrupted() }

    let (output, previous) = try OutputDirectory.open(
      path: out, command: "merge", force: force, resume: false, quiet: quiet, inputs: inputs,
      ignoring: inside)
    try output.refuseInterrupted(previous, described: out.described)
    output.watch(shards.flatMap(\.reader.files))
    let published = try output.publish(failure: "merge") {
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
    if !quiet {
      let count = shards.count == 1 ? "1 shard" : "\(shards.count) shards"
      Console.error("ensemble: merged \(count) into \(outPath)/")
    }
    return .success
  }

  /// Refuses an `--out` that is one of the inputs, lies inside one, or holds one where the
  /// merge writes (its staging folder), comparing folders by identity (device and inode),
  /// not by spelling: `..`, symbolic links and bind mounts name the same folder. Returns
  /// the identities the merge must never remove (each input folder and its files) and the
  /// names of the inputs directly inside `--out` (which do not make it "not empty").
  static func checkOutput(_ out: FolderPath, against folders: [FolderPath]) throws(CLIError)
    -> (inputs: Set<FileIdentity>, inside: Set<String>)
  {
    let outIdentity = out.identity
    let outAncestry = out.existingAncestry
    var inputs: Set<FileIdentity> = []
    var inside: Set<String> = []
    for folder in folders {
      guard let id = folder.identity else { continue }
      if id == outIdentity {
        throw CLIError(
          "merge: --out \(out.described) is the input \(folder.described); write the merged "
            + "result elsewhere (the folder above the shards will do)")
      }
      if outAncestry.contains(id) {
        throw CLIError(
          "merge: --out \(out.described) is inside the input \(folder.described); write the "
            + "merged result elsewhere (the folder above the shards will do)")
      }
      // An input inside --out: fine beside the result, not inside its staging folder.
      let parts = folder.components
      for (i, ancestor) in folder.existingAncestry.enumerated().dropFirst()
      where ancestor == outIdentity {
        let name = parts[parts.count - i]
        if name.hasPrefix(".") {
          throw CLIError(
            "merge: the input \(folder.described) is inside \(out.shown)/"
              + "\(FolderPath.escaped(name)), where ensemble keeps its own files; move it out first"
          )
        }
        inside.insert(name)
        break
      }
      inputs.insert(id)
      for name in ["manifest.json", "runs.csv", "points.csv"] {
        if let file = FileIdentity(path: folder.url.appendingPathComponent(name).path) {
          inputs.insert(file)
        }
      }
    }
    return (inputs, inside)
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
