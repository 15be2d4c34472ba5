/// True when `actual` is within `relative` of `expected` (relative to |expected|), or within
/// `absolute` when `expected` is zero or tiny.
func isClose(
  _ actual: Double?, _ expected: Double, relative: Double = 1e-9, absolute: Double = 1e-300
) -> Bool {
  guard let actual else { return false }
  return abs(actual - expected) <= max(relative * abs(expected), absolute)
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fixed-seed, platform-independent generator
/// for reproducible test inputs.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
