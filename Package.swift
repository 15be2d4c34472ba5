// swift-tools-version:6.0
import PackageDescription

// Ensemble: a discrete-event simulator of human-AI teams.
// Modules are layered; dependencies point down:
//   EnsembleCLI -> EnsembleReport -> EnsembleAnalysis, EnsembleExperiments -> EnsembleModel.
// No third-party packages: the toolchain only.
// The engine is generic over whether it records a trace, so that an untraced run compiles to
// code without hooks. LLVM would merge the near-identical traced and untraced copies of each
// engine function into one body with indirect calls (in every module that specialises the
// engine, so the modules that run it), costing about 1.5% of the benchmark's instructions;
// keeping them apart makes the hooks free (measured with callgrind on `ensemble bench`).
let engineSettings: [SwiftSetting] = [
  .unsafeFlags(["-Xfrontend", "-disable-llvm-merge-functions-pass"], .when(configuration: .release))
]

let package = Package(
  name: "Ensemble",
  products: [
    .executable(name: "ensemble", targets: ["EnsembleCLI"])
  ],
  targets: [
    .target(name: "EnsembleModel", swiftSettings: engineSettings),
    .target(
      name: "EnsembleExperiments", dependencies: ["EnsembleModel"], swiftSettings: engineSettings),
    .target(name: "EnsembleAnalysis"),
    .target(
      name: "EnsembleReport",
      dependencies: ["EnsembleModel", "EnsembleExperiments", "EnsembleAnalysis"]),
    .executableTarget(
      name: "EnsembleCLI",
      dependencies: ["EnsembleModel", "EnsembleExperiments", "EnsembleAnalysis", "EnsembleReport"],
      swiftSettings: engineSettings),
    // Golden/ holds reference results the tests read from the source tree.
    .testTarget(name: "EnsembleModelTests", dependencies: ["EnsembleModel"], exclude: ["Golden"]),
    .testTarget(
      name: "EnsembleExperimentsTests", dependencies: ["EnsembleExperiments", "EnsembleAnalysis"]),
    .testTarget(name: "EnsembleAnalysisTests", dependencies: ["EnsembleAnalysis"]),
    .testTarget(name: "EnsembleReportTests", dependencies: ["EnsembleReport"]),
    .testTarget(name: "EnsembleCLITests", dependencies: ["EnsembleCLI", "EnsembleAnalysis"]),
  ],
  swiftLanguageModes: [.v6]
)
