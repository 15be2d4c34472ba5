/// Versions of Ensemble, of its engine, of the model specification it implements and of
/// its metric table.
///
/// `release` is the package's semantic version, the one a dependent package names
/// (`.package(url: ..., from: "3.0.0")`) and `ensemble --version` prints: a new major version
/// breaks the public API or a result, a new minor one adds to them.
public enum EngineVersion {
  /// The package's semantic version.
  public static let release = "3.0.0"
  /// Changes whenever the same seed may give different results.
  public static let engine = "2.0.0"
  /// The version of the model specification the engine follows (docs/MODEL.md).
  public static let model = 3
  /// The version of ``Metrics/table``: which metrics, in which order. `runs.csv` names it in
  /// its header.
  public static let metricTable = 3

  /// One line for `--version`: the release, then what it implements.
  public static var description: String {
    "ensemble \(release) (model \(model), metric table \(metricTable), engine \(engine))"
  }
}
