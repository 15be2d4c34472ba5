#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit mixing generator.
///
/// Used only to expand seeds: to derive replication seeds from an experiment seed and to
/// fill the 256-bit state of ``Xoshiro256StarStar``. Its output sequence is fixed by the
/// algorithm, so seeds never change between toolchains.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  @inlinable public init(seed: UInt64) { state = seed }

  @inlinable public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// The SplitMix64 finaliser: a bijective avalanche of 64 bits.
  @inlinable public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256** (Blackman and Vigna 2018): the generator behind every random draw.
///
/// Fast (a few shifts, rotations and one multiply per 64 bits), with a period of 2^256 − 1
/// and no known statistical weakness in its upper 53 bits, which are the ones
/// ``nextUniform()`` uses. Seeded through ``SplitMix64`` as its authors recommend.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// Seeds the 256-bit state with four outputs of SplitMix64 started at `seed`.
  public init(seed: UInt64) {
    var mixer = SplitMix64(seed: seed)
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
  }

  @inlinable @inline(__always) public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inlinable @inline(__always) func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 &- k))
  }
}

extension Xoshiro256StarStar {
  /// A uniform draw on [0, 1) with 53 random bits: `Double(next() >> 11) * 2^-53`.
  @inlinable @inline(__always) public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A uniform draw on (0, 1]: never zero, so safe under a logarithm.
  @inlinable @inline(__always) public mutating func nextOpenUniform() -> Double {
    Double((next() >> 11) &+ 1) * 0x1p-53
  }

  /// True with probability `p` (one uniform draw, whatever `p`).
  @inlinable @inline(__always) public mutating func bernoulli(_ p: Double) -> Bool {
    nextUniform() < p
  }

  /// An exponential draw with the given mean: `-mean * log(U)`, U on (0, 1].
  @inlinable @inline(__always) public mutating func exponential(mean: Double) -> Double {
    -mean * log(nextOpenUniform())
  }

  /// A standard normal draw by the Box–Muller transform (two uniforms, one value; the
  /// second value is discarded so that every call consumes the same number of draws).
  @inlinable public mutating func standardNormal() -> Double {
    let u1 = nextOpenUniform()
    let u2 = nextUniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A Normal(mean, sd) draw; consumes two uniforms even when `sd` is zero.
  @inlinable public mutating func normal(mean: Double, sd: Double) -> Double {
    mean + sd * standardNormal()
  }

  /// A Gamma(shape, 1) draw by Marsaglia and Tsang (2000); shapes below 1 use the
  /// boost `Gamma(a) = Gamma(a + 1) * U^(1/a)`.
  public mutating func gamma(shape: Double) -> Double {
    if shape < 1 {
      let boost = pow(nextOpenUniform(), 1 / shape)
      return gamma(shape: shape + 1) * boost
    }
    let d = shape - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double
      var v: Double
      repeat {
        x = standardNormal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = nextOpenUniform()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }

  /// A Beta(a, b) draw on [0, 1] as `X / (X + Y)` with X ~ Gamma(a), Y ~ Gamma(b).
  public mutating func beta(_ a: Double, _ b: Double) -> Double {
    let x = gamma(shape: a)
    let y = gamma(shape: b)
    return x / (x + y)
  }
}

/// The six independent random streams of one replication (docs/MODEL.md section 6).
///
/// Stream `s` (1 to 6) is a ``Xoshiro256StarStar`` seeded with
/// `SplitMix64.mix(replicationSeed &+ s &* 0x9E3779B97F4A7C15)`, so the streams are
/// unrelated to each other and to any other replication's.
public struct RandomStreams: Sendable {
  /// Arrival times and task attributes: the only stream the workload uses.
  public var workload: Xoshiro256StarStar
  /// Model updates of AI agents: update times and skill shifts.
  public var drift: Xoshiro256StarStar
  /// The persistent errors of the team's estimate of skill.
  public var estimate: Xoshiro256StarStar
  /// Everything drawn while the run goes: outcomes, duplication, reviews, sign-offs,
  /// audits, coins.
  public var process: Xoshiro256StarStar
  /// Whether each task is high-stakes (one draw per task, in arrival order).
  public var stakes: Xoshiro256StarStar
  /// The domains of stages 1 and later (s − 1 draws per task, in arrival order).
  public var stages: Xoshiro256StarStar

  public init(replicationSeed: UInt64) {
    workload = Xoshiro256StarStar(seed: Self.streamSeed(replicationSeed, stream: 1))
    drift = Xoshiro256StarStar(seed: Self.streamSeed(replicationSeed, stream: 2))
    estimate = Xoshiro256StarStar(seed: Self.streamSeed(replicationSeed, stream: 3))
    process = Xoshiro256StarStar(seed: Self.streamSeed(replicationSeed, stream: 4))
    stakes = Xoshiro256StarStar(seed: Self.streamSeed(replicationSeed, stream: 5))
    stages = Xoshiro256StarStar(seed: Self.streamSeed(replicationSeed, stream: 6))
  }

  /// The seed of stream `stream` of a replication.
  public static func streamSeed(_ replicationSeed: UInt64, stream: UInt64) -> UInt64 {
    SplitMix64.mix(replicationSeed &+ stream &* 0x9E37_79B9_7F4A_7C15)
  }
}

/// Seeds of replications.
public enum ReplicationSeed {
  /// The seed of replication `index` (0-based) of an experiment seeded `experimentSeed`.
  ///
  /// `SplitMix64.mix(SplitMix64.mix(experimentSeed) ^ (index + 1) * golden)`: it depends
  /// only on the experiment seed and the index, never on the condition, sweep point,
  /// thread or shard, which gives common random numbers across conditions.
  public static func derive(experimentSeed: UInt64, replication index: Int) -> UInt64 {
    SplitMix64.mix(
      SplitMix64.mix(experimentSeed) ^ (UInt64(index) &+ 1) &* 0x9E37_79B9_7F4A_7C15)
  }
}
