/// One owner per task (docs/MODEL.md section 7, "Continuity"): the design switch
/// `continuity`.
///
/// - **Where it acts:**
///   - when stage 0 is first accepted (``Engine/accept(_:_:)``): the agent of that accepted
///     execution (the catalyst, for a pair) becomes the task's owner, for good;
///   - at every later placement of any of the task's stages (``Engine/place(_:_:)``, after
///     escalation and the catalyst): one execution addressed to the owner, whatever its
///     queue, with no route job and no votes;
///   - in a fan-out (``Engine/placeFirstStages(_:)``, ``Engine/accept(_:_:)``,
///     ``Engine/reject(_:_:)``): the parts go one at a time in part order, then the merge,
///     since one owner works alone and in sequence.
extension Engine {
  /// Whether a fan-out's parts go one at a time.
  @inline(__always) var partsInSequence: Bool { config.design.continuity }

  /// Places stage `j`'s attempt `number` with the owner, if the task has one; returns
  /// whether it did.
  @inline(__always)
  mutating func placesWithOwner(_ t: TaskID, _ j: Int, number: Int32) -> Bool {
    let owner = work.state[t].owner
    guard owner.exists else { return false }
    let j = stage(j)
    beginAttempt(t, j, number: number, votes: 1)
    address(ExecuteJob.new(t, j, in: &self), to: owner)
    return true
  }

  /// Stage 0 of `t` is accepted: its agent becomes the owner if continuity acts and the task
  /// has none yet.
  @inline(__always)
  mutating func claimOwnership(_ t: TaskID) {
    if config.design.continuity && !work.state[t].owner.exists {
      work.state[t].owner = work.stages[stageIndex(t, 0)].attempt.outputAgent
    }
  }

  /// In a fan-out worked in sequence, the next stage to place: the first part not accepted,
  /// else the merge.
  mutating func nextInSequence(_ t: TaskID) -> Int {
    for part in 0..<(stageCount - 1) where !work.stages[stageIndex(t, part)].accepted {
      return part
    }
    return stageCount - 1
  }
}
