/// Which way a metric is better, for wording and for readers of a chart.
public enum Better: String, Sendable, CaseIterable {
  case higher
  case lower
  /// Neither: a description of how the team worked (utilisation, shares of work).
  case neither
}

/// The values a metric can take.
public enum MetricBounds: String, Sendable, CaseIterable {
  /// A whole number of tasks, 0 or more.
  case count
  /// A share or probability in [0, 1].
  case share
  /// Hours, 0 or more.
  case hours
  /// A non-negative amount: cost, a rate per hour.
  case nonNegative
  /// A ratio of 1 or more.
  case atLeastOne

  /// The closed range of allowed values.
  public var range: ClosedRange<Double> {
    switch self {
    case .share: 0...1
    case .atLeastOne: 1...Double.infinity
    case .count, .hours, .nonNegative: 0...Double.infinity
    }
  }

  /// The allowed values in words, e.g. "0 to 1".
  public var text: String {
    switch self {
    case .count: "count"
    case .share: "0 to 1"
    case .hours: "hours >= 0"
    case .nonNegative: ">= 0"
    case .atLeastOne: ">= 1"
    }
  }

  /// Whether `value` is allowed, with a relative slack of 1e-12 for rounding in sums.
  public func contains(_ value: Double) -> Bool {
    let slack = 1e-12 * max(1, abs(value))
    guard value.isFinite, value >= range.lowerBound - slack, value <= range.upperBound + slack
    else { return false }
    return self != .count || value == value.rounded()
  }
}

/// One metric of docs/MODEL.md section 8: its name, how to read it off ``Metrics``, and how to
/// speak of it. Everything that lists or describes metrics (the CSV columns, the report,
/// `ensemble params`, the invariant tests) reads ``Metrics/table``.
public struct MetricDescriptor: Sendable {
  /// The CSV column, e.g. `correct_rate`.
  public let name: String
  /// Its value in a replication; `nil` where undefined.
  public let value: @Sendable (Metrics) -> Double?
  /// A short label for tables and chart axes, e.g. "Correct rate".
  public let label: String
  /// The unit as a report writes it, e.g. "share of tasks"; empty for none.
  public let unit: String
  /// What it measures, in one line (the README's and `ensemble params`'s wording).
  public let meaning: String
  public let better: Better
  public let bounds: MetricBounds
  /// Words for a rise and a fall, as in "36% more correct work".
  public let rise: String
  public let fall: String
  /// The verb of a report's headline: "delivered 36% more correct work".
  public let verb: String
  /// The metric-table version that added it (``EngineVersion/metricTable``): 1 for model
  /// version 1's metrics, 2 and 3 for those the later versions added.
  public let since: Int

  public init(
    _ name: String, label: String, unit: String, meaning: String, better: Better,
    bounds: MetricBounds, rise: String, fall: String, verb: String = "had", since: Int = 1,
    value: @escaping @Sendable (Metrics) -> Double?
  ) {
    self.name = name
    self.value = value
    self.label = label
    self.unit = unit
    self.meaning = meaning
    self.better = better
    self.bounds = bounds
    self.rise = rise
    self.fall = fall
    self.verb = verb
    self.since = since
  }
}

