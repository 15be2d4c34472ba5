import EnsembleAnalysis
import EnsembleModel

/// A condition's mean of a metric at one sweep point, with a 95% interval that respects the
/// metric's bounds (``BoundedInterval``).
public struct Level: Sendable, Equatable {
  public var mean: Double?
  public var low: Double?
  public var high: Double?

  public init(mean: Double?, low: Double?, high: Double?) {
    self.mean = mean
    self.low = low
    self.high = high
  }
}

/// The shape of a condition's line along a sweep. Indices are positions along the swept
/// values, in increasing order. Claims rest on intervals that do not overlap (a conservative
/// test): two points are clearly apart only when their 95% intervals are disjoint.
public enum Trend: Sendable, Equatable {
  /// No two points clearly apart: `low` and `high` index the lowest and highest means.
  case flat(low: Int, high: Int)
  /// Rises from its lowest point to its highest; beyond `clearUntil` no later point is
  /// clearly above it (equal to `to` when the rise is clear to the end).
  case rises(from: Int, to: Int, clearUntil: Int)
  case falls(from: Int, to: Int, clearUntil: Int)
  /// Highest at an inner point, clearly above both ends.
  case peaks(at: Int)
  /// Lowest at an inner point, clearly below both ends.
  case dips(at: Int)
  /// Too few points with values to say.
  case unknown
}

/// Where a paired difference changes along a sweep: between positions `from` and `from + 1`
/// its direction (+1 clearly above zero, −1 clearly below, 0 not clear) goes from `before` to
/// `after`.
public struct Transition: Sendable, Equatable {
  public var from: Int
  /// The next position with a difference after `from`.
  public var to: Int
  public var before: Int
  public var after: Int
  /// The interpolated swept value where the mean (a change of sign) or the interval's end (a
  /// change of clarity) reaches zero; nil on a categorical axis.
  public var at: Double?
  /// For a change of sign, the swept values where the interval's two ends reach zero.
  public var range: (low: Double, high: Double)?

  public static func == (a: Transition, b: Transition) -> Bool {
    a.from == b.from && a.to == b.to && a.before == b.before && a.after == b.after && a.at == b.at
      && a.range?.low == b.range?.low && a.range?.high == b.range?.high
  }
}

/// Findings along a sweep, from constructed numbers: trends, transitions, regions.
public enum SweepFinding {
  static func clearlyAbove(_ a: Level, _ b: Level) -> Bool {
    guard let low = a.low ?? a.mean, let high = b.high ?? b.mean, a.low != nil, b.high != nil
    else { return false }
    return low > high
  }

  /// The trend of `levels` (in increasing order of the swept value).
  public static func trend(_ levels: [Level]) -> Trend {
    let valued = levels.indices.filter { levels[$0].mean != nil }
    guard valued.count >= 2 else { return .unknown }
    let top = valued.max { levels[$0].mean! < levels[$1].mean! }!
    let bottom = valued.min { levels[$0].mean! < levels[$1].mean! }!
    guard clearlyAbove(levels[top], levels[bottom]) else { return .flat(low: bottom, high: top) }
    let (first, last) = (valued.first!, valued.last!)
    if top != first && top != last && clearlyAbove(levels[top], levels[first])
      && clearlyAbove(levels[top], levels[last])
    {
      return .peaks(at: top)
    }
    if bottom != first && bottom != last && clearlyAbove(levels[first], levels[bottom])
      && clearlyAbove(levels[last], levels[bottom])
    {
      return .dips(at: bottom)
    }
    if bottom < top {
      // The first point from the lowest on that no later point clearly exceeds.
      let until =
        valued.first { k in
          k >= bottom && !valued.contains { j in j > k && clearlyAbove(levels[j], levels[k]) }
        } ?? top
      return .rises(from: bottom, to: top, clearUntil: until)
    }
    let until =
      valued.first { k in
        k >= top && !valued.contains { j in j > k && clearlyAbove(levels[k], levels[j]) }
      } ?? bottom
    return .falls(from: top, to: bottom, clearUntil: until)
  }

