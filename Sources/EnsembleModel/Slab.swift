/// Uniquely owned, fixed-capacity storage of plain values for the event loop.
///
/// Swift arrays check uniqueness (a runtime call) on every write; in the event loop that
/// costs more than the work itself. A `Slab` is a non-copyable owner of raw memory:
/// reads and writes are plain loads and stores, bounds are checked by `assert` (debug
/// builds, so the tests catch a stray index), and the memory is freed with its owner.
/// Capacity changes only in ``reserve(_:)``, between runs or when a pool must grow.
@usableFromInline
struct Slab<Element: BitwiseCopyable>: ~Copyable {
  @usableFromInline var base: UnsafeMutablePointer<Element>
  @usableFromInline var capacity: Int

  init(capacity: Int = 16) {
    self.capacity = max(1, capacity)
    base = .allocate(capacity: self.capacity)
  }

  init(copying values: [Element]) {
    self.init(capacity: values.count)
    for (i, v) in values.enumerated() { base[i] = v }
  }

  deinit { base.deallocate() }

  /// Makes room for `count` elements, keeping the first `keeping` of the current ones.
  /// - Complexity: O(keeping) when it grows; O(1) otherwise.
  mutating func reserve(_ count: Int, keeping: Int = 0) {
    guard count > capacity else { return }
    let newCapacity = max(count, 2 * capacity)
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    if keeping > 0 { newBase.update(from: base, count: keeping) }
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Sets the first `count` elements to `value`.
  mutating func fill(_ value: Element, count: Int) {
    reserve(count)
    base.update(repeating: value, count: count)
  }

  @inlinable subscript(_ i: Int) -> Element {
    @inline(__always) get {
      assert(i >= 0 && i < capacity, "slab index \(i) outside 0..<\(capacity)")
      return base[i]
    }
    @inline(__always) nonmutating _modify {
      assert(i >= 0 && i < capacity, "slab index \(i) outside 0..<\(capacity)")
      yield &base[i]
    }
  }
}
