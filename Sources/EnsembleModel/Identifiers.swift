/// An index into one of the engine's dense tables, or none (`-1`).
///
/// Agents, tasks and jobs live in contiguous storage indexed by number; a typed identifier
/// says which table a number indexes, so an agent is never used as a task. Inside the engine
/// "none" is the named value ``none``; the public API says it with an optional instead.
protocol DenseID: BitwiseCopyable, Equatable {
  var raw: Int32 { get }
  init(raw: Int32)
}

extension DenseID {
  /// The identifier of table entry `index`, unchecked (the engine's own indices).
  @inline(__always) init(_ index: Int) { self.init(raw: Int32(truncatingIfNeeded: index)) }

  /// No entry.
  @inline(__always) static var none: Self { Self(raw: -1) }

  /// The position in its table; only meaningful when ``exists``.
  @inline(__always) var index: Int { Int(raw) }

  @inline(__always) var exists: Bool { raw >= 0 }

  /// The identifier, or nil for ``none``: how the public API hands it out.
  @inline(__always) var optional: Self? { exists ? self : nil }
}

/// An agent: its index in the expanded team (groups in order, members in order), as in
/// ``Team`` and `agents-CONDITION.csv`.
public struct AgentID: DenseID, Hashable, Comparable, Sendable, CustomStringConvertible {
  var raw: Int32

  init(raw: Int32) { self.raw = raw }

  /// Agent number `index` of the team, from 0.
  public init(index: Int) {
    precondition(index >= 0 && index <= Int(Int32.max), "an agent index is 0 or more, got \(index)")
    raw = Int32(index)
  }

  /// The agent's position in the team, from 0.
  @inline(__always) public var index: Int { Int(raw) }

  public static func < (a: AgentID, b: AgentID) -> Bool { a.raw < b.raw }

  public var description: String { "agent \(raw)" }
}

/// A task: its index in the replication's task list (arrival order).
public struct TaskID: DenseID, Hashable, Comparable, Sendable, CustomStringConvertible {
  var raw: Int32

  init(raw: Int32) { self.raw = raw }

  /// Task number `index` in arrival order, from 0.
  public init(index: Int) {
    precondition(index >= 0 && index <= Int(Int32.max), "a task index is 0 or more, got \(index)")
    raw = Int32(index)
  }

  /// The task's position in arrival order, from 0.
  @inline(__always) public var index: Int { Int(raw) }

  public static func < (a: TaskID, b: TaskID) -> Bool { a.raw < b.raw }

  public var description: String { "task \(raw)" }
}

/// A job record in the engine's job table.
struct JobID: DenseID {
  var raw: Int32
}

// One subscript per identifier type, not a generic one: debug builds (the tests) do not
// specialise generics, and the engine indexes its tables on every step.
extension Slab {
  subscript(_ id: AgentID) -> Element {
    @inline(__always) get { self[Int(id.raw)] }
    @inline(__always) nonmutating _modify { yield &self[Int(id.raw)] }
  }

  subscript(_ id: TaskID) -> Element {
    @inline(__always) get { self[Int(id.raw)] }
    @inline(__always) nonmutating _modify { yield &self[Int(id.raw)] }
  }

  subscript(_ id: JobID) -> Element {
    @inline(__always) get { self[Int(id.raw)] }
    @inline(__always) nonmutating _modify { yield &self[Int(id.raw)] }
  }
}
