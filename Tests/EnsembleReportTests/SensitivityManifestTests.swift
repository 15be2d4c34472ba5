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
    "shards of one analysis agree however the file was named; any real difference is named",
    arguments: [
      // The same analysis: the file given by another path, the options in another order.
      ("levers.json --shard 2/2", "./levers.json --shard 2/2", nil),
      ("levers.json --shard 2/2", "/tmp/x/levers.json --shard 2/2", nil),
      (#""engineVersion": "2.0.0""#, #""engineVersion": "2.0.1""#, "its engine is 2.0.1"),
      (#""modelVersion": 2,"#, #""modelVersion": 3,"#, "its model version is 3, against 2"),
      (#""seed": "5""#, #""seed": "6""#, "its seed is 6, against 5"),
      (#""replications": 2"#, #""replications": 3"#, "its replications is 3"),
      (#"horizon: 3"#, #"horizon: 4"#, "its experiment file's text differs"),
      (
        "levers.json --shard 2/2", "levers.json --set 'design.commCost=0.07' --shard 2/2",
        "its --set values are design.commCost=0.07, against (none)"
      ),
    ] as [(String, String, String?)])
  func shardDifference(_ old: String, _ new: String, _ expected: String?) throws {
    let first = try SensitivityManifest(parsing: Self.text(), source: "a.json")
    let other = try SensitivityManifest(parsing: Self.text([(old, new)]), source: "b.json")
    let difference = other.shardDifference(from: first)
    if let expected {
      #expect(difference?.contains(expected) == true, "\(difference ?? "nil")")
    } else {
      #expect(difference == nil)
    }
  }

  @Test("a reproducing command's words read back as the shell reads them")
  func shellWords() {
    #expect(
      SensitivityManifest.shellWords(
        #"ensemble sensitivity 'my file.json' --set 'workload.work={fixed: 1}' --set 'a=it'\''s'"#)
        == [
          "ensemble", "sensitivity", "my file.json", "--set", "workload.work={fixed: 1}", "--set",
          "a=it's",
        ])
    let manifest = try? SensitivityManifest(
      parsing: Self.text([
        ("levers.json --shard 2/2", #"levers.json --set 'design.commCost=0.07' --set x=1"#)
      ]), source: "m.json")
    #expect(manifest?.settings == ["design.commCost=0.07", "x=1"])
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
