import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

/// The `fleetledger` command: the root of every subcommand.
public struct FleetLedgerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fleetledger",
        abstract: "An event-sourced store for the health and maintenance history of a cloud fleet.",
        discussion: """
            Every fact is appended to an append-only log in one SQLite file. The store is --db PATH, \
            else $FLEETLEDGER_DB, else ./fleetledger.sqlite, created on first use.
            Exit codes: 0 success, 1 a runtime failure (rejected input, failed verification), 64 bad usage, \
            130 interrupted (Ctrl-C while appending). Every event type: `fleetledger schema`.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self,
            AppendCommand.self,
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
            BackupCommand.self,
            RebuildCommand.self,
            VerifyCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments` (without the program name), runs the command on `console`, and returns
    /// the process exit code. Both `main` and the tests come through here.
    public static func run(_ arguments: [String], console: Console = .standard) -> Int32 {
        Console.$current.withValue(console) {
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
        }
    }
}
