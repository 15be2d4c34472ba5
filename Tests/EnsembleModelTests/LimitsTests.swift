import EnsembleModel
import Testing

/// The public model API checks what it is given: values outside the engine's limits stop
/// with a message naming the parameter and its range, not with an overflow deep in a run.
/// (Each case runs in a child process: a failed precondition ends the process.)
@Suite("Limits of the public model API")
struct LimitsTests {
  @Test("Simulator with workload.stages = 32 stops with the range in the message")
  func tooManyStages() async throws {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var scenario = Scenario.default
      scenario.workload.stages = 32
      _ = Simulator(scenario: scenario)
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("workload.stages must be in 1...16, got 32"), "\(message)")
  }

  @Test("a run with redundancy = 65 stops with the range in the message")
  func tooManyVotes() async throws {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var simulator = Simulator(scenario: .default)
      var design = Design.unstructured
      design.redundancy = 65
      _ = simulator.run(design: design, seed: 1)
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("design.redundancy must be in 1...64, got 65"), "\(message)")
  }

  @Test("the limits are those the engine's bit masks allow")
  func limitsFitTheMasks() {
    // Blame and rework keep one bit per stage in a UInt32; votes one bit per slot in a UInt64.
    #expect(Limits.stages.upperBound <= UInt32.bitWidth)
    #expect(Limits.redundancy.upperBound <= UInt64.bitWidth)
    // The largest allowed values run.
    var scenario = Scenario.default
    scenario.workload.stages = Limits.stages.upperBound
    scenario.horizon = 4
    var simulator = Simulator(scenario: scenario)
    var design = Design.unstructured
    design.redundancy = 9
    let metrics = simulator.run(design: design, seed: 2)
    #expect(metrics.arrived > 0)
  }
}
