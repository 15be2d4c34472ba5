// libFuzzer target: the manifest.json reader, and the report of whatever it accepts.
// Built by Scripts/build-fuzzers.sh against the library modules.
import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport

/// Any input is accepted or refused with a ManifestError; an accepted manifest must give a
/// report (over empty statistics) and a runs.csv check without trapping: the report used
/// to crash on manifests with short point lists, no swept keys or huge numbers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let manifest = try? ResultManifest(parsing: text) else { return 0 }
  let layout = ResultLayout(
    conditions: manifest.conditions, baseline: manifest.baseline,
    sweptKeys: manifest.sweptKeys, points: manifest.points,
    metrics: Array(RunsFile.header(sweptKeys: []).dropFirst(4)))
  _ = Report.build(manifest: manifest, statistics: ResultStatistics(layout: layout))
  let header = RunsFile.header(sweptKeys: manifest.sweptKeys).joined(separator: ",") + "\n"
  _ = try? RunsFile.scan(MemorySource(Array(header.utf8), name: "runs.csv"), manifest: manifest)
  _ = ResultManifest.merged([manifest])
  return 0
}
