/// What an event is. The event loop takes the earliest event of any source and hands it to
/// one dispatch on its kind, so a new kind of event needs a case here and a rule there, and
/// no special case in the loop.
@usableFromInline
enum EventKind: UInt8, BitwiseCopyable {
  /// A task arrives (payload: the task). Arrivals come from the pre-drawn task list.
  case arrival
  /// An AI agent's model update (payload: the update's index). Kept in the heap.
  case drift
  /// A timer of the run's ``Mechanism`` (payload: its tag). Kept in the heap.
  case timer
  /// An agent finishes its job in progress (payload: the agent). Kept in the per-agent
  /// table of job ends.
  case completion
}

/// An entry of the event queue: a time, the order it was scheduled in, and what happens.
@usableFromInline
struct Event: BitwiseCopyable {
  /// Hours since the start of the run.
  @usableFromInline var time: Double
  /// Scheduling order; breaks ties in time (earlier scheduled first).
  @usableFromInline var sequence: UInt64
  @usableFromInline var kind: EventKind
  /// What it concerns: a task, an update or an agent, by index, as `kind` says.
  @usableFromInline var payload: Int32

  @inlinable @inline(__always) func precedes(_ other: Event) -> Bool {
    time < other.time || (time == other.time && sequence < other.sequence)
  }
}

/// A binary min-heap of events ordered by (time, sequence): ties in time come out in the
/// order they were scheduled, so runs are exactly repeatable.
///
/// Storage is a ``Slab`` whose capacity is kept across runs, so the event loop allocates
/// nothing once the heap has grown to its working size.
@usableFromInline
struct EventQueue: ~Copyable {
  var storage = Slab<Event>()
  var count = 0
  var nextSequence: UInt64 = 0

  var isEmpty: Bool { count == 0 }

  /// The time of the earliest event, or infinity when empty. - Complexity: O(1)
  var firstTime: Double { count > 0 ? storage[0].time : .infinity }

  /// Empties the queue, restarts the sequence and makes room for `capacity` events.
  mutating func reset(capacity: Int) {
    storage.reserve(capacity)
    count = 0
    nextSequence = 0
  }

  /// The earliest event, which must exist. - Complexity: O(1)
  var first: Event { storage[0] }

  /// Schedules an event of `kind` about `payload` at `time`. - Complexity: O(log n)
  mutating func schedule(at time: Double, kind: EventKind, payload: Int32) {
    let event = Event(time: time, sequence: nextSequence, kind: kind, payload: payload)
    nextSequence &+= 1
    if count == storage.capacity { storage.reserve(count + 1, keeping: count) }
    var child = count
    count += 1
    while child > 0 {
      let parent = (child &- 1) >> 1
      let above = storage[parent]
      guard event.precedes(above) else { break }
      storage[child] = above
      child = parent
    }
    storage[child] = event
  }

  /// Removes and returns the earliest event; the queue must not be empty.
  /// - Complexity: O(log n)
  mutating func popFirst() -> Event {
    assert(count > 0)
    let top = storage[0]
    count -= 1
    let last = storage[count]
    let n = count
    if n > 0 {
      var parent = 0
      while true {
        var child = 2 &* parent &+ 1
        if child >= n { break }
        if child &+ 1 < n && storage[child &+ 1].precedes(storage[child]) { child &+= 1 }
        let below = storage[child]
        guard below.precedes(last) else { break }
        storage[parent] = below
        parent = child
      }
      storage[parent] = last
    }
    return top
  }
}
