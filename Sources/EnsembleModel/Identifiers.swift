/// An index into one of the engine's dense tables, or none (`-1`).
///
/// Agents, tasks and jobs live in contiguous storage indexed by number; a typed identifier
/// says which table a number indexes, so an agent is never used as a task, and "none" is a
/// named value instead of a bare −1.
protocol DenseID: BitwiseCopyable, Equatable {
  var raw: Int32 { get }
  init(raw: Int32)
}

extension DenseID {
  @inline(__always) init(_ index: Int) { self.init(raw: Int32(truncatingIfNeeded: index)) }

  /// No entry.
  @inline(__always) static var none: Self { Self(raw: -1) }

  /// The position in its table; only meaningful when ``exists``.
  @inline(__always) var index: Int { Int(raw) }

  @inline(__always) var exists: Bool { raw >= 0 }
}

/// An agent: its index in the expanded team (groups in order, members in order).
struct AgentID: DenseID {
  var raw: Int32
}

/// A task: its index in the replication's task list (arrival order).
struct TaskID: DenseID {
  var raw: Int32
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
