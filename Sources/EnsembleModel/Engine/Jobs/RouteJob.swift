/// A conductor's `route` job (docs/MODEL.md section 7, "Routing").
///
/// - **Created** under conductor routing for every placement of a stage (first, rerun or
///   redo) that escalation, the catalyst pair and continuity leave to routing
///   (``Engine/place(_:_:)``), addressed to the acting conductor.
/// - **Costs** `routeTime` hours; structure hours.
/// - **Ends**: the routing policy (``RoutingPolicy``; built in, ``EstimateRouting``) picks an
///   agent for each of the attempt's votes; a vote without a pick goes to the pool. A route
///   job of a closed task places nothing.
enum RouteJob: JobRules {
  static let name = "route"

  /// Posts the route job of the new attempt at stage `j` of task `t`.
  @inline(__always)
  static func post<S>(_ t: TaskID, _ j: Int, in e: inout Engine<S>) {
    e.address(e.newJob(.route, task: t, stage: j), to: e.config.conductor)
  }

  @inline(__always)
  static func hours<S>(of job: Job, _ id: JobID, on agent: AgentID, in e: inout Engine<S>)
    -> JobHours
  {
    JobHours(total: e.config.design.routeTime, comm: 0)
  }

  static func ended<S>(_ job: Job, by agent: AgentID, _ hours: JobHours, in e: inout Engine<S>) {
    e.countDuty(hours, of: agent)
    let t = job.task
    let j = e.stage(Int(job.stage))
    guard e.work.state[t].open else {
      e.report(outcome: .void)
      return
    }
    e.chosen.removeAll()
    var policy = e.routing
    for vote in 0..<e.config.votes {
      let pick = policy.choose(for: t, stage: j, vote: vote, in: &e)
      let execution = e.newJob(.execute, task: t, stage: j, slot: vote)
      if let pick {
        // The built-in rule picks among the allowed agents; a policy of one's own is checked.
        if S.Routing.self != EstimateRouting.self {
          precondition(
            pick.index >= 0 && pick.index < e.n && pick != e.config.conductor,
            "a routing policy chose \(pick), which is not an agent that may execute")
        }
        if e.config.votes > 1 { e.chosen.append(pick) }
        e.address(execution, to: pick)
      } else {
        e.placeInPool(execution)
      }
    }
    e.routing = policy
  }
}
