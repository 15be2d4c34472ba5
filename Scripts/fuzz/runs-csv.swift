// libFuzzer target: the runs.csv reader, checked against a fixed manifest (the file named by
// FUZZ_MANIFEST), then the statistics and report of what it accepts.
// Built by Scripts/build-fuzzers.sh against the library modules.
import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

let fuzzManifestText: String = {
  guard let path = ProcessInfo.processInfo.environment["FUZZ_MANIFEST"],
    let data = FileManager.default.contents(atPath: path)
  else { fatalError("set FUZZ_MANIFEST to a manifest.json (Scripts/fuzz.sh does)") }
  return String(decoding: data, as: UTF8.self)
}()

let fuzzManifest: ResultManifest = {
  do { return try ResultManifest(parsing: fuzzManifestText) } catch let error as ManifestError {
    fatalError("FUZZ_MANIFEST is not a valid manifest: \(error.message)")
  } catch { fatalError("\(error)") }
}()

/// Any input is accepted or refused with a ResultFileError; what is accepted gives
/// statistics, tables and a report without trapping (no non-finite value gets through).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunsCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let manifest = fuzzManifest
  let source = MemorySource(bytes, name: "runs.csv")
  guard let segments = try? RunsFile.scan(source, manifest: manifest) else { return 0 }
  let layout = ResultLayout(
    conditions: manifest.conditions, baseline: manifest.baseline,
    sweptKeys: manifest.sweptKeys, points: manifest.points,
    metrics: Array(RunsFile.header(sweptKeys: []).dropFirst(4)))
  guard
    let statistics = try? RunsFile.statistics(
      layout: layout, segments: [segments], checker: RowChecker(manifest))
  else { fatalError("rows that passed the check could not be read back") }
  _ = statistics.summaryCSV
  _ = statistics.contrastsCSV
  _ = Report.build(manifest: manifest, statistics: statistics).html
  return 0
}
