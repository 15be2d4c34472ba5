// libFuzzer target: the experiment file reader (JSON5, the registry, the checks).
// Built by Scripts/build-fuzzers.sh with the library sources in one module.
import EnsembleFuzz

/// Any input either loads or is refused with an ExperimentError; it never traps. A loaded
/// experiment is expanded into its plan and size estimate, as `check` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExperimentFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let experiment = try? ExperimentLoader.load(text, source: "fuzz", defaultName: "fuzz")
  else { return 0 }
  let plan = Plan(experiment)
  _ = PlanEstimate(plan).problems(plan)
  return 0
}
