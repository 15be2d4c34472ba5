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
    guard let path = args.positionals.first else {
      throw CLIError(
        "explore: which result folder? e.g. `ensemble explore results/ai-share`")
    }
    if SensitivityCommand.isSensitivityFolder(path) {
      throw CLIError(
        "explore: \(path) holds a sensitivity analysis; explore shows the results of "
          + "`ensemble run` (the analysis's own page is \(path)/report.html)")
    }
    if let (kind, _, _) = OutputDirectory.listedResult(URL(fileURLWithPath: path)),
      kind == "a trace"
    {
      throw CLIError(
        "explore: \(path) holds a trace (made by ensemble trace); its page is timeline.html, "
          + "and explore shows the results of `ensemble run`")
    }
    let folder = URL(fileURLWithPath: path)
    // Everything is read and checked before anything is written.
    let manifest = try ResultFolder.manifest(folder, display: path, command: "explore")
    guard manifest.complete else {
      throw CLIError(
        "explore: \(path): its run did not finish (manifest.json says complete: false)")
    }
    if manifest.shardCount > 1 {
      throw CLIError(
        "explore: \(path) holds shard \(manifest.shardIndex)/\(manifest.shardCount) of a run; "
          + "join the shards with `ensemble merge` and explore the merged folder")
    }
    let (_, segments) = try ResultFolder.runs(
      folder, manifest: manifest, display: path, command: "explore")
    let statistics: ResultStatistics
    do {
      statistics = try RunsFile.statistics(
        layout: ResultFolder.layout(manifest), segments: [segments],
        checker: RowChecker(manifest))
    } catch {
      throw CLIError("explore: \(error.description)")
    }
    let page = Explorer.page(manifest: manifest, statistics: statistics)
    Interrupts.install()
    let output = try OutputDirectory.existing(folder, display: path, command: "explore")
    if Interrupts.requested {
      Console.error("ensemble: explore interrupted; nothing was written")
      return .interrupted
    }
    do {
      try ReportWriter.writeExplorer(page, to: output)
    } catch {
      output.removeTemporaries()
      throw error
    }
    let file = path.hasSuffix("/") ? path + Explorer.fileName : path + "/" + Explorer.fileName
    Console.error("ensemble: wrote \(file); open it in a browser")
    return .success
  }
}
