import Testing

@testable import EnsembleExperiments

@Suite("Sensitivity designs")
struct SensitivityDesignTests {
  @Test("Saltelli: N(k + 2) rows; A, AB⁽ⁱ⁾, B per base row; AB⁽ⁱ⁾ is A but for column i")
  func saltelliShape() {
    let k = 4
    let n = 16
    let design = SaltelliDesign(parameterCount: k, baseSampleSize: n)
    #expect(design.count == n * (k + 2))
    #expect(design.rowsPerBaseRow == k + 2)
    var sequence = SobolSequence(dimensions: 2 * k)
    for j in 0..<n {
      let base = sequence.next()
      let a = Array(base[0..<k])
      let b = Array(base[k...])
      let first = j * (k + 2)
      #expect(design[first] == a)
      #expect(design[first + k + 1] == b)
      #expect(design.role(ofRow: first) == .a)
      #expect(design.role(ofRow: first + k + 1) == .b)
      for i in 0..<k {
        let row = first + 1 + i
        #expect(design.role(ofRow: row) == .ab(i))
        #expect(design.baseRow(ofRow: row) == j)
        var expected = a
        expected[i] = b[i]
        #expect(design[row] == expected)
      }
    }
    #expect(design.allSatisfy { $0.count == k && $0.allSatisfy { $0 >= 0 && $0 < 1 } })
  }

  @Test("Saltelli: only base rows 0 and 1 (origin and centre) have A = B")
  func saltelliNoDegenerateRowsAfterTheFirstTwo() {
    let design = SaltelliDesign(parameterCount: 5, baseSampleSize: 64)
    for j in 0..<64 {
      let a = design[j * 7]
      let b = design[j * 7 + 6]
      if j < 2 {
        #expect(a == b)  // the origin and the centre, as documented
      } else {
        #expect(a != b, "base row \(j)")
      }
    }
  }

