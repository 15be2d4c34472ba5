/// A mistake in an experiment, a `--set` or a command-line value: where it is and what to
/// do about it. Shown to the user as one line; the CLI exits with code 2.
public struct ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file, `--set`, or the built-in experiment the mistake is in.
  public var source: String
  /// Where in the source: a key path such as `conditions[1].set."design.reviewRate"`.
  public var path: String
  public var message: String
  public var position: SourcePosition?

  public init(source: String, path: String, message: String, position: SourcePosition? = nil) {
    self.source = source
    self.path = path
    self.message = message
    self.position = position
  }

  public var description: String {
    var place = source
    if let position { place += ":\(position.line):\(position.column)" }
    return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
  }
}
