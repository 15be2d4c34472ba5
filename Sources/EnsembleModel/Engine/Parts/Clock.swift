/// Time and events: the clock, the cursor into the pre-drawn arrivals, the heap of queued
/// events (drift updates, a mechanism's timers) and the table of job ends.
///
/// Each agent has at most one job in progress, so job ends are a table with one entry per
/// agent whose earliest entry is cached; a scan of the table after each completion is
/// cheaper than keeping completions in a heap. Ties in time go to the event scheduled
/// first: arrivals (all scheduled before the run), then queued events, then job ends in
/// scheduling order.
struct Clock: ~Copyable {
  var now = 0.0
  /// The next task to arrive, in arrival order.
  var nextArrival = 0
  /// Entries taken off the event sources so far.
  var eventCount = 0
  var queue = EventQueue()
  /// When each agent's job in progress ends (infinity when none), and its scheduling order.
  var endTime: Slab<Double>
  var endSequence: Slab<UInt64>
  var nextSequence: UInt64 = 0
  /// The agent whose job ends first (none: no job in progress), valid while `firstEndKnown`.
  var firstEnd = AgentID.none
  var firstEndKnown = false

  init(agents: Int) {
    endTime = Slab(capacity: agents)
    endSequence = Slab(capacity: agents)
  }

  /// The state before a run: time 0, no event taken, no job in progress, an empty heap.
  mutating func reset(agents n: Int) {
    now = 0
    nextArrival = 0
    eventCount = 0
    queue.reset(capacity: 16)
    for a in 0..<n { endTime[a] = .infinity }
    nextSequence = 0
    firstEnd = .none
    firstEndKnown = true
  }

  /// Schedules the end of `agent`'s job at `time`. - Complexity: O(1)
  @inline(__always)
  mutating func scheduleEnd(of agent: AgentID, at time: Double) {
    endTime[agent] = time
    endSequence[agent] = nextSequence
    nextSequence &+= 1
    // A later-scheduled end wins only if strictly earlier.
    if firstEndKnown && (!firstEnd.exists || time < endTime[firstEnd]) { firstEnd = agent }
  }

  /// Takes `agent`'s job end off the table: the cached first end must be found again.
  @inline(__always)
  mutating func clearEnd(of agent: AgentID) {
    endTime[agent] = .infinity
    firstEndKnown = false
  }

  /// Finds the earliest job end, ties by scheduling order. - Complexity: O(agents)
  mutating func findFirstEnd(agents n: Int) {
    firstEnd = earliestEnd(agents: n)
    firstEndKnown = true
  }

  /// The agent whose job ends first, ties by scheduling order; none without a job.
  mutating func earliestEnd(agents n: Int) -> AgentID {
    var best = AgentID.none
    var bestTime = Double.infinity
    var bestSequence = UInt64.max
    for a in 0..<n {
      let time = endTime[a]
      // Most ends are later than the best so far: one comparison rejects them.
      guard time <= bestTime else { continue }
      if time < bestTime || (time < .infinity && endSequence[a] < bestSequence) {
        best = AgentID(a)
        bestTime = time
        bestSequence = endSequence[a]
      }
    }
    return best
  }

  /// Checks that no job ends before now, every scheduling order was handed out, the cached
  /// first end (when known) is the earliest, and the cursor stays within the task list.
  mutating func _checkInvariants(agents n: Int, tasks: Int) {
    precondition(
      nextArrival >= 0 && nextArrival <= tasks, "arrival cursor \(nextArrival) of \(tasks)")
    for a in 0..<n where endTime[a] < .infinity {
      precondition(endTime[a] >= now, "agent \(a)'s job ends at \(endTime[a]), before now (\(now))")
      precondition(endSequence[a] < nextSequence, "agent \(a)'s end has an unissued order")
    }
    precondition(queue.count == 0 || queue.firstTime >= now, "a queued event lies in the past")
    if firstEndKnown {
      let earliest = earliestEnd(agents: n)
      precondition(
        earliest == firstEnd, "cached first end \(firstEnd.raw), earliest is \(earliest.raw)")
    }
  }
}
