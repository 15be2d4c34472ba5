import Foundation
import Testing

@testable import EnsembleAnalysis

/// A reference quantile: `expected` = scipy.stats.t.ppf(p, df).
struct QuantileCase: Sendable, CustomStringConvertible {
  let p: Double
  let df: Double
  let expected: Double
  var description: String { "t.ppf(\(p), \(df))" }
}

/// Reference values from scipy 1.17.1: `scipy.stats.t.ppf(p, df)` for
/// df in [1, 2, 3.5, 7, 30, 1000] and p in [0.9, 0.975, 0.995], printed with repr().
let quantileGrid: [QuantileCase] = [
  QuantileCase(p: 0.9, df: 1, expected: 3.0776835371752544),
  QuantileCase(p: 0.975, df: 1, expected: 12.706204736174694),
  QuantileCase(p: 0.995, df: 1, expected: 63.656741162871526),
  QuantileCase(p: 0.9, df: 2, expected: 1.8856180831641272),
  QuantileCase(p: 0.975, df: 2, expected: 4.302652729749462),
  QuantileCase(p: 0.995, df: 2, expected: 9.924843200918287),
  QuantileCase(p: 0.9, df: 3.5, expected: 1.5765766051364052),
  QuantileCase(p: 0.975, df: 3.5, expected: 2.9400886379827282),
  QuantileCase(p: 0.995, df: 3.5, expected: 5.085702223091256),
  QuantileCase(p: 0.9, df: 7, expected: 1.4149239276505086),
  QuantileCase(p: 0.975, df: 7, expected: 2.364624251592784),
  QuantileCase(p: 0.995, df: 7, expected: 3.4994832973504924),
  QuantileCase(p: 0.9, df: 30, expected: 1.3104150253913955),
  QuantileCase(p: 0.975, df: 30, expected: 2.0422724563012378),
  QuantileCase(p: 0.995, df: 30, expected: 2.7499956535672254),
  QuantileCase(p: 0.9, df: 1000, expected: 1.2823987214609247),
  QuantileCase(p: 0.975, df: 1000, expected: 1.9623390808264083),
  QuantileCase(p: 0.995, df: 1000, expected: 2.580754698065951),
]

/// More reference values, `scipy.stats.t.ppf(p, df)`: near the median, df < 1, a far tail,
/// the lower half, and very large df.
let quantileExtras: [QuantileCase] = [
  QuantileCase(p: 0.5000001, df: 5, expected: 2.6343055223849135e-07),
  QuantileCase(p: 0.6, df: 0.5, expected: 0.3979754267847907),
  QuantileCase(p: 0.999999, df: 0.3, expected: 3.0071858085027267e+18),
  QuantileCase(p: 0.05, df: 12.25, expected: -1.7792618031500262),
  QuantileCase(p: 1e-10, df: 4, expected: -416.1751403296041),
  QuantileCase(p: 0.975, df: 1e6, expected: 1.959966356814107),
  QuantileCase(p: 0.975, df: 1e9, expected: 1.959963986912325),
  QuantileCase(p: 1e-20, df: 0.5, expected: -1.0284911563163399e+39),
  QuantileCase(p: 1e-300, df: 1, expected: -3.183098861837907e+299),
  QuantileCase(p: 0.999999, df: 0.1, expected: 1.6044257052051919e+56),
]

@Suite("Student t distribution")
struct StudentTTests {
  @Test("quantiles match scipy on the df × p grid", arguments: quantileGrid)
  func quantileGridMatchesScipy(_ c: QuantileCase) {
    let t = studentTQuantile(c.p, degreesOfFreedom: c.df)
    #expect(isClose(t, c.expected, relative: 1e-11), "got \(t)")
    // Lower half by symmetry: t.ppf(1 - p, df) = -t.ppf(p, df).
    let lower = studentTQuantile(1 - c.p, degreesOfFreedom: c.df)
    #expect(isClose(lower, -c.expected, relative: 1e-11), "got \(lower)")
  }

  @Test("quantiles match scipy in awkward places", arguments: quantileExtras)
  func quantileExtrasMatchScipy(_ c: QuantileCase) {
    let t = studentTQuantile(c.p, degreesOfFreedom: c.df)
    #expect(isClose(t, c.expected, relative: 1e-9), "got \(t)")
  }

  @Test("infinite df is the standard normal")
  func infiniteDegreesOfFreedom() {
    // scipy.stats.norm.ppf(p) for p in [0.975, 0.995, 1e-10, 0.3]
    let cases: [(Double, Double)] = [
      (0.975, 1.959963984540054),
      (0.995, 2.5758293035489004),
      (1e-10, -6.361340902404056),
      (0.3, -0.5244005127080409),
    ]
    for (p, expected) in cases {
      let z = studentTQuantile(p, degreesOfFreedom: .infinity)
      #expect(isClose(z, expected, relative: 1e-11), "p = \(p): got \(z)")
    }
  }

