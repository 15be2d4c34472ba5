import EnsembleAnalysis
import EnsembleReport
import Foundation

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
    if writesExplorer(manifest, in: output.url) {
      try writeExplorer(Explorer.page(manifest: manifest, statistics: statistics), to: output)
      files.append(Explorer.fileName)
    }
    return files
  }

  /// Whether `run`, `merge` and `report` write `explore.html` into `folder`: for every
  /// sweep (a shard's folder excepted: it holds part of the points), and wherever the folder
  /// already holds one (written by `ensemble explore` for a run without a sweep), so that
  /// the page always shows the numbers beside it.
  static func writesExplorer(_ manifest: ResultManifest, in folder: URL) -> Bool {
    guard manifest.shardCount <= 1 else { return false }
    return !manifest.sweptKeys.isEmpty
      || FileManager.default.fileExists(
        atPath: folder.appendingPathComponent(Explorer.fileName).path)
  }

  /// Writes `explore.html` into `output`'s target (its staging folder for `run` and
  /// `merge`, the folder itself for `report` and `explore`) through a temporary file and a
  /// rename, as every other file of a result. The one place the page is written: a new way
  /// of publishing a folder's files changes here.
  static func writeExplorer(_ page: String, to output: OutputDirectory) throws(CLIError) {
    try output.write(Explorer.fileName, page)
  }
}
