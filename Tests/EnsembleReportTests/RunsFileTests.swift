import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel
import Testing

@testable import EnsembleReport

/// Rows read back without a scan first (a run journal's chunks, on `--resume`) are checked as
/// strictly as `runs.csv`: every row in its place, every number by the one strict parser.
@Suite("Runs files")
struct RunsFileTests {
  /// A plan of 2 conditions and 3 replications, its manifest, and its rows condition by
  /// condition (the order of a journal's chunk).
  static func rows() throws -> (Plan, ResultManifest, [String]) {
    var experiment = try ExperimentLoader.load(
      "{ seed: 4, set: { horizon: 2 } }", source: "t", defaultName: "t")
    experiment.replications = 3
    let plan = Plan(experiment)
    var results: [UnitResult] = []
    _ = try Runner.run(plan, threads: 1) { results.append($0) }
    let manifest = try ResultManifest(
      JSON.node(
        ResultManifest.json(
          plan: plan, experimentText: "{}", threads: 1, wallSeconds: 0, command: "c",
          invocation: "c")))
    var rows: [String] = []
    for c in 0..<plan.conditionCount {
      for result in results {
        rows.append(
          ResultSchema.runRow(plan, condition: c, result: result, values: result.metrics[c].values))
      }
    }
    return (plan, manifest, rows)
  }

  /// The statistics of `rows` read as one unchecked chunk from unit 0.
  static func statistics(_ plan: Plan, _ manifest: ResultManifest, _ rows: [String])
    throws(ResultFileError) -> ResultStatistics
  {
    let perCondition = rows.count / plan.conditionCount
    var segments: [RowSegment] = []
    var offset: UInt64 = 0
    let bytes = Array(rows.joined().utf8)
    let source = MemorySource(bytes, name: "rows")
    for c in 0..<plan.conditionCount {
      let length = rows[(c * perCondition)..<((c + 1) * perCondition)].reduce(0) {
        $0 + UInt64($1.utf8.count)
      }
      segments.append(
        RowSegment(source: source, offset: offset, length: length, uncheckedFrom: 0))
      offset += length
    }
    return try RunsFile.statistics(
      layout: ResultSchema.layout(of: plan), segments: [segments], checker: RowChecker(manifest))
  }

  @Test("good journal rows give the statistics of the run")
  func goodRows() throws {
    let (plan, manifest, rows) = try Self.rows()
    let statistics = try Self.statistics(plan, manifest, rows)
    #expect(statistics.summaryCSV.contains("correct_rate,3,"))
  }

  @Test(
    "a journal row out of place or with a bad number is refused",
    arguments: [
      ("0.675\u{0}junk", "is not a finite number"), ("1.5", "is out of range"),
      ("+0.5", "is not a finite number"),
    ])
  func badNumbers(value: String, message: String) throws {
    let (plan, manifest, rows) = try Self.rows()
    var damaged = rows
    var fields = damaged[4].dropLast().split(separator: ",", omittingEmptySubsequences: false)
    let column = RunsFile.header(sweptKeys: []).firstIndex(of: "correct_rate")!
    fields[column] = Substring(value)
    damaged[4] = fields.joined(separator: ",") + "\n"
    #expect(throws: ResultFileError.self) { try Self.statistics(plan, manifest, damaged) }
    do {
      _ = try Self.statistics(plan, manifest, damaged)
    } catch {
      #expect(error.line == 2 && error.column == column + 1, "\(error)")
      #expect(error.message.contains(message), "\(error)")
    }
  }

  @Test("journal rows in the wrong order are refused")
  func wrongOrder() throws {
    let (plan, manifest, rows) = try Self.rows()
    var swapped = rows
    swapped.swapAt(0, 1)
    do {
      _ = try Self.statistics(plan, manifest, swapped)
      Issue.record("expected an error")
    } catch {
      #expect(error.message.contains("expected point 0, replication 0"), "\(error)")
    }
  }
}
