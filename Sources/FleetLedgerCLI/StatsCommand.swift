import ArgumentParser
import FleetLedger
import FleetStore

struct StatsCommand: StoreQuery {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the store holds: events, streams and entities per domain, events per type, first and last at, size."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("table (default), json, or csv (one row per event type in the log).", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.statsReport(format: format.report))
    }
}
