// swift-tools-version:6.0
import PackageDescription

// Ensemble: a discrete-event simulator of human-AI teams.
// Modules are layered; dependencies point down:
//   EnsembleCLI -> EnsembleReport -> EnsembleAnalysis, EnsembleExperiments -> EnsembleModel.
// No third-party packages: the toolchain only. The four libraries are products, so another
// package can depend on Ensemble by version (see Examples/CustomPolicy); the manifest has no
// unsafe flags, which SwiftPM refuses in a versioned dependency.
let package = Package(
  name: "Ensemble",
  products: [
    .executable(name: "ensemble", targets: ["EnsembleCLI"]),
    .library(name: "EnsembleModel", targets: ["EnsembleModel"]),
    .library(name: "EnsembleExperiments", targets: ["EnsembleExperiments"]),
    .library(name: "EnsembleAnalysis", targets: ["EnsembleAnalysis"]),
    .library(name: "EnsembleReport", targets: ["EnsembleReport"]),
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
    .testTarget(
      name: "EnsembleCLITests",
      dependencies: ["EnsembleCLI", "EnsembleAnalysis", "EnsembleModel", "EnsembleReport"]),
  ],
  swiftLanguageModes: [.v6]
)
