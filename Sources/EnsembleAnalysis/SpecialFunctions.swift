import Foundation

// Special functions behind the Student-t distribution. Internal: the public surface is
// `studentTCDF` and `studentTQuantile`.

/// Stirling-series remainder δ(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], for x ≥ 10:
///
///     δ(x) = 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹)
///            − 691/(360360x¹¹) + 1/(156x¹³)
///
/// The first omitted term is below 1e-16 for x ≥ 10.
func stirlingRemainder(_ x: Double) -> Double {
  let z = 1 / (x * x)
  let series =
    1.0 / 12
    - z
    * (1.0 / 360
      - z
      * (1.0 / 1260
        - z * (1.0 / 1680 - z * (1.0 / 1188 - z * (691.0 / 360_360 - z / 156)))))
  return series / x
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0.
///
/// When the larger argument `L` is ≥ 10 the difference ln Γ(L) − ln Γ(L + s) (s the smaller
/// argument) is formed from the Stirling series instead of subtracting two large log-gammas:
///
///     ln Γ(L) − ln Γ(L + s) = −(L − ½) ln(1 + s/L) − s ln(L + s) + s + δ(L) − δ(L + s)
///
/// which keeps full relative accuracy when L ≫ s (the Student-t case: a = ν/2, b = ½).
func logBeta(_ a: Double, _ b: Double) -> Double {
  let small = min(a, b)
  let large = max(a, b)
  if large < 10 {
    return lgamma(small) + lgamma(large) - lgamma(small + large)
  }
  let sum = small + large
  let difference =
    -(large - 0.5) * log1p(small / large) - small * log(sum) + small
    + (stirlingRemainder(large) - stirlingRemainder(sum))
  return lgamma(small) + difference
}

/// Lentz's modified continued fraction for the incomplete beta function (Numerical Recipes
/// `betacf`):
///
///     I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))
///     d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
///     d_{2m}   =  m (b − m) x / ((a + 2m − 1)(a + 2m))
///
/// Returns the continued-fraction factor (everything after the prefactor). It converges quickly
/// for x < (a + 1)/(a + b + 2).
func incompleteBetaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
  let tiny = 1e-300
  let epsilon = 4 * Double.ulpOfOne
  let maxIterations = 100_000
  let qab = a + b
  let qap = a + 1
  let qam = a - 1
  var c = 1.0
  var d = 1 - qab * x / qap
  if abs(d) < tiny { d = tiny }
  d = 1 / d
  var h = d
  for iteration in 1...maxIterations {
    let m = Double(iteration)
    let m2 = 2 * m
    var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if abs(d) < tiny { d = tiny }
    c = 1 + aa / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    h *= d * c
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if abs(d) < tiny { d = tiny }
    c = 1 + aa / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < epsilon { break }
  }
  return h
}

/// The regularized incomplete beta function and its complement,
///
///     I_x(a, b) = (1 / B(a, b)) ∫₀ˣ s^(a−1) (1 − s)^(b−1) ds,   and   1 − I_x(a, b) = I_{1−x}(b, a),
///
/// given both x and y = 1 − x (so a caller that knows y more accurately than 1 − x keeps that
/// accuracy). The smaller of the two results is computed directly by the continued fraction and
/// carries full relative accuracy; the other is 1 minus it.
func regularizedIncompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (
  value: Double, complement: Double
) {
  if x <= 0 { return (0, 1) }
  if y <= 0 { return (1, 0) }
  let logX = x <= 0.5 ? log(x) : log1p(-y)
  let logY = y <= 0.5 ? log(y) : log1p(-x)
  let logFront = a * logX + b * logY - logBeta(a, b)
  if x < (a + 1) / (a + b + 2) {
    let value = exp(logFront) * incompleteBetaContinuedFraction(a, b, x) / a
    return (value, 1 - value)
  } else {
    let complement = exp(logFront) * incompleteBetaContinuedFraction(b, a, y) / b
    return (1 - complement, complement)
  }
}

/// The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
  regularizedIncompleteBeta(a, b, x: x, y: 1 - x).value
}

/// Acklam's rational approximation of the standard normal quantile Φ⁻¹(p), relative error
/// below 1.2e-9. Used only as a starting point for Newton refinement.
func approximateNormalQuantile(_ p: Double) -> Double {
  let a = [
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
  ]
  let b = [
    -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
    6.680131188771972e+01, -1.328068155288572e+01,
  ]
  let c = [
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
  ]
  let d = [
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
    3.754408661907416e+00,
  ]
  let pLow = 0.02425
  if p <= 0 { return -.infinity }
  if p >= 1 { return .infinity }
  if p < pLow {
    let q = (-2 * log(p)).squareRoot()
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
      / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if p > 1 - pLow {
    let q = (-2 * log1p(-p)).squareRoot()
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
      / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  let q = p - 0.5
  let r = q * q
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}
