// Apparent successes and acceptance (docs/MODEL.md section 3, "Acceptance"; section 7,
// "Review" and "Propagation"): what happens to a stage's output that looks right.
extension Engine {
  /// An apparent success: reviewed if a review applies (``ReviewJob``), otherwise accepted.
  /// (Out of line: inlined into the end of an execution, it costs that hot function more
  /// registers than it saves.)
  @inline(never)
  mutating func apparentSuccess(_ t: TaskID, _ j: Int) {
    if !ReviewJob.requested(t, j, in: &self) { accept(t, j) }
  }

  /// The output of stage `j` is accepted: an apparent success that no review applies to, or
  /// one a review passed. Stage 0 may make its agent the owner (``claimOwnership(_:)``).
  /// Then the next stages become ready, or the last stage's acceptance goes to sign-off or
  /// delivery.
  @inline(__always)
  mutating func accept(_ t: TaskID, _ j: Int) {
    let j = stage(j)
    let k = stageIndex(t, j)
    work.stages[k].accepted = true
    if j == 0 { claimOwnership(t) }
    if j == stageCount - 1 {
      lastStageAccepted(t)
    } else if config.shape == .chain {
      place(t, j + 1)
    } else if partsInSequence {
      place(t, nextInSequence(t))
    } else if allPartsAccepted(t) {
      place(t, stageCount - 1)
    }
  }

  mutating func allPartsAccepted(_ t: TaskID) -> Bool {
    for part in 0..<(stageCount - 1) where !work.stages[stageIndex(t, part)].accepted {
      return false
    }
    return true
  }

  /// Whether the accepted output of any input of stage `j` is wrong.
  mutating func inputWrong(_ t: TaskID, _ j: Int) -> Bool {
    let j = stage(j)
    guard j > 0 else { return false }
    if config.shape == .chain { return work.stages[stageIndex(t, j - 1)].attempt.outputWrong }
    guard j == stageCount - 1 else { return false }
    for part in 0..<(stageCount - 1) where work.stages[stageIndex(t, part)].attempt.outputWrong {
      return true
    }
    return false
  }
}
