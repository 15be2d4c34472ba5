/// The experiments shipped inside the binary: the files of `Experiments/`, embedded by
/// `Scripts/embed-experiments.sh`, so they work from a copied executable.
public enum BuiltinExperiments {
  /// Names of the built-in experiments, in name order.
  public static var names: [String] { texts.map(\.name) }

  /// The file text of a built-in experiment.
  public static func text(named name: String) -> String? {
    texts.first { $0.name == name }?.text
  }

  /// The one-line summary of a built-in experiment: its description's first sentence.
  public static func summary(named name: String) -> String {
    guard let text = text(named: name),
      let experiment = try? ExperimentLoader.load(text, source: name, defaultName: name)
    else { return "" }
    let description = experiment.description
    if let end = description.range(of: ". ") {
      return String(description[..<end.lowerBound]) + "."
    }
    return description
  }

  /// Loads a built-in experiment.
  public static func load(named name: String) throws(ExperimentError) -> Experiment? {
    guard let text = text(named: name) else { return nil }
    return try ExperimentLoader.load(text, source: "built-in \(name)", defaultName: name)
  }
}
