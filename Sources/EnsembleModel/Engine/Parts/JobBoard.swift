/// A job: addressed to an agent's personal queue or waiting in the pool.
struct Job: BitwiseCopyable {
  var kind: JobKind
  /// An execute job that pairs the catalyst with the best AI agent (arrival step 2).
  var pair: Bool
  /// The stage the job works on (0 to stages − 1).
  var stage: UInt8
  var task: TaskID
  /// The attempt the job belongs to: stale once the task has moved on to another. For a
  /// custom duty, which has no task (none), its mechanism's tag.
  var attempt: Int32
  /// The vote slot within the attempt (execute jobs; 0 without redundancy).
  var slot: Int32
  /// Intrusive link to the next job of the same queue (or of the free list); none at the
  /// tail.
  var next: JobID
}

/// A FIFO of jobs linked through `Job.next`.
struct JobList: BitwiseCopyable {
  var head = JobID.none
  var tail = JobID.none
  var count = 0
}

/// Job records and the queues they wait in: every agent's personal queue (duties, then
/// executes) and the shared pool, each a FIFO linked through the records, and a free list of
/// records to reuse. A record is free, waiting in one queue, or in progress with one agent.
struct JobBoard: ~Copyable {
  var records = Slab<Job>(capacity: 64)
  /// Records in use or free: the table's high-water mark.
  var count = 0
  var free = JobID.none
  /// Every FIFO: `2a` holds agent a's duties, `2a + 1` its executes, `2n` the pool.
  var lists: Slab<JobList>
  let pool: Int
  /// Hours of custom duties, by record (only those records are read).
  var dutyHours = Slab<Double>()

  init(agents n: Int) {
    lists = Slab(capacity: 2 * n + 1)
    pool = 2 * n
  }

  /// Every queue empty and every record free to reuse.
  mutating func reset() {
    for i in 0...pool { lists[i] = JobList() }
    count = 0
    free = .none
  }

  /// Stores `job` in a free record, or a new one. - Complexity: O(1) amortised
  @inline(__always)
  mutating func new(_ job: Job) -> JobID {
    if free.exists {
      let id = free
      free = records[id].next
      records[id] = job
      return id
    }
    records.reserve(count + 1, keeping: count)
    records[count] = job
    count += 1
    return JobID(count - 1)
  }

  @inline(__always)
  mutating func release(_ job: JobID) {
    records[job].next = free
    free = job
  }

  /// The list of `agent`'s duties; its executes are the next list.
  @inline(__always) func dutyList(_ agent: AgentID) -> Int { 2 &* agent.index }

  /// Jobs waiting in the agent's personal queue (not the one in progress).
  @inline(__always) mutating func queueLength(_ agent: AgentID) -> Int {
    lists[dutyList(agent)].count &+ lists[dutyList(agent) &+ 1].count
  }

  @inline(__always)
  mutating func append(_ job: JobID, to list: Int) {
    records[job].next = .none
    let tail = lists[list].tail
    if tail.exists { records[tail].next = job } else { lists[list].head = job }
    lists[list].tail = job
    lists[list].count += 1
  }

  mutating func prepend(_ job: JobID, to list: Int) {
    records[job].next = lists[list].head
    if !lists[list].tail.exists { lists[list].tail = job }
    lists[list].head = job
    lists[list].count += 1
  }

  @inline(__always)
  mutating func popHead(_ list: Int) -> JobID {
    let job = lists[list].head
    lists[list].head = records[job].next
    if !lists[list].head.exists { lists[list].tail = .none }
    lists[list].count -= 1
    return job
  }

  /// Unlinks `job`, which follows `previous` (none: it is the head) in `list`.
  @inline(__always)
  mutating func unlink(_ job: JobID, after previous: JobID, from list: Int) {
    let next = records[job].next
    if previous.exists { records[previous].next = next } else { lists[list].head = next }
    if lists[list].tail == job { lists[list].tail = previous }
    lists[list].count -= 1
  }

  /// Removes and frees every waiting job of `task`; returns how many. - Complexity: O(waiting)
  mutating func removeAll(of task: TaskID) -> Int {
    var removed = 0
    for list in 0...pool where lists[list].count > 0 {
      var previous = JobID.none
      var job = lists[list].head
      while job.exists {
        let next = records[job].next
        if records[job].task == task {
          unlink(job, after: previous, from: list)
          release(job)
          removed += 1
        } else {
          previous = job
        }
        job = next
      }
    }
    return removed
  }

  /// Jobs waiting in all queues.
  mutating func waiting() -> Int {
    var total = 0
    for list in 0...pool { total += lists[list].count }
    return total
  }

  /// Checks that every queue's count and tail match its links and no queue or the free list
  /// has a cycle, and that every record is free, waiting, or one of the `inProgress` jobs
  /// in progress. - Complexity: O(records)
  mutating func _checkInvariants(inProgress: Int) {
    var waitingJobs = 0
    for list in 0...pool {
      var steps = 0
      var last = JobID.none
      var job = lists[list].head
      while job.exists {
        steps += 1
        last = job
        job = records[job].next
        precondition(steps <= count, "queue \(list) has a cycle")
      }
      precondition(
        steps == lists[list].count, "queue \(list): count \(lists[list].count) != \(steps)")
      precondition(last == lists[list].tail, "queue \(list) has a stale tail")
      waitingJobs += steps
    }
    var freeRecords = 0
    var job = free
    while job.exists {
      freeRecords += 1
      precondition(freeRecords <= count, "the free list has a cycle")
      job = records[job].next
    }
    precondition(
      freeRecords + waitingJobs + inProgress == count,
      "\(count) job records: \(freeRecords) free, \(waitingJobs) waiting, \(inProgress) in progress"
    )
  }
}