  @Test("Saltelli: sizes are validated with a message")
  func saltelliValidation() {
    #expect(SaltelliDesign.problem(parameterCount: 3, baseSampleSize: 1024) == nil)
    #expect(SaltelliDesign.problem(parameterCount: 64, baseSampleSize: 4) == nil)
    #expect(SaltelliDesign.problem(parameterCount: 1, baseSampleSize: 1024)?.contains("2") == true)
    #expect(SaltelliDesign.problem(parameterCount: 65, baseSampleSize: 1024) != nil)
    for n in [0, 1, 2, 3, 100, 1000, -8] {
      #expect(
        SaltelliDesign.problem(parameterCount: 3, baseSampleSize: n)?.contains("power of two")
          == true, "N = \(n)")
    }
  }

  @Test("factors: continuous map linearly, integers evenly with every value equally likely")
  func factorMapping() {
    let x = SensitivityFactor(name: "x", low: -2, high: 6)
    #expect(x.value(at: 0) == -2)
    #expect(x.value(at: 0.25) == 0)
    #expect(x.value(at: 1) == 6)
    let count = SensitivityFactor(name: "n", low: 1, high: 4, isInteger: true)
    var tally = [Double: Int]()
    for step in 0..<1000 { tally[count.value(at: Double(step) / 1000), default: 0] += 1 }
    #expect(tally == [1: 250, 2: 250, 3: 250, 4: 250])
    #expect(count.value(at: 1) == 4)
    #expect(count.value(at: 0.999_999) == 4)
    #expect(
      SensitivityFactor.values(at: [0.5, 0.5], of: [x, count]) == [2, 3])
  }

  @Test("factors: problems are reported with the parameter's name")
  func factorValidation() {
    let good = SensitivityFactor(name: "a", low: 0, high: 1)
    #expect(SensitivityFactor.problem(with: [good, .init(name: "b", low: 1, high: 9)]) == nil)
    #expect(SensitivityFactor.problem(with: [good])?.contains("at least 2") == true)
    #expect(
      SensitivityFactor.problem(with: [good, .init(name: "b", low: 3, high: 3)])
        == "b: low (3) must be below high (3)")
    #expect(
      SensitivityFactor.problem(with: [good, .init(name: "c", low: 0, high: .infinity)])
        == "c: the range must be finite")
    #expect(
      SensitivityFactor.problem(with: [good, .init(name: "d", low: 0.5, high: 4, isInteger: true)])
        == "d: integer bounds must be whole numbers, got 0.5 to 4")
    #expect(SensitivityFactor.problem(with: [good, good]) == "a is listed twice")
  }

  @Test("Morris: k + 1 grid points per trajectory, one coordinate moving ±Δ per step")
  func morrisShape() {
    for levels in [2, 4, 6] {
      let k = 5
      let design = MorrisDesign(parameterCount: k, trajectoryCount: 30, levels: levels, seed: 11)
      let delta = Double(levels) / Double(2 * (levels - 1))
      #expect(design.delta == delta)
      #expect(design.trajectories.count == 30)
      #expect(design.points.count == 30 * (k + 1))
      var startsSeen = Set<[Double]>()
      for trajectory in design.trajectories {
        #expect(trajectory.points.count == k + 1)
        #expect(trajectory.steps.count == k)
        #expect(Set(trajectory.steps.map(\.parameter)) == Set(0..<k))
        startsSeen.insert(trajectory.points[0])
        for point in trajectory.points {
          for x in point {
            let level = x * Double(levels - 1)
            #expect(x >= 0 && x <= 1 && abs(level - level.rounded()) < 1e-12)
          }
        }
        for (s, step) in trajectory.steps.enumerated() {
          let before = trajectory.points[s]
          let after = trajectory.points[s + 1]
          let moved = (0..<k).filter { before[$0] != after[$0] }
          #expect(moved == [step.parameter])
          #expect(abs(step.delta) == delta)
          #expect(abs(after[step.parameter] - before[step.parameter] - step.delta) < 1e-12)
        }
      }
      #expect(startsSeen.count > 10, "trajectories should start in different places")
    }
  }

  @Test("Morris: both directions occur; the seed fixes the design and only the seed")
  func morrisDeterminism() {
    let one = MorrisDesign(parameterCount: 4, trajectoryCount: 20, seed: 5)
    let again = MorrisDesign(parameterCount: 4, trajectoryCount: 20, seed: 5)
    let other = MorrisDesign(parameterCount: 4, trajectoryCount: 20, seed: 6)
    #expect(one.trajectories == again.trajectories)
    #expect(one.trajectories != other.trajectories)
    let steps = one.trajectories.flatMap(\.steps)
    #expect(steps.contains { $0.delta > 0 } && steps.contains { $0.delta < 0 })
    let orders = Set(one.trajectories.map { $0.steps.map(\.parameter) })
    #expect(orders.count > 5, "parameters should move in varying order")
  }

  @Test("Morris: sizes are validated with a message")
  func morrisValidation() {
    #expect(MorrisDesign.problem(parameterCount: 3, trajectoryCount: 10, levels: 4) == nil)
    #expect(MorrisDesign.problem(parameterCount: 1, trajectoryCount: 10, levels: 4) != nil)
    #expect(MorrisDesign.problem(parameterCount: 3, trajectoryCount: 1, levels: 4) != nil)
    #expect(MorrisDesign.problem(parameterCount: 3, trajectoryCount: 10, levels: 5) != nil)
    #expect(MorrisDesign.problem(parameterCount: 3, trajectoryCount: 10, levels: 0) != nil)
  }

  @Test("scrambled Saltelli: every coordinate keeps one point per 1/N stratum; A ≠ B; seeded")
  func scrambled() {
    let k = 3
    let n = 64
    let design = SaltelliDesign(parameterCount: k, baseSampleSize: n, scramble: 11)
    let again = SaltelliDesign(parameterCount: k, baseSampleSize: n, scramble: 11)
    let other = SaltelliDesign(parameterCount: k, baseSampleSize: n, scramble: 12)
    #expect(Array(design) == Array(again))
    #expect(Array(design) != Array(other))
    var strata = [Set<Int>](repeating: [], count: 2 * k)
    for j in 0..<n {
      let a = design[j * (k + 2)]
      let b = design[j * (k + 2) + k + 1]
      #expect(a != b, "base row \(j)")
      for (d, x) in (a + b).enumerated() {
        #expect(x >= 0 && x < 1)
        strata[d].insert(Int(x * Double(n)))
      }
    }
    // Owen scrambling keeps the net: each of the N strata of each coordinate holds one point.
    #expect(strata.allSatisfy { $0.count == n })
  }

  @Test("unscrambled Saltelli skips the first N points: no base row has A = B")
  func skipped() {
    for n in [4, 8, 64, 512] {
      let k = 5
      let design = SaltelliDesign(parameterCount: k, baseSampleSize: n, skip: n)
      var sequence = SobolSequence(dimensions: 2 * k, skip: n)
      for j in 0..<n {
        let base = sequence.next()
        #expect(design[j * (k + 2)] == Array(base[0..<k]))
        #expect(design[j * (k + 2)] != design[j * (k + 2) + k + 1], "N = \(n), row \(j)")
      }
    }
  }

  @Test("Morris: an integer factor's levels are equal whole-number steps, or it is refused")
  func integerGrid() {
    let count = SensitivityFactor(name: "team.ai.count", low: 2, high: 11, isInteger: true)
    #expect([0.0, 1, 2, 3].map { count.gridValue(at: $0 / 3, levels: 4) } == [2, 5, 8, 11])
    #expect(count.gridProblem(levels: 4) == nil)
    let bad = SensitivityFactor(name: "team.ai.count", low: 2, high: 10, isInteger: true)
    let message = bad.gridProblem(levels: 4) ?? ""
    #expect(message.contains("team.ai.count"), "\(message)")
    #expect(message.contains("[2, 8] or [2, 11]"), "\(message)")
    // A continuous factor takes any range.
    let rate = SensitivityFactor(name: "design.reviewRate", low: 0, high: 1)
    #expect(rate.gridProblem(levels: 4) == nil)
    #expect(rate.gridValue(at: 1.0 / 3, levels: 4) == 1.0 / 3)
  }

  @Test("seed streams: a base row shares one stream; the dummy's B side takes the next")
  func seedStreams() {
    let factors = [
      SensitivityFactor(name: "design.reviewRate", low: 0, high: 1),
      SensitivityFactor(name: "design.auditRate", low: 0, high: 1), .dummy,
    ]
    let spec = SensitivitySpec(method: .sobol, samples: 4, repeats: 2, factors: factors)
    let streams = spec.seedStreams(seed: 1)
    #expect(streams.count == spec.pointCount && spec.pointCount == 8 * 5)
    // Row j: A, AB(review), AB(audit), AB(dummy), B.
    for j in 0..<8 {
      #expect(Array(streams[(j * 5)..<(j * 5 + 5)]) == [2 * j, 2 * j, 2 * j, 2 * j + 1, 2 * j + 1])
    }
    let morris = SensitivitySpec(method: .morris, samples: 3, factors: factors)
    let design = morris.morris(seed: 1)
    let morrisStreams = morris.seedStreams(seed: 1)
    for (t, trajectory) in design.trajectories.enumerated() {
      let step = trajectory.steps.firstIndex { $0.parameter == 2 }!
      for s in 0...3 {
        #expect(morrisStreams[t * 4 + s] == 2 * t + (s > step ? 1 : 0))
      }
    }
  }
}
