/// A part of a report.
public enum ReportBlock: Sendable, Equatable {
  case heading(level: Int, text: String)
  /// A paragraph; `**bold**` spans are kept in Markdown and become `<strong>` in HTML.
  case paragraph(String)
  case bullets([String])
  /// A table; `numeric[i]` right-aligns column i.
  case table(header: [String], rows: [[String]], numeric: [Bool])
  /// A chart: written beside the report as `file`, inlined in HTML.
  case figure(file: String, svg: String, caption: String)
  case code(String)
}

/// A report as a list of blocks, rendered to Markdown (`report.md`, charts linked) and to
/// one self-contained HTML page (`report.html`, charts inline, no external resources).
public struct ReportDocument: Sendable {
  public var title: String
  public var blocks: [ReportBlock]

  public init(title: String, blocks: [ReportBlock] = []) {
    self.title = title
    self.blocks = blocks
  }

  /// The charts of the report: file name and SVG text.
  public var figures: [(file: String, svg: String)] {
    blocks.compactMap {
      if case .figure(let file, let svg, _) = $0 { return (file, svg) }
      return nil
    }
  }

  public var markdown: String {
    var out = "# \(title)\n"
    for block in blocks {
      out += "\n"
      switch block {
      case .heading(let level, let text):
        out += String(repeating: "#", count: max(2, min(6, level))) + " \(text)\n"
      case .paragraph(let text):
        out += text + "\n"
      case .bullets(let items):
        for item in items { out += "- \(item)\n" }
      case .table(let header, let rows, let numeric):
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
        out +=
          "|"
          + header.indices.map { i in
            i < numeric.count && numeric[i] ? "---:" : "---"
          }.joined(separator: "|") + "|\n"
        for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
      case .figure(let file, _, let caption):
        out += "![\(caption)](\(file))\n\n*\(caption)*\n"
      case .code(let text):
        out += "```sh\n\(text)\n```\n"
      }
    }
    return out
  }

  public var html: String {
    var body = "<h1>\(Self.escape(title))</h1>\n"
    for block in blocks {
      switch block {
      case .heading(let level, let text):
        let l = max(2, min(6, level))
        body += "<h\(l)>\(Self.escape(text))</h\(l)>\n"
      case .paragraph(let text):
        body += "<p>\(Self.inline(text))</p>\n"
      case .bullets(let items):
        body += "<ul>\n" + items.map { "<li>\(Self.inline($0))</li>\n" }.joined() + "</ul>\n"
      case .table(let header, let rows, let numeric):
        func align(_ i: Int) -> String { i < numeric.count && numeric[i] ? " class=\"num\"" : "" }
        body += "<div class=\"table\"><table>\n<thead><tr>"
        body += header.enumerated().map { "<th\(align($0))>\(Self.escape($1))</th>" }.joined()
        body += "</tr></thead>\n<tbody>\n"
        for row in rows {
          body +=
            "<tr>" + row.enumerated().map { "<td\(align($0))>\(Self.inline($1))</td>" }.joined()
            + "</tr>\n"
        }
        body += "</tbody></table></div>\n"
      case .figure(_, let svg, let caption):
        var inline = svg
        if inline.hasPrefix("<?xml"), let end = inline.range(of: "?>") {
          inline = String(inline[end.upperBound...])
        }
        body += "<figure>\(inline)<figcaption>\(Self.escape(caption))</figcaption></figure>\n"
      case .code(let text):
        body += "<pre><code>\(Self.escape(text))</code></pre>\n"
      }
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(Self.escape(title))</title>
      <style>
      body { font-family: Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff;
             max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5;
             font-size: 18px; }
      p, ul { max-width: 60em; }
      h1 { font-size: 2rem; margin-bottom: 0.5rem; }
      h2 { font-size: 1.45rem; margin-top: 2.2rem; border-bottom: 2px solid #e3e3e3;
           padding-bottom: 0.2rem; }
      h3 { font-size: 1.1rem; margin: 1.4rem 0 0.2rem; }
      p.lead, .lead { font-size: 1.25rem; }
      .table { overflow-x: auto; }
      table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 15px; }
      th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid #ddd; text-align: left;
               vertical-align: top; }
      td { white-space: nowrap; }
      th { background: #f3f3f3; vertical-align: bottom; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
      figure { margin: 1.5rem 0; }
      figure svg { max-width: 100%; height: auto; }
      figcaption { color: #555; font-size: 15px; margin-top: 0.3rem; }
      pre { background: #f6f6f6; padding: 0.8rem 1rem; overflow-x: auto; font-size: 15px; }
      ul li { margin: 0.35rem 0; }
      </style>
      </head>
      <body>
      \(body)</body>
      </html>

      """
  }

  /// Escapes text for HTML.
  public static func escape(_ text: String) -> String {
    var out = ""
    for ch in text {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// Escapes text and turns `**bold**` and `` `code` `` spans into HTML.
  static func inline(_ text: String) -> String {
    var out = ""
    var bold = false
    var code = false
    var i = text.startIndex
    while i < text.endIndex {
      let rest = text[i...]
      if !code && rest.hasPrefix("**") {
        out += bold ? "</strong>" : "<strong>"
        bold.toggle()
        i = text.index(i, offsetBy: 2)
        continue
      }
      if rest.hasPrefix("`") {
        out += code ? "</code>" : "<code>"
        code.toggle()
        i = text.index(after: i)
        continue
      }
      out += escape(String(text[i]))
      i = text.index(after: i)
    }
    if code { out += "</code>" }
    if bold { out += "</strong>" }
    return out
  }
}