  /// Where the direction of `points` changes (positions in increasing order of `xs`; `xs`
  /// nil for a categorical axis). Positions without a difference are skipped.
  public static func transitions(_ points: [PairedPoint], xs: [Double]?) -> [Transition] {
    var result: [Transition] = []
    let valued = points.indices.filter { points[$0].difference != nil }
    for (i, j) in zip(valued, valued.dropFirst()) {
      let (a, b) = (points[i], points[j])
      guard a.direction != b.direction else { continue }
      var transition = Transition(from: i, to: j, before: a.direction, after: b.direction)
      if let xs {
        func crossing(_ u: Double?, _ v: Double?) -> Double? {
          guard let u, let v, u != v, (u <= 0) != (v <= 0) || u == 0 || v == 0 else { return nil }
          let t = u / (u - v)
          return xs[i] + min(1, max(0, t)) * (xs[j] - xs[i])
        }
        if a.direction != 0 && b.direction != 0 {
          transition.at = crossing(a.difference, b.difference)
          if let p = crossing(a.low, b.low), let q = crossing(a.high, b.high) {
            transition.range = (min(p, q), max(p, q))
          }
        } else {
          // The end of the interval that lies on the clear side reaches zero.
          let clear = a.direction != 0 ? a : b
          transition.at =
            clear.direction > 0 ? crossing(a.low, b.low) : crossing(a.high, b.high)
        }
      }
      result.append(transition)
    }
    return result
  }

  /// The leader at each grid point: the condition whose mean is best (highest, or lowest for
  /// a metric where lower is better), when it is clearly ahead of every other condition:
  /// against the baseline by its paired interval, against another condition by disjoint
  /// level intervals. nil where no condition is clearly ahead.
  public static func leader(
    levels: [Level], baseline: Int, paired: [PairedPoint?], better: Better
  ) -> Int? {
    let sign: Double = better == .lower ? -1 : 1
    let valued = levels.indices.filter { levels[$0].mean != nil }
    guard valued.count >= 2 else { return nil }
    let best = valued.max { sign * levels[$0].mean! < sign * levels[$1].mean! }!
    for other in valued where other != best {
      if best == baseline {
        guard let p = paired[other], p.direction == (sign > 0 ? -1 : 1) else { return nil }
      } else if other == baseline {
        guard let p = paired[best], p.direction == (sign > 0 ? 1 : -1) else { return nil }
      } else {
        let ahead =
          sign > 0
          ? clearlyAbove(levels[best], levels[other]) : clearlyAbove(levels[other], levels[best])
        if !ahead { return nil }
      }
    }
    return best
  }

  /// A set of grid points as words: the points are rows of `rowValues` (the first swept key)
  /// by columns (the other keys' values, as text). A row where every column is in the set
  /// is written whole; rows with the same columns are written together.
  /// With `columnName` (one other key), columns are its values and are written after it.
  /// "AI count 3, 5 and 9, and at AI count 1 with experts count 4".
  public static func region(
    _ members: Set<Int>, rows: [String], columns: [String], rowName: String,
    columnName: String? = nil
  ) -> String {
    // Points are in grid order: row-major.
    let width = max(1, columns.count)
    var groups: [(rows: [String], columns: [Int])] = []
    for (r, row) in rows.enumerated() {
      let inRow = (0..<width).filter { members.contains(r * width + $0) }
      if inRow.isEmpty { continue }
      if let last = groups.last, last.columns == inRow {
        groups[groups.count - 1].rows.append(row)
      } else {
        groups.append(([row], inRow))
      }
    }
    let parts = groups.map { group -> String in
      let at = "\(rowName) \(Wording.list(group.rows))"
      if group.columns.count == width || columns.isEmpty { return at }
      let values = Wording.list(group.columns.map { columns[$0] })
      return at + " with " + (columnName.map { "\($0) \(values)" } ?? values)
    }
    return parts.joined(separator: ", and at ")
  }
}
