/// Duplicated work (docs/MODEL.md section 7, "Duplication"): the design parameter
/// `duplicationRate`.
///
/// - **Where it acts:** when an agent takes an execute job from the pool
///   (``Engine/placeInPool(_:)``, ``Engine/takeNext(_:)``): with probability
///   `duplicationRate` the next idle agent by the longest-idle rule, if there is one, also
///   executes it. The coin is drawn only when such an agent exists, and not at all at rate 0.
/// - **At the end of an execution** (``ExecuteJob``): the first of the two copies to finish
///   counts; the other, discarded, runs to its end and its hours are duplicate hours. A
///   duplicate is not an attempt and draws no outcome.
extension Engine {
  /// After pool job `job` is taken: the coin, and a copy for `partner` on heads.
  @inline(__always)
  mutating func duplicate(_ job: JobID, partner: AgentID) {
    guard config.design.duplicationRate > 0, partner.exists,
      streams.process.bernoulli(config.design.duplicationRate)
    else { return }
    let original = jobs.records[job]
    let copy = newJob(
      .execute, task: original.task, stage: Int(original.stage), pair: original.pair)
    jobs.records[copy].attempt = original.attempt
    jobs.records[copy].slot = original.slot
    totals.counters.duplicates &+= 1
    start(partner, copy)
  }

  /// Whether an execute job is a discarded copy: its attempt over, or its vote slot already
  /// finished by the other copy of a duplicated pair. (Every execution still running once
  /// its attempt is decided is such a copy; only abandonment, which closes a task while
  /// other stages run, leaves first copies running on a closed task.)
  @inline(__always)
  mutating func isDiscarded(_ job: Job) -> Bool {
    let k = stageIndex(job.task, Int(job.stage))
    let slotBit: UInt64 = 1 << UInt64(job.slot & 63)
    return job.attempt != work.stages[k].attempt.number
      || work.stages[k].attempt.slotsDone & slotBit != 0
  }
}
