import Testing

@testable import EnsembleAnalysis

@Suite("Report document")
struct ReportDocumentTests {
  static let document = ReportDocument(
    title: "A <title> & more",
    blocks: [
      .heading(level: 2, text: "What came out"),
      .paragraph("**structured** delivered 36% more correct work than **unstructured** (`a<b`)."),
      .bullets(["one", "two & three"]),
      .table(header: ["condition", "rate"], rows: [["x|y", "0.5"]], numeric: [false, true]),
      .figure(
        file: "chart.svg", svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        caption: "A chart"),
      .code("ensemble run --seed 1"),
    ])

  @Test("Markdown keeps bold, escapes table pipes, links charts and right-aligns numbers")
  func markdown() {
    let md = Self.document.markdown
    #expect(md.hasPrefix("# A <title> & more\n"))
    #expect(md.contains("**structured** delivered 36%"))
    #expect(md.contains("| x\\|y | 0.5 |"))
    #expect(md.contains("|---|---:|"))
    #expect(md.contains("![A chart](chart.svg)"))
    #expect(md.contains("```sh\nensemble run --seed 1\n```"))
  }

  @Test("HTML escapes text, turns bold and code into tags and inlines the charts")
  func html() {
    let html = Self.document.html
    #expect(html.contains("<title>A &lt;title&gt; &amp; more</title>"))
    #expect(html.contains("<strong>structured</strong> delivered 36%"))
    #expect(html.contains("<code>a&lt;b</code>"))
    #expect(html.contains("<li>two &amp; three</li>"))
    #expect(html.contains("<td class=\"num\">0.5</td>"))
    #expect(html.contains("<figure><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"))
    #expect(!html.contains("chart.svg"), "charts are inline, not linked")
    #expect(Self.document.figures.map(\.file) == ["chart.svg"])
  }
}
