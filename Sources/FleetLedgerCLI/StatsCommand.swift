import ArgumentParser
import FleetLedger

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the store holds: events, streams and entities per domain, events per type, first and last at, size."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("table (default), json, or csv (one row per event type in the log).", valueName: "format"))
    var format: ListFormat = .table

    func run() throws {
        Console.current.write(try store.openStore().snapshot { try $0.statsReport(format: format.report) })
    }
}
