import EnsembleModel

/// One model parameter varied by a sensitivity analysis, and the range it is varied over.
///
/// Designs live in the unit hypercube; ``value(at:)`` maps one coordinate u onto the range.
/// A continuous factor takes `low + u · (high − low)`. An integer factor takes
/// `floor(low + u · (high − low + 1))`, clamped to `high`: for u uniform on [0, 1) each of the
/// `high − low + 1` integers gets an interval of u of the same length, so all are equally
/// likely (plain rounding would give the two ends half the weight of the others). On a Morris
/// grid, ``gridValue(at:levels:)`` puts the p levels on equally spaced values from `low` to
/// `high`, which for an integer factor must be whole numbers (``gridProblem(levels:)``).
public struct SensitivityFactor: Sendable, Hashable {
  /// The parameter's name, for messages and for whoever labels the results.
  public var name: String
  /// The lower end of the range.
  public var low: Double
  /// The upper end of the range.
  public var high: Double
  /// Whether the parameter takes whole numbers only.
  public var isInteger: Bool
  /// Whether this is the dummy: a factor the model never sees (see ``dummy``).
  public var isDummy: Bool
  /// The parameter's unit from the registry (e.g. "tasks/hour"), for labels; may be empty.
  public var unit: String

  public init(
    name: String, low: Double, high: Double, isInteger: Bool = false, isDummy: Bool = false,
    unit: String = ""
  ) {
    self.name = name
    self.low = low
    self.high = high
    self.isInteger = isInteger
    self.isDummy = isDummy
    self.unit = unit
  }

  /// A label for reports and charts: the key's last words spelt out, with the unit where it
  /// is one ("Arrival rate (tasks/hour)", "AI count (agents)"; probabilities and shares have
  /// none). The dummy is "Dummy (ignored by the model)".
  public var label: String {
    let bare = ["", "probability", "share"]
    return isDummy || bare.contains(unit) ? name(inWords: ()) : "\(name(inWords: ())) (\(unit))"
  }

  /// ``label`` without the unit, for sentences: "Arrival rate", "AI count".
  public var shortLabel: String { name(inWords: ()) }

  private func name(inWords: Void) -> String {
    if isDummy { return "Dummy (ignored by the model)" }
    var parts = name.split(separator: ".").map(String.init)
    if parts.count > 1 { parts.removeFirst() }
    var words: [String] = []
    for part in parts {
      var word = ""
      for character in part {
        if character.isUppercase && !word.isEmpty {
          words.append(word)
          word = ""
        }
        word.append(character)
      }
      if !word.isEmpty { words.append(word) }
    }
    words = words.enumerated().map { i, word in
      if word.lowercased() == "ai" { return "AI" }
      let lower = word.lowercased()
      return i == 0 ? lower.prefix(1).uppercased() + lower.dropFirst() : lower
    }
    return words.joined(separator: " ")
  }

  /// The dummy factor of `dummy: true`: a column of the design on [0, 1] that no model
  /// parameter takes. It only decides which replication seeds a point runs on
  /// (``SensitivitySpec/seedStreams(seed:)``), so the indices it gets are what replication
  /// noise and the sample size alone produce: the noise floor.
  public static let dummy = SensitivityFactor(name: "dummy", low: 0, high: 1, isDummy: true)

  /// The parameter value at unit coordinate `u` (see the type's description for the mapping).
  public func value(at u: Double) -> Double {
    if isInteger {
      return min((low + u * (high - low + 1)).rounded(.down), high)
    }
    return low + u * (high - low)
  }

  /// The value at level `u · (p − 1)` of a p-level Morris grid (u = 0, 1/(p − 1), …, 1):
  /// `low + level · (high − low)/(p − 1)`, equally spaced from `low` to `high`. An integer
  /// factor's range is a multiple of p − 1 (``gridProblem(levels:)``), so its levels are whole
  /// numbers with equal steps, and a step of Δ moves it by the same whole amount everywhere.
  public func gridValue(at u: Double, levels: Int) -> Double {
    let scale = Double(levels - 1)
    let level = (u * scale).rounded()
    if level == scale { return high }
    let x = low + level * (high - low) / scale
    return isInteger ? x.rounded() : x
  }

