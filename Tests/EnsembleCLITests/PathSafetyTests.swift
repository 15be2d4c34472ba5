import Foundation
import Testing

/// Issue 20: results land exactly where the user said. `--out` resolved as the shell means
/// it; folders compared by identity, not spelling; a lock path that is anything but
/// ensemble's own lock refused and left alone; signals and closed pipes.
@Suite("Paths, aliases and locks")
struct PathSafetyTests {
  static let experiment = """
    {
      name: "paths", seed: 4, replications: 3,
      set: { horizon: 2 },
      conditions: [{ name: "a" }, { name: "b", design: "structured" }],
      report: { metrics: ["correct_rate"] },
    }
    """

  /// A folder tree to resolve paths in:
  ///
  ///     exp.json   afile   sub/   e/   deep/dir/   home/   with space/
  ///     link -> deep/dir      loop -> loop      dangling -> nowhere
  struct Tree {
    let root: URL

    init() throws {
      root = try CLI.temporaryFolder()
      let manager = FileManager.default
      for folder in ["sub", "e", "deep/dir", "home", "with space"] {
        try manager.createDirectory(
          at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
      }
      try PathSafetyTests.experiment.write(
        to: root.appendingPathComponent("exp.json"), atomically: true, encoding: .utf8)
      try "x".write(to: root.appendingPathComponent("afile"), atomically: true, encoding: .utf8)
      try manager.createSymbolicLink(
        atPath: root.appendingPathComponent("link").path,
        withDestinationPath: root.appendingPathComponent("deep/dir").path)
      try manager.createSymbolicLink(
        atPath: root.appendingPathComponent("loop").path, withDestinationPath: "loop")
      try manager.createSymbolicLink(
        atPath: root.appendingPathComponent("dangling").path,
        withDestinationPath: root.appendingPathComponent("nowhere").path)
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Every path under the root (links not followed), relative to it.
    func listing() -> Set<String> {
      var result: Set<String> = []
      func walk(_ relative: String) {
        let path = relative.isEmpty ? root.path : root.path + "/" + relative
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
          let child = relative.isEmpty ? name : relative + "/" + name
          result.insert(child)
          walk(child)
        }
      }
      walk("")
      return result
    }
  }

  enum Outcome: Sendable {
    /// The result is written into this folder (relative to the tree's root).
    case writes(String)
    /// Exit 2 with a message holding this text.
    case refused(String)
  }

  /// (what it shows, the current folder, `--out`, the outcome).
  static let spellings: [(String, String, String, Outcome)] = [
    ("a parent, from a subfolder", "sub", "../r", .writes("r")),
    ("a missing part cancelled by ..", "", "zz/../x", .writes("x")),
    ("a missing part and .. alone", "e", "zz/..", .writes("e")),
    ("the current folder", "e", ".", .writes("e")),
    ("trailing and doubled slashes", "", "r//", .writes("r")),
    ("dots everywhere", "sub", "./../sub/.././r/./", .writes("r")),
    ("a link to a folder", "", "link", .writes("deep/dir")),
    ("below a link", "", "link/r", .writes("deep/dir/r")),
    ("a link then .. (the kernel's parent)", "", "link/../r", .writes("deep/r")),
    ("a name with a space", "", "with space/r", .writes("with space/r")),
    ("a name with a line break", "", "new\nline", .writes("new\nline")),
    ("a link loop", "", "loop/r", .refused("is a loop of symbolic links")),
    ("a dangling link", "", "dangling/r", .refused("which leads nowhere")),
    ("a path through a file", "", "afile/r", .refused("afile is a file, not a folder")),
    ("a file", "", "afile", .refused("afile is a file, not a folder")),
    ("the root, by ..", "sub", "../../../../../../../../../../../..", .refused("resolves to /")),
    ("the root", "", "/", .refused("resolves to /")),
    ("the home folder", "sub", "../home/.", .refused("is your home folder")),
  ]

