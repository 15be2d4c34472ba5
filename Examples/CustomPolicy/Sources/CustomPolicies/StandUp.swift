import EnsembleModel

/// A mechanism of one's own: a stand-up meeting every `interval` hours. Every agent, once
/// its current job ends, spends `hours` in the meeting (a duty at the front of its queue),
/// and when it leaves, the team's estimate of its skill in every domain moves toward its
/// true skill by `learningRate`: `estimate += learningRate * (skill - estimate)`.
///
/// The meeting costs every agent's time and sharpens what the conductor knows, so it pays
/// where routing by estimate matters and the estimate is poor or stale (drift).
public struct StandUp: Mechanism {
  public var interval: Double
  public var hours: Double
  public var learningRate: Double
  /// Stand-ups held and attendances so far, over all runs of this value.
  public private(set) var meetings = 0
  public private(set) var attendances = 0

  static let meetingTimer: Int32 = 1
  static let attendance: Int32 = 2

  public init(interval: Double = 8, hours: Double = 0.25, learningRate: Double = 0.3) {
    precondition(interval > 0 && hours >= 0 && (0...1).contains(learningRate))
    self.interval = interval
    self.hours = hours
    self.learningRate = learningRate
  }

  public static var acts: Bool { true }

  public mutating func start<Run: RunState & ~Copyable>(_ run: inout Run) {
    run.setTimer(at: interval, tag: Self.meetingTimer)
  }

  public mutating func timer<Run: RunState & ~Copyable>(_ tag: Int32, _ run: inout Run) {
    meetings += 1
    for a in 0..<run.team.count {
      run.assignDuty(to: AgentID(index: a), hours: hours, tag: Self.attendance, first: true)
    }
    run.setTimer(at: run.now + interval, tag: Self.meetingTimer)
  }

  public mutating func dutyEnded<Run: RunState & ~Copyable>(
    _ tag: Int32, by agent: AgentID, _ run: inout Run
  ) {
    attendances += 1
    for d in 0..<run.team.domains {
      let estimate = run.estimate(of: agent, in: d)
      let skill = run.skill(of: agent, in: d)
      run.setEstimate(of: agent, in: d, to: estimate + learningRate * (skill - estimate))
    }
  }
}
