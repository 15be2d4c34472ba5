import Testing

@testable import EnsembleModel

@Suite("Engine internals")
struct EngineInternalsTests {
  /// The quickselect percentile agrees with sorting, on random, sorted and tied inputs.
  @Test("p90 by quickselect equals p90 by sorting", arguments: [1, 2, 3, 10, 11, 100, 487])
  func percentile(count: Int) {
    var rng = Xoshiro256StarStar(seed: UInt64(count))
    for shape in 0..<3 {
      var values = (0..<count).map { _ in rng.nextUniform() }
      if shape == 1 { values.sort() }
      if shape == 2 { values = values.map { ($0 * 4).rounded() } }
      let sorted = values.sorted()
      let rank = Double(count - 1) * 0.9
      let lower = Int(rank)
      let upper = min(lower + 1, count - 1)
      let expected = sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - Double(lower))
      let actual = values.withUnsafeMutableBufferPointer {
        Engine<OneStageRun>.percentile90($0.baseAddress!, count: count)
      }
      #expect(abs(actual - expected) < 1e-15, "count \(count), shape \(shape)")
    }
  }

  @Test("the event queue pops in (time, scheduling order) order")
  func eventQueueOrder() {
    var queue = EventQueue()
    queue.reset(capacity: 2)
    var rng = Xoshiro256StarStar(seed: 9)
    var expected: [(Double, Int32)] = []
    for i in 0..<500 {
      // Coarse times make many ties, which must come out in scheduling order.
      let time = (rng.nextUniform() * 20).rounded()
      queue.schedule(at: time, kind: .drift, payload: Int32(i))
      expected.append((time, Int32(i)))
    }
    expected.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    for (time, payload) in expected {
      let event = queue.popFirst()
      #expect(event.time == time && event.payload == payload)
    }
    let empty = queue.isEmpty
    #expect(empty)
  }
}
