import EnsembleExperiments
import Foundation

/// The size limits of a plan, as `check` prints them and `run` enforces them.
enum SizeCheck {
  /// The share of the machine's memory all threads together may be expected to use.
  static let memoryShare = 0.8

  /// `check`'s lines: the estimates and the limits.
  static func lines(_ plan: Plan) -> [String] {
    let e = PlanEstimate(plan)
    return [
      "size         about \(PlanEstimate.count(e.tasks)) tasks and "
        + "\(PlanEstimate.count(e.driftUpdates)) drift updates per replication (limits "
        + "\(PlanEstimate.count(PlanEstimate.maximumTasks)) and "
        + "\(PlanEstimate.count(PlanEstimate.maximumDriftUpdates)))",
      "memory       about \(PlanEstimate.bytes(e.bytesPerThread)) per thread (limit "
        + "\(PlanEstimate.bytes(PlanEstimate.maximumBytesPerThread)))",
    ]
  }

  /// Why `plan` on `threads` threads is too large for the limits or this machine; empty
  /// when it is not.
  static func problems(_ plan: Plan, threads: Int) -> [String] {
    let e = PlanEstimate(plan)
    var problems = e.problems(plan)
    let physical = Double(ProcessInfo.processInfo.physicalMemory)
    let workers = Double(max(1, min(threads, plan.units.count)))
    if physical > 0 && workers * e.bytesPerThread > memoryShare * physical {
      let fit = Int(memoryShare * physical / max(1, e.bytesPerThread))
      problems.append(
        "about \(PlanEstimate.bytes(workers * e.bytesPerThread)) of memory on \(Int(workers)) "
          + "threads, more than \(Int(memoryShare * 100))% of this machine's "
          + "\(PlanEstimate.bytes(physical))"
          + (fit >= 1 ? "; use --threads \(fit) or fewer" : ""))
    }
    return problems
  }

  /// Refuses a plan over a limit (exit 2), unless `allowLarge`.
  static func enforce(_ plan: Plan, threads: Int, allowLarge: Bool, command: String)
    throws(CLIError)
  {
    let problems = problems(plan, threads: threads)
    guard !problems.isEmpty, !allowLarge else { return }
    throw CLIError(
      "\(command): the plan is too large: " + problems.joined(separator: "; also ")
        + ". Pass --allow-large to run it anyway")
  }
}
