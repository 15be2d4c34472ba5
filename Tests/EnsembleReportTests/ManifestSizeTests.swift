import EnsembleExperiments
import Testing

@testable import EnsembleReport

/// A result's manifest always passes its own reader: `check` and `run` refuse a plan whose
/// manifest would be larger than the readers accept, counted without building it whole.
@Suite("Manifest size")
struct ManifestSizeTests {
  static func plan(conditions: Int) throws -> Plan {
    let list = (0..<conditions).map {
      #"{ name: "c\#($0)", set: { "design.reviewRate": 0.\#($0 % 10) } }"#
    }
    let experiment = try ExperimentLoader.load(
      #"{ description: "d", conditions: [\#(list.joined(separator: ","))], sweep: { horizon: [1, 2] } }"#,
      source: "t", defaultName: "t")
    return Plan(experiment)
  }

  @Test("the count is the rendered size within a few bytes", arguments: [1, 2, 7, 40])
  func countMatchesRendering(conditions: Int) throws {
    let plan = try Self.plan(conditions: conditions)
    let rendered = ResultManifest.json(
      plan: plan, experimentText: "{ text }", threads: 0, wallSeconds: 0, command: "",
      invocation: ""
    ).render().utf8.count
    let counted = ResultManifest.bytes(plan: plan, experimentText: "{ text }", limit: .max)
    #expect(abs(counted - rendered) <= 8, "\(counted) counted, \(rendered) rendered")
  }

  @Test("a manifest over the limit is refused, and the count stops soon after the limit")
  func overTheLimit() throws {
    let plan = try Self.plan(conditions: 200)
    let full = ResultManifest.bytes(plan: plan, experimentText: "", limit: .max)
    #expect(
      ResultManifest.sizeProblem(plan: plan, experimentText: "", extra: 0, limit: full + 16) == nil)
    let problem = ResultManifest.sizeProblem(
      plan: plan, experimentText: "", extra: 0, limit: full / 2)
    #expect(problem?.contains("its manifest.json would be larger than") == true)
    #expect(problem?.contains("200 conditions") == true)
    let partial = ResultManifest.bytes(plan: plan, experimentText: "", limit: full / 2)
    #expect(partial > full / 2 && partial < full / 2 + full / 100, "stopped one condition past")
    #expect(ResultManifest.maximumBytes == 256 << 20)
  }
}