extension Metrics {
  /// Every metric, in CSV column order. Adding a metric means measuring it in the engine
  /// and adding its entry here.
  public static let table: [MetricDescriptor] = [
    MetricDescriptor(
      "arrived", label: "Tasks arrived", unit: "tasks", meaning: "tasks created",
      better: .neither, bounds: .count, rise: "more tasks", fall: "fewer tasks"
    ) { Double($0.arrived) },
    MetricDescriptor(
      "delivered", label: "Tasks delivered", unit: "tasks",
      meaning: "tasks delivered, correct or not (abandoned tasks are not delivered)",
      better: .higher, bounds: .count, rise: "more deliveries", fall: "fewer deliveries",
      verb: "made"
    ) { Double($0.delivered) },
    MetricDescriptor(
      "correct_rate", label: "Correct rate", unit: "share of tasks",
      meaning: "correct deliveries / arrived: the headline measure of team performance",
      better: .higher, bounds: .share, rise: "more correct work", fall: "less correct work",
      verb: "delivered"
    ) { $0.correctRate },
    MetricDescriptor(
      "escape_rate", label: "Escape rate", unit: "share of deliveries",
      meaning: "incorrect deliveries / delivered: errors that reached the customer",
      better: .lower, bounds: .share, rise: "more escaped errors", fall: "fewer escaped errors"
    ) { $0.escapeRate },
    MetricDescriptor(
      "caught_late", label: "Errors caught late", unit: "tasks",
      meaning: "escaped errors found afterwards by audit", better: .neither, bounds: .count,
      rise: "more errors caught by audit", fall: "fewer errors caught by audit"
    ) { Double($0.caughtLate) },
    MetricDescriptor(
      "abandoned", label: "Abandoned tasks", unit: "tasks",
      meaning: "tasks given up after six failures", better: .lower, bounds: .count,
      rise: "more abandoned tasks", fall: "fewer abandoned tasks"
    ) { Double($0.abandoned) },
    MetricDescriptor(
      "backlog", label: "Backlog", unit: "tasks", meaning: "tasks still open at the end",
      better: .lower, bounds: .count, rise: "more backlog", fall: "less backlog"
    ) { Double($0.backlog) },
    MetricDescriptor(
      "mean_wait", label: "Mean wait", unit: "hours",
      meaning: "hours from arrival to the start of the first execution", better: .lower,
      bounds: .hours, rise: "longer waits", fall: "shorter waits"
    ) { $0.meanWait },
    MetricDescriptor(
      "mean_cycle", label: "Mean cycle time", unit: "hours",
      meaning: "mean hours from arrival to delivery", better: .lower, bounds: .hours,
      rise: "longer cycle times", fall: "shorter cycle times"
    ) { $0.meanCycle },
    MetricDescriptor(
      "p90_cycle", label: "90th percentile cycle time", unit: "hours",
      meaning: "90th percentile of the hours from arrival to delivery", better: .lower,
      bounds: .hours, rise: "longer slow cases", fall: "shorter slow cases"
    ) { $0.p90Cycle },
    MetricDescriptor(
      "throughput", label: "Throughput", unit: "per hour", meaning: "deliveries per hour",
      better: .higher, bounds: .nonNegative, rise: "more throughput", fall: "less throughput",
      verb: "delivered"
    ) { $0.throughput },
    MetricDescriptor(
      "cost", label: "Cost", unit: "cost units", meaning: "busy hours times hourly cost",
      better: .lower, bounds: .nonNegative, rise: "higher cost", fall: "lower cost"
    ) { $0.cost },
    MetricDescriptor(
      "cost_per_correct", label: "Cost per correct task", unit: "cost units",
      meaning: "cost per correct delivery", better: .lower, bounds: .nonNegative,
      rise: "higher cost per correct task", fall: "lower cost per correct task"
    ) { $0.costPerCorrect },
    MetricDescriptor(
      "overhead_share", label: "Communication overhead", unit: "share of hours",
      meaning: "share of busy hours spent keeping colleagues informed", better: .lower,
      bounds: .share, rise: "more communication overhead", fall: "less communication overhead"
    ) { $0.overheadShare },
    MetricDescriptor(
      "structure_share", label: "Structural work", unit: "share of hours",
      meaning: "share of busy hours spent routing, translating, reviewing and auditing",
      better: .neither, bounds: .share, rise: "more structural work",
      fall: "less structural work"
    ) { $0.structureShare },
    MetricDescriptor(
      "rework_hours", label: "Rework", unit: "hours",
      meaning: "hours of executions that had to be redone", better: .lower, bounds: .hours,
      rise: "more rework", fall: "less rework"
    ) { $0.reworkHours },
    MetricDescriptor(
      "duplicate_hours", label: "Duplicated work", unit: "hours",
      meaning: "hours of discarded duplicate work", better: .lower, bounds: .hours,
      rise: "more duplicated work", fall: "less duplicated work"
    ) { $0.duplicateHours },
    MetricDescriptor(
      "human_share", label: "Human share of correct work", unit: "share",
      meaning: "share of correct deliveries produced by humans", better: .neither,
      bounds: .share, rise: "a larger human share", fall: "a smaller human share"
    ) { $0.humanShare },
    MetricDescriptor(
      "human_utilization", label: "Human utilisation", unit: "share of time",
      meaning: "human busy hours / (humans x run length)", better: .neither, bounds: .share,
      rise: "busier humans", fall: "less busy humans"
    ) { $0.humanUtilization },
    MetricDescriptor(
      "ai_utilization", label: "AI utilisation", unit: "share of time",
      meaning: "AI busy hours / (AI agents x run length)", better: .neither, bounds: .share,
      rise: "busier AI agents", fall: "less busy AI agents"
    ) { $0.aiUtilization },
    MetricDescriptor(
      "routing_regret", label: "Routing regret", unit: "probability",
      meaning:
        "how much more likely to succeed the best available agent was than the one who did the work",
      better: .lower, bounds: .share, rise: "more routing regret", fall: "less routing regret"
    ) { $0.routingRegret },
    MetricDescriptor(
      "error_amplification", label: "Error amplification", unit: "ratio",
      meaning:
        "wrong accepted stages per stage at fault, over delivered tasks: how far errors travel",
      better: .lower, bounds: .atLeastOne, rise: "more error amplification",
      fall: "less error amplification", since: 2
    ) { $0.errorAmplification },
    MetricDescriptor(
      "handoffs", label: "Hand-offs", unit: "per task",
      meaning: "stages per delivered task whose input came from another agent",
      better: .neither, bounds: .nonNegative, rise: "more hand-offs", fall: "fewer hand-offs",
      since: 2
    ) { $0.handoffs },
    MetricDescriptor(
      "accountability_coverage", label: "Accountability coverage", unit: "share of deliveries",
      meaning:
        "share of delivered tasks a human answered for (signed off, or every AI stage reviewed by a human)",
      better: .higher, bounds: .share, rise: "more work a human answered for",
      fall: "less work a human answered for", since: 2
    ) { $0.accountabilityCoverage },
    MetricDescriptor(
      "stakes_escape_rate", label: "High-stakes escape rate", unit: "share of deliveries",
      meaning: "incorrect deliveries / delivered, among high-stakes tasks", better: .lower,
      bounds: .share, rise: "more escaped errors on high-stakes work",
      fall: "fewer escaped errors on high-stakes work", since: 2
    ) { $0.stakesEscapeRate },
    MetricDescriptor(
      "pushback_rate", label: "Push-back rate", unit: "share of human verdicts",
      meaning:
        "share of human reviews and sign-offs that rejected or overrode the output they checked",
      better: .neither, bounds: .share, rise: "more push-back from humans",
      fall: "less push-back from humans", since: 3
    ) { $0.pushbackRate },
    MetricDescriptor(
      "verdict_accuracy", label: "Verdict accuracy", unit: "share of human verdicts",
      meaning:
        "share of human reviews and sign-offs that were right: passed a correct output, or rejected or overrode a wrong one",
      better: .higher, bounds: .share, rise: "more accurate human verdicts",
      fall: "less accurate human verdicts", since: 3
    ) { $0.verdictAccuracy },
    MetricDescriptor(
      "reliance_accuracy", label: "Reliance accuracy", unit: "share of disagreements",
      meaning:
        "under judge: of the human verdicts where the judge disagreed with the output, the share resolved right (deferring to a correct output, pushing back on a wrong one)",
      better: .higher, bounds: .share, rise: "better-judged reliance",
      fall: "worse-judged reliance", since: 3
    ) { $0.relianceAccuracy },
  ]

  /// The metrics of metric-table version `version`, in CSV column order: each version's
  /// table is the one before with metrics added at the end, so an older table is a prefix of
  /// this one.
  public static func table(version: Int) -> ArraySlice<MetricDescriptor> {
    table.prefix { $0.since <= version }
  }

  /// The descriptor of the metric called `name`, if there is one.
  public static func descriptor(named name: String) -> MetricDescriptor? {
    table.first { $0.name == name }
  }
}
