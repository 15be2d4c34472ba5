import EnsembleExperiments

/// The options a command accepts.
struct OptionSpec {
  /// Options that take a value (`--out DIR` or `--out=DIR`), without the dashes.
  var values: [String] = []
  /// Options that may be repeated (`--set K=V --set K=V`).
  var repeated: [String] = []
  /// Flags (`--force`).
  var flags: [String] = []
  /// How many positional arguments at most.
  var maxPositionals = 0
}

/// A command line parsed against an ``OptionSpec``: unknown options are errors that name
/// the nearest known one.
struct Arguments {
  var values: [String: String] = [:]
  var repeated: [String: [String]] = [:]
  var flags: Set<String> = []
  var positionals: [String] = []

  init(_ arguments: [String], spec: OptionSpec, command: String) throws(CLIError) {
    let known = (spec.values + spec.repeated + spec.flags + ["help"]).map { "--" + $0 }
    var i = 0
    while i < arguments.count {
      let argument = arguments[i]
      i += 1
      guard argument.hasPrefix("--"), argument.count > 2 else {
        if argument.hasPrefix("-") && argument != "-" {
          if argument == "-h" {
            flags.insert("help")
            continue
          }
          throw CLIError("\(command): unknown option \(argument); see `ensemble \(command) --help`")
        }
        positionals.append(argument)
        continue
      }
      var name = String(argument.dropFirst(2))
      var inline: String?
      if let equals = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      if spec.flags.contains(name) || name == "help" {
        if inline != nil { throw CLIError("\(command): --\(name) takes no value") }
        flags.insert(name)
      } else if spec.values.contains(name) || spec.repeated.contains(name) {
        let value: String
        if let inline {
          value = inline
        } else {
          guard i < arguments.count else {
            throw CLIError("\(command): --\(name) needs a value; see `ensemble \(command) --help`")
          }
          value = arguments[i]
          i += 1
          if value.hasPrefix("--") && value.count > 2 {
            throw CLIError(
              "\(command): --\(name) needs a value, but the next argument is the option "
                + "\(value); see `ensemble \(command) --help`")
          }
        }
        if spec.repeated.contains(name) {
          repeated[name, default: []].append(value)
        } else {
          if values[name] != nil { throw CLIError("\(command): --\(name) is given twice") }
          values[name] = value
        }
      } else {
        let hint = nearest("--" + name, among: known).map { "; did you mean \($0)?" } ?? ""
        throw CLIError("\(command): unknown option --\(name)\(hint)")
      }
    }
    if !flags.contains("help") && positionals.count > spec.maxPositionals {
      let extra = positionals[spec.maxPositionals]
      throw CLIError(
        "\(command): unexpected argument \"\(extra)\"; see `ensemble \(command) --help`")
    }
  }

  /// A whole number option within `range`.
  func integer(
    _ name: String, in range: ClosedRange<Int>, command: String
  ) throws(CLIError) -> Int? {
    guard let text = values[name] else { return nil }
    guard let value = Int(text), range.contains(value) else {
      throw CLIError(
        "\(command): --\(name) expects a whole number from \(range.lowerBound) to "
          + "\(range.upperBound), got \"\(text)\"")
    }
    return value
  }
}
