// swift-tools-version:6.0
import PackageDescription

// Ensemble: a discrete-event simulator of human-AI teams.
// Modules are layered; dependencies point down:
//   EnsembleCLI -> EnsembleReport -> EnsembleAnalysis, EnsembleExperiments -> EnsembleModel.
// No third-party packages: the toolchain only.
let package = Package(
  name: "Ensemble",
  products: [
    .executable(name: "ensemble", targets: ["EnsembleCLI"])
  ],
  targets: [
    .target(name: "EnsembleModel"),
    .target(name: "EnsembleExperiments", dependencies: ["EnsembleModel"]),
    .target(name: "EnsembleAnalysis"),
    .target(
      name: "EnsembleReport",
      dependencies: ["EnsembleModel", "EnsembleExperiments", "EnsembleAnalysis"]),
    .executableTarget(
      name: "EnsembleCLI",
      dependencies: ["EnsembleModel", "EnsembleExperiments", "EnsembleAnalysis", "EnsembleReport"]
    ),
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
