#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A distribution of a task attribute (docs/MODEL.md section 2).
public enum Distribution: Sendable, Hashable {
  /// Always `x`.
  case fixed(Double)
  /// Uniform on [a, b].
  case uniform(Double, Double)
  /// Beta(a, b) on [0, 1].
  case beta(Double, Double)
  /// Exponential with the given mean.
  case exponential(mean: Double)
  /// Log-normal with the given mean and standard deviation of the variable itself
  /// (not of its logarithm): `sigma² = ln(1 + sd²/mean²)`, `mu = ln(mean) − sigma²/2`.
  case lognormal(mean: Double, sd: Double)

  /// The distribution's mean.
  public var mean: Double {
    switch self {
    case .fixed(let x): return x
    case .uniform(let a, let b): return (a + b) / 2
    case .beta(let a, let b): return a / (a + b)
    case .exponential(let m): return m
    case .lognormal(let m, _): return m
    }
  }

  /// One draw. `.fixed` consumes no random number; `.uniform` and `.exponential` one;
  /// `.lognormal` two (one normal); `.beta` a variable number (rejection sampling).
  @inlinable public func sample(_ rng: inout Xoshiro256StarStar) -> Double {
    switch self {
    case .fixed(let x):
      return x
    case .uniform(let a, let b):
      return a + (b - a) * rng.nextUniform()
    case .beta(let a, let b):
      return rng.beta(a, b)
    case .exponential(let m):
      return rng.exponential(mean: m)
    case .lognormal(let m, let s):
      if s == 0 { return m }
      let sigma2 = log(1 + (s * s) / (m * m))
      let mu = log(m) - sigma2 / 2
      return exp(mu + sigma2.squareRoot() * rng.standardNormal())
    }
  }
}

extension Distribution {
  /// The largest magnitude of a parameter of a distribution (a fixed value, a uniform bound,
  /// an exponential or log-normal mean, a log-normal sd, a beta shape).
  ///
  /// Far above any sensible value of the quantities drawn (hours of work, difficulty,
  /// ambiguity), and low enough that the engine's sums and products of draws (durations,
  /// costs, their squares in the statistics) stay finite.
  public static let largestParameter = 1e6
  /// The largest coefficient of variation `sd / mean` of a log-normal. At 1000, `sigma² =
  /// ln(1 + 10⁶)`, and no draw exceeds `mean · e²⁵` (the standard normal of the generator
  /// stays within ±8.6); far beyond it `sd² / mean²` overflows and every draw is NaN.
  public static let largestLognormalCV = 1000.0
  /// The smallest log-normal mean: below it `mean²` underflows towards zero, and `sd² /
  /// mean²` is 0 / 0.
  public static let smallestLognormalMean = 1e-6
  /// The smallest beta shape. Below about 0.05 the gamma draws behind a beta draw can both
  /// underflow to zero, and the draw is 0 / 0; from 0.1 each is at least 2⁻⁵³⁰.
  public static let smallestBetaShape = 0.1

  /// Why this distribution's draws could be non-finite or its mean unrepresentable, or nil.
  ///
  /// A pure check of the parameters against the ranges above (and `a <= b`, positive means
  /// and shapes), written as the experiment file spells the distribution; the support a
  /// particular quantity needs is checked by the parameter registry.
  public var problem: String? {
    let largest = Self.largestParameter
    func f(_ x: Double) -> String { Self.format(x) }
    func within(_ x: Double) -> Bool { x.isFinite && abs(x) <= largest }
    let limit = f(largest)
    switch self {
    case .fixed(let x):
      return within(x) ? nil : "\(f(x)) is out of range (allowed: -\(limit) to \(limit))"
    case .uniform(let a, let b):
      if !(within(a) && within(b)) {
        return "uniform [\(f(a)), \(f(b))]: bounds must be from -\(limit) to \(limit)"
      }
      return a <= b ? nil : "uniform needs [a, b] with a <= b, got [\(f(a)), \(f(b))]"
    case .beta(let a, let b):
      let low = Self.smallestBetaShape
      if !(a >= low && b >= low && a <= largest && b <= largest) {
        return "beta [\(f(a)), \(f(b))]: both shapes must be from \(f(low)) to \(limit)"
      }
      return nil
    case .exponential(let m):
      return m > 0 && m <= largest
        ? nil : "exponential mean \(f(m)) is out of range (allowed: above 0, up to \(limit))"
    case .lognormal(let m, let s):
      if !(m >= Self.smallestLognormalMean && m <= largest) {
        return "lognormal mean \(f(m)) is out of range (allowed: "
          + "\(f(Self.smallestLognormalMean)) to \(limit))"
      }
      if !(s >= 0 && s <= largest) {
        return "lognormal sd \(f(s)) is out of range (allowed: 0 to \(limit))"
      }
      if !(s <= Self.largestLognormalCV * m) {
        return "lognormal sd \(f(s)) is more than \(f(Self.largestLognormalCV)) times the mean "
          + "\(f(m)); its draws would overflow (allowed: sd up to \(f(Self.largestLognormalCV * m)))"
      }
      return nil
    }
  }

  /// A number as experiment files write it: whole numbers without a point, others in their
  /// shortest round-trip form.
  static func format(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e18 { return String(Int64(x)) }
    return "\(x)"
  }
}
