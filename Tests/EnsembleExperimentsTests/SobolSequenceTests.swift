import Testing

@testable import EnsembleExperiments

@Suite("Sobol' sequence")
struct SobolSequenceTests {
  static func draw(_ dimensions: Int, _ count: Int, skip: Int = 0) -> [[Double]] {
    var sequence = SobolSequence(dimensions: dimensions, skip: skip)
    return (0..<count).map { _ in sequence.next() }
  }

  @Test("the first points match scipy's unscrambled Sobol' in 1, 3 and 6 dimensions")
  func firstPoints() {
    // scipy 1.17: scipy.stats.qmc.Sobol(1, scramble=False).random(8)
    #expect(
      Self.draw(1, 8).map { $0[0] } == [0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125])
    // scipy.stats.qmc.Sobol(3, scramble=False).random(8)
    #expect(
      Self.draw(3, 8) == [
        [0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25],
        [0.25, 0.75, 0.75],
        [0.375, 0.375, 0.625],
        [0.875, 0.875, 0.125],
        [0.625, 0.125, 0.875],
        [0.125, 0.625, 0.375],
      ])
    // scipy.stats.qmc.Sobol(6, scramble=False).random(8)
    #expect(
      Self.draw(6, 8) == [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25, 0.25, 0.75, 0.75],
        [0.25, 0.75, 0.75, 0.75, 0.25, 0.25],
        [0.375, 0.375, 0.625, 0.875, 0.375, 0.125],
        [0.875, 0.875, 0.125, 0.375, 0.875, 0.625],
        [0.625, 0.125, 0.875, 0.625, 0.625, 0.875],
        [0.125, 0.625, 0.375, 0.125, 0.125, 0.375],
      ])
  }

  @Test("late dimensions and skipped-to points match scipy")
  func lateDimensionsAndSkips() {
    // scipy.stats.qmc.Sobol(128, scramble=False).random(8)[:, [31, 63, 99, 127]]
    #expect(
      Self.draw(128, 8).map { [$0[31], $0[63], $0[99], $0[127]] } == [
        [0.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5, 0.5],
        [0.25, 0.75, 0.75, 0.25],
        [0.75, 0.25, 0.25, 0.75],
        [0.125, 0.125, 0.875, 0.625],
        [0.625, 0.625, 0.375, 0.125],
        [0.375, 0.875, 0.125, 0.875],
        [0.875, 0.375, 0.625, 0.375],
      ])
    // s = scipy.stats.qmc.Sobol(10, scramble=False); s.fast_forward(1000)
    // s.random(4)[:, [0, 4, 9]]
    #expect(
      Self.draw(10, 4, skip: 1000).map { [$0[0], $0[4], $0[9]] } == [
        [0.2197265625, 0.2802734375, 0.0693359375],
        [0.7197265625, 0.7802734375, 0.5693359375],
        [0.9697265625, 0.5302734375, 0.8193359375],
        [0.4697265625, 0.0302734375, 0.3193359375],
      ])
    // s = scipy.stats.qmc.Sobol(128, scramble=False); s.fast_forward(2**20 - 1)
    // s.random(3)[:, [1, 50, 127]]
    #expect(
      Self.draw(128, 3, skip: (1 << 20) - 1).map { [$0[1], $0[50], $0[127]] } == [
        [0.9375143051147461, 0.07880687713623047, 0.1366891860961914],
        [0.46875715255737305, 0.2747015953063965, 0.07662343978881836],
        [0.968757152557373, 0.7747015953063965, 0.5766234397888184],
      ])
  }

  @Test("the first 4096 points in all 128 dimensions match scipy's, by fingerprint")
  func fingerprint() {
    // FNV-1a over the 30-bit integers round(x · 2^30) of
    // scipy.stats.qmc.Sobol(128, scramble=False).random(4096), row by row, as computed by
    // Scripts/sensitivity-reference.py.
    var sequence = SobolSequence(dimensions: 128)
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var exact = true
    for _ in 0..<4096 {
      for x in sequence.next() {
        let scaled = x * 0x1p30
        exact = exact && scaled == scaled.rounded()
        hash = (hash ^ UInt64(scaled)) &* 0x100_0000_01b3
      }
    }
    #expect(exact)
    #expect(hash == 0xc244_7dcf_eba2_2325)
  }

  @Test("skipping n points is the same as drawing and dropping them")
  func skipEqualsDrawing() {
    var drawn = SobolSequence(dimensions: 7)
    for _ in 0..<37 { _ = drawn.next() }
    var skipped = SobolSequence(dimensions: 7, skip: 37)
    #expect(skipped.index == 37)
    for _ in 0..<20 { #expect(drawn.next() == skipped.next()) }
    #expect(skipped.index == 57)
  }

  @Test("the first 2^m points are balanced: one in each interval of length 2^-m")
  func netBalance() {
    let points = Self.draw(20, 64)
    for d in 0..<20 {
      let cells = Set(points.map { Int($0[d] * 64) })
      #expect(cells.count == 64, "dimension \(d + 1)")
    }
  }

  @Test("the Joe–Kuo table has one well-formed row per dimension 2…128")
  func tableShape() {
    #expect(SobolSequence.joeKuo.count == SobolSequence.maximumDimensions - 1)
    for (offset, row) in SobolSequence.joeKuo.enumerated() {
      #expect(row[0] == UInt32(offset + 2))
      let s = Int(row[1])
      #expect(row.count == 3 + s, "dimension \(row[0])")
      #expect(row[2] < 1 << UInt32(max(s - 1, 0)), "dimension \(row[0])")
      for (i, m) in row[3...].enumerated() {
        #expect(m % 2 == 1 && m < 1 << UInt32(i + 1), "dimension \(row[0]), m_\(i + 1)")
      }
    }
  }
}
