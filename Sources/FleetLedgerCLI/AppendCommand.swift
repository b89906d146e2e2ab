import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import Foundation
import Synchronization

struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append NDJSON events from files or standard input.",
        discussion: """
            One event per line: {"type": ..., "at": ..., "data": {...}}, with an optional "id" and \
            "expectedVersion" (docs/event-format.md). `fleetledger schema` lists every type with its \
            fields (`--format markdown` adds a sample line of each). The whole input is one atomic unit: if any line is refused, \
            nothing is appended and the error names the file and line. Events whose id is already \
            stored are skipped, so a file can be retried safely.
            """
    )

    @OptionGroup var store: WriterOptions

    @Option(name: .long, help: ArgumentHelp("Commit every N lines instead of once for the whole input.", valueName: "N"))
    var commitEvery: Int?

    @Argument(help: ArgumentHelp("NDJSON files to read, in order; - or none for standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws { try InputArguments.validate(files: files, commitEvery: commitEvery) }

    func run() throws {
        let console = Console.current
        let sources = files.isEmpty ? [InputSource.standardInput] : files.map(InputSource.init(argument:))
        let store = try store.openOrCreateStore()
        let started = Date()
        let fromTerminal = sources.contains { if case .standardInput = $0 { true } else { false } } && isatty(STDIN_FILENO) == 1
        if fromTerminal {
            // Typed events are read until Ctrl-D; Ctrl-C takes its default action and ends the
            // process while it waits for a line, before anything is committed.
            Interruption.restoreDefault()
            console.error("reading NDJSON events from the terminal, one per line: Ctrl-D appends them, Ctrl-C stops"
                + (commitEvery == nil ? " without appending." : " (batches already committed stay)."))
        } else {
            // Ctrl-C stops between lines: committed batches stay, the open one rolls back, and the
            // error says which lines were committed.
            Interruption.install()
        }
        defer { if !fromTerminal { Interruption.uninstall() } }
        let options = AppendOptions(commitEvery: commitEvery, maxClockSkew: self.store.maxClockSkew, now: { try Clock.now() },
                                    shouldStop: { Interruption.requested }) { lines in
            let seconds = Date().timeIntervalSince(started)
            console.progress("read \(lines) lines (\(Int(Double(lines) / max(seconds, 0.001))) lines/s)")
        }
        let summary: AppendSummary
        do {
            summary = try store.append(from: sources, options: options)
        } catch let error as AppendError where error.interrupted {
            console.endProgress()
            console.error("Error: \(error)")
            throw ExitCode(130)
        }
        console.endProgress()
        console.line(summary.sentence)
    }
}

/// Ctrl-C (SIGINT) during an append: noted by the signal handler, acted on between lines.
enum Interruption {
    /// Set by the signal handler; a lock-free atomic store is async-signal-safe. `install()`
    /// touches it before installing the handler, so the handler never runs its lazy initializer.
    private static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Notes SIGINT (and SIGTERM with `terminating`, for `collect` under a supervisor).
    static func install(terminating: Bool = false) {
        flag.store(false, ordering: .relaxed)
        signal(SIGINT) { _ in Interruption.flag.store(true, ordering: .relaxed) }
        if terminating { signal(SIGTERM) { _ in Interruption.flag.store(true, ordering: .relaxed) } }
        unblock()
    }

    /// A parent may have started us with SIGINT blocked (test runners and some supervisors do):
    /// Ctrl-C must still reach us.
    private static func unblock() {
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }

    static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// Ctrl-C's default action, even when a parent started us with SIGINT ignored or blocked.
    static func restoreDefault() {
        signal(SIGINT, SIG_DFL)
        unblock()
    }
}

/// The checks `append` and `import` make of the inputs they are given, before opening a store.
enum InputArguments {
    /// `--commit-every` is at least 1, and every file named (`-` is standard input) is a file.
    static func validate(files: [String], commitEvery: Int?) throws {
        if let commitEvery, commitEvery < 1 {
            throw ValidationError("--commit-every must be at least 1, not \(commitEvery).")
        }
        for file in files where file != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ValidationError("\(file) is not a readable file.")
            }
        }
    }
}
