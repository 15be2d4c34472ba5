import EnsembleAnalysis
import EnsembleReport

/// Writes what a result folder derives from its statistics: the summary and contrast
/// tables, the charts, the report and the explorer page (``Report`` and ``Explorer`` decide
/// what they say).
enum ReportWriter {
  /// Writes `summary.csv`, `contrasts.csv`, the charts and the report: everything a
  /// result folder derives from its statistics (run, report and merge all end here), and
  /// `explore.html` where ``writesExplorer(_:in:)`` says so. Returns the names of the files
  /// written.
  @discardableResult
  static func writeAll(
    manifest: ResultManifest, statistics: ResultStatistics, output: OutputDirectory
  ) throws(CLIError) -> [String] {
    try output.write("summary.csv", statistics.summaryCSV)
    try output.write("contrasts.csv", statistics.contrastsCSV)
    let document = Report.build(manifest: manifest, statistics: statistics)
    for (file, svg) in document.figures { try output.write(file, svg) }
    try output.write("report.md", document.markdown)
    try output.write("report.html", document.html)
    var files =
      ["summary.csv", "contrasts.csv"] + document.figures.map(\.file) + [
        "report.md", "report.html",
      ]
    if writesExplorer(manifest, in: output) {
      try writeExplorer(Explorer.page(manifest: manifest, statistics: statistics), to: output)
      files.append(Explorer.fileName)
    }
    return files
  }

  /// Whether `run`, `merge` and `report` write `explore.html`: for every sweep (a shard's
  /// folder excepted: it holds part of the points), and wherever the result now in the
  /// folder lists one (added by `ensemble explore` to a run without a sweep), so that the
  /// page always shows the numbers beside it.
  static func writesExplorer(_ manifest: ResultManifest, in output: OutputDirectory) -> Bool {
    guard manifest.shardCount <= 1 else { return false }
    return !manifest.sweptKeys.isEmpty || output.currentFiles().contains(Explorer.fileName)
  }

  /// Writes `explore.html` into `output`'s staging folder (complete and synced before it
  /// takes its name, as every file of a result); the command then publishes it with the
  /// rest. The one place the page is written.
  static func writeExplorer(_ page: String, to output: OutputDirectory) throws(CLIError) {
    try output.write(Explorer.fileName, page)
  }
}
