import Testing

@testable import EnsembleModel

/// The generators against their reference outputs, and every distribution against its
/// moments.
@Suite("Random streams and distributions")
struct RandomTests {
  /// SplitMix64 seeded with 1234567: the sequence printed by the reference implementation
  /// (Vigna's splitmix64.c, also used in the tests of Java's SplittableRandom ports).
  @Test("SplitMix64 matches its reference outputs")
  func splitMix() {
    var generator = SplitMix64(seed: 1_234_567)
    let expected: [UInt64] = [
      6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
      4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ]
    #expect((0..<5).map { _ in generator.next() } == expected)
  }

  /// xoshiro256** from the state {1, 2, 3, 4}: the outputs of Blackman and Vigna's
  /// xoshiro256starstar.c (the same vector the Rust crate rand_xoshiro tests against).
  @Test("xoshiro256** matches its reference outputs")
  func xoshiro() {
    var generator = Xoshiro256StarStar(seed: 0)
    generator.s0 = 1
    generator.s1 = 2
    generator.s2 = 3
    generator.s3 = 4
    let expected: [UInt64] = [
      11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
      607_988_272_756_665_600,
    ]
    #expect((0..<6).map { _ in generator.next() } == expected)
  }

  /// Seeding fills the state with four SplitMix64 outputs, as the authors recommend.
  @Test("xoshiro256** is seeded through SplitMix64")
  func seeding() {
    var mixer = SplitMix64(seed: 42)
    let state = (0..<4).map { _ in mixer.next() }
    let generator = Xoshiro256StarStar(seed: 42)
    #expect([generator.s0, generator.s1, generator.s2, generator.s3] == state)
  }

  @Test("uniform draws lie in their intervals")
  func uniformRange() {
    var generator = Xoshiro256StarStar(seed: 3)
    for _ in 0..<10_000 {
      let u = generator.nextUniform()
      let open = generator.nextOpenUniform()
      #expect(u >= 0 && u < 1)
      #expect(open > 0 && open <= 1)
    }
  }

  /// A distribution and its exact mean and variance.
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let mean: Double
    let variance: Double
    let draw: @Sendable (inout Xoshiro256StarStar) -> Double
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "uniform [0.2, 0.7]", mean: 0.45, variance: 0.25 / 12) {
      Distribution.uniform(0.2, 0.7).sample(&$0)
    },
    Case(name: "beta (2, 5)", mean: 2.0 / 7, variance: 10.0 / (49 * 8)) {
      Distribution.beta(2, 5).sample(&$0)
    },
    Case(name: "beta (0.5, 0.5)", mean: 0.5, variance: 0.25 / 2) {
      Distribution.beta(0.5, 0.5).sample(&$0)
    },
    Case(name: "exponential mean 1.5", mean: 1.5, variance: 2.25) {
      Distribution.exponential(mean: 1.5).sample(&$0)
    },
    Case(name: "lognormal mean 1 sd 0.8", mean: 1, variance: 0.64) {
      Distribution.lognormal(mean: 1, sd: 0.8).sample(&$0)
    },
    Case(name: "gamma shape 3", mean: 3, variance: 3) { $0.gamma(shape: 3) },
    Case(name: "gamma shape 0.4", mean: 0.4, variance: 0.4) { $0.gamma(shape: 0.4) },
    Case(name: "normal (1, 2)", mean: 1, variance: 4) { $0.normal(mean: 1, sd: 2) },
    Case(name: "fixed 0.3", mean: 0.3, variance: 0) { Distribution.fixed(0.3).sample(&$0) },
  ]

  /// The sample mean lies within 4 standard errors of the exact mean, and the sample
  /// variance within 4 standard errors of the exact variance (the standard error of a
  /// sample variance is `sqrt((m4 - s^4) / n)`, with `m4` the sample's fourth central
  /// moment). The small absolute slack covers rounding in the sums of a fixed value.
  @Test("every distribution has its mean and variance", arguments: cases)
  func moments(_ c: Case) {
    var generator = Xoshiro256StarStar(seed: 20_261_202)
    let n = 200_000
    var values: [Double] = []
    values.reserveCapacity(n)
    for _ in 0..<n { values.append(c.draw(&generator)) }
    let mean = values.reduce(0, +) / Double(n)
    var m2 = 0.0
    var m4 = 0.0
    for v in values {
      let d = (v - mean) * (v - mean)
      m2 += d
      m4 += d * d
    }
    let variance = m2 / Double(n - 1)
    m4 /= Double(n)
    let meanError = (variance / Double(n)).squareRoot()
    let varianceError = (max(0, m4 - variance * variance) / Double(n)).squareRoot()
    #expect(abs(mean - c.mean) <= 4 * meanError + 1e-9, "mean \(mean), expected \(c.mean)")
    #expect(
      abs(variance - c.variance) <= 4 * varianceError + 1e-9,
      "variance \(variance), expected \(c.variance)")
  }

  /// The exponential, and so the arrival process, never draws log(0).
  @Test("exponential draws are finite and positive")
  func exponentialFinite() {
    var generator = Xoshiro256StarStar(seed: 1)
    for _ in 0..<10_000 {
      let x = generator.exponential(mean: 1)
      #expect(x.isFinite && x >= 0)
    }
  }
}
