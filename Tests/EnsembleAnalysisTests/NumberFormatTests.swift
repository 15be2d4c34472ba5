import Testing

@testable import EnsembleAnalysis

@Suite("Number formatting")
struct NumberFormatTests {
  @Test("chart labels have up to 3 significant digits, no trailing zeros, comma thousands")
  func labels() {
    #expect(NumberFormat.label(0.853) == "0.853")
    #expect(NumberFormat.label(0.85312) == "0.853")
    #expect(NumberFormat.label(12.5) == "12.5")
    #expect(NumberFormat.label(12.51) == "12.5")
    #expect(NumberFormat.label(1250) == "1,250")
    #expect(NumberFormat.label(1_234_567) == "1,230,000")
    #expect(NumberFormat.label(0.0012) == "0.0012")
    #expect(NumberFormat.label(-3) == "-3")
    #expect(NumberFormat.label(0) == "0")
    #expect(NumberFormat.label(-0.0) == "0")
    #expect(NumberFormat.label(0.5) == "0.5")
    #expect(NumberFormat.label(100) == "100")
    #expect(NumberFormat.label(999.6) == "1,000")
    #expect(NumberFormat.label(0.1 + 0.2) == "0.3")
    #expect(NumberFormat.label(-0.04567) == "-0.0457")
    #expect(NumberFormat.label(1.5e-5) == "1.5e-5")
    #expect(NumberFormat.label(.nan) == "NaN")
    #expect(NumberFormat.label(-.infinity) == "-∞")
  }

  @Test("report numbers: 3 significant digits below 1000, whole numbers in full above")
  func brief() {
    #expect(NumberFormat.brief(0.85312) == "0.853")
    #expect(NumberFormat.brief(2.2679) == "2.27")
    #expect(NumberFormat.brief(58.104) == "58.1")
    #expect(NumberFormat.brief(16501.15) == "16501")
    #expect(NumberFormat.brief(0.0012345) == "0.00123")
    #expect(NumberFormat.brief(-0.0001) == "-0.0001")
    #expect(NumberFormat.brief(1.0) == "1")
    #expect(NumberFormat.brief(-0.0) == "0")
    #expect(NumberFormat.signed(0.25) == "+0.25")
    #expect(NumberFormat.signed(-0.25) == "-0.25")
    #expect(NumberFormat.signed(0) == "0")
  }

  @Test("percentages: whole from 10%, one decimal below, no sign on zero")
  func percent() {
    #expect(NumberFormat.percent(0.3612) == "36%")
    #expect(NumberFormat.percent(0.0995) == "10%")
    #expect(NumberFormat.percent(0.045) == "4.5%")
    #expect(NumberFormat.percent(0.02) == "2.0%")
    #expect(NumberFormat.percent(-0.0004) == "0.0%")
    #expect(NumberFormat.percent(-0.26) == "-26%")
    #expect(NumberFormat.percent(2.67) == "267%")
    #expect(NumberFormat.signedPercent(0.36) == "+36%")
    #expect(NumberFormat.signedPercent(0.0001) == "0.0%")
    #expect(NumberFormat.signedPercent(-0.073) == "-7.3%")
  }

  @Test("fixed decimals, grouping and trailing zeros")
  func fixed() {
    #expect(NumberFormat.fixed(1234.5, decimals: 2) == "1,234.5")
    #expect(NumberFormat.fixed(1234.5, decimals: 2, grouping: false) == "1234.5")
    #expect(NumberFormat.fixed(2, decimals: 1, trimmingZeros: false) == "2.0")
    #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0")
    #expect(NumberFormat.fixed(9.2e15, decimals: 0) == "9.2e15")
  }
}
