import ArgumentParser
import FleetOutput
import FleetEvents
import FleetLedger
import FleetStore

/// The `fleetledger` command: the root of every subcommand.
public struct FleetLedgerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fleetledger",
        abstract: "An event-sourced store for the health and maintenance history of a cloud fleet.",
        discussion: """
            Every fact is appended to an append-only log in one SQLite file, or in a PostgreSQL database for \
            many writers (--db postgres://user@host:port/database; docs/postgresql.md). The store is --db PATH|URL, \
            else $FLEETLEDGER_DB, else ./fleetledger.sqlite, created by append, import, collect, copy or demo; every other \
            command refuses a path with no store (drain and update change hosts a store already holds). "Now" is the clock, \
            or $FLEETLEDGER_NOW (RFC 3339) when set.
            Exit codes: 0 success, 1 a runtime failure (rejected input, failed verification), 64 bad usage, \
            130 interrupted (Ctrl-C while appending). Every event type: `fleetledger schema`.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self,
            AppendCommand.self,
            ImportCommand.self,
            CollectCommand.self,
            SchemaCommand.self,
            EventsCommand.self,
            HostsCommand.self,
            HostCommand.self,
            RouteCommand.self,
            DrainCommand.self,
            LoadBalancerCommand.self,
            ScaleSetCommand.self,
            UpdateCommand.self,
            PoolsCommand.self,
            HistoryCommand.self,
            ReportCommand.self,
            StatsCommand.self,
            ServeCommand.self,
            BackupCommand.self,
            CopyCommand.self,
            RebuildCommand.self,
            VerifyCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments` (without the program name), runs the command on `console`, and returns
    /// the process exit code. Both `main` and the tests come through here.
    public static func run(_ arguments: [String], console: Console = .standard) -> Int32 {
        // `help X Y` is `X Y --help` once every name is a command; an unknown one is a usage error
        // (64), as `fleetledger X` is, where argument-parser would print the root's help.
        var arguments = arguments
        if arguments.first == "help", arguments.count > 1 {
            let names = Array(arguments.dropFirst())
            if let unknown = unknownCommand(in: names) {
                console.error("Error: there is no command \(unknown.name)\(unknown.parent.map { " under \($0)" } ?? "")"
                    + (unknown.suggestion.map { "; did you mean \($0)?" } ?? ".") + " See 'fleetledger --help'.")
                return ExitCode.validationFailure.rawValue
            }
            arguments = names + ["--help"]
        }
        return Console.$current.withValue(console) { TextTable.$width.withValue(console.tableWidth) {
            do {
                var command = try parseAsRoot(arguments)
                try command.run()
                return 0
            } catch {
                let code = exitCode(for: error)
                let message = StoreFailure.sentence(for: error, store: "the store").map { "Error: " + $0 } ?? fullMessage(for: error)
                if !message.isEmpty {
                    if code == .success { console.line(message) } else { console.error(message) }
                }
                return code.rawValue
            }
        } }
    }

    /// The first of `names` that is no subcommand of the one before it (the root for the first).
    private static func unknownCommand(in names: [String]) -> (name: String, parent: String?, suggestion: String?)? {
        var commands: [any ParsableCommand.Type] = configuration.subcommands
        var parent: String?
        for name in names {
            let known = commands.compactMap { $0.configuration.commandName }
            guard let found = commands.first(where: { $0.configuration.commandName == name }) else {
                return (name, parent, closestMatch(to: name, among: known))
            }
            parent = [parent, name].compactMap { $0 }.joined(separator: " ")
            commands = found.configuration.subcommands
        }
        return nil
    }
}
