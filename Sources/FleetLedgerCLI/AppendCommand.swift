import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import Foundation

struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append NDJSON events from files or standard input.",
        discussion: """
            One event per line, as described in EVENTS.md. The whole input is one atomic unit: if any \
            line is refused, nothing is appended and the error names the file and line. Events whose \
            id is already stored are skipped, so a file can be retried safely.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Commit every N lines instead of once for the whole input.", valueName: "N"))
    var commitEvery: Int?

    @Argument(help: ArgumentHelp("NDJSON files to read, in order; - or none for standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
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

    func run() throws {
        let console = Console.current
        let sources = files.isEmpty ? [InputSource.standardInput] : files.map(InputSource.init(argument:))
        let store = try store.openStore()
        let started = Date()
        let summary = try store.append(from: sources, options: AppendOptions(commitEvery: commitEvery) { lines in
            let seconds = Date().timeIntervalSince(started)
            console.progress("read \(lines) lines (\(Int(Double(lines) / max(seconds, 0.001))) lines/s)")
        })
        console.endProgress()
        console.line(summary.sentence)
    }
}
