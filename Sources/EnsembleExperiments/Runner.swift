import EnsembleModel
import Foundation

/// Runs a plan's units on several threads and hands the results back **in unit order** on
/// the calling thread, whatever the thread count: the output never depends on scheduling.
///
/// Memory stays flat: at most `window` finished units wait to be handed back, and workers
/// pause when they get that far ahead of the oldest unfinished one.
public enum Runner {
  /// How a run ended.
  public enum Outcome: Sendable, Equatable {
    case completed
    case cancelled
  }

  /// Runs `plan.units`.
  /// - Parameters:
  ///   - threads: worker threads (at least 1).
  ///   - isCancelled: polled by the workers and the caller; return true to stop early.
  ///   - deliver: called on this thread with each unit's result, in unit order. An error
  ///     it throws stops the run and is rethrown.
  public static func run(
    _ plan: Plan, threads: Int, isCancelled: @escaping @Sendable () -> Bool = { false },
    deliver: (UnitResult) throws -> Void
  ) throws -> Outcome {
    try run(plan, threads: threads, isCancelled: isCancelled, prepare: { $0 }, deliver: deliver)
  }

  /// Runs `plan.units`, with a step that runs on the worker threads.
  /// - Parameters:
  ///   - prepare: turns a unit's result into what `deliver` needs (formatted rows, say),
  ///     on the worker that ran it, so the caller's thread does as little as possible.
  public static func run<Prepared: Sendable>(
    _ plan: Plan, threads: Int, isCancelled: @escaping @Sendable () -> Bool = { false },
    prepare: @escaping @Sendable (UnitResult) -> Prepared,
    deliver: (Prepared) throws -> Void
  ) throws -> Outcome {
    let units = plan.units
    if units.isEmpty { return .completed }
    let workers = max(1, min(threads, units.count))
    let window = 8 * workers
    let shared = Shared<Prepared>(first: units.lowerBound)
    let condition = NSCondition()

    for _ in 0..<workers {
      let thread = Thread {
        var cache = SimulatorCache()
        while true {
          condition.lock()
          var unit = shared.nextUnit
          while unit < units.upperBound && unit >= shared.committed + window && !shared.stop {
            condition.wait()
            unit = shared.nextUnit
          }
          if unit >= units.upperBound || shared.stop || isCancelled() {
            shared.finishedWorkers += 1
            condition.broadcast()
            condition.unlock()
            return
          }
          shared.nextUnit += 1
          condition.unlock()

          let result = prepare(compute(plan, unit: unit, cache: &cache))

          condition.lock()
          shared.ready[unit] = result
          condition.broadcast()
          condition.unlock()
        }
      }
      thread.stackSize = 1 << 22
      thread.start()
    }

    var failure: Error?
    var outcome = Outcome.completed
    condition.lock()
    while shared.committed < units.upperBound {
      if let result = shared.ready.removeValue(forKey: shared.committed) {
        shared.committed += 1
        condition.broadcast()
        condition.unlock()
        do {
          try deliver(result)
        } catch {
          failure = error
        }
        condition.lock()
        if failure != nil { break }
        continue
      }
      if isCancelled() {
        outcome = .cancelled
        break
      }
      if shared.finishedWorkers == workers { break }
      _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
    }
    shared.stop = true
    condition.broadcast()
    while shared.finishedWorkers < workers { condition.wait() }
    condition.unlock()
    if let failure { throw failure }
    if outcome == .completed && shared.committed < units.upperBound { return .cancelled }
    return outcome
  }

  /// Runs one unit: every condition of one replication at one point.
  static func compute(_ plan: Plan, unit: Int, cache: inout SimulatorCache) -> UnitResult {
    let point = plan.point(ofUnit: unit)
    let replication = plan.replication(ofUnit: unit)
    let seed = plan.seed(point: point, replication: replication)
    var metrics: [Metrics] = []
    metrics.reserveCapacity(plan.conditionCount)
    for c in 0..<plan.conditionCount {
      let configuration = plan.configuration(point: point, condition: c)
      let box = cache.simulator(for: configuration.scenario)
      metrics.append(box.simulator.run(design: configuration.design, seed: seed))
    }
    return UnitResult(
      unit: unit, point: point, replication: replication, seed: seed, metrics: metrics)
  }

  /// State shared by the workers and the caller, guarded by the runner's condition lock.
  final class Shared<Prepared>: @unchecked Sendable {
    var nextUnit: Int
    var committed: Int
    var ready: [Int: Prepared] = [:]
    var stop = false
    var finishedWorkers = 0

    init(first: Int) {
      nextUnit = first
      committed = first
    }
  }
}

/// A worker's simulators, one per distinct scenario of the current sweep point (designs
/// share a simulator; a simulator is rebuilt only when the scenario changes).
struct SimulatorCache {
  final class Box {
    var simulator: Simulator
    init(_ scenario: Scenario) { simulator = Simulator(scenario: scenario) }
  }

  /// How many simulators a worker keeps (the last scenarios it ran).
  static let capacity = 16

  var boxes: [(scenario: Scenario, box: Box)] = []

  mutating func simulator(for scenario: Scenario) -> Box {
    if let found = boxes.first(where: { $0.scenario == scenario }) { return found.box }
    if boxes.count >= Self.capacity { boxes.removeFirst() }
    let box = Box(scenario)
    boxes.append((scenario, box))
    return box
  }
}
