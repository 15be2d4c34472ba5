import EnsembleAnalysis
import EnsembleReport

/// Writes what a result folder derives from its statistics: the summary and contrast
/// tables, the charts and the report (``Report`` decides what they say).
enum ReportWriter {
  /// Writes `summary.csv`, `contrasts.csv`, the charts and the report: everything a
  /// result folder derives from its statistics (run, report and merge all end here).
  /// Returns the names of the files written.
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
    return ["summary.csv", "contrasts.csv"] + document.figures.map(\.file) + [
      "report.md", "report.html",
    ]
  }
}
