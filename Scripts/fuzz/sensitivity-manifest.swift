// libFuzzer target: the manifest.json reader of sensitivity folders, and a points.csv
// check against whatever it accepts.
// Built by Scripts/build-fuzzers.sh against the library modules.
import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport

/// Any input is accepted or refused with a ManifestError; an accepted manifest gives a
/// collector, its header and a points.csv check (of the header alone) without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSensitivityManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let manifest = try? SensitivityManifest(parsing: text, source: "manifest.json") else {
    return 0
  }
  let experiment = manifest.experiment
  if manifest.pointCount > 10_000 { return 0 }  // its design would fill memory, not trap
  var collector = SensitivityCollector(
    spec: experiment.sensitivity!, seed: manifest.seed,
    conditions: experiment.conditions.map(\.name), baseline: experiment.baseline,
    metrics: experiment.reportMetrics, replications: manifest.replications)
  let header = collector.pointsHeader.joined(separator: ",") + "\n"
  _ = try? PointsFile.read(
    MemorySource(Array(header.utf8), name: "points.csv"), manifest: manifest, into: &collector)
  _ = manifest.shardDifference(from: manifest)  // the shard comparison reads the command back
  return 0
}
