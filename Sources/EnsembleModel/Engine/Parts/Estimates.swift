/// The team's estimate of each agent's skill in each domain (docs/MODEL.md section 2; section 7,
/// "Ledger"), `[agent * domains + domain]`.
///
/// It starts at the initial skill plus a persistent Normal(0, `0.3 * (1 - leaderFluency)`)
/// error from the estimate stream, unclamped. Routing and escalation rank by it; the ledger
/// (and a mechanism of your own) moves it, clamped to [0, 1].
struct Estimates: ~Copyable {
  var values: Slab<Double>
  let cells: Int

  init(_ team: Team) {
    values = Slab(copying: team.skill)
    cells = team.count * team.domains
  }

  /// Draws the persistent errors: one normal per cell, in agent then domain order.
  mutating func reset(
    initial: borrowing Slab<Double>, fluency: Double, stream: inout Xoshiro256StarStar
  ) {
    let sigma = 0.3 * (1 - fluency)
    for i in 0..<cells { values[i] = initial[i] + stream.normal(mean: 0, sd: sigma) }
  }

  /// Moves cell `i` by `step`, clamped to [0, 1].
  @inline(__always) mutating func move(_ i: Int, by step: Double) {
    values[i] = min(1, max(0, values[i] + step))
  }

  /// Every estimate is a finite number.
  mutating func _checkInvariants() {
    for i in 0..<cells { precondition(values[i].isFinite, "estimate \(i) is \(values[i])") }
  }
}
