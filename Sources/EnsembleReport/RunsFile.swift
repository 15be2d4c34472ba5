import EnsembleAnalysis
import EnsembleExperiments
import EnsembleModel

/// A byte range of a source holding rows of `runs.csv`.
public struct RowSegment {
  public var source: ByteSource
  public var offset: UInt64
  public var length: UInt64
  /// The unit of the segment's first row when its rows have not been checked yet (a run
  /// journal's chunk): reading them checks each row as ``RowChecker/checkRow`` does.
  public var uncheckedFrom: Int?

  public init(source: ByteSource, offset: UInt64, length: UInt64, uncheckedFrom: Int? = nil) {
    self.source = source
    self.offset = offset
    self.length = length
    self.uncheckedFrom = uncheckedFrom
  }
}

/// What every row of a result's `runs.csv` must hold, from its manifest: the condition,
/// point, replication and seed of its place in plan order, the swept values of its point,
/// and for each metric an empty cell or a finite number within the metric's bounds.
public struct RowChecker {
  public let conditions: [String]
  public let replications: Int
  public let seed: UInt64
  public let points: [[String]]
  public let header: [String]
  public let metricStart: Int
  /// The metric-table version the file was written with, and how many metric columns it has.
  public let metricTable: Int
  let metricCount: Int
  let bounds: [MetricBounds]

  /// The largest magnitude a metric value may have (far above any the engine produces;
  /// it keeps every sum and square of the statistics finite).
  public static let maximumMagnitude = 1e30

  public init(_ manifest: ResultManifest) {
    conditions = manifest.conditions
    replications = manifest.replications
    seed = UInt64(manifest.seed) ?? 0
    points = manifest.points
    metricTable = manifest.metricTable
    header = RunsFile.header(sweptKeys: manifest.sweptKeys, metricTable: metricTable)
    metricStart = ResultSchema.metricStart(sweptKeys: manifest.sweptKeys.count)
    metricCount = Metrics.table(version: metricTable).count
    bounds = Metrics.table.map(\.bounds)
  }

  /// Checks the header line.
  public func checkHeader(_ line: LineReader.Line, file: String) throws(ResultFileError) {
    let fields = try self.fields(line, file: file)
    for (i, expected) in header.enumerated() {
      guard i < fields.count else {
        throw ResultFileError(
          file: file, line: line.number,
          "the header has \(fields.count) columns, expected \(header.count): "
            + "\"\(expected)\" and \(header.count - i - 1) more are missing")
      }
      if fields[i] != expected {
        throw ResultFileError(
          file: file, line: line.number, column: i + 1,
          "expected the column \"\(expected)\", found \"\(fields[i])\"")
      }
    }
    if fields.count > header.count {
      throw ResultFileError(
        file: file, line: line.number, column: header.count + 1,
        "unexpected column \"\(fields[header.count])\" after the last metric")
    }
  }

  /// Checks one row: condition `c` of unit `unit`. Returns its fields.
  @discardableResult
  public func checkRow(
    _ line: LineReader.Line, condition c: Int, unit: Int, file: String
  ) throws(ResultFileError) -> [String] {
    let fields = try self.fields(line, file: file)
    func fail(_ column: Int, _ message: String) -> ResultFileError {
      ResultFileError(file: file, line: line.number, column: column, message)
    }
    guard fields.count == header.count else {
      throw fail(0, "the row has \(fields.count) fields, the header \(header.count)")
    }
    let point = unit / replications
    let replication = unit % replications
    if fields[0] != conditions[c] {
      throw fail(
        1,
        "expected condition \"\(conditions[c])\" (rows are grouped by condition in the "
          + "manifest's order), found \"\(fields[0])\"")
    }
    if fields[1] != String(point) || fields[2] != String(replication) {
      throw fail(
        fields[1] != String(point) ? 2 : 3,
        "expected point \(point), replication \(replication) (plan order), found point "
          + "\(fields[1]), replication \(fields[2])")
    }
    let expectedSeed = ReplicationSeed.derive(experimentSeed: seed, replication: replication)
    if fields[3] != String(expectedSeed) {
      throw fail(
        4,
        "the seed of replication \(replication) is \(expectedSeed) for the manifest's "
          + "experiment seed \(seed), found \(fields[3])")
    }
    if !points.isEmpty {
      for (k, value) in points[point].enumerated() where fields[4 + k] != value {
        throw fail(
          5 + k,
          "\(header[4 + k]) at point \(point) is \(value) in the manifest, found \(fields[4 + k])")
      }
    }
    _ = try values(fields, line: line, file: file)
    return fields
  }

