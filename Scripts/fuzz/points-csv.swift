// libFuzzer target: a sensitivity folder's points.csv, read against a fixed manifest (the
// file named by FUZZ_SENSITIVITY_MANIFEST), then the indices and the table of what it accepts.
// Built by Scripts/build-fuzzers.sh against the library modules.
import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import EnsembleReport
import Foundation

let fuzzManifest: SensitivityManifest = {
  guard let path = ProcessInfo.processInfo.environment["FUZZ_SENSITIVITY_MANIFEST"],
    let data = FileManager.default.contents(atPath: path)
  else { fatalError("set FUZZ_SENSITIVITY_MANIFEST to a manifest.json (Scripts/fuzz.sh does)") }
  do {
    return try SensitivityManifest(
      parsing: String(decoding: data, as: UTF8.self), source: "manifest.json")
  } catch let error as ManifestError {
    fatalError("FUZZ_SENSITIVITY_MANIFEST is not a valid manifest: \(error.message)")
  } catch { fatalError("\(error)") }
}()

/// Any input is accepted or refused with a ResultFileError; what is accepted gives the
/// indices and sensitivity.csv without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPointsCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let manifest = fuzzManifest
  let experiment = manifest.experiment
  var collector = SensitivityCollector(
    spec: experiment.sensitivity!, seed: manifest.seed,
    conditions: experiment.conditions.map(\.name), baseline: experiment.baseline,
    metrics: experiment.reportMetrics, replications: manifest.replications)
  let source = MemorySource(bytes, name: "points.csv")
  guard (try? PointsFile.read(source, manifest: manifest, into: &collector)) != nil else {
    return 0
  }
  _ = collector.sensitivityCSV(collector.rows(seed: manifest.seed))
  return 0
}
