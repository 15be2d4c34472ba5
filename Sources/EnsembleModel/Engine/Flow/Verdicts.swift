// The verdict step that review, sign-off and audit share (docs/MODEL.md section 7, "Review",
// "Sign-off" and "Delivery and audit"):
// who may still judge, which rule judges, and what a trace calls the result. What a verdict
// then does is each job's own (``ReviewJob``, ``SignoffJob``, ``AuditJob``).
extension Engine {
  /// A verdict by `judge` on stage `j`'s output of task `t`, the judge's skill read in
  /// `domain`: nil (and nothing drawn) for a review or sign-off of a task that has closed;
  /// nil too after a judge's override on a decision task, which delivers the task itself;
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
    let humanVerdict = kind != .audit && agents.profile[judge].isHuman
    if humanVerdict { countHumanVerdict(verdict, outputWrong: wrong) }
    let overriding = kind != .audit && overrides(verdict)
    report(outcome: Self.outcome(of: verdict, outputWrong: wrong, overriding: overriding))
    if overriding {
      override(t, j, by: judge)
      return nil
    }
    return verdict
  }

  /// A human's verdict (a review or sign-off with an effect): for `pushback_rate`,
  /// `verdict_accuracy` and, when the judge had a view of its own and disagreed,
  /// `reliance_accuracy`. A verdict is right when it rejects exactly a wrong output.
  @inline(__always)
  mutating func countHumanVerdict(_ verdict: Verdict, outputWrong wrong: Bool) {
    totals.humanVerdicts &+= 1
    if verdict.rejects { totals.pushbacks &+= 1 }
    let right = verdict.rejects == wrong
    if right { totals.rightVerdicts &+= 1 }
    if verdict.disagreed == true {
      totals.disagreements &+= 1
      if right { totals.rightReliance &+= 1 }
    }
  }

  /// What a trace calls a verdict: found error, false alarm or passed under the fixed
  /// chances; agree, defer, push back or override for a judge with a view of its own.
  @inline(__always)
  static func outcome(of verdict: Verdict, outputWrong wrong: Bool, overriding: Bool)
    -> TraceEvent.Outcome
  {
    guard let disagreed = verdict.disagreed else {
      return verdict.rejects ? (wrong ? .foundError : .falseAlarm) : .passed
    }
    if !disagreed { return .agree }
    if !verdict.rejects { return .deferred }
    return overriding ? .override : .pushBack
  }
}
