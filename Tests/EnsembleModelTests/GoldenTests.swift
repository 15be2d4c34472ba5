import Foundation
import Testing

@testable import EnsembleModel

/// The version-1 metrics of a spread of designs, pinned bit for bit.
///
/// `Golden/v1-metrics.csv` was written by the version-1 engine before the engine was
/// restructured and extended (model version 2). Every later engine must reproduce it
/// exactly: the same draws in the same order, the same events, the same arithmetic. Values
/// are written in Swift's shortest round-trip form, so equal text means equal bits.
///
/// To rewrite the file (only when a change of results is intended and explained), run
/// `ENSEMBLE_WRITE_GOLDEN=1 swift test --filter GoldenTests`.
@Suite("Golden version-1 metrics")
struct GoldenTests {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/v1-metrics.csv")
  static let replications = 20

  /// Scenarios: the default, one whose AI agents drift fast, one with a single AI agent
  /// (overload and backlog), and one of hard tasks (escalation and abandonment).
  static var scenarios: [(String, Scenario)] {
    var drift = Scenario.default
    drift.team[3].driftRate = 0.5
    drift.team[3].driftSD = 0.2
    var overload = Scenario.default
    overload.team[3].count = 1
    var hard = Scenario.default
    hard.workload.difficulty = .uniform(0.6, 0.95)
    hard.workload.work = .lognormal(mean: 1, sd: 0.8)
    hard.workload.ambiguity = .beta(2, 5)
    hard.horizon = 20
    return [("default", .default), ("drift", drift), ("overload", overload), ("hard", hard)]
  }

  /// Both presets, every one-switch ablation of the structured design, peer review, voting
  /// under both routings, and duplication without a conductor.
  static var designs: [(String, Design)] {
    var list: [(String, Design)] = [("unstructured", .unstructured), ("structured", .structured)]
    func ablate(_ name: String, _ change: (inout Design) -> Void) {
      var design = Design.structured
      change(&design)
      list.append((name, design))
    }
    ablate("no-conductor") { $0.routing = .selfSelect }
    ablate("flat-communication") { $0.communication = .allToAll }
    ablate("no-translation") { $0.translation = false }
    ablate("no-review") { $0.review = .none }
    ablate("no-audit") { $0.audit = false }
    ablate("no-catalyst") { $0.catalyst = false }
    ablate("no-escalation") { $0.escalation = false }
    ablate("no-ledger") { $0.ledger = false }
    ablate("peer-review") {
      $0.review = .peer
      $0.reviewRate = 0.5
    }
    ablate("voting-conductor") { $0.redundancy = 3 }
    ablate("duplication-self-select") {
      $0.routing = .selfSelect
      $0.duplicationRate = 0.4
    }
    var peer = Design.unstructured
    peer.review = .peer
    list.append(("unstructured-peer", peer))
    var voting = Design.unstructured
    voting.redundancy = 3
    list.append(("unstructured-voting", voting))
    return list
  }

  /// The columns written when the file is made: the version-1 metrics and three diagnostics.
  static var header: [String] {
    ["scenario", "design", "replication", "seed"] + Metrics.names + ["correct", "length", "events"]
  }

  /// The value of column `name` in `m`, as the file writes it.
  static func field(_ name: String, _ m: Metrics) -> String {
    switch name {
    case "correct": return String(m.correct)
    case "length": return "\(m.length)"
    case "events": return String(m.events)
    default: return Metrics.descriptor(named: name)?.value(m).map { "\($0)" } ?? ""
    }
  }

  /// One line per scenario, design and replication, in that order, with the given columns
  /// (a later engine has more metrics; the file pins the ones it has).
  static func lines(columns: [String]) -> [String] {
    var lines = [columns.joined(separator: ",")]
    for (scenarioName, scenario) in scenarios {
      var simulator = Simulator(scenario: scenario)
      // The invariants have their own tests; here the checks would only slow a debug build.
      simulator.checksInvariants = false
      for (designName, design) in designs {
        for r in 0..<replications {
          let seed = ReplicationSeed.derive(experimentSeed: 2026, replication: r)
          let m = simulator.run(design: design, seed: seed)
          let fields =
            [scenarioName, designName, String(r), String(seed)]
            + columns.dropFirst(4).map { field($0, m) }
          lines.append(fields.joined(separator: ","))
        }
      }
    }
    return lines
  }

  @Test("the engine reproduces the version-1 golden metrics bit for bit")
  func golden() throws {
    if ProcessInfo.processInfo.environment["ENSEMBLE_WRITE_GOLDEN"] == "1" {
      let actual = Self.lines(columns: Self.header)
      try FileManager.default.createDirectory(
        at: Self.file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try (actual.joined(separator: "\n") + "\n").write(
        to: Self.file, atomically: true, encoding: .utf8)
      return
    }
    let text = try String(contentsOf: Self.file, encoding: .utf8)
    let expected = text.split(separator: "\n").map(String.init)
    let columns = try #require(expected.first).split(separator: ",").map(String.init)
    #expect(columns.count == 4 + 21 + 3, "the version-1 file has 21 metrics and 3 diagnostics")
    let actual = Self.lines(columns: columns)
    #expect(expected.count == actual.count, "the golden file has \(expected.count) lines")
    let header = expected.first?.split(separator: ",", omittingEmptySubsequences: false)
    var mismatches = 0
    for (line, (want, got)) in zip(expected, actual).enumerated() where want != got {
      mismatches += 1
      guard mismatches <= 5, let header else { continue }
      let wantFields = want.split(separator: ",", omittingEmptySubsequences: false)
      let gotFields = got.split(separator: ",", omittingEmptySubsequences: false)
      let differing = zip(header, zip(wantFields, gotFields)).filter { $1.0 != $1.1 }
        .map { "\($0): \($1.0) -> \($1.1)" }
      let place = wantFields.prefix(3).joined(separator: " ")
      let changes = differing.joined(separator: "; ")
      Issue.record("line \(line + 1) (\(place)): \(changes)")
    }
    #expect(mismatches == 0, "\(mismatches) lines differ from the version-1 golden file")
  }
}
