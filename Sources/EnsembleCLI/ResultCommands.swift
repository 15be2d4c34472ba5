import EnsembleAnalysis
import EnsembleReport
import Foundation

/// `ensemble report` and `ensemble merge`: commands that work on result folders.
enum ResultCommands {
  static let reportHelp = """
    Usage: ensemble report DIR

    Rebuilds summary.csv, contrasts.csv, the charts, report.md and report.html of a result
    folder from its runs.csv and manifest.json (for example after copying runs.csv from a
    cluster, or after a newer Ensemble changed the report).
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
    let folder = URL(fileURLWithPath: path)
    let manifest = try ResultManifest.read(folder, command: "report")
    guard manifest.complete else {
      throw CLIError("report: \(path): its run did not finish (manifest.json says complete: false)")
    }
    let runs = try RunsFile.scan(
      folder.appendingPathComponent("runs.csv"), conditions: manifest.conditions,
      rowsPerCondition: manifest.endUnit - manifest.firstUnit, command: "report")
    let statistics = try runs.statistics(manifest, command: "report")
    let output = OutputDirectory(existing: folder)
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
    Usage: ensemble merge DIR... --out DIR [--force]

    Joins the outputs of `ensemble run --shard I/N` (one folder per shard, in any order)
    into one result whose runs.csv, summary.csv and contrasts.csv are byte for byte those
    of an unsharded run, and rebuilds the report. Refuses shards from different experiments,
    seeds, replication counts or engine versions, a missing or repeated shard, and a shard
    whose run did not finish, naming the folders.
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
    guard let outPath = args.values["out"] else {
      throw CLIError("merge: --out DIR is required: where the merged result goes")
    }
    var inputs: [(folder: URL, manifest: ResultManifest)] = []
    for path in args.positionals {
      let folder = URL(fileURLWithPath: path)
      let manifest = try ResultManifest.read(folder, command: "merge")
      guard manifest.complete else {
        throw CLIError(
          "merge: \(path): its run did not finish (manifest.json says complete: false)")
      }
      inputs.append((folder, manifest))
    }
    try checkCompatible(inputs.map(\.manifest), paths: args.positionals)
    inputs.sort { $0.manifest.shardIndex < $1.manifest.shardIndex }
    let shards = inputs.map(\.manifest)

    // Each shard's runs.csv, located by condition.
    var files: [RunsFile] = []
    for (folder, shard) in inputs {
      files.append(
        try RunsFile.scan(
          folder.appendingPathComponent("runs.csv"), conditions: shard.conditions,
          rowsPerCondition: shard.endUnit - shard.firstUnit, command: "merge"))
    }
    if let bad = files.firstIndex(where: { $0.header != files[0].header }) {
      throw CLIError(
        "merge: \(inputs[bad].folder.path)/runs.csv has other columns than \(inputs[0].folder.path)/runs.csv"
      )
    }
    let output = try OutputDirectory(
      path: outPath, force: args.flags.contains("force"), command: "merge")
    do {
      // runs.csv: the header, then for each condition every shard's rows in shard order:
      // exactly the plan order of an unsharded run.
      let runs = try BufferedFile(output.temporaryURL(for: "runs.csv"))
      try runs.write(CSV.line(files[0].header))
      for c in shards[0].conditions.indices {
        for file in files {
          try runs.append(
            from: file.url, offset: file.sections[safe: c]?.offset ?? 0,
            length: file.sections[safe: c]?.length ?? 0)
        }
      }
      try runs.close()
      try output.commit(runs.url, as: "runs.csv")

      let (merged, json) = ResultManifest.merged(shards)
      let all = try RunsFile.scan(
        output.url.appendingPathComponent("runs.csv"), conditions: merged.conditions,
        rowsPerCondition: merged.totalUnits, command: "merge")
      let statistics = try all.statistics(merged, command: "merge")
      try ReportWriter.writeAll(manifest: merged, statistics: statistics, output: output)
      try output.write("manifest.json", json.render() + "\n")
    } catch {
      output.removeTemporaries()
      throw error
    }
    if !args.flags.contains("quiet") {
      Console.error("ensemble: merged \(shards.count) shards into \(outPath)/")
    }
    return .success
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
      if shard.name != first.name || shard.fingerprint != first.fingerprint {
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
      throw CLIError(
        "merge: missing shard" + (missing.count > 1 ? "s " : " ")
          + missing.map { "\($0)/\(first.shardCount)" }.joined(separator: ", ")
          + " (given: " + seen.keys.sorted().map { "\($0)" }.joined(separator: ", ") + ")")
    }
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension BufferedFile {
  /// Appends `length` bytes of `other` from `offset`, a megabyte at a time.
  func append(from other: URL, offset: UInt64, length: UInt64) throws(CLIError) {
    try flush()
    guard length > 0 else { return }
    guard let reader = try? FileHandle(forReadingFrom: other) else {
      throw CLIError("cannot read \(other.path)", code: .failure)
    }
    defer { try? reader.close() }
    do {
      try reader.seek(toOffset: offset)
      var left = length
      while left > 0, let chunk = try reader.read(upToCount: Int(min(left, 1 << 20))),
        !chunk.isEmpty
      {
        try handle.write(contentsOf: chunk)
        left -= UInt64(chunk.count)
      }
    } catch {
      throw CLIError(
        "cannot copy \(other.path) into \(url.path): \(error.localizedDescription)", code: .failure)
    }
  }
}
