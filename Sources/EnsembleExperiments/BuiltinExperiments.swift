/// The experiments shipped inside the binary: the files of `Experiments/`, embedded by
/// `Scripts/embed-experiments.sh`, so they work from a copied executable.
public enum BuiltinExperiments {
  /// Names of the built-in experiments, in name order.
  public static var names: [String] { texts.map(\.name) }

  /// The file text of a built-in experiment.
  public static func text(named name: String) -> String? {
    texts.first { $0.name == name }?.text
  }

  /// The one-line summary of a built-in experiment: the title its description opens with.
  public static func summary(named name: String) -> String {
    guard let text = text(named: name),
      let experiment = try? ExperimentLoader.load(text, source: name, defaultName: name)
    else { return "" }
    // The description's title: its text before the first colon, or its first sentence.
    var summary = experiment.description
    if let end = summary.range(of: ". ") { summary = String(summary[..<end.lowerBound]) }
    if let colon = summary.range(of: ": ") { summary = String(summary[..<colon.lowerBound]) }
    return summary
  }

  /// Loads a built-in experiment.
  public static func load(named name: String) throws(ExperimentError) -> Experiment? {
    guard let text = text(named: name) else { return nil }
    return try ExperimentLoader.load(text, source: "built-in \(name)", defaultName: name)
  }
}
