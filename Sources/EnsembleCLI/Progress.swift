import Foundation

/// Progress of a run on standard error: a bar with rate and time left on a terminal, a
/// plain line every few seconds otherwise, nothing with `--quiet`.
struct Progress {
  enum Style {
    case bar
    case lines
    case quiet
  }

  let total: Int
  /// Runs already done when this session started (a resumed run).
  let initial: Int
  let style: Style
  let started = Date()
  var lastShown = Date.distantPast

  init(total: Int, quiet: Bool, initial: Int = 0) {
    self.total = total
    self.initial = initial
    style = quiet ? .quiet : (Console.stderrIsTerminal ? .bar : .lines)
  }

  /// Reports `done` runs; shows at most 10 updates a second on a terminal, one every 5 s
  /// otherwise.
  mutating func update(_ done: Int) {
    let now = Date()
    switch style {
    case .quiet:
      return
    case .bar:
      guard now.timeIntervalSince(lastShown) >= 0.1 || done == total else { return }
      lastShown = now
      let width = 30
      let filled = total > 0 ? width * done / total : width
      let bar =
        String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      Console.status("\r[\(bar)] \(done)/\(total) runs  \(rateText(done, now))\u{1B}[K")
    case .lines:
      guard now.timeIntervalSince(lastShown) >= 5 else { return }
      if lastShown == .distantPast {
        lastShown = now
        return
      }
      lastShown = now
      let percent = total > 0 ? 100 * done / total : 100
      Console.error("ensemble: \(done)/\(total) runs (\(percent)%), \(rateText(done, now))")
    }
  }

  /// Ends the bar's line.
  func finish() {
    if style == .bar { Console.status("\r\u{1B}[K") }
  }

  func rateText(_ done: Int, _ now: Date) -> String {
    let elapsed = now.timeIntervalSince(started)
    guard elapsed > 0, done > initial else { return "starting" }
    let rate = Double(done - initial) / elapsed
    let left = Double(total - done) / rate
    return "\(Int(rate.rounded())) runs/s, \(Self.duration(left)) left"
  }

  /// `1:05:09`, `5:09` or `9 s`.
  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded(.up))
    if s < 60 { return "\(s) s" }
    let (h, m, r) = (s / 3600, (s % 3600) / 60, s % 60)
    let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
    let ss = r < 10 ? "0\(r)" : "\(r)"
    return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
  }
}
