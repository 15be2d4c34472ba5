/// The outcome of one replication (docs/MODEL.md section 8).
///
/// A metric with no defined value in the replication (for example `escape_rate` with no
/// deliveries) is `nil`, never zero.
public struct Metrics: Sendable, Hashable {
  public var arrived: Int = 0
  public var delivered: Int = 0
  /// Correct deliveries / arrived: the headline measure of team performance.
  public var correctRate: Double?
  /// Incorrect deliveries / delivered.
  public var escapeRate: Double?
  /// Escaped errors found by audit.
  public var caughtLate: Int = 0
  public var abandoned: Int = 0
  public var backlog: Int = 0
  /// Mean hours from arrival to the start of the first execution.
  public var meanWait: Double?
  /// Mean hours from arrival to delivery.
  public var meanCycle: Double?
  /// 90th percentile of the cycle time (linear interpolation at rank (n − 1) · 0.9).
  public var p90Cycle: Double?
  /// Delivered tasks per hour of the run.
  public var throughput: Double?
  /// Sum over agents of busy hours times cost per hour.
  public var cost: Double = 0
  public var costPerCorrect: Double?
  /// Communication hours / all busy hours.
  public var overheadShare: Double?
  /// Route, translate, review and audit hours / all busy hours.
  public var structureShare: Double?
  /// Hours of counted executions of attempts that were redone.
  public var reworkHours: Double = 0
  /// Hours of discarded duplicate executions.
  public var duplicateHours: Double = 0
  /// Share of correct deliveries whose counted execution was by a human.
  public var humanShare: Double?
  public var humanUtilization: Double?
  public var aiUtilization: Double?
  /// Mean shortfall of the executing agent's true success from the best allowed agent's.
  public var routingRegret: Double?
  /// Wrong accepted stages / at-fault accepted stages, over delivered tasks (a ratio of
  /// totals): how far errors spread from the stage that made them.
  public var errorAmplification: Double?
  /// Mean number of a delivered task's stages whose accepted execution was a hand-off.
  public var handoffs: Double?
  /// Share of delivered tasks a human answered for (a sign-off, or a human review of every
  /// AI-executed accepted stage).
  public var accountabilityCoverage: Double?
  /// Incorrect / delivered among high-stakes tasks.
  public var stakesEscapeRate: Double?
  /// Human verdicts that rejected or overrode / human verdicts.
  public var pushbackRate: Double?
  /// Human verdicts that were right (a pass of a correct output, a rejection or override of a
  /// wrong one) / human verdicts.
  public var verdictAccuracy: Double?
  /// Under `judge`: of the human verdicts where the judge disagreed, the share resolved right.
  public var relianceAccuracy: Double?

  // Diagnostics that are not metrics of the model but are useful in tests and benchmarks.

  /// Correct deliveries.
  public var correct: Int = 0
  /// The run's length in hours.
  public var length: Double = 0
  /// Entries taken off the event queue (arrivals, drift updates, job completions).
  public var events: Int = 0
  /// Time-average number of tasks arrived and not yet closed, integrated event by event.
  public var meanInSystem: Double = 0

  public init() {}

  /// Metric names as CSV columns, in output order: the names of ``table``.
  public static let names: [String] = table.map(\.name)

  /// The metrics in the order of ``table``; `nil` where undefined.
  public var values: [Double?] { Self.table.map { $0.value(self) } }
}
