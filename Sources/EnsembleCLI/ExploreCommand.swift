import EnsembleAnalysis
import EnsembleReport
import Foundation

/// `ensemble explore DIR`: writes `DIR/explore.html`, the interactive page of a finished
/// result (``Explorer``).
enum ExploreCommand {
  static let help = """
    Usage: ensemble explore DIR

    Writes DIR/explore.html: a page for exploring a finished result in a browser,
    in front of a room. A slider per swept parameter, a metric picker and condition
    toggles; the chosen metric against a swept parameter with 95% bands, every
    report metric at the selected point, the difference from the baseline with the
    report's sentence, and for two swept parameters a heat map of that difference.
    The address keeps the view (explore.html#metric=correct_rate&team.ai.count=5),
    so a link opens it again. The page is one file: no network, no server.

    `ensemble run` writes it for every sweep; this command writes it for any result
    of run or merge, and run, merge and report keep it up to date from then on.
    runs.csv and manifest.json are checked in full first, as by `ensemble report`.
    """

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(arguments, spec: OptionSpec(maxPositionals: 1), command: "explore")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    guard let written = args.positionals.first else {
      throw CLIError("explore: which result folder? e.g. `ensemble explore results/ai-share`")
    }
    let folder = try FolderPath.existingFolder(written, command: "explore")
    let path = folder.shown
    try refuseOtherKinds(folder, path)
    // The folder is locked, and what an interrupted command left in it finished or undone,
    // before anything is read; everything is read and checked before anything is written.
    let runsFile = folder.url.appendingPathComponent("runs.csv").path
    let (output, previous) = try OutputDirectory.existing(
      folder, command: "explore", inputs: Set([FileIdentity(entry: runsFile)].compactMap { $0 }))
    try output.refuseInterrupted(previous, described: folder.described, before: "exploring it")
    do throws(CLIError) {
      return try explore(folder, output: output)
    } catch {
      throw InputFile.explaining(error, output.watched, command: "explore")
    }
  }

  /// `explore` of the folder locked as `output`: its manifest and `runs.csv` read once,
  /// each through one descriptor opened under the lock, and checked unchanged before the
  /// page is published.
  static func explore(_ folder: FolderPath, output: OutputDirectory) throws(CLIError) -> ExitCode {
    let path = folder.shown
    try refuseOtherKinds(folder, path)
    let (contents, manifestBytes) = try ResultFolder.contents(
      try output.input("manifest.json", protect: false), folder: folder, command: "explore")
    guard case .run(let manifest) = contents else {
      throw CLIError(
        "explore: \(path) holds a sensitivity analysis; explore shows the results of "
          + "`ensemble run` (the analysis's own page is its report.html)")
    }
    guard manifest.complete else {
      throw CLIError(
        "explore: \(path): its run did not finish (manifest.json says complete: false)")
    }
    if manifest.shardCount > 1 {
      throw CLIError(
        "explore: \(path) holds shard \(manifest.shardIndex)/\(manifest.shardCount) of a run; "
          + "join the shards with `ensemble merge` and explore the merged folder")
    }
    let segments = try ResultFolder.runs(
      try output.input("runs.csv"), manifest: manifest, display: path, command: "explore")
    let statistics: ResultStatistics
    do {
      statistics = try RunsFile.statistics(
        layout: ResultFolder.layout(manifest), segments: [segments],
        checker: RowChecker(manifest))
    } catch {
      throw CLIError("explore: \(error.description)")
    }
    // Numbers read from a file that changed meanwhile never reach a page.
    try InputFile.verify(output.watched, command: "explore")
    let page = Explorer.page(manifest: manifest, statistics: statistics)
    // The page joins the result: its manifest lists it (so that `run --force` replaces it
    // with the rest), and every other file of the result stays as it is.
    let files = OutputDirectory.files(of: manifest)
    let published = try output.publish(failure: "explore", keeping: Set(files)) {
      if Interrupts.requested { return false }
      try ReportWriter.writeExplorer(page, to: output)
      if files.contains(Explorer.fileName) {
        try output.write("manifest.json", bytes: manifestBytes)
      } else {
        let listed = files.filter { $0 != "runs.csv" && $0 != "manifest.json" }
        try output.write(
          "manifest.json",
          RunCommand.withFiles(manifest.json.value, listed + [Explorer.fileName]).render() + "\n")
      }
      return !Interrupts.requested
    }
    guard published else {
      Console.error("ensemble: explore interrupted; nothing was changed")
      return .interrupted
    }
    Console.error("ensemble: wrote \(folder.describing(Explorer.fileName)); open it in a browser")
    return .success
  }

  /// Refuses a sensitivity analysis and a trace, which have pages of their own.
  static func refuseOtherKinds(_ folder: FolderPath, _ path: String) throws(CLIError) {
    if SensitivityCommand.isSensitivityFolder(folder.url) {
      throw CLIError(
        "explore: \(path) holds a sensitivity analysis; explore shows the results of "
          + "`ensemble run` (the analysis's own page is its report.html)")
    }
    if let (kind, _, _) = OutputDirectory.listedResult(folder.url), kind == "a trace" {
      throw CLIError(
        "explore: \(path) holds a trace (made by ensemble trace); its page is timeline.html, "
          + "and explore shows the results of `ensemble run`")
    }
  }
}
