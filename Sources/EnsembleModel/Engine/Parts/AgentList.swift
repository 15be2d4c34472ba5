/// A short list of agents in uniquely owned storage, for the loops of the event loop (a
/// Swift array would be retained and bounds-checked at every use). Holds at most the team.
struct AgentList: ~Copyable {
  private let storage: Slab<AgentID>
  private(set) var count = 0

  init(capacity: Int) { storage = Slab(capacity: capacity) }

  var isEmpty: Bool { count == 0 }

  @inline(__always) subscript(_ i: Int) -> AgentID { storage[i] }

  mutating func removeAll() { count = 0 }

  mutating func append(_ agent: AgentID) {
    storage[count] = agent
    count += 1
  }

  @inline(__always) func contains(_ agent: AgentID) -> Bool {
    for i in 0..<count where storage[i] == agent { return true }
    return false
  }
}
