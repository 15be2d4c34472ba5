import Testing

@testable import EnsembleAnalysis

@Suite("Running statistics, summaries and contrasts")
struct StatisticsTests {
  /// The fixed sample used for reference values.
  static let sample = [2.1, 3.4, 1.9, 5.6, 4.2, 3.3, 2.8]

  @Test("mean, sd, standard error and CI match numpy/scipy")
  func sampleStatistics() throws {
    let stats = RunningStats(Self.sample)
    #expect(stats.n == 7)
    // x = numpy.array(sample); x.mean(), x.std(ddof=1), scipy.stats.sem(x)
    #expect(isClose(stats.mean, 3.3285714285714287, relative: 1e-12))
    #expect(isClose(stats.sd, 1.2750350135248387, relative: 1e-12))
    #expect(isClose(stats.standardError, 0.48191793695522855, relative: 1e-12))
    #expect(isClose(stats.variance, 1.2750350135248387 * 1.2750350135248387, relative: 1e-12))
    // scipy.stats.t.interval(0.95, 6, loc=x.mean(), scale=scipy.stats.sem(x))
    let ci95 = try #require(stats.confidenceInterval())
    #expect(isClose(ci95.low, 2.149360717356341))
    #expect(isClose(ci95.high, 4.507782139786516))
    // scipy.stats.t.interval(0.99, 6, loc=x.mean(), scale=scipy.stats.sem(x))
    let ci99 = try #require(stats.confidenceInterval(level: 0.99))
    #expect(isClose(ci99.low, 1.5418953651245728))
    #expect(isClose(ci99.high, 5.115247492018285))
  }

  @Test("small samples give nil where undefined")
  func smallSamples() {
    let empty = RunningStats()
    #expect(empty.n == 0)
    #expect(empty.mean == nil)
    #expect(empty.variance == nil)
    #expect(empty.sd == nil)
    #expect(empty.standardError == nil)
    #expect(empty.confidenceInterval() == nil)

    let one = RunningStats([4.5])
    #expect(one.mean == 4.5)
    #expect(one.sd == nil)
    #expect(one.confidenceInterval() == nil)

    let constant = RunningStats([2, 2, 2])
    #expect(constant.sd == 0)
    let interval = constant.confidenceInterval()
    #expect(interval?.low == 2 && interval?.high == 2)
  }

  @Test("Welford is stable with a large offset")
  func largeOffset() {
    // 1e9 + [4, 7, 13, 16]: mean 1e9 + 10, sample variance (36 + 9 + 9 + 36)/3 = 30 exactly.
    let stats = RunningStats([4.0, 7, 13, 16].map { $0 + 1e9 })
    #expect(isClose(stats.mean, 1e9 + 10, relative: 1e-15))
    #expect(isClose(stats.variance, 30, relative: 1e-9))
  }

  @Test("state depends only on the sequence of values")
  func determinism() {
    var a = RunningStats()
    var b = RunningStats()
    for x in Self.sample { a.add(x) }
    for x in Self.sample { b.add(x) }
    #expect(a == b)
    #expect(a == RunningStats(Self.sample))
  }

  @Test("summary follows the nil rules")
  func summary() throws {
    let s = Summary(of: Self.sample)
    #expect(s.n == 7)
    #expect(isClose(s.mean, 3.3285714285714287, relative: 1e-12))
    #expect(isClose(s.sd, 1.2750350135248387, relative: 1e-12))
    #expect(isClose(s.ciLow, 2.149360717356341))
    #expect(isClose(s.ciHigh, 4.507782139786516))

    #expect(
      Summary(RunningStats()) == Summary(n: 0, mean: nil, sd: nil, ciLow: nil, ciHigh: nil))
    #expect(
      Summary(RunningStats([1.5])) == Summary(n: 1, mean: 1.5, sd: nil, ciLow: nil, ciHigh: nil))
  }

  @Test("paired contrast matches scipy")
  func pairedContrast() throws {
    let values: [Double?] = [10.2, 11.5, nil, 9.8, 12.1, 10.9, 11.0, nil, 13.4]
    let baselines: [Double?] = [9.1, 10.7, 8.0, 9.9, nil, 10.1, 10.2, nil, 12.0]
    var accumulator = PairedAccumulator()
    for (value, baseline) in zip(values, baselines) {
      accumulator.add(value, baseline: baseline)
    }
    let contrast = accumulator.contrast()
    // Complete pairs only: v = [10.2, 11.5, 9.8, 10.9, 11.0, 13.4],
    //                      b = [9.1, 10.7, 9.9, 10.1, 10.2, 12.0], d = v - b.
    #expect(contrast.n == 6)
    // d.mean()
    #expect(isClose(contrast.meanDiff, 0.8000000000000004, relative: 1e-12))
    // scipy.stats.ttest_rel(v, b).confidence_interval(0.95)
    #expect(isClose(contrast.ciLow, 0.27318748980729324))
    #expect(isClose(contrast.ciHigh, 1.3268125101927075))
    // d.mean() / b.mean()
    #expect(isClose(contrast.relChange, 0.07741935483870971, relative: 1e-12))
    // d.mean() / d.std(ddof=1)
    #expect(isClose(contrast.effectSize, 1.5936381457791928, relative: 1e-12))
  }

  @Test("paired contrast nil rules")
  func pairedNilRules() {
    var empty = PairedAccumulator()
    empty.add(nil, baseline: 1)
    empty.add(1, baseline: nil)
    #expect(
      empty.contrast()
        == Contrast(
          n: 0, meanDiff: nil, ciLow: nil, ciHigh: nil, relChange: nil, effectSize: nil))

    var single = PairedAccumulator()
    single.add(3, baseline: 2)
    #expect(
      single.contrast()
        == Contrast(n: 1, meanDiff: 1, ciLow: nil, ciHigh: nil, relChange: 0.5, effectSize: nil))

    // Constant differences: sd = 0, so no effect size; the interval collapses to the point.
    var constant = PairedAccumulator()
    constant.add(3, baseline: 1)
    constant.add(5, baseline: 3)
    let c = constant.contrast()
    #expect(c.meanDiff == 2 && c.ciLow == 2 && c.ciHigh == 2)
    #expect(c.effectSize == nil)
    #expect(c.relChange == 1)

    // Zero baseline mean: no relative change.
    var zeroBaseline = PairedAccumulator()
    zeroBaseline.add(1, baseline: -1)
    zeroBaseline.add(2, baseline: 1)
    #expect(zeroBaseline.contrast().relChange == nil)
    #expect(zeroBaseline.contrast().effectSize != nil)
  }

  @Test("Welch interval matches scipy")
  func welch() throws {
    let a = RunningStats([5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3])
    let b = RunningStats([4.1, 4.4, 3.9, 5.0, 4.6, 4.2, 3.6, 4.8, 4.0, 4.4])
    let result = try #require(welchInterval(a, b))
    // r = scipy.stats.ttest_ind(a, b, equal_var=False); r.confidence_interval(0.95), r.df
    #expect(isClose(result.diff, 1.2428571428571429, relative: 1e-12))
    #expect(isClose(result.low, 0.7509495430847104))
    #expect(isClose(result.high, 1.7347647426295754))
    #expect(isClose(result.df, 12.042446240639997))

    #expect(welchInterval(a, RunningStats([1.0])) == nil)
    let flat = try #require(welchInterval(RunningStats([1, 1]), RunningStats([3, 3, 3])))
    #expect(flat.diff == -2 && flat.low == -2 && flat.high == -2 && flat.df == 3)
  }
}
