/// The accountability ledger (docs/MODEL.md section 7, "Ledger"; section 2 for the
/// estimate): the design switch `ledger`.
///
/// - **Where it acts:** after every verdict (review, sign-off, audit; ``ReviewJob``,
///   ``SignoffJob``, ``AuditJob``, ``Engine/reject(_:_:)``): the team's estimate of the agent
///   of a judged stage's counted execution, in the stage's domain, moves by
///   `learningRate * (y - p_hat)`, clamped to [0, 1]; `y` is 1 when the verdict found no
///   error and 0 when it found one, and `p_hat` includes the hand-off loss when that
///   execution was a hand-off. Updates apply in stage order, each from the estimate as it
///   stands then.
/// - Without it the estimate never changes, so drift goes unnoticed.
extension Engine {
  mutating func learn(_ t: TaskID, _ j: Int, correct: Bool) {
    let j = stage(j)
    guard config.design.ledger else { return }
    let k = stageIndex(t, j)
    // A judge's override is no execution: nothing learns of the judge on its account.
    guard !work.stages[k].attempt.overridden else { return }
    let agent = work.stages[k].attempt.outputAgent
    let pHat = outputSuccessEstimate(t, j)
    let y: Double = correct ? 1 : 0
    estimates.move(agents.cell(agent, domain(t, j)), by: config.design.learningRate * (y - pHat))
  }

  /// `p_hat` of stage `j`'s counted execution: its agent's estimated success in the stage's
  /// domain, with the hand-off loss when it was a hand-off (a pair's, the catalyst's with the
  /// ordinary formula).
  @inline(__always)
  mutating func outputSuccessEstimate(_ t: TaskID, _ j: Int) -> Double {
    let k = stageIndex(t, j)
    let agent = work.stages[k].attempt.outputAgent
    return success(
      competence(agent, t, j, estimated: true, handoff: work.stages[k].attempt.outputHandoff), t)
  }
}
