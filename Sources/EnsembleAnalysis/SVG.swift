/// Low-level helpers for writing SVG text by hand: escaping, fixed-format coordinates, text
/// width estimates and line wrapping. Everything here is locale-free and deterministic.
enum SVG {
  static let fontFamily = "Helvetica, Arial, sans-serif"
  /// Text colour for titles, labels and axes.
  static let ink = "#222222"
  /// Secondary text colour (subtitles, notes, "no value").
  static let mutedInk = "#555555"
  /// Axis lines.
  static let axis = "#333333"
  /// Grid lines.
  static let grid = "#E3E3E3"

  /// `text` with the five XML special characters replaced by entities, and characters that
  /// XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) replaced: tabs and line breaks by a space,
  /// the rest by U+FFFD.
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      case "\t", "\n", "\r": result += " "
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          result.unicodeScalars.append("\u{FFFD}")
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }

  /// A coordinate or length rounded to 0.1 px: "12", "12.5", "-3.2"; "0" for non-finite input.
  static func num(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let tenths = (x * 10).rounded()
    guard abs(tenths) < 1e15 else { return "0" }
    let scaled = Int(tenths)
    if scaled == 0 { return "0" }
    let magnitude = scaled.magnitude
    let sign = scaled < 0 ? "-" : ""
    let whole = magnitude / 10
    let fraction = magnitude % 10
    return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
  }

  /// ` name="value"` with the value escaped.
  static func attr(_ name: String, _ value: String) -> String {
    " \(name)=\"\(escape(value))\""
  }

  /// ` name="x"` for a coordinate.
  static func attr(_ name: String, _ value: Double) -> String {
    " \(name)=\"\(num(value))\""
  }

  enum Anchor: String {
    case start, middle, end
  }

  /// One `<text>` element.
  static func text(
    _ content: String, x: Double, y: Double, size: Double, anchor: Anchor = .start,
    bold: Bool = false, italic: Bool = false, fill: String = ink, rotate: Double? = nil,
    cls: String? = nil, data: [(String, String)] = []
  ) -> String {
    var s = "<text"
    if let cls { s += attr("class", cls) }
    for (key, value) in data { s += attr("data-\(key)", value) }
    s += attr("x", x) + attr("y", y) + attr("font-size", size)
    if anchor != .start { s += attr("text-anchor", anchor.rawValue) }
    if bold { s += " font-weight=\"bold\"" }
    if italic { s += " font-style=\"italic\"" }
    s += attr("fill", fill)
    if let rotate {
      s += " transform=\"rotate(\(num(rotate)) \(num(x)) \(num(y)))\""
    }
    return s + ">" + escape(content) + "</text>"
  }

  /// One `<line>` element.
  static func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double,
    dash: String? = nil, cls: String? = nil
  ) -> String {
    var s = "<line"
    if let cls { s += attr("class", cls) }
    s += attr("x1", x1) + attr("y1", y1) + attr("x2", x2) + attr("y2", y2)
    s += attr("stroke", stroke) + attr("stroke-width", width)
    if let dash, !dash.isEmpty { s += attr("stroke-dasharray", dash) }
    return s + "/>"
  }

  /// One `<rect>` element.
  static func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
    strokeWidth: Double = 1, cls: String? = nil, extra: String = ""
  ) -> String {
    var s = "<rect"
    if let cls { s += attr("class", cls) }
    s += attr("x", x) + attr("y", y) + attr("width", max(0, width)) + attr("height", max(0, height))
    s += attr("fill", fill)
    if let stroke { s += attr("stroke", stroke) + attr("stroke-width", strokeWidth) }
    return s + extra + "/>"
  }

  /// A list of points for `points="…"` or a path.
  static func points(_ points: [(Double, Double)]) -> String {
    points.map { "\(num($0.0)),\(num($0.1))" }.joined(separator: " ")
  }

  /// The complete document: root element, accessible title and description, white background.
  static func document(
    width: Double, height: Double, title: String, description: String, body: [String]
  ) -> String {
    var lines: [String] = []
    lines.append(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"" + attr("width", width)
        + attr("height", height) + " viewBox=\"0 0 \(num(width)) \(num(height))\" role=\"img\""
        + attr("font-family", fontFamily) + ">")
    lines.append("<title>\(escape(title))</title>")
    lines.append("<desc>\(escape(description))</desc>")
    lines.append(rect(x: 0, y: 0, width: width, height: height, fill: "#FFFFFF", cls: "background"))
    lines.append(contentsOf: body)
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Text measurement

  /// An estimate of the rendered width of `text` at `size` px, erring on the wide side: close
  /// to DejaVu Sans (what Linux substitutes for Helvetica), so Helvetica/Arial fit easily.
  static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
    var em = 0.0
    for scalar in text.unicodeScalars { em += width(of: scalar) }
    return em * size * (bold ? 1.08 : 1)
  }

  /// The width of one scalar in ems.
  static func width(of scalar: Unicode.Scalar) -> Double {
    switch scalar {
    case "i", "j", "l", "I", "!", "|", ".", ",", ":", ";", "'", " ": 0.3
    case "f", "t", "r", "(", ")", "[", "]", "-", "/", "\u{2009}": 0.4
    case "m", "w", "M", "W", "%", "@": 0.95
    case "A"..."Z": 0.72
    case "0"..."9", "a"..."z": 0.61
    default: scalar.value >= 0x2E80 ? 1.0 : 0.6
    }
  }

  /// `text`, shortened with "…" so that it fits in `maxWidth`: the longest prefix (without
  /// its trailing spaces) that fits with the "…".
  ///
  /// - Complexity: O(n) in the length of `text`. The widths of the prefixes are summed once,
  ///   scalar by scalar in order, so each is bit for bit the ``textWidth(_:size:bold:)`` of
  ///   that prefix; a prefix's width never shrinks as it grows, so the longest that fits is
  ///   the first found from the longest down.
  static func truncate(_ text: String, maxWidth: Double, size: Double, bold: Bool = false)
    -> String
  {
    guard textWidth(text, size: size, bold: bold) > maxWidth else { return text }
    let characters = Array(text)
    let ellipsis = width(of: "…")
    // em[k]: the ems of characters[0..<k]; kept[k]: the length of that prefix without its
    // trailing spaces.
    var em = [0.0]
    var kept = [0]
    em.reserveCapacity(characters.count + 1)
    kept.reserveCapacity(characters.count + 1)
    for (i, character) in characters.enumerated() {
      var sum = em[i]
      for scalar in character.unicodeScalars { sum += width(of: scalar) }
      em.append(sum)
      kept.append(character == " " ? kept[i] : i + 1)
    }
    for k in stride(from: characters.count - 1, through: 0, by: -1) {
      let end = kept[k]
      // The same operations in the same order as textWidth, so the same bits.
      if (em[end] + ellipsis) * size * (bold ? 1.08 : 1) <= maxWidth {
        return String(characters[..<end]) + "…"
      }
    }
    return "…"
  }

  /// `text` broken into at most `maxLines` lines no wider than `maxWidth`, breaking after
  /// spaces, "-", "_" and "/". Text that still does not fit is shortened with "…";
  /// `truncated` says whether that happened.
  static func wrap(_ text: String, maxWidth: Double, size: Double, maxLines: Int)
    -> (lines: [String], truncated: Bool)
  {
    var tokens: [String] = []
    var current = ""
    for character in text {
      current.append(character)
      if character == " " || character == "-" || character == "_" || character == "/" {
        tokens.append(current)
        current = ""
      }
    }
    if !current.isEmpty { tokens.append(current) }
    var lines: [String] = []
    var line = ""
    var index = 0
    while index < tokens.count {
      if lines.count == max(1, maxLines) - 1 {
        // The last permitted line takes everything that is left.
        line += tokens[index...].joined()
        break
      }
      let candidate = line + tokens[index]
      if line.isEmpty || textWidth(candidate.trimmingTrailingSpaces(), size: size) <= maxWidth {
        line = candidate
        index += 1
      } else {
        lines.append(line)
        line = ""
      }
    }
    if !line.isEmpty { lines.append(line) }
    var truncated = false
    lines = lines.map { raw in
      let trimmed = raw.trimmingTrailingSpaces()
      let fitted = truncate(trimmed, maxWidth: maxWidth, size: size)
      if fitted != trimmed { truncated = true }
      return fitted
    }
    return (lines.isEmpty ? [""] : lines, truncated)
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var result = self
    while result.last == " " { result.removeLast() }
    return result
  }
}
