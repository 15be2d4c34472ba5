import Foundation
import Testing

@testable import EnsembleModel

/// The metric table is the one list of metrics: names are unique, the values follow it, and
/// the README documents exactly its metrics.
@Suite("Metric table")
struct MetricTableTests {
  @Test("names are unique snake_case words and values follow the table")
  func names() {
    #expect(Set(Metrics.names).count == Metrics.table.count)
    for name in Metrics.names {
      #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name)")
    }
    var m = Metrics()
    m.arrived = 7
    m.correctRate = 0.25
    let values = m.values
    #expect(values.count == Metrics.table.count)
    #expect(values[Metrics.names.firstIndex(of: "arrived")!] == 7)
    #expect(values[Metrics.names.firstIndex(of: "correct_rate")!] == 0.25)
    #expect(values[Metrics.names.firstIndex(of: "escape_rate")!] == nil)
  }

  @Test("every metric has a label, a unit or none, a meaning and rise and fall words")
  func words() {
    for metric in Metrics.table {
      #expect(!metric.label.isEmpty && !metric.meaning.isEmpty, "\(metric.name)")
      #expect(metric.rise != metric.fall, "\(metric.name)")
    }
  }

  @Test("bounds accept what they should and refuse the rest")
  func bounds() {
    #expect(MetricBounds.share.contains(1) && !MetricBounds.share.contains(1.01))
    #expect(MetricBounds.count.contains(3) && !MetricBounds.count.contains(2.5))
    #expect(!MetricBounds.hours.contains(-0.5) && !MetricBounds.hours.contains(.nan))
    #expect(MetricBounds.atLeastOne.contains(1.4) && !MetricBounds.atLeastOne.contains(0.9))
  }

  /// The README's table of metrics (the rows after `| metric | meaning |`) lists exactly
  /// the table's metrics, in the table's order.
  @Test("the README lists exactly the table's metrics, in order")
  func readme() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
    let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n")
    let start = try #require(lines.firstIndex { $0.hasPrefix("| metric | meaning |") })
    var listed: [String] = []
    for line in lines[(start + 2)...] {
      guard line.hasPrefix("| `") else { break }
      let cell = line.dropFirst(3).prefix { $0 != "`" }
      listed.append(String(cell))
    }
    #expect(listed == Metrics.names)
  }
}
