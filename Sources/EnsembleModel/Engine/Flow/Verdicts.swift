// The verdict step that review, sign-off and audit share (docs/MODEL.md section 7, "Review",
// "Sign-off" and "Delivery and audit"):
// who may still judge, which rule judges, and what a trace calls the result. What a verdict
// then does is each job's own (``ReviewJob``, ``SignoffJob``, ``AuditJob``).
extension Engine {
  /// A verdict by `judge` on stage `j`'s output of task `t`, the judge's skill read in
  /// `domain`: nil (and nothing drawn) for a review or sign-off of a task that has closed;
  /// otherwise the verdict policy's (built in: ``StandardVerdicts``).
  @inline(__always)
  mutating func verdict(
    _ kind: JobKind, by judge: AgentID, on t: TaskID, stage j: Int, domain: Int
  ) -> Verdict? {
    if kind != .audit && !work.state[t].open {
      report(outcome: .void)
      return nil
    }
    let wrong = work.stages[stageIndex(t, j)].attempt.outputWrong
    let request = VerdictRequest(
      kind: kind, judge: judge, task: t, stage: j, domain: domain, outputWrong: wrong)
    var policy = verdicts
    let verdict = policy.verdict(on: request, in: &self)
    verdicts = policy
    report(outcome: verdict.rejects ? (wrong ? .foundError : .falseAlarm) : .passed)
    return verdict
  }
}

/// The built-in verdict rule of a design: ``DetectVerdicts``.
public struct StandardVerdicts: VerdictPolicy {
  var detect = DetectVerdicts()

  public init() {}

  @inline(__always)
  public mutating func verdict<Run: RunState & ~Copyable>(
    on request: VerdictRequest, in run: inout Run
  ) -> Verdict {
    detect.verdict(on: request, in: &run)
  }
}
