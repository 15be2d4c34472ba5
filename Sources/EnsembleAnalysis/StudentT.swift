import Foundation

/// The cumulative distribution function of Student's t distribution with ν = `df` degrees of
/// freedom, P(T ≤ t).
///
/// With x = ν/(ν + t²) and the regularized incomplete beta function I_x(a, b):
///
///     P(T ≤ t) = ½ I_x(ν/2, ½)          for t ≤ 0
///     P(T ≤ t) = 1 − ½ I_x(ν/2, ½)      for t > 0
///
/// and P(|T| ≤ |t|) = I_{1−x}(½, ν/2), which is used near t = 0 to avoid cancellation.
/// `df` may be any positive real number, including `.infinity` (the standard normal).
///
/// - Precondition: `df > 0`.
public func studentTCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
  precondition(df > 0, "degrees of freedom must be positive, got \(df)")
  if t.isNaN { return .nan }
  if t == 0 { return 0.5 }
  let distribution = StudentT(df: df)
  let (tail, central) = distribution.probabilities(abs(t))
  if t < 0 { return tail }
  // 1 − tail = ½ + ½·central; the latter keeps relative accuracy near t = 0.
  return central < 0.5 ? 0.5 + 0.5 * central : 1 - tail
}

/// The quantile function (inverse CDF) of Student's t distribution: the t with
/// P(T ≤ t) = p for ν = `df` degrees of freedom.
///
/// Exact closed forms are used for ν = 1 (Cauchy: t = tan(π(p − ½))) and ν = 2
/// (t = (2p − 1)/√(2p(1 − p))). Otherwise Hill's (1970, CACM Algorithm 396) approximation —
/// an asymptotic expansion about the normal quantile — gives a starting value, which is refined
/// by safeguarded Newton iteration on ln P(tail) against ln t, using the density
///
///     f(t) = (1 + t²/ν)^(−(ν+1)/2) / (√ν B(ν/2, ½)),
///
/// until the relative change of t is below about 1e-13. The result is odd in p − ½:
/// `studentTQuantile(1 - p, df) == -studentTQuantile(p, df)`.
///
/// - Precondition: `0 ≤ p ≤ 1` and `df > 0` (any positive real, including `.infinity`).
/// - Returns: `-.infinity` for p = 0, `.infinity` for p = 1.
public func studentTQuantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
  precondition(p >= 0 && p <= 1, "probability must be in [0, 1], got \(p)")
  precondition(df > 0, "degrees of freedom must be positive, got \(df)")
  if p == 0.5 { return 0 }
  if p == 0 { return -.infinity }
  if p == 1 { return .infinity }
  // Work with the upper half: q is the upper-tail probability, c = P(|T| ≤ t) = 1 − 2q.
  // Both are exact in floating point (Sterbenz).
  let q = p < 0.5 ? p : 1 - p
  let c = 2 * abs(p - 0.5)
  let magnitude = StudentT(df: df).upperQuantile(tail: q, central: c)
  return p < 0.5 ? -magnitude : magnitude
}

/// The Student-t distribution with ν degrees of freedom (ν = ∞: the standard normal), evaluated
/// for t ≥ 0.
struct StudentT {
  let df: Double

  /// (upper tail P(T > t), central P(|T| ≤ t)) for t ≥ 0; the smaller of
  /// 2·tail and central is accurate to full relative precision.
  func probabilities(_ t: Double) -> (tail: Double, central: Double) {
    if t.isInfinite { return (0, 1) }
    if df.isInfinite {
      let z = t / 2.0.squareRoot()
      return (0.5 * erfc(z), erf(z))
    }
    // x = ν/(ν + t²), y = t²/(ν + t²), formed without overflow.
    let root = df.squareRoot()
    let x: Double
    let y: Double
    if t > root {
      let s = root / t
      if s < 1e-150 {
        // x ≈ s² would underflow. Leading term of the power series
        // I_x(a, b) = x^a/(a B(a, b)) · (1 + O(x)), with ln x = 2 ln s (relative error < 1e-300).
        let a = df / 2
        return (0.5 * exp(a * 2 * log(s) - log(a) - logBeta(a, 0.5)), 1)
      }
      let s2 = s * s
      x = s2 / (1 + s2)
      y = 1 / (1 + s2)
    } else {
      let r = t / root
      let r2 = r * r
      x = 1 / (1 + r2)
      y = r2 / (1 + r2)
    }
    let beta = regularizedIncompleteBeta(df / 2, 0.5, x: x, y: y)
    return (0.5 * beta.value, beta.complement)
  }

  /// ln f(t), the log density.
  func logDensity(_ t: Double) -> Double {
    if df.isInfinite { return -0.5 * t * t - 0.5 * log(2 * Double.pi) }
    let r = abs(t) / df.squareRoot()
    let log1pR2 = r > 1e150 ? 2 * log(r) : log1p(r * r)
    return -(df + 1) / 2 * log1pR2 - 0.5 * log(df) - logBeta(df / 2, 0.5)
  }