  /// Why a p-level Morris grid cannot put this integer factor on equally spaced whole
  /// numbers, with ranges that would work; nil for a continuous factor or a range that is a
  /// multiple of p − 1.
  public func gridProblem(levels p: Int) -> String? {
    guard isInteger, p > 1 else { return nil }
    let width = Int(high - low)
    let gaps = p - 1
    guard width % gaps != 0 else { return nil }
    let f = ParameterValue.format
    let up = (width / gaps + 1) * gaps
    let alternative =
      stride(from: 4, through: min(width + 1, 100), by: 2).first { width % ($0 - 1) == 0 } ?? 2
    var ranges = ["[\(f(low)), \(f(low + Double(up)))]"]
    if width / gaps >= 1 {
      ranges.insert("[\(f(low)), \(f(low + Double(width / gaps * gaps)))]", at: 0)
    }
    return "\(name): [\(f(low)), \(f(high))] cannot be split into \(p) levels with equal "
      + "whole-number steps (\(f(high)) - \(f(low)) = \(width) is not a multiple of \(gaps)); "
      + "use a range such as " + ranges.joined(separator: " or ")
      + ", or levels: \(alternative)"
  }

  /// The values of `factors` at a point of the unit hypercube, coordinate i on factor i.
  ///
  /// - Precondition: `point.count == factors.count`.
  public static func values(at point: [Double], of factors: [SensitivityFactor]) -> [Double] {
    precondition(point.count == factors.count, "a point needs one coordinate per factor")
    return zip(factors, point).map { $0.value(at: $1) }
  }

  /// Why this factor's range is unusable, or nil when it is fine.
  public var problem: String? {
    let f = ParameterValue.format
    guard low.isFinite && high.isFinite else { return "\(name): the range must be finite" }
    guard low < high else { return "\(name): low (\(f(low))) must be below high (\(f(high)))" }
    if isInteger && (low != low.rounded() || high != high.rounded()) {
      return "\(name): integer bounds must be whole numbers, got \(f(low)) to \(f(high))"
    }
    return nil
  }

  /// Why `factors` cannot make a sensitivity analysis, or nil: fewer than two factors, a
  /// repeated name, or an unusable range (the first problem found, in list order).
  public static func problem(with factors: [SensitivityFactor]) -> String? {
    if factors.count < 2 {
      return "a sensitivity analysis needs at least 2 parameters, got \(factors.count)"
    }
    var seen: Set<String> = []
    for factor in factors {
      if let problem = factor.problem { return problem }
      if !seen.insert(factor.name).inserted { return "\(factor.name) is listed twice" }
    }
    return nil
  }
}

/// Saltelli's sampling scheme for first- and total-order Sobol' indices, in the unit hypercube.
///
/// For k parameters and base sample size N, N points of a 2k-dimensional ``SobolSequence``
/// form the base sample: matrix A is their first k coordinates, matrix B their last k.
/// AB⁽ⁱ⁾ is A with column i taken from B. The design has N · (k + 2) rows, grouped by base
/// row j = 0…N−1:
///
///     row j(k+2)          A_j
///     row j(k+2) + i      AB_j⁽ⁱ⁾   for i = 1…k (parameter i − 1, counting from 0)
///     row j(k+2) + k + 1  B_j
///
/// This is SALib's order for `calc_second_order=False`, so the outputs of one base row arrive
/// together and an estimator can take them block by block. Saltelli et al. (2010), "Variance
/// based sensitivity analysis of model output", Comput. Phys. Commun. 181:259–270.
///
/// Which N points:
/// - **Scrambled** (`scramble:` a seed): points 0…N−1, each coordinate Owen-scrambled
///   (nested uniform scrambling, Owen 1995): bit b of a coordinate's 32-bit integer is
///   flipped when a random bit, chosen by the seed, the dimension, b and the b − 1 bits
///   above it, is 1, and the 20 bits below the 32nd are filled at random the same way. Each
///   point is then uniform on the cube, the N points still form a (t, m, 2k)-net (so
///   nothing is skipped), and A = B happens with probability 0. Different seeds give
///   independent randomisations: ``SensitivitySpec`` uses one per repeat.
/// - **Unscrambled** (`skip:` N): points N…2N−1 of the sequence, as SALib's
///   `sobol.sample(problem, N, calc_second_order=False, scramble=False, skip_values=N)`.
///   These 2^m points are also a net; the first ones are skipped because base rows 0 and 1
///   (the origin and the centre) have A_j = B_j, so their k + 2 points coincide and carry no
///   information. Skipping fewer than N points would lose the net's balance (Owen 2020).
///
/// Memory: the N × 2k base sample; each row is built on access in O(k).
public struct SaltelliDesign: RandomAccessCollection, Sendable {
  /// What a row of the design is.
  public enum Role: Sendable, Hashable {
    /// A row of matrix A.
    case a
    /// A row of AB⁽ⁱ⁾: A with the coordinate of parameter `i` (from 0) taken from B.
    case ab(Int)
    /// A row of matrix B.
    case b
  }

  /// k, the number of parameters.
  public let parameterCount: Int
  /// N, the number of base rows.
  public let baseSampleSize: Int
  /// The base sample, row-major: N rows of 2k coordinates (A's k, then B's k).
  private let base: [Double]

