/// An entry of the event queue: a time, the order it was scheduled in, and what happens.
@usableFromInline
struct Event: Sendable {
  /// Hours since the start of the run.
  @usableFromInline var time: Double
  /// Scheduling order; breaks ties in time (earlier scheduled first).
  @usableFromInline var sequence: UInt64
  /// `>= 0`: the agent of that id finishes its current job; `< 0`: drift update `-(payload + 1)`.
  @usableFromInline var payload: Int32

  @inlinable init(time: Double, sequence: UInt64, payload: Int32) {
    self.time = time
    self.sequence = sequence
    self.payload = payload
  }

  @inlinable func precedes(_ other: Event) -> Bool {
    time < other.time || (time == other.time && sequence < other.sequence)
  }
}

/// A binary min-heap of events ordered by (time, sequence): ties in time come out in the
/// order they were scheduled, so runs are exactly repeatable.
///
/// Storage is a contiguous array whose capacity is kept across runs (`removeAll`), so the
/// event loop allocates nothing once the heap has grown to its working size.
@usableFromInline
struct EventQueue: Sendable {
  @usableFromInline var storage: ContiguousArray<Event> = []
  @usableFromInline var nextSequence: UInt64 = 0

  @inlinable var isEmpty: Bool { storage.isEmpty }
  @inlinable var count: Int { storage.count }

  /// The earliest event, without removing it. - Complexity: O(1)
  @inlinable var first: Event? { storage.first }

  /// Empties the queue and restarts the sequence, keeping the capacity.
  @inlinable mutating func removeAll() {
    storage.removeAll(keepingCapacity: true)
    nextSequence = 0
  }

  /// Schedules `payload` at `time`. - Complexity: O(log n)
  @inlinable mutating func schedule(at time: Double, payload: Int32) {
    let event = Event(time: time, sequence: nextSequence, payload: payload)
    nextSequence &+= 1
    storage.append(event)
    var child = storage.count - 1
    while child > 0 {
      let parent = (child - 1) >> 1
      guard event.precedes(storage[parent]) else { break }
      storage[child] = storage[parent]
      child = parent
    }
    storage[child] = event
  }

  /// Removes and returns the earliest event. - Complexity: O(log n)
  @inlinable mutating func popFirst() -> Event {
    let top = storage[0]
    let last = storage.removeLast()
    let n = storage.count
    if n > 0 {
      var parent = 0
      while true {
        var child = 2 * parent + 1
        if child >= n { break }
        if child + 1 < n && storage[child + 1].precedes(storage[child]) { child += 1 }
        guard storage[child].precedes(last) else { break }
        storage[parent] = storage[child]
        parent = child
      }
      storage[parent] = last
    }
    return top
  }
}
