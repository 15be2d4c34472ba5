/// Everything a run adds up, reset in one assignment at the start of a run.
struct RunTotals {
  var delivered = 0
  var correct = 0
  /// Accepted stages executed by humans, over correct deliveries.
  var humanStages = 0
  /// Over delivered tasks: accepted stages that were wrong, at fault, hand-offs.
  var wrongStages = 0
  var faultStages = 0
  var handoffStages = 0
  /// Delivered tasks a human answered for.
  var answered = 0
  /// High-stakes deliveries, and the incorrect ones among them.
  var stakesDelivered = 0
  var stakesIncorrect = 0
  var abandoned = 0
  var caughtLate = 0
  var waitSum = 0.0
  var waitCount = 0
  var commHours = 0.0
  var structureHours = 0.0
  var reworkHours = 0.0
  var duplicateHours = 0.0
  var regretSum = 0.0
  var regretCount = 0
  /// Tasks not yet delivered or abandoned, and when the last one closed.
  var openTasks = 0
  var lastClose = 0.0
  /// Tasks arrived and not yet closed, and its integral over time (for Little's law).
  var inSystem = 0
  var inSystemArea = 0.0
  /// Human verdicts (reviews and sign-offs by humans with an effect), those that rejected
  /// or overrode, those that were right, and, of those where the judge's own view disagreed,
  /// how many and how many were resolved right.
  var humanVerdicts = 0
  var pushbacks = 0
  var rightVerdicts = 0
  var disagreements = 0
  var rightReliance = 0
  /// Counts that are not metrics, for tests and diagnostics.
  var counters = RunCounters()

  /// Checks that no count or hour is negative and the task counts fit `tasks` arrived of
  /// which `open` are still open.
  func _checkInvariants(tasks: Int, arrived: Int, open: Int?) {
    precondition(
      commHours >= 0 && structureHours >= 0 && reworkHours >= 0 && duplicateHours >= 0,
      "negative hours")
    precondition(
      delivered >= 0 && correct >= 0 && correct <= delivered, "correct \(correct) of \(delivered)")
    precondition(
      abandoned >= 0 && delivered + abandoned <= arrived, "closed more tasks than arrived")
    precondition(openTasks == tasks - delivered - abandoned, "open tasks \(openTasks)")
    precondition(inSystem == arrived - delivered - abandoned, "tasks in the system \(inSystem)")
    if let open { precondition(open == inSystem, "\(open) open tasks, \(inSystem) in the system") }
    precondition(stakesIncorrect <= stakesDelivered && stakesDelivered <= delivered)
    precondition(
      pushbacks <= humanVerdicts && rightVerdicts <= humanVerdicts
        && rightReliance <= disagreements && disagreements <= humanVerdicts,
      "human verdicts: \(humanVerdicts), push-backs \(pushbacks), right \(rightVerdicts)")
    precondition(answered <= delivered && humanStages >= 0)
    // A stage at fault (its own error) is wrong; a wrong one may only have inherited it.
    precondition(wrongStages >= faultStages && faultStages >= 0, "fewer wrong than faulty stages")
  }
}

/// Counts kept by a run beside its metrics, for tests and diagnostics.
public struct RunCounters: Sendable, Hashable {
  /// Starts of jobs of each kind.
  var startedByKind = KindCounts()
  public var reviews: Int = 0
  public var reviewRejections: Int = 0
  public var reviewedWrong: Int = 0
  public var reviewsFindingWrong: Int = 0
  public var audits: Int = 0
  public var escalatedExecutions: Int = 0
  /// Executions started for attempts past `maxAttempts`, by humans and by AI agents.
  public var lateAttemptExecutionsByHuman: Int = 0
  public var lateAttemptExecutionsByAI: Int = 0
  /// Execute jobs started by the acting conductor under conductor routing.
  public var executionsByConductor: Int = 0
  /// Sign-off verdicts given, and rejections among them.
  public var signoffs: Int = 0
  public var signoffRejections: Int = 0
  /// Executions that were hand-offs (their input came from another agent).
  public var handoffExecutions: Int = 0
  /// Rejections whose blame sent a chain back to an earlier stage.
  public var rewinds: Int = 0
  /// Waiting jobs removed unstarted when their task was abandoned.
  public var droppedJobs: Int = 0
  /// Executions that ended after their task had closed (no effect).
  public var lateExecutions: Int = 0
  /// Executions started for a task already closed: always 0, since closing a task removes
  /// its waiting jobs.
  public var executionsOfClosedTasks: Int = 0
  public var pairExecutions: Int = 0
  public var novelPairExecutions: Int = 0
  public var duplicates: Int = 0
  public var attempts: Int = 0
  public var driftUpdates: Int = 0

  /// Starts of jobs of `kind`.
  public func started(_ kind: JobKind) -> Int { startedByKind[kind] }

  public var routes: Int { started(.route) }
  public var translations: Int { started(.translate) }
  public var executions: Int { started(.execute) }
  public var reviewsStarted: Int { started(.review) }
  public var auditsStarted: Int { started(.audit) }
  public var signoffsStarted: Int { started(.signoff) }
}

/// One count per kind of job, in contiguous storage: counting a start is one increment in
/// memory. (A `SIMD8<Int>` indexed at run time cost about 15 instructions an increment.)
struct KindCounts: Hashable, Sendable {
  private var counts: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

  init() {}

  subscript(_ kind: JobKind) -> Int {
    var copy = counts
    return withUnsafeBytes(of: &copy) {
      $0.load(fromByteOffset: Int(kind.rawValue) * MemoryLayout<Int>.stride, as: Int.self)
    }
  }

  @inline(__always)
  mutating func increment(_ kind: JobKind) {
    withUnsafeMutableBytes(of: &counts) {
      $0.baseAddress!.assumingMemoryBound(to: Int.self)[Int(kind.rawValue)] &+= 1
    }
  }

  static func == (a: KindCounts, b: KindCounts) -> Bool {
    JobKind.allCases.allSatisfy { a[$0] == b[$0] }
  }

  func hash(into hasher: inout Hasher) {
    for kind in JobKind.allCases { hasher.combine(self[kind]) }
  }
}