  /// The design for `parameterCount` parameters and `baseSampleSize` base rows: the Sobol'
  /// points from `skip` on, Owen-scrambled with `scramble` when it is given.
  ///
  /// - Precondition: ``problem(parameterCount:baseSampleSize:)`` is nil.
  public init(parameterCount: Int, baseSampleSize: Int, scramble: UInt64? = nil, skip: Int = 0) {
    if let problem = Self.problem(parameterCount: parameterCount, baseSampleSize: baseSampleSize) {
      preconditionFailure("SaltelliDesign: \(problem)")
    }
    self.parameterCount = parameterCount
    self.baseSampleSize = baseSampleSize
    var sequence = SobolSequence(dimensions: 2 * parameterCount, skip: skip)
    var base: [Double] = []
    base.reserveCapacity(baseSampleSize * 2 * parameterCount)
    for _ in 0..<baseSampleSize {
      let point = sequence.next()
      if let scramble {
        for (d, x) in point.enumerated() {
          base.append(Self.owenScramble(UInt32(x * 0x1p32), dimension: d, seed: scramble))
        }
      } else {
        base += point
      }
    }
    self.base = base
  }

  /// Nested uniform (Owen) scrambling of one coordinate's 32-bit integer `x`, as a number in
  /// [0, 1): bit b (from the top) is flipped by a random bit that depends on the seed, the
  /// dimension, b and the bits of `x` above b; then 20 random bits, chosen by all 32, fill in
  /// below. The random bits come from the SplitMix64 finaliser of those inputs.
  static func owenScramble(_ x: UInt32, dimension: Int, seed: UInt64) -> Double {
    let key = SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(dimension) &+ 0x0DD5_EED0))
    var result: UInt32 = 0
    for b in 0..<32 {
      let prefix = b == 0 ? 0 : UInt64(x >> UInt32(32 - b))
      let flip = UInt32(SplitMix64.mix(key ^ (UInt64(b) << 32 | prefix)) >> 63)
      let bit = (x >> UInt32(31 - b)) & 1
      result |= (bit ^ flip) << UInt32(31 - b)
    }
    let low = SplitMix64.mix(key ^ (32 << 32 | UInt64(x))) >> 44
    return (Double(result) + Double(low) * 0x1p-20) * 0x1p-32
  }

  /// Why a design with these sizes cannot be made, or nil when it can.
  public static func problem(parameterCount k: Int, baseSampleSize n: Int) -> String? {
    if k < 2 { return "a sensitivity analysis needs at least 2 parameters, got \(k)" }
    let most = SobolSequence.maximumDimensions / 2
    if k > most { return "at most \(most) parameters are supported, got \(k)" }
    if n < 4 || n > SobolSequence.maximumCount / 2 || n & (n - 1) != 0 {
      return "the base sample size must be a power of two from 4 (e.g. 512 or 1024), got \(n)"
    }
    return nil
  }

  /// Rows per base row: k + 2.
  public var rowsPerBaseRow: Int { parameterCount + 2 }

  public var startIndex: Int { 0 }
  public var endIndex: Int { baseSampleSize * rowsPerBaseRow }

  /// Row `row`: k coordinates in [0, 1).
  public subscript(row: Int) -> [Double] {
    precondition(indices.contains(row), "SaltelliDesign: row \(row) out of range")
    let k = parameterCount
    let offset = baseRow(ofRow: row) * 2 * k
    switch role(ofRow: row) {
    case .a: return Array(base[offset..<(offset + k)])
    case .b: return Array(base[(offset + k)..<(offset + 2 * k)])
    case .ab(let i):
      var point = Array(base[offset..<(offset + k)])
      point[i] = base[offset + k + i]
      return point
    }
  }

  /// The base row j of design row `row`.
  public func baseRow(ofRow row: Int) -> Int { row / rowsPerBaseRow }

  /// Which matrix design row `row` belongs to.
  public func role(ofRow row: Int) -> Role {
    let position = row % rowsPerBaseRow
    if position == 0 { return .a }
    if position == parameterCount + 1 { return .b }
    return .ab(position - 1)
  }
}