  /// The metric values of a row's fields, each empty (no value) or, read by the one strict
  /// parser (``CSV/parseNumber(_:)``), a finite number within its metric's bounds; in the
  /// order of ``Metrics/table``, with no value for the metrics that a file of an older
  /// metric table does not have. The marker column after the metrics must be empty.
  public func values(_ fields: [String], line: LineReader.Line, file: String)
    throws(ResultFileError) -> [Double?]
  {
    var values: [Double?] = []
    values.reserveCapacity(Metrics.table.count)
    if metricStart + metricCount < header.count && !fields[metricStart + metricCount].isEmpty {
      throw ResultFileError(
        file: file, line: line.number, column: metricStart + metricCount + 1,
        "\(header[metricStart + metricCount]): \(Self.quoted(fields[metricStart + metricCount])) "
          + "should be empty (the column only names the metric table)")
    }
    for m in 0..<metricCount {
      let text = fields[metricStart + m]
      if text.isEmpty {
        values.append(nil)
        continue
      }
      let name = header[metricStart + m]
      func fail(_ message: String) -> ResultFileError {
        ResultFileError(file: file, line: line.number, column: metricStart + m + 1, message)
      }
      guard let x = CSV.parseNumber(text) else {
        throw fail(
          "\(name): \(Self.quoted(text)) is not a finite number (or empty for no value)")
      }
      guard abs(x) <= Self.maximumMagnitude, m >= bounds.count || bounds[m].contains(x) else {
        let range = m < bounds.count ? bounds[m].range : 0...Self.maximumMagnitude
        let high = range.upperBound.isFinite ? ParameterValue.format(range.upperBound) : "1e30"
        throw fail(
          "\(name): \(text) is out of range (allowed: \(ParameterValue.format(range.lowerBound)) "
            + "to \(high)\(m < bounds.count && bounds[m] == .count ? ", whole numbers" : ""))")
      }
      values.append(x)
    }
    while values.count < Metrics.table.count { values.append(nil) }
    return values
  }

  /// A field as a message shows it: quoted, with invisible characters (a NUL byte) escaped.
  static func quoted(_ text: String) -> String {
    let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
    return shown.debugDescription
  }

  func fields(_ line: LineReader.Line, file: String) throws(ResultFileError) -> [String] {
    do {
      return try CSV.fields(line.text)
    } catch {
      let what: String
      switch error.kind {
      case .unterminatedQuote: what = "a quoted field is never closed"
      case .quoteInUnquotedField: what = "a double quote inside an unquoted field"
      case .characterAfterClosingQuote: what = "a character after a closing quote"
      default: what = "not a CSV record"
      }
      throw ResultFileError(file: file, line: line.number, what)
    }
  }

}

/// Reading a result's `runs.csv`: a full check against its manifest, then its statistics,
/// in time linear in its size and memory independent of it, with two readers open at most.
public enum RunsFile {
  static func quoted(_ text: String) -> String { RowChecker.quoted(text) }

  /// `condition, point, replication, seed`, the swept keys, every metric of metric table
  /// `metricTable`, then (from version 3, when the header began to say it) an empty column
  /// whose name carries the table's version: `metric_table_v3`.
  public static func header(
    sweptKeys: [String], metricTable: Int = EngineVersion.metricTable
  ) -> [String] {
    ["condition", "point", "replication", "seed"] + sweptKeys
      + Metrics.table(version: metricTable).map(\.name)
      + (metricTable >= 3 ? [marker(metricTable)] : [])
  }

  /// The name of the column that carries a metric table's version.
  public static func marker(_ metricTable: Int) -> String { "metric_table_v\(metricTable)" }

