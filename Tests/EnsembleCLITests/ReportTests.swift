import EnsembleAnalysis
import Foundation
import Testing

/// The report's words and numbers come from the statistics it sits beside.
@Suite("Reports", .serialized)
struct ReportTests {
  /// The first percentage of a text after `marker`, e.g. "35%" -> 35.
  static func percent(after marker: String, in text: String) -> Double? {
    guard let range = text.range(of: marker) else { return nil }
    let rest = text[range.upperBound...]
    guard let end = rest.firstIndex(of: "%") else { return nil }
    let digits = rest[..<end].split(separator: " ").last.map(String.init) ?? ""
    return Double(digits.replacingOccurrences(of: "+", with: ""))
  }

  @Test("the headline numbers equal the numbers in contrasts.csv")
  func headlineMatchesContrasts() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run(["run", "--replications", "30", "--out", out.path, "--quiet"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try CLI.read(out.appendingPathComponent("report.md"))
    let contrasts = try CSV.parse(try CLI.read(out.appendingPathComponent("contrasts.csv")))
    func row(_ metric: String) -> [String: Double] {
      let fields = contrasts.rows.first { $0[contrasts.columnIndex("metric")!] == metric }!
      var values: [String: Double] = [:]
      for name in ["n", "mean_diff", "ci_low", "ci_high", "rel_change"] {
        values[name] = CSV.parseNumber(fields[contrasts.columnIndex(name)!])
      }
      return values
    }
    let correct = row("correct_rate")
    let escape = row("escape_rate")
    // "structured delivered 35% more correct work than unstructured (95% CI +34% to +37%, 30 paired replications)"
    let headline = report.components(separatedBy: "\n").first { $0.contains("delivered") }!
    #expect(headline.contains("**structured** delivered"))
    #expect(headline.contains("\(Int(correct["n"]!)) paired replications"))
    let shown = try #require(Self.percent(after: "delivered", in: headline))
    #expect(
      abs(shown - 100 * correct["rel_change"]!) <= 0.5, "\(shown) vs \(correct["rel_change"]!)")
    let base = correct["mean_diff"]! / correct["rel_change"]!
    let low = try #require(Self.percent(after: "95% CI", in: headline))
    #expect(abs(low - 100 * correct["ci_low"]! / base) <= 0.5)
    let high = try #require(Self.percent(after: "% to", in: headline))
    #expect(abs(high - 100 * correct["ci_high"]! / base) <= 0.5)
    let fewer = try #require(Self.percent(after: "with", in: headline))
    #expect(abs(fewer - 100 * abs(escape["rel_change"]!)) <= 0.5)
    #expect(
      headline.contains(escape["rel_change"]! < 0 ? "fewer escaped errors" : "more escaped errors"))
    // The HTML page carries the same sentence and its charts inline.
    let html = try CLI.read(out.appendingPathComponent("report.html"))
    #expect(html.contains("<strong>structured</strong> delivered"))
    #expect(html.contains("<svg"))
    #expect(!html.contains("src=\"http"), "the page is self-contained")
  }

  @Test("a sweep's report has one chart per headline metric and says where differences hold")
  func sweepReport() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run([
      "run", "team-size", "--replications", "4", "--set", "horizon=4", "--out", out.path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let files = CLI.files(in: out)
    for metric in ["correct_rate", "escape_rate", "mean_cycle", "cost_per_correct"] {
      #expect(files.contains("sweep-\(metric).svg"), "\(metric)")
    }
    let report = try CLI.read(out.appendingPathComponent("report.md"))
    #expect(files.contains("differences.svg"))
    #expect(report.contains("**Question:** Does structure pay in small teams and in large ones?"))
    #expect(report.contains("**Answer:** **structured**"))
    #expect(report.contains("at AI count 1"))
    #expect(report.contains("ensemble run team-size --replications 4 --set horizon=4"))
  }

  @Test("a --set run's report describes the design that ran, not the file's")
  func setDescribed() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run([
      "run", "--replications", "2", "--set", "design.review=peer", "--set", "horizon=4", "--out",
      out.path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try CLI.read(out.appendingPathComponent("report.md"))
    #expect(report.contains("Review (`design.review`) = peer"), "\(report)")
    // Review is the same in both conditions now, so it is no row of the design table.
    #expect(!report.contains("| Review | none | expert |"))
    #expect(report.contains("| Routing | self-select | conductor |"))
  }

  @Test("a validation report opens with whether the engine matches the exact value")
  func validation() throws {
    let folder = try CLI.temporaryFolder()
    defer { CLI.remove(folder) }
    let out = folder.appendingPathComponent("out")
    let result = try CLI.run([
      "run", "validation-mmc", "--replications", "5", "--set", "horizon=100", "--out", out.path,
      "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try CLI.read(out.appendingPathComponent("report.md"))
    let answer = try #require(
      report.components(separatedBy: "\n").first { $0.hasPrefix("**Answer:**") })
    #expect(
      answer.contains("The simulated mean wait matches the exact value")
        || answer.contains("The simulated mean wait does not match the exact value"), "\(answer)")
    #expect(answer.contains("against 1.0787 hours"), "\(answer)")
  }
}
