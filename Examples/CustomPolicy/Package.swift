// swift-tools-version:6.0
import Foundation
import PackageDescription

// An outside package that builds on Ensemble by version: it adds a routing policy and a
// mechanism of its own, without editing Ensemble.
//
// By default it depends on the Ensemble repository this folder sits in, as a git
// repository tagged with a release (`git tag 3.0.0`). Set ENSEMBLE_PACKAGE_URL to use
// another copy, such as the tagged temporary clone CI makes, or a published one.
let repository = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let ensembleURL =
  ProcessInfo.processInfo.environment["ENSEMBLE_PACKAGE_URL"] ?? repository.absoluteString
// SwiftPM names a dependency by the last component of its URL.
let ensembleName = URL(string: ensembleURL)!.deletingPathExtension().lastPathComponent

let package = Package(
  name: "CustomPolicy",
  products: [
    .library(name: "CustomPolicies", targets: ["CustomPolicies"]),
    .executable(name: "compare-policies", targets: ["compare-policies"]),
  ],
  dependencies: [
    .package(url: ensembleURL, from: "3.0.0")
  ],
  targets: [
    .target(
      name: "CustomPolicies",
      dependencies: [.product(name: "EnsembleModel", package: ensembleName)]),
    .executableTarget(
      name: "compare-policies",
      dependencies: ["CustomPolicies", .product(name: "EnsembleModel", package: ensembleName)]),
    .testTarget(
      name: "CustomPoliciesTests",
      dependencies: ["CustomPolicies", .product(name: "EnsembleModel", package: ensembleName)]),
  ],
  swiftLanguageModes: [.v6]
)
