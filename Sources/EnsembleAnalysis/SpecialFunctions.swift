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

/// The continued fraction for the incomplete beta function in the contracted form of
/// DiDonato & Morris (1992, ACM TOMS Algorithm 708, `BFRAC`):
///
///     I_x(a, b) = x^a y^b / B(a, b) · r,   y = 1 − x,
///
/// where r is the continued fraction evaluated by the three-term recurrence
/// A_{n+1} = β_n A_n + α_n A_{n−1} (same for B), r = lim A_n/B_n, with
///
///     λ  = (a + b) y − b = a − (a + b) x,   c = 1 + λ,   w = n (b − n) x,
///     α_n = (1 + (n−1)/a)(1 + (n−1)/a + b/a) (a/(a + 2n − 1))² · w x,
///     β_n = n + w/(a + 2n − 1) + ((1 + n/a)/(1 + 1/a + 2n/a)) (c + n (1 + y)).
///
/// It is the even contraction of the classical expansion (DLMF 8.17.22), but every coefficient
/// is formed from λ, x and y without the cancellation that 1 − (a + b)x/(a + 1) suffers when
/// a is large and x close to 1 (the Student-t case with large ν). It converges well for
/// λ ≥ 0, i.e. x ≤ a/(a + b); `lambda` must be supplied accurately by the caller.
func incompleteBetaContinuedFraction(
  _ a: Double, _ b: Double, x: Double, y: Double, lambda: Double
) -> Double {
  let epsilon = 1e-15
  let maxIterations = 10_000
  let c = 1 + lambda
  let c0 = b / a
  let c1 = 1 + 1 / a
  let yp1 = y + 1
  var n = 0.0
  var p = 1.0
  var s = a + 1
  var an = 0.0
  var bn = 1.0
  var anp1 = 1.0
  var bnp1 = c / c1
  var r = c1 / c
  for _ in 0..<maxIterations {
    n += 1
    let t = n / a
    let w = n * (b - n) * x
    var e = a / s
    let alpha = (p * (p + c0) * e * e) * (w * x)
    e = (1 + t) / (c1 + t + t)
    let beta = n + w / s + e * (c + n * yp1)
    p = 1 + t
    s += 2
    let nextA = alpha * an + beta * anp1
    an = anp1
    anp1 = nextA
    let nextB = alpha * bn + beta * bnp1
    bn = bnp1
    bnp1 = nextB
    let previous = r
    r = anp1 / bnp1
    if abs(r - previous) <= epsilon * r { break }
    // Rescale to keep the recurrence in range.
    an /= bnp1
    bn /= bnp1
    anp1 = r
    bnp1 = 1
  }
  return r
}

/// The regularized incomplete beta function and its complement,
///
///     I_x(a, b) = (1 / B(a, b)) ∫₀ˣ s^(a−1) (1 − s)^(b−1) ds,   and   1 − I_x(a, b) = I_{1−x}(b, a),
///
/// given both x and y = 1 − x (so a caller that knows y more accurately than 1 − x keeps that
/// accuracy). With λ = a − (a + b)x (formed from y when a > b), the continued fraction is applied
/// to I_x(a, b) when λ ≥ 0 and to I_y(b, a) otherwise, so the smaller of the two results is
/// computed directly, with full relative accuracy; the other is 1 minus it.
func regularizedIncompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (
  value: Double, complement: Double
) {
  if x <= 0 { return (0, 1) }
  if y <= 0 { return (1, 0) }
  let logX = x <= 0.5 ? log(x) : log1p(-y)
  let logY = y <= 0.5 ? log(y) : log1p(-x)
  let front = exp(a * logX + b * logY - logBeta(a, b))
  let lambda = a > b ? (a + b) * y - b : a - (a + b) * x
  if lambda >= 0 {
    let value = front * incompleteBetaContinuedFraction(a, b, x: x, y: y, lambda: lambda)
    return (value, 1 - value)
  } else {
    let complement =
      front * incompleteBetaContinuedFraction(b, a, x: y, y: x, lambda: -lambda)
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
