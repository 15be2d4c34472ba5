import EnsembleModel
import Foundation

/// `ensemble bench`: the engine's speed on the default scenario, one core, both presets.
enum BenchCommand {
  static let help = """
    Usage: ensemble bench [--replications N]

    Runs the default scenario under the unstructured and structured presets on one core
    and prints events per second (entries taken off the event queue), replications per
    second and the peak memory of the process. Build with `swift build -c release` and run
    on an idle machine for figures worth quoting.
    """

  static func main(_ arguments: [String]) throws(CLIError) -> ExitCode {
    let args = try Arguments(
      arguments, spec: OptionSpec(values: ["replications"]), command: "bench")
    if args.flags.contains("help") {
      Console.out(help)
      return .success
    }
    let replications =
      try args.integer("replications", in: 1...10_000_000, command: "bench") ?? 2000
    #if DEBUG
      Console.error(
        "ensemble bench: this is a debug build; use `swift build -c release` for real figures")
    #endif
    Console.out(
      "design        replications  events/s        replications/s  mean events/replication")
    var totalEvents = 0
    var totalSeconds = 0.0
    for (name, design) in Design.presets {
      var simulator = Simulator(scenario: .default)
      // Warm up: the first replications size the engine's storage.
      for r in 0..<10 { _ = simulator.run(design: design, seed: UInt64(r)) }
      var events = 0
      let start = DispatchTime.now().uptimeNanoseconds
      for r in 0..<replications {
        events +=
          simulator.run(
            design: design, seed: ReplicationSeed.derive(experimentSeed: 1, replication: r)
          ).events
      }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      totalEvents += events
      totalSeconds += seconds
      Console.out(
        name.padding(toLength: 14, withPad: " ", startingAt: 0)
          + String(replications).padding(toLength: 14, withPad: " ", startingAt: 0)
          + format(Double(events) / seconds).padding(toLength: 16, withPad: " ", startingAt: 0)
          + format(Double(replications) / seconds).padding(
            toLength: 16, withPad: " ", startingAt: 0)
          + String(events / replications))
    }
    Console.out(
      "both".padding(toLength: 14, withPad: " ", startingAt: 0)
        + String(2 * replications).padding(toLength: 14, withPad: " ", startingAt: 0)
        + format(Double(totalEvents) / totalSeconds).padding(
          toLength: 16, withPad: " ", startingAt: 0)
        + format(Double(2 * replications) / totalSeconds))
    Console.out("peak memory   \(Console.peakMemoryBytes / 1024) KiB")
    return .success
  }

  /// A rate with thousands separators, e.g. 9,512,331.
  static func format(_ x: Double) -> String {
    let digits = String(Int(x.rounded()))
    var out = ""
    for (i, ch) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }
}
