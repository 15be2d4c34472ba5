import EnsembleExperiments
import EnsembleModel
import Foundation

/// `ensemble`: the command-line entry point. Dispatches to a command, turns user errors
/// into one line on stderr and exit code 2, run failures into exit code 1.
enum Ensemble {
  static let help = """
    ensemble: simulate how organisational structure changes what teams of humans and
    AI agents achieve (the ensemble model, version \(EngineVersion.model)).

    Usage: ensemble COMMAND [options]

    Commands:
      run [FILE|NAME]    run an experiment (default: structured-vs-unstructured)
      list               built-in experiments and scenarios
      show NAME          print a built-in experiment as a file to start from
      check FILE|NAME    validate an experiment and print its expanded plan
      params             the parameter registry: every key, type, default, range and
                         meaning
      report DIR         rebuild the statistics, charts and report of a result
                         folder
      explore DIR        write DIR/explore.html: sliders, charts and sentences to
                         explore a result in a browser
      merge DIR... --out DIR   join shard outputs into one result, as an unsharded
                               run
      trace [FILE|NAME]  one replication event by event: event files and a timeline
      sensitivity FILE|NAME    which parameters drive the results: Sobol' or Morris
                               indices
      bench              the engine's speed: events/s, replications/s, peak memory

    `ensemble help COMMAND` or `ensemble COMMAND --help` describes a command.
    Results go to files, messages to stderr.
    Exit status: 0 done, 1 a run failed, 2 a mistake in the command or a file,
    130 interrupted by Ctrl-C or SIGTERM (`ensemble run ... --resume` continues
    the run).
    """

  static func main(_ commandLine: [String] = CommandLine.arguments) -> Int32 {
    var arguments = Array(commandLine.dropFirst())
    let command = arguments.isEmpty ? "help" : arguments.removeFirst()
    // A closed pipe ends an output (Console gives it up), never the command.
    signal(SIGPIPE, SIG_IGN)
    // Commands that write results stop within a second of Ctrl-C or SIGTERM, their folder
    // in order (the others end at once, as by default).
    if ["run", "merge", "report", "sensitivity", "trace"].contains(command) {
      Interrupts.install()
    }
    do {
      let code: ExitCode
      switch command {
      case "run": code = try RunCommand.main(arguments)
      case "list": code = try InfoCommands.list(arguments)
      case "show": code = try InfoCommands.show(arguments)
      case "check": code = try InfoCommands.check(arguments)
      case "params": code = try InfoCommands.params(arguments)
      case "bench": code = try BenchCommand.main(arguments)
      case "trace": code = try TraceCommand.main(arguments)
      case "sensitivity": code = try SensitivityCommand.main(arguments)
      case "report": code = try ResultCommands.report(arguments)
      case "merge": code = try ResultCommands.merge(arguments)
      case "explore": code = try ExploreCommand.main(arguments)
      case "help", "--help", "-h":
        // `ensemble help run` is `ensemble run --help`.
        if command == "help", let topic = arguments.first, topic != "help" {
          return main(["ensemble", topic, "--help"])
        }
        Console.out(help)
        code = .success
      case "--version", "version":
        Console.out(EngineVersion.description)
        code = .success
      default:
        let commands = [
          "run", "list", "show", "check", "params", "report", "explore", "merge", "bench",
          "trace", "sensitivity", "help",
        ]
        let hint = nearest(command, among: commands).map { "; did you mean \"\($0)\"?" } ?? ""
        throw CLIError("unknown command \"\(command)\"\(hint); `ensemble help` lists the commands")
      }
      return code.rawValue
    } catch let error as CLIError {
      Console.error("ensemble: \(error.message)")
      return error.code.rawValue
    } catch {
      Console.error("ensemble: \(error)")
      return ExitCode.failure.rawValue
    }
  }
}

exit(Ensemble.main())