  @Test("--out is resolved as the shell means it, and nothing is written outside it")
  func spellingTable() throws {
    for (what, cwd, out, outcome) in Self.spellings {
      let tree = try Tree()
      defer { CLI.remove(tree.root) }
      let before = tree.listing()
      let environment = ProcessInfo.processInfo.environment.merging(
        ["HOME": tree.url("home").path]) { $1 }
      let result = try CLI.run(
        ["run", tree.url("exp.json").path, "--out", out, "--quiet"],
        in: cwd.isEmpty ? tree.root : tree.url(cwd), environment: environment)
      let added = tree.listing().subtracting(before)
      switch outcome {
      case .writes(let folder):
        #expect(result.status == 0, "\(what): \(result.stderr)")
        let prefix = folder + "/"
        let files = Set(
          added.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
        #expect(files.contains("manifest.json") && files.contains("runs.csv"), "\(what): \(added)")
        #expect(!files.contains { $0.hasPrefix(".") }, "\(what): no lock or staging left")
        // Nothing but the folder named (and the parents it needed) appeared.
        let outside = added.filter { !$0.hasPrefix(prefix) && !prefix.hasPrefix($0 + "/") }
        #expect(outside.isEmpty, "\(what): \(outside)")
      case .refused(let message):
        #expect(result.status == 2, "\(what): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(what): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(what): one line")
        #expect(added.isEmpty, "\(what): nothing was written: \(added)")
      }
    }
  }

  @Test("a refusal names the path as written and as resolved")
  func writtenAndResolved() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    try "mine".write(to: tree.url("e/notes.txt"), atomically: true, encoding: .utf8)
    let result = try CLI.run(
      ["run", tree.url("exp.json").path, "--out", "../e/zz/.."], in: tree.url("sub"))
    #expect(result.status == 2)
    let resolved = FolderPathText.real(tree.url("e").path)
    #expect(result.stderr.contains("../e/zz/.. (\(resolved))"), "\(result.stderr)")
    #expect(result.stderr.contains("is not empty (notes.txt)"))
  }

  // MARK: - Merge and identity