  @Test("quantile edge cases")
  func quantileEdges() {
    #expect(studentTQuantile(0.5, degreesOfFreedom: 3) == 0)
    #expect(studentTQuantile(0, degreesOfFreedom: 3) == -.infinity)
    #expect(studentTQuantile(1, degreesOfFreedom: 3) == .infinity)
    // The exact quantile, about −10^1000, is beyond the Double range.
    #expect(studentTQuantile(1e-300, degreesOfFreedom: 0.3) == -.infinity)
    // Far tail with t² beyond the Double range: P(T ≤ t) ≈ 1e-300 still holds.
    let far = studentTQuantile(1e-300, degreesOfFreedom: 1.5)
    #expect(far < -1e199 && far.isFinite)
    #expect(isClose(studentTCDF(far, degreesOfFreedom: 1.5), 1e-300, relative: 1e-12))
  }

  @Test("CDF matches scipy")
  func cdfMatchesScipy() {
    // scipy.stats.t.cdf(t, df)
    let cases: [(t: Double, df: Double, expected: Double)] = [
      (2.0, 3, 0.9303370157205785),
      (-1.5, 7.3, 0.08778154640154305),
      (0.1, 1000, 0.539817815488198),
      (10.0, 2.5, 0.9977792521163463),
      (-40.0, 1, 0.007956089912025812),
      (1e-8, 4, 0.50000000375),
      (3.0, 0.7, 0.8583143303494871),
    ]
    for c in cases {
      let value = studentTCDF(c.t, degreesOfFreedom: c.df)
      #expect(isClose(value, c.expected, relative: 1e-12), "t = \(c.t), df = \(c.df): got \(value)")
    }
    #expect(studentTCDF(0, degreesOfFreedom: 5) == 0.5)
    #expect(studentTCDF(.infinity, degreesOfFreedom: 5) == 1)
    #expect(studentTCDF(-.infinity, degreesOfFreedom: 5) == 0)
  }

  @Test("CDF inverts the quantile across df and p")
  func cdfInvertsQuantile() {
    let dfs: [Double] = [0.2, 0.5, 1, 1.5, 2, 2.5, 4, 9.75, 50, 333, 1e5, 1e8, .infinity]
    let ps: [Double] = [1e-12, 1e-6, 0.001, 0.02, 0.2, 0.4, 0.49, 0.5001, 0.7, 0.9, 0.999]
    for df in dfs {
      for p in ps {
        let t = studentTQuantile(p, degreesOfFreedom: df)
        #expect(t.isFinite, "df = \(df), p = \(p)")
        let back = studentTCDF(t, degreesOfFreedom: df)
        // Compare the smaller tail, which carries the information.
        let tail = p < 0.5 ? p : 1 - p
        let backTail = p < 0.5 ? back : 1 - back
        #expect(isClose(backTail, tail, relative: 1e-9), "df = \(df), p = \(p): t = \(t)")
      }
    }
  }

  @Test("incomplete beta special cases")
  func incompleteBeta() {
    // I_x(1, 1) = x;  I_x(a, 1) = x^a;  I_x(1, b) = 1 − (1 − x)^b;  I_x(a, b) = 1 − I_{1−x}(b, a).
    for x in [0.0, 0.1, 0.37, 0.5, 0.9, 1.0] {
      #expect(isClose(regularizedIncompleteBeta(1, 1, x), x, relative: 1e-14, absolute: 1e-15))
      #expect(
        isClose(
          regularizedIncompleteBeta(3.5, 1, x), pow(x, 3.5), relative: 1e-13, absolute: 1e-15))
      #expect(
        isClose(
          regularizedIncompleteBeta(1, 2.25, x), 1 - pow(1 - x, 2.25), relative: 1e-13,
          absolute: 1e-15))
      let direct = regularizedIncompleteBeta(2.5, 7, x)
      let mirrored = 1 - regularizedIncompleteBeta(7, 2.5, 1 - x)
      #expect(isClose(direct, mirrored, relative: 1e-12, absolute: 1e-15))
    }
    // scipy.special.betainc(2.5, 7.0, 0.3)
    #expect(isClose(regularizedIncompleteBeta(2.5, 7, 0.3), 0.6412224629717214, relative: 1e-12))
  }

  @Test("log-beta agrees with log-gamma on the Stirling branch")
  func logBetaStirlingBranch() {
    // mpmath (40 digits): mpmath.log(mpmath.beta(a, b)). (scipy.special.betaln(0.5, 500) is
    // off by 1.3e-13 relative here, so the high-precision value is used.)
    #expect(isClose(logBeta(0.5, 500), -2.5346891063280624, relative: 1e-14))
    #expect(isClose(logBeta(0.5, 5e8), -9.4426943850185328, relative: 1e-14))
    #expect(isClose(logBeta(12.5, 30), -25.908683991310075, relative: 1e-14))
    #expect(isClose(logBeta(3, 4), -4.0943445622221, relative: 1e-14))
  }

  @Test("normal quantile starting approximation is close")
  func acklamApproximation() {
    // scipy.stats.norm.ppf(p); Acklam's approximation has relative error < 1.2e-9.
    #expect(isClose(approximateNormalQuantile(0.975), 1.959963984540054, relative: 2e-9))
    #expect(isClose(approximateNormalQuantile(1e-10), -6.361340902404056, relative: 2e-9))
    #expect(isClose(approximateNormalQuantile(0.3), -0.5244005127080409, relative: 2e-9))
  }
}
