import EnsembleExperiments
import Testing

@testable import EnsembleReport

/// The reader of a sensitivity folder's manifest, on texts made here.
@Suite("Sensitivity manifests")
struct SensitivityManifestTests {
  /// A valid manifest of shard 2 of 2, with `replace` substitutions applied to its text.
  static func text(_ replace: [(String, String)] = []) -> String {
    var text = #"""
      {
        "format": "ensemble-sensitivity", "formatVersion": 1, "engineVersion": "2.0.0",
        "modelVersion": 2, "complete": true, "name": "levers",
        "experimentText": "{ seed: 5, set: { horizon: 3 }, sensitivity: { samples: 4, parameters: { \"workload.edgeCaseRate\": [0, 1], \"design.auditRate\": [0, 0.1] } } }",
        "seed": "5", "replications": 2, "method": "sobol", "points": 16,
        "shard": { "index": 2, "count": 2, "firstPoint": 8, "endPoint": 16 },
        "command": "ensemble sensitivity levers.json --shard 2/2"
      }
      """#
    for (old, new) in replace { text = text.replacingOccurrences(of: old, with: new) }
    return text
  }

  static func error(_ replace: [(String, String)]) -> ManifestError? {
    do {
      _ = try SensitivityManifest(parsing: text(replace), source: "m.json")
      Issue.record("expected an error")
      return nil
    } catch {
      return error
    }
  }

  @Test("a valid manifest reads back with its experiment under the run's name")
  func valid() throws {
    let manifest = try SensitivityManifest(parsing: Self.text(), source: "m.json")
    #expect(manifest.firstPoint == 8 && manifest.endPoint == 16 && manifest.seed == 5)
    #expect(manifest.experiment.name == "levers" && manifest.experiment.replications == 2)
    #expect(SensitivityManifest.unsharded(manifest.command) == "ensemble sensitivity levers.json")
  }

  @Test(
    "damaged fields are refused naming the key",
    arguments: [
      (
        #""formatVersion": 1"#, #""formatVersion": 99"#,
        "formatVersion: is 99; this ensemble reads version 1"
      ),
      (#""modelVersion": 2"#, #""modelVersion": 7"#, "modelVersion: is 7; this ensemble knows"),
      // Found by Scripts/fuzz.sh: a first point after the end trapped building the range.
      (#""endPoint": 16"#, #""endPoint": 1."#, "shard: points 8..<1 are not those of shard 2 of 2"),
      (#""seed": "5""#, #""seed": "5\u0000""#, #"seed: "5\0" is not a whole number"#),
      (#""replications": 2"#, #""replications": 2.5"#, "replications: expects a whole number"),
      (#""method": "sobol""#, #""method": "morris""#, #"method: is "morris""#),
      (
        #""format": "ensemble-sensitivity""#, #""format": "ensemble-results""#,
        "the results of a run"
      ),
    ])
  func damaged(old: String, new: String, message: String) {
    let error = Self.error([(old, new)])
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
  }
}
