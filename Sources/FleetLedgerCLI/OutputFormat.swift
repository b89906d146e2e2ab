import ArgumentParser
import FleetLedger

/// Output formats for `events`.
enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
    case ndjson, table, csv
}

/// Output formats for `hosts`.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv

    var report: ReportFormat { ReportFormat(rawValue: rawValue)! }
}

/// Output formats for commands that show one thing (`host`, `route`).
enum DetailFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json

    var report: ReportFormat { ReportFormat(rawValue: rawValue)! }
}

extension SessionHostStatus: ExpressibleByArgument {}
extension EventType: ExpressibleByArgument {}

/// The `--as-of` option every query takes.
struct AsOfOption: ParsableArguments {
    @Option(help: ArgumentHelp("Answer as of this time (RFC 3339), from the events that happened up to it.", valueName: "time"))
    var asOf: Timestamp?
}
