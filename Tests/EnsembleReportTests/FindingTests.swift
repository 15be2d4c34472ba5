import EnsembleAnalysis
import EnsembleModel
import Foundation
import Testing

@testable import EnsembleReport

/// The pieces of a finding, on constructed numbers whose answers are known: trends,
/// transitions, leaders and regions, the per-point sentence and the number formats.
@Suite("Findings")
struct FindingTests {
  static func level(_ mean: Double, _ half: Double) -> Level {
    Level(mean: mean, low: mean - half, high: mean + half)
  }

  static func point(_ diff: Double, _ half: Double, base: Double = 1, baseHalf: Double = 0.1)
    -> PairedPoint
  {
    PairedPoint(
      n: 10, baselineMean: base, baselineLow: base - baseHalf, baselineHigh: base + baseHalf,
      difference: diff, low: diff - half, high: diff + half)
  }

  @Test("trends: flat, rising to a plateau, falling, a peak and a dip")
  func trends() {
    let l = Self.level
    // Every interval overlaps the next and the ends overlap: flat.
    #expect(SweepFinding.trend([l(1, 0.2), l(1.1, 0.2), l(1.2, 0.2)]) == .flat(low: 0, high: 2))
    // Rises clearly from 1 to 3, but 3 → 3.1 → 3.15 are not clearly apart: no clear rise
    // beyond the point of 3 (index 2).
    #expect(
      SweepFinding.trend([l(1, 0.1), l(2, 0.1), l(3, 0.1), l(3.1, 0.1), l(3.15, 0.1)])
        == .rises(from: 0, to: 4, clearUntil: 2))
    #expect(
      SweepFinding.trend([l(3, 0.1), l(2, 0.1), l(1, 0.1)]) == .falls(from: 0, to: 2, clearUntil: 2)
    )
    #expect(SweepFinding.trend([l(1, 0.1), l(3, 0.1), l(1.2, 0.1)]) == .peaks(at: 1))
    #expect(SweepFinding.trend([l(3, 0.1), l(1, 0.1), l(2.5, 0.1)]) == .dips(at: 1))
    #expect(SweepFinding.trend([l(1, 0.1)]) == .unknown)
  }

  @Test("transitions are interpolated where the mean or the interval's end reaches zero")
  func transitions() {
    let p = { (d: Double, h: Double) in Self.point(d, h) }
    // +0.3 ± 0.1 at x = 10, -0.1 ± 0.1 at x = 20: the mean crosses zero at 10 + 10·0.3/0.4 =
    // 17.5; the lower end (0.2 → -0.2) at 15, the upper end (0.4 → 0) at 20.
    let sign = SweepFinding.transitions([p(0.3, 0.1), p(-0.1, 0.1)], xs: [10, 20])
    #expect(sign.count == 1)
    #expect(sign[0].before == 1 && sign[0].after == 0)
    // The second point's interval touches zero, so it is not clear: a loss of clarity, where
    // the lower end reaches zero: 15.
    #expect(sign[0].at == 15)
    let turn = SweepFinding.transitions([p(0.3, 0.1), p(-0.3, 0.1)], xs: [0, 1])
    #expect(turn.count == 1 && turn[0].before == 1 && turn[0].after == -1)
    #expect(abs(turn[0].at! - 0.5) < 1e-12)
    // Lower end 0.2 → -0.4 crosses at 1/3; upper end 0.4 → -0.2 at 2/3.
    #expect(abs(turn[0].range!.low - 1.0 / 3) < 1e-12 && abs(turn[0].range!.high - 2.0 / 3) < 1e-12)
    // A categorical axis: no interpolation.
    #expect(SweepFinding.transitions([p(0.3, 0.1), p(-0.3, 0.1)], xs: nil)[0].at == nil)
    // Clear everywhere with one sign: no transition.
    #expect(SweepFinding.transitions([p(0.3, 0.1), p(0.5, 0.1)], xs: [0, 1]).isEmpty)
  }

  @Test("a leader must be clearly ahead of every other condition")
  func leaders() {
    let l = Self.level
    let p = { (d: Double, h: Double) in Self.point(d, h) }
    // Condition 1 beats the baseline by a clear paired difference: it leads.
    #expect(
      SweepFinding.leader(
        levels: [l(0.5, 0.01), l(0.6, 0.01)], baseline: 0, paired: [nil, p(0.1, 0.02)],
        better: .higher) == 1)
    // Lower is better: the baseline leads when the other is clearly higher.
    #expect(
      SweepFinding.leader(
        levels: [l(0.5, 0.01), l(0.6, 0.01)], baseline: 0, paired: [nil, p(0.1, 0.02)],
        better: .lower) == 0)
    // Not clear against the baseline: no leader.
    #expect(
      SweepFinding.leader(
        levels: [l(0.5, 0.01), l(0.51, 0.01)], baseline: 0, paired: [nil, p(0.01, 0.02)],
        better: .higher) == nil)
    // Two non-baseline conditions whose intervals overlap: no leader.
    #expect(
      SweepFinding.leader(
        levels: [l(0.3, 0.01), l(0.6, 0.05), l(0.62, 0.05)], baseline: 0,
        paired: [nil, p(0.3, 0.02), p(0.32, 0.02)], better: .higher) == nil)
  }

  @Test("a region groups rows with the same columns and names whole rows once")
  func region() {
    // Rows 1, 3, 5 by columns 1, 2, 4 (row-major cells).
    let rows = ["1", "3", "5"]
    let columns = ["1", "2", "4"]
    let all = SweepFinding.region(
      [2, 3, 4, 5, 6, 7, 8], rows: rows, columns: columns, rowName: "AI count",
      columnName: "experts count")
    #expect(all == "AI count 1 with experts count 4, and at AI count 3 and 5")
    let corner = SweepFinding.region(
      [0, 1], rows: rows, columns: columns, rowName: "AI count", columnName: "experts count")
    #expect(corner == "AI count 1 with experts count 1 and 2")
  }

  @Test("the point sentence leaves out a relative change whose baseline is not clear of zero")
  func relativeNearZero() throws {
    let backlog = try #require(Metrics.descriptor(named: "backlog"))
    // Baseline 0.005 with a t interval from -0.005 to 0.015: no relative change.
    let near = PairedPoint(
      n: 200, baselineMean: 0.005, baselineLow: -0.005, baselineHigh: 0.015, difference: 4.76,
      low: 3.74, high: 5.78)
    #expect(near.relative == nil && near.relativeInterval == nil)
    let sentence = PointSentence.comparison(
      backlog, condition: "structured", baseline: "unstructured", near)
    #expect(
      sentence
        == "**structured** had 4.76 tasks more backlog than **unstructured** "
        + "(95% CI +3.74 to +5.78 tasks, 200 paired replications)")
    #expect(sentence.range(of: #"[+-][0-9.]+%"#, options: .regularExpression) == nil)
    // A baseline clear of zero carries one: 0.252 / 0.654 = 38.5%, written 39%.
    let correct = try #require(Metrics.descriptor(named: "correct_rate"))
    let far = PairedPoint(
      n: 1000, baselineMean: 0.654, baselineLow: 0.649, baselineHigh: 0.659, difference: 0.252,
      low: 0.245, high: 0.259)
    #expect(
      PointSentence.comparison(correct, condition: "s", baseline: "u", far)
        == "**s** delivered 39% more correct work than **u** (95% CI +37% to +40%, "
        + "1000 paired replications)")
    let unclear = PairedPoint(
      n: 1, baselineMean: 0.5, baselineLow: nil, baselineHigh: nil, difference: 0.1, low: nil,
      high: nil)
    #expect(
      PointSentence.change(correct, unclear) == ("no clear difference in correct rate", false))
    #expect(
      PointSentence.comparison(correct, condition: "s", baseline: "u", unclear).hasSuffix(
        "(1 paired replication)"))
  }

  @Test("one number format: a cell's numbers share their decimals; differences use ±")
  func numbers() {
    #expect(Wording.estimate(0.3, low: 0.29, high: 0.309) == "0.300 [0.290, 0.309]")
    #expect(Wording.estimate(14.7, low: 14.4, high: 14.9) == "14.7 [14.4, 14.9]")
    #expect(Wording.estimate(0.005, low: 0.0007, high: 0.036) == "0.0050 [0.0007, 0.0360]")
    #expect(Wording.estimate(0, low: 0, high: 0) == "0 [0, 0]")
    #expect(Wording.difference(0.252, low: 0.245, high: 0.259) == "+0.252 ± 0.007")
    #expect(Wording.difference(-1.5, low: -2, high: -1) == "-1.50 ± 0.50")
    #expect(Wording.quantity(1, unit: "hours") == "1 hour")
    #expect(Wording.quantity(2.5, unit: "hours") == "2.5 hours")
    #expect(Wording.quantity(0.5, unit: "share of tasks") == "0.5")
    #expect(Wording.count(1, "point") == "1 point" && Wording.count(6, "point") == "6 points")
    #expect(Wording.inSentence("Arrival rate") == "arrival rate")
    #expect(Wording.inSentence("AI count") == "AI count")
  }

  @Test(
    "bounded intervals stay in range, match the t interval far from bounds, and use the rule of three on a bound"
  )
  func bounded() {
    // A share near 1: the t interval 0.99 ± 0.02 would pass 1.
    let share = BoundedInterval.interval(mean: 0.99, halfWidth: 0.02, n: 30, lower: 0, upper: 1)
    #expect(share.low > 0 && share.high < 1 && share.low < 0.99 && share.high > 0.99)
    // A count near 0: 0.005 ± 0.0099 would go below 0.
    let count = BoundedInterval.interval(
      mean: 0.005, halfWidth: 0.0099, n: 200, lower: 0, upper: .infinity)
    #expect(count.low > 0 && count.high > 0.005)
    #expect(abs(count.low * count.high - 0.005 * 0.005) < 1e-15)  // symmetric on the log scale
    // Far from the bounds it is the t interval to first order.
    let far = BoundedInterval.interval(mean: 50, halfWidth: 0.5, n: 100, lower: 0, upper: .infinity)
    #expect(abs(far.low - 49.5) < 0.01 && abs(far.high - 50.5) < 0.01)
    // Every value on the bound: up to 3/n away, within the range.
    let zeros = BoundedInterval.interval(mean: 0, halfWidth: 0, n: 30, lower: 0, upper: 1)
    #expect(zeros.low == 0 && abs(zeros.high - 0.1) < 1e-15)
    let ones = BoundedInterval.interval(mean: 1, halfWidth: 0, n: 2, lower: 0, upper: 1)
    #expect(ones.low == 0 && ones.high == 1)
    let constant = BoundedInterval.interval(mean: 0.4, halfWidth: 0, n: 30, lower: 0, upper: 1)
    #expect(constant.low == 0.4 && constant.high == 0.4)
  }
}