  /// Three shards of the experiment in `x/shard-1` to `x/shard-3`.
  static func shards(_ tree: Tree) throws -> [URL] {
    let shards = (1...3).map { tree.url("x/shard-\($0)") }
    for (i, shard) in shards.enumerated() {
      let result = try CLI.run([
        "run", tree.url("exp.json").path, "--shard", "\(i + 1)/3", "--out", shard.path, "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
    }
    return shards
  }

  /// Every file of a folder and its bytes.
  static func contents(_ folder: URL) -> [String: Data] {
    var result: [String: Data] = [:]
    for name in CLI.files(in: folder) {
      result[name] = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
    }
    return result
  }

  @Test("merge into an input under other spellings is refused, and the input is unchanged")
  func mergeIntoInputSpellings() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let shards = try Self.shards(tree)
    try FileManager.default.createSymbolicLink(
      atPath: tree.url("alias").path, withDestinationPath: shards[0].path)
    let before = Self.contents(shards[0])
    let inputs = ["../shard-1", "../shard-2", "../shard-3"]
    // From inside shard-1: (--out, the message).
    let cases: [(String, String)] = [
      (".", "is the input ../shard-1"),
      ("../shard-1/", "is the input"),
      ("zz/..", "is the input"),
      ("../../alias", "is the input"),
      ("../../alias/merged", "is inside the input"),
      ("../shard-2/sub/../sub", "is inside the input ../shard-2"),
    ]
    for (out, message) in cases {
      let result = try CLI.run(["merge"] + inputs + ["--out", out, "--force"], in: shards[0])
      #expect(result.status == 2, "\(out): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(out): \(result.stderr)")
      #expect(Self.contents(shards[0]) == before, "\(out): shard 1 unchanged")
    }
    // The probe's command: `--out ..` from inside shard 1 is the folder above the shards,
    // where the merged result belongs; shard 1 stays as it was.
    let above = try CLI.run(["merge"] + inputs + ["--out", "..", "--force"], in: shards[0])
    #expect(above.status == 0, "\(above.stderr)")
    #expect(Self.contents(shards[0]) == before)
    #expect(FileManager.default.fileExists(atPath: tree.url("x/manifest.json").path))
    // An input inside the output's staging folder is refused too.
    let staging = tree.url("y/.ensemble-run/shard-1")
    try FileManager.default.createDirectory(
      at: staging.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: shards[0], to: staging)
    let hidden = try CLI.run(
      ["merge", staging.path, shards[1].path, shards[2].path, "--out", tree.url("y").path])
    #expect(hidden.status == 2 && hidden.stderr.contains("where ensemble keeps its own files"))
  }

  @Test("merge into a bind mount of an input is refused (where a mount can be made)")
  func mergeIntoBindMount() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let shards = try Self.shards(tree)
    try FileManager.default.createDirectory(
      at: tree.url("mnt"), withIntermediateDirectories: true)
    let before = Self.contents(shards[0])
    // In a private mount namespace (unshare), so the mount vanishes with the command.
    let script = """
      mount --bind "$1" "$2" || exit 77
      "$0" merge "$1" "$3" "$4" --out "$2" --force
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    guard FileManager.default.isExecutableFile(atPath: process.executableURL!.path) else { return }
    process.arguments = [
      "-rm", "/bin/sh", "-c", script, CLI.executable.path, shards[0].path, tree.url("mnt").path,
      shards[1].path, shards[2].path,
    ]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    // No user namespaces or mounts here (77, or unshare's own failure): nothing to show.
    if process.terminationStatus == 77 || stderr.contains("unshare:") { return }
    #expect(process.terminationStatus == 2, "\(stderr)")
    #expect(stderr.contains("is the input"), "\(stderr)")
    #expect(Self.contents(shards[0]) == before)
  }

  @Test("--force never removes or replaces a file the command reads")
  func forceSparesInputs() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let out = tree.url("out")
    let run = try CLI.run(["run", tree.url("exp.json").path, "--out", out.path, "--quiet"])
    #expect(run.status == 0, "\(run.stderr)")
    // The experiment kept in the folder under a name its result lists.
    let kept = out.appendingPathComponent("report.md")
    try Self.experiment.write(to: kept, atomically: true, encoding: .utf8)
    let forced = try CLI.run(["run", kept.path, "--out", out.path, "--force", "--seed", "5"])
    #expect(forced.status == 2, "\(forced.stderr)")
    #expect(forced.stderr.contains("report.md, which this command reads"), "\(forced.stderr)")
    #expect(try CLI.read(kept) == Self.experiment)
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") })
  }

  // MARK: - Locks

  enum LockKind: String, CaseIterable, Sendable {
    case linkToFile, danglingLink, folder, fifo, foreignFile, emptyFile, hardLink
  }

  @Test(
    "anything but ensemble's lock at the lock path is refused within 5 s and left alone",
    arguments: LockKind.allCases)
  func foreignLocks(kind: LockKind) throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let out = tree.url("out")
    let exp = tree.url("exp.json").path
    #expect(try CLI.run(["run", exp, "--out", out.path, "--quiet"]).status == 0)
    let lock = out.appendingPathComponent(".ensemble-lock").path
    let victim = tree.url("victim.txt")
    try "precious".write(to: victim, atomically: true, encoding: .utf8)
    let manager = FileManager.default
    let expected: String
    switch kind {
    case .linkToFile:
      try manager.createSymbolicLink(atPath: lock, withDestinationPath: victim.path)
      expected = "is a symbolic link to \(victim.path)"
    case .danglingLink:
      try manager.createSymbolicLink(atPath: lock, withDestinationPath: tree.url("gone").path)
      expected = "is a symbolic link"
    case .folder:
      try manager.createDirectory(atPath: lock, withIntermediateDirectories: false)
      expected = "is a folder"
    case .fifo:
      #expect(mkfifo(lock, 0o644) == 0)
      expected = "is a FIFO"
    case .foreignFile:
      try "my notes".write(toFile: lock, atomically: false, encoding: .utf8)
      expected = "is a file ensemble did not write"
    case .emptyFile:
      #expect(manager.createFile(atPath: lock, contents: Data()))
      expected = "is an empty file"
    case .hardLink:
      // Even with a lock's contents, a second name for the user's file.
      try "ensemble-lock 1\npid: 999999\nhost: elsewhere\ncommand: ensemble run x\n".write(
        to: victim, atomically: true, encoding: .utf8)
      #expect(link(victim.path, lock) == 0)
      expected = "hard links"
    }
    var before = stat()
    #expect(lstat(lock, &before) == 0)
    for arguments in [
      ["run", exp, "--out", out.path, "--resume"], ["run", exp, "--out", out.path, "--force"],
      ["report", out.path], ["trace", exp, "--out", out.path, "--force"],
    ] {
      let started = Date()
      let result = try CLI.run(arguments)
      let seconds = Date().timeIntervalSince(started)
      #expect(result.status == 2, "\(kind) \(arguments): \(result.stderr)")
      #expect(seconds < 5, "\(kind) \(arguments): \(seconds) s")
      #expect(result.stderr.contains(".ensemble-lock"), "\(result.stderr)")
      #expect(result.stderr.contains(expected), "\(kind): \(result.stderr)")
    }
    var after = stat()
    #expect(lstat(lock, &after) == 0, "\(kind): still there")
    #expect(after.st_ino == before.st_ino && after.st_mode == before.st_mode)
    #expect(after.st_size == before.st_size)
    if kind != .hardLink {
      #expect(try CLI.read(victim) == "precious", "the link's target is unchanged")
    } else {
      #expect(try CLI.read(victim).hasPrefix("ensemble-lock 1\npid: 999999\n"))
    }
    if kind == .foreignFile {
      #expect(try String(contentsOfFile: lock, encoding: .utf8) == "my notes")
    }
  }

  @Test("a file or folder of the user's named .ensemble-run is refused, not deleted")
  func foreignStaging() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let out = tree.url("out")
    let exp = tree.url("exp.json").path
    #expect(try CLI.run(["run", exp, "--out", out.path, "--quiet"]).status == 0)
    let staging = out.appendingPathComponent(".ensemble-run")
    try "mine".write(to: staging, atomically: true, encoding: .utf8)
    let file = try CLI.run(["run", exp, "--out", out.path, "--force"])
    #expect(file.status == 2 && file.stderr.contains("is a file of yours"), "\(file.stderr)")
    #expect(try CLI.read(staging) == "mine")
    try FileManager.default.removeItem(at: staging)
    try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
    try "mine".write(to: staging.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    let folder = try CLI.run(["report", out.path])
    #expect(folder.status == 2 && folder.stderr.contains("not ensemble's"), "\(folder.stderr)")
    #expect(try CLI.read(staging.appendingPathComponent("a.txt")) == "mine")
    #expect(
      !FileManager.default.fileExists(atPath: out.appendingPathComponent(".ensemble-lock").path))
  }

  @Test("a stale lock of ensemble is taken over, saying whose it was")
  func staleLock() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let out = tree.url("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    // A lock whose command is gone: nobody holds its flock.
    try "ensemble-lock 1\npid: 999999\nhost: elsewhere\ncommand: ensemble run x\n".write(
      to: out.appendingPathComponent(".ensemble-lock"), atomically: false, encoding: .utf8)
    let result = try CLI.run(["run", tree.url("exp.json").path, "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("took over the lock") && result.stderr.contains("pid 999999"))
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") })
  }

  // MARK: - Signals and pipes

  @Test("a closed standard error ends the messages, not the run (SIGPIPE is ignored)")
  func closedPipe() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let out = tree.url("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    // A stale lock makes the run write a line first thing, into the closed pipe.
    try "ensemble-lock 1\npid: 999999\nhost: elsewhere\ncommand: ensemble run x\n".write(
      to: out.appendingPathComponent(".ensemble-lock"), atomically: false, encoding: .utf8)
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = ["run", tree.url("exp.json").path, "--out", out.path]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try err.fileHandleForReading.close()
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    #expect(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path))
    #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") }, "no stale lock")
  }

  @Test("SIGTERM ends run and trace within a second; the next command clears what is left")
  func signalsEndCommands() throws {
    let tree = try Tree()
    defer { CLI.remove(tree.root) }
    let exp = tree.url("exp.json").path
    // A run of many replications, and a trace of a long week: both take seconds.
    let commands: [(String, [String])] = [
      ("run", ["run", exp, "--replications", "100000", "--threads", "1"]),
      (
        "trace",
        [
          "trace", "structured-vs-unstructured", "--set", "horizon=4000", "--set",
          "workload.arrivalRate=20",
        ]
      ),
    ]
    for (name, arguments) in commands {
      let out = tree.url(name)
      let command = try BackgroundCommand(arguments + ["--out", out.path, "--quiet"])
      // Signalled once it works in its staging folder.
      #expect(
        command.wait {
          FileManager.default.fileExists(atPath: out.appendingPathComponent(".ensemble-run").path)
        })
      Thread.sleep(forTimeInterval: 0.2)
      let signalled = Date()
      command.signal(SIGTERM)
      let (status, stderr) = command.finish()
      let seconds = Date().timeIntervalSince(signalled)
      #expect(status == 130, "\(name): \(stderr)")
      #expect(seconds < 1, "\(name) stopped after \(seconds) s")
      #expect(
        !FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path))
      if name == "trace" {
        // Whatever the trace left, the next command on the folder removes.
        let next = try CLI.run(["run", exp, "--out", out.path, "--force", "--quiet"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(CLI.files(in: out).allSatisfy { !$0.hasPrefix(".") }, "\(CLI.files(in: out))")
      }
    }
  }
}

/// Paths as the system spells them (`/tmp` may itself be a link).
enum FolderPathText {
  static func real(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
