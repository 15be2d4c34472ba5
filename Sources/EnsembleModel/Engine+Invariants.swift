#if DEBUG
  // Checks run after every event in debug builds (the test suite), and compile to nothing in
  // release builds.
  extension Engine {
    /// Asserts what must hold between events: every queue's count and tail match its links;
    /// an agent is busy exactly when it has a job in progress and a scheduled end; an idle
    /// agent has nothing waiting that it could take; hours are never negative.
    ///
    /// Walking the queues costs as many steps as jobs wait, so under overload (more than 64
    /// waiting jobs) the walk runs every 64th event; everything else runs after every event.
    mutating func checkInvariants() {
      var waiting = 0
      for list in 0..<(2 * n + 1) { waiting += lists[list].count }
      if waiting <= 64 || eventCount % 64 == 0 { checkQueues() }
      checkAgents()
      let t = totals
      precondition(
        t.commHours >= 0 && t.structureHours >= 0 && t.reworkHours >= 0 && t.duplicateHours >= 0,
        "negative hours")
      precondition(t.openTasks >= 0 && t.inSystem >= 0 && t.delivered + t.abandoned <= taskCount)
    }

    /// Every queue's count and tail match its links, and no queue has a cycle.
    func checkQueues() {
      for list in 0..<(2 * n + 1) {
        var count = 0
        var last = JobID.none
        var job = lists[list].head
        while job.exists {
          count += 1
          last = job
          job = jobs[job].next
          precondition(count <= jobCount, "queue \(list) has a cycle")
        }
        precondition(
          count == lists[list].count, "queue \(list): count \(lists[list].count) != \(count)")
        precondition(last == lists[list].tail, "queue \(list) has a stale tail")
      }
    }

    /// Busy exactly with a job in progress and a scheduled end; idle only with nothing to take.
    mutating func checkAgents() {
      var idle = 0
      for a in 0..<n where !agents[a].busy { idle += 1 }
      precondition(idle == idleCount, "\(idle) agents idle, counted \(idleCount)")
      for a in 0..<n {
        let agent = agents[a]
        let id = AgentID(a)
        precondition(agent.busy == agent.currentJob.exists, "agent \(a): busy without a job")
        precondition(agent.busy == (endTime[a] < .infinity), "agent \(a): busy without an end")
        precondition(agent.busyHours >= 0 && agent.jobHours >= 0 && agent.jobComm >= 0)
        precondition(agent.busy == (idleSince[a] == .infinity), "agent \(a): idle time when busy")
        guard !agent.busy else { continue }
        precondition(queueLength(id) == 0, "agent \(a) is idle with jobs waiting")
        // Without votes an idle agent other than the conductor may take any pool job, so the
        // pool must be empty; with votes, it may take none of those waiting.
        if votes == 1 {
          precondition(id == conductor || lists[poolList].count == 0, "agent \(a) idle by the pool")
        } else {
          var job = lists[poolList].head
          while job.exists {
            precondition(!mayTake(id, job), "agent \(a) is idle beside a pool job it may take")
            job = jobs[job].next
          }
        }
      }
    }
  }
#endif
