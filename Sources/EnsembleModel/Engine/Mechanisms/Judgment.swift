// Judgment and reliance (docs/MODEL.md section 7, "Judgment"; the specification's section
// 10): the design switches `judgment`, `reliance` and `trust`, and the work kind `decide`.
//
// - **Where it acts:** the verdict step (``Engine/verdict(_:by:on:stage:domain:)``). Under
//   `judge`, every review and sign-off given by a human follows ``JudgeVerdicts`` instead of
//   the fixed chances; reviews by AI agents and all audits keep them.
// - **On a decision task** (``Engine/override(_:_:by:)``): a judge's push-back replaces the
//   output with the judge's own answer, which is delivered at once.
// - **Its metrics** (`pushback_rate`, `verdict_accuracy`, `reliance_accuracy`) count every
//   human verdict in the verdict step, in either judgment mode.

/// A human's own judgment: the judge forms a view of the output and, where the view
/// disagrees, relies on the output or pushes back by its reliance policy.
///
/// - The judge's view `q` is its own success probability on the judged stage (its skill in
///   the request's domain, the task's features, no hand-off loss). One uniform `u` (where the
///   fixed chances draw theirs): the view is right when `u < q`. A right view disagrees with
///   a wrong output and agrees with a correct one; a wrong view the reverse.
/// - Agreement passes the output.
/// - A disagreement under `fixed` reliance draws a second uniform `v` right after `u` and
///   defers (passes) when `v < trust`; under `calibrated` it pushes back when `q > p_hat`,
///   the team's estimate of the output's author as the ledger computes it (ties defer).
public struct JudgeVerdicts: VerdictPolicy {
  public init() {}

  @inline(__always)
  public mutating func verdict<Run: RunState & ~Copyable>(
    on request: VerdictRequest, in run: inout Run
  ) -> Verdict {
    let q = run.success(
      of: request.judge, on: request.task, stage: request.stage, domain: request.domain,
      estimated: false, handoff: false)
    let viewIsRight = run.uniform() < q
    guard viewIsRight == request.outputWrong else {
      return Verdict(rejects: false, disagreed: false)
    }
    switch run.design.reliance {
    case .fixed:
      return Verdict(rejects: !(run.uniform() < run.design.trust), disagreed: true)
    case .calibrated:
      return Verdict(
        rejects: q > run.outputEstimate(of: request.task, stage: request.stage), disagreed: true)
    }
  }
}

/// The built-in verdict rule of a design: ``JudgeVerdicts`` for a human's review or
/// sign-off under `judgment` = `judge`, ``DetectVerdicts`` for everything else.
public struct StandardVerdicts: VerdictPolicy {
  var detect = DetectVerdicts()
  var judge = JudgeVerdicts()

  public init() {}

  @inline(__always)
  public mutating func verdict<Run: RunState & ~Copyable>(
    on request: VerdictRequest, in run: inout Run
  ) -> Verdict {
    if run.design.judgment == .judge && request.kind != .audit && run.isHuman(request.judge) {
      return judge.verdict(on: request, in: &run)
    }
    return detect.verdict(on: request, in: &run)
  }
}

extension Engine {
  /// Whether a push-back of `verdict` replaces the output instead of sending the work back:
  /// a verdict from a view of its own, on a decision task.
  @inline(__always)
  func overrides(_ verdict: Verdict) -> Bool {
    verdict.rejects && verdict.disagreed != nil && scenario.workload.kind == .decide
  }

  /// A judge's push-back on a decision task: the ledger learns y = 0 for the replaced
  /// execution's agent, as for a rejection; then the judge's answer replaces the output
  /// (wrong exactly when the replaced output was correct; a wrong one is a silent error,
  /// at fault) and the task is delivered at once, without sign-off. No failure, blame or
  /// rework; the judge's estimate never learns of it.
  mutating func override(_ t: TaskID, _ j: Int, by judge: AgentID) {
    let j = stage(j)
    learn(t, j, correct: false)
    let k = stageIndex(t, j)
    let wrong = !work.stages[k].attempt.outputWrong
    work.stages[k].attempt.outputAgent = judge
    work.stages[k].attempt.outputHandoff = false
    work.stages[k].attempt.outputCorrect = !wrong
    work.stages[k].attempt.outputWrong = wrong
    work.stages[k].attempt.overridden = true
    work.stages[k].accepted = true
    deliver(t)
  }
}