  /// Checks every line of `source` against `manifest` and returns, per condition, the byte
  /// range of its rows. The file must end with a line break (a file cut short does not).
  public static func scan(_ source: ByteSource, manifest: ResultManifest) throws(ResultFileError)
    -> [RowSegment]
  {
    let checker = RowChecker(manifest)
    let file = source.name
    let reader = LineReader(source)
    guard let first = try reader.next() else {
      throw ResultFileError(file: file, "is empty; expected a header line and the runs")
    }
    try checker.checkHeader(first, file: file)
    let perCondition = manifest.endUnit - manifest.firstUnit
    var segments: [RowSegment] = []
    var last = first
    for c in manifest.conditions.indices {
      var segment = RowSegment(source: source, offset: 0, length: 0)
      for k in 0..<perCondition {
        guard let line = try reader.next() else {
          let rows = c * perCondition + k
          throw ResultFileError(
            file: file, line: last.number + 1,
            "the file ends after \(rows) rows; the manifest's \(manifest.conditions.count) "
              + "conditions x \(perCondition) units make \(manifest.conditions.count * perCondition)"
          )
        }
        if k == 0 { segment.offset = line.offset }
        segment.length += UInt64(line.length)
        try checker.checkRow(line, condition: c, unit: manifest.firstUnit + k, file: file)
        last = line
      }
      segments.append(segment)
    }
    if let extra = try reader.next() {
      throw ResultFileError(
        file: file, line: extra.number,
        "more rows than the manifest's \(manifest.conditions.count) conditions x "
          + "\(perCondition) units")
    }
    if !last.terminated {
      throw ResultFileError(
        file: file, line: last.number, "the last line has no line break: the file was cut short")
    }
    source.close()
    return segments
  }

  /// Adds to `statistics` the rows of condition `c`, read from `segments` (in unit order),
  /// paired with the baseline's rows from `baselineSegments`. Rows must have been checked.
  public static func add(
    to statistics: inout ResultStatistics, condition c: Int, segments: [RowSegment],
    baselineSegments: [RowSegment], checker: RowChecker
  ) throws(ResultFileError) {
    let paired = c != statistics.layout.baseline
    for (segment, baselineSegment) in zip(segments, baselineSegments) {
      let rows = LineReader(segment.source, offset: segment.offset, length: segment.length)
      let base =
        paired
        ? LineReader(
          baselineSegment.source, offset: baselineSegment.offset, length: baselineSegment.length)
        : nil
      // Rows already checked (by ``scan(_:manifest:)``) are read again here: a file changed
      // since (in place, under the same descriptor) must give an error, never a crash.
      let points = max(1, statistics.layout.points.count)
      func changed(_ source: ByteSource, _ line: LineReader.Line) -> ResultFileError {
        ResultFileError(
          file: source.name, line: line.number, "is not the file that was checked: it changed")
      }
      var unit = segment.uncheckedFrom
      var baselineUnit = baselineSegment.uncheckedFrom
      let file = segment.source.name
      while let line = try rows.next() {
        let fields: [String]
        if let u = unit {
          fields = try checker.checkRow(line, condition: c, unit: u, file: file)
          unit = u + 1
        } else {
          fields = try checker.fields(line, file: file)
        }
        guard fields.count == checker.header.count else { throw changed(segment.source, line) }
        let values = try checker.values(fields, line: line, file: file)
        var baselineValues = values
        if let base {
          guard let other = try base.next() else {
            throw ResultFileError(
              file: baselineSegment.source.name, "the baseline has fewer rows than \(fields[0])")
          }
          let baseFile = baselineSegment.source.name
          let otherFields: [String]
          if let u = baselineUnit {
            otherFields = try checker.checkRow(
              other, condition: statistics.layout.baseline, unit: u, file: baseFile)
            baselineUnit = u + 1
          } else {
            otherFields = try checker.fields(other, file: baseFile)
          }
          guard otherFields.count == checker.header.count else {
            throw changed(baselineSegment.source, other)
          }
          baselineValues = try checker.values(otherFields, line: other, file: baseFile)
        }
        guard let point = CSV.parseCount(fields[1]), (0..<points).contains(point) else {
          throw ResultFileError(
            file: file, line: line.number, column: 2, "\(Self.quoted(fields[1])) is not a point")
        }
        statistics.add(condition: c, point: point, values: values, baseline: baselineValues)
      }
      // Two files open at most, however many parts (shards) there are.
      segment.source.close()
      baselineSegment.source.close()
    }
  }

  /// The statistics of checked rows: condition by condition, each paired with the baseline.
  /// `segments[s][c]` are the rows of condition `c` in part `s` (a shard, a chunk), parts in
  /// unit order.
  public static func statistics(
    layout: ResultLayout, segments: [[RowSegment]], checker: RowChecker
  ) throws(ResultFileError) -> ResultStatistics {
    var statistics = ResultStatistics(layout: layout)
    for c in layout.conditions.indices {
      try add(
        to: &statistics, condition: c, segments: segments.map { $0[c] },
        baselineSegments: segments.map { $0[layout.baseline] }, checker: checker)
    }
    return statistics
  }
}