/// Morris's elementary-effects screening design: r trajectories on a p-level grid.
///
/// The grid is {0, 1/(p−1), …, 1} in each coordinate, p even, and the step is
/// Δ = p / (2(p − 1)) (2/3 for the default p = 4). Each trajectory is Morris's (1991)
/// randomised matrix B* = (J x* + (Δ/2)[(2B − J) D* + J]) P*, as in Campolongo, Cariboni and
/// Saltelli (2007), built as a walk:
///
/// 1. a base point x* with each coordinate drawn uniformly from the p/2 levels that leave room
///    for a step up, {0, …, 1 − Δ};
/// 2. a direction d_i = ±1 for each parameter, each with probability ½; the walk starts at
///    x*_i when d_i = +1 and at x*_i + Δ when d_i = −1;
/// 3. a uniformly random order of the parameters; step s moves the s-th parameter of that
///    order by d_i · Δ.
///
/// So a trajectory has k + 1 points, consecutive points differ in exactly one coordinate by
/// ±Δ, and every parameter moves exactly once. Campolongo's selection of the r most spread
/// trajectories out of a larger set is not done.
///
/// The draws come from ``Xoshiro256StarStar`` seeded with `seed`, in this order for each
/// trajectory in turn: the k levels of x*, the k directions, then the k − 1 draws of a
/// Fisher–Yates shuffle; bounded integers by Lemire's multiply-and-reject. The design depends
/// on the seed and the sizes only.
///
/// Row order when the points are run one after another (``points``): trajectory t's points
/// are rows t(k + 1) … t(k + 1) + k.
public struct MorrisDesign: Sendable {
  /// One step of a trajectory: the parameter that moves, and by how much.
  public struct Step: Sendable, Hashable {
    /// The parameter (from 0) whose coordinate changes.
    public let parameter: Int
    /// The signed change of that coordinate in the unit hypercube: +Δ or −Δ.
    public let delta: Double
  }

  /// One trajectory: k + 1 points and the k steps between them.
  public struct Trajectory: Sendable, Hashable {
    /// The points, each with k coordinates on the grid.
    public let points: [[Double]]
    /// `steps[s]` leads from `points[s]` to `points[s + 1]`.
    public let steps: [Step]
  }

  /// k, the number of parameters.
  public let parameterCount: Int
  /// p, the number of grid levels.
  public let levels: Int
  /// Δ = p / (2(p − 1)), the size of every step.
  public let delta: Double
  /// The r trajectories.
  public let trajectories: [Trajectory]

  /// `trajectoryCount` trajectories for `parameterCount` parameters on a `levels`-level grid.
  ///
  /// - Precondition:
  ///   ``problem(parameterCount:trajectoryCount:levels:)`` is nil.
  public init(parameterCount: Int, trajectoryCount: Int, levels: Int = 4, seed: UInt64) {
    if let problem = Self.problem(
      parameterCount: parameterCount, trajectoryCount: trajectoryCount, levels: levels)
    {
      preconditionFailure("MorrisDesign: \(problem)")
    }
    let k = parameterCount
    let jump = levels / 2
    let scale = Double(levels - 1)
    self.parameterCount = k
    self.levels = levels
    self.delta = Double(jump) / scale
    var generator = Xoshiro256StarStar(seed: seed)
    var trajectories: [Trajectory] = []
    trajectories.reserveCapacity(trajectoryCount)
    for _ in 0..<trajectoryCount {
      let base = (0..<k).map { _ in Int(generator.below(UInt64(jump))) }
      let up = (0..<k).map { _ in generator.below(2) == 0 }
      var order = Array(0..<k)
      for i in stride(from: k - 1, to: 0, by: -1) {
        order.swapAt(i, Int(generator.below(UInt64(i + 1))))
      }
      // Work in grid levels (integers) so every coordinate is exactly level / (p − 1).
      var level = (0..<k).map { base[$0] + (up[$0] ? 0 : jump) }
      var points = [level.map { Double($0) / scale }]
      var steps: [Step] = []
      for i in order {
        level[i] += up[i] ? jump : -jump
        points.append(level.map { Double($0) / scale })
        steps.append(Step(parameter: i, delta: up[i] ? delta : -delta))
      }
      trajectories.append(Trajectory(points: points, steps: steps))
    }
    self.trajectories = trajectories
  }

  /// Why a design with these sizes cannot be made, or nil when it can.
  public static func problem(parameterCount k: Int, trajectoryCount r: Int, levels p: Int)
    -> String?
  {
    if k < 2 { return "a sensitivity analysis needs at least 2 parameters, got \(k)" }
    if r < 2 { return "Morris screening needs at least 2 trajectories, got \(r)" }
    if p < 2 || p % 2 != 0 {
      return "the number of grid levels must be even and at least 2 (4 is usual), got \(p)"
    }
    return nil
  }

  /// Every point of every trajectory, trajectory after trajectory: r(k + 1) rows.
  public var points: [[Double]] { trajectories.flatMap(\.points) }
}

extension Xoshiro256StarStar {
  /// A uniform integer in 0..<bound (Lemire 2019, "Fast random integer generation in an
  /// interval"): the high word of a 64 × 64-bit product, redrawn in the rare biased case.
  fileprivate mutating func below(_ bound: UInt64) -> UInt64 {
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }
}