  /// The t ≥ 0 with P(T > t) = `tail` and P(|T| ≤ t) = `central` (the caller supplies both,
  /// each exact, with tail + central/2 = ½ up to rounding and 0 < tail < ½).
  func upperQuantile(tail q: Double, central c: Double) -> Double {
    if df == 1 {
      // Cauchy: t = tan(π(p − ½)) = tan(πc/2) = cot(πq); use the smaller argument.
      return q < 0.25 ? 1 / tan(Double.pi * q) : tan(Double.pi * c / 2)
    }
    if df == 2 {
      // t = (1 − 2q)/√(2q(1 − q)).
      return c / (2 * q * (1 - q)).squareRoot()
    }
    let start = initialGuess(tail: q, central: c)
    return refine(start: start, tail: q, central: c)
  }

  /// Hill (1970) Algorithm 396 starting value for ν ≥ 1, a power-law tail / linear centre
  /// approximation for ν < 1, and the normal quantile for ν = ∞.
  func initialGuess(tail q: Double, central c: Double) -> Double {
    let fallback = 1.0
    if df.isInfinite {
      let z = -approximateNormalQuantile(q)
      return z > 0 && z.isFinite ? z : fallback
    }
    if df < 1 {
      if q < 0.25 {
        // P(T > t) ≈ t^(−ν) ν^((ν−1)/2) / B(ν/2, ½) for large t.
        let logT = ((df - 1) / 2 * log(df) - logBeta(df / 2, 0.5) - log(q)) / df
        if logT > log(Double.greatestFiniteMagnitude) { return .greatestFiniteMagnitude }
        let guess = exp(logT)
        return guess > 0 && guess.isFinite ? guess : fallback
      }
      // P(|T| ≤ t) ≈ 2 f(0) t for small t.
      let guess = c / (2 * exp(logDensity(0)))
      return guess > 0 && guess.isFinite ? guess : fallback
    }
    let n = df
    let twoSided = 2 * q
    let a = 1 / (n - 0.5)
    let b = 48 / (a * a)
    var cc = ((20700 * a / b - 98) * a - 16) * a + 96.36
    let d = ((94.5 / (b + cc) - 3) / b + 1) * (a * Double.pi / 2).squareRoot() * n
    var y = pow(d * twoSided, 2 / n)
    let guess: Double
    if y > 0.05 + a {
      // Asymptotic inverse expansion about the normal.
      let x = approximateNormalQuantile(0.5 * twoSided)
      y = x * x
      if n < 5 { cc += 0.3 * (n - 4.5) * (x + 0.6) }
      cc = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + cc
      y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / cc - y - 3) / b + 1) * x
      y = expm1(a * y * y)
      guess = (n * y).squareRoot()
    } else {
      y =
        ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1)
        * (n + 1) / (n + 2) + 1 / y
      guess = (n * y).squareRoot()
    }
    return guess > 0 && guess.isFinite ? guess : fallback
  }

  /// Safeguarded Newton iteration in (ln t, ln P) coordinates, where both the tail (a power law
  /// for large t) and the central probability (linear for small t) are nearly straight lines.
  /// In the tail regime (q < ¼) it solves g(u) = ln P(T > eᵘ) − ln q with
  /// g′(u) = −t f(t)/P(T > t); otherwise g(u) = ln P(|T| ≤ eᵘ) − ln c with
  /// g′(u) = 2 t f(t)/P(|T| ≤ t). A bracket [low, high] is kept and a step that leaves it is
  /// replaced by geometric bisection.
  func refine(start: Double, tail q: Double, central c: Double) -> Double {
    let useTail = q < 0.25
    let target = log(useTail ? q : c)
    var low = 0.0
    var high = Double.infinity
    var t = start
    var previousStep = Double.infinity
    for _ in 0..<200 {
      let (tail, central) = probabilities(t)
      let probability = useTail ? tail : central
      if probability <= 0 || !probability.isFinite {
        // Only reachable for t far out in the tail: step back towards the centre.
        high = t
        t = low > 0 ? low.squareRoot() * high.squareRoot() : t / 16
        continue
      }
      let g = log(probability) - target
      if g == 0 { return t }
      // "too large" when the tail is too small or the central mass too large.
      let tooLarge = useTail ? g < 0 : g > 0
      // Even the largest finite t leaves too much tail mass: the quantile overflows.
      if t == .greatestFiniteMagnitude && !tooLarge { return .infinity }
      if tooLarge { high = t } else { low = t }
      let slope = exp(logDensity(t) + log(t) - log(probability)) * (useTail ? -1 : 2)
      let step = -g / slope  // in u = ln t
      var next = t * exp(step)
      if !(next > low && next < high) || !step.isFinite {
        if low > 0 && high.isFinite {
          next = low.squareRoot() * high.squareRoot()
        } else if high.isFinite {
          next = high / 16
        } else if next.isInfinite || low >= .greatestFiniteMagnitude / 16 {
          next = .greatestFiniteMagnitude
        } else {
          next = low * 16
        }
        previousStep = .infinity
      } else if abs(step) < 1e-13 || (abs(step) >= previousStep && abs(step) < 1e-10) {
        // Converged (or stalled at the rounding noise of the CDF).
        return next
      } else {
        previousStep = abs(step)
      }
      if next == t { return t }
      t = next
    }
    return t
  }
}
