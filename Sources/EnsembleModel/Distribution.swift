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
