import ArgumentParser
import FleetDomains
import FleetEvents
import FleetLedger
import FleetStore

/// Output formats for `events`.
enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
    case ndjson, table, csv, json
}

/// Output formats for `hosts`.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv

    var report: ReportFormat { ReportFormat(rawValue: rawValue)! }
}

extension SessionHostStatus: ExpressibleByArgument {}
/// An event type of the contract, as `events --type` takes it: help lists every one.
struct EventTypeName: ExpressibleByArgument {
    var name: String

    init?(argument: String) {
        guard Fleet.schema.catalog[name: argument] != nil else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { Fleet.schema.catalog.names }
}

extension TimeSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// The `--stale-after` option of the queries that list entities.
struct StaleOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Flag entities whose newest event is older than this (90s, 15m, 2h, 1d, PT15M), measured from the --as-of time, "
            + "else from now (the clock, or $FLEETLEDGER_NOW). Adds lastEventAt and stale columns per entity (table, csv); "
            + "pools, lb list and vmss list add a count of stale hosts, backends or instances.",
        valueName: "duration"))
    var staleAfter: TimeSpan?
}

/// The `--as-of` option every query takes.
struct AsOfOption: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Answer as of this time (RFC 3339, a date, now or a time ago such as -2h), from the events that happened up to it.", valueName: "time"), transform: CommandLineTime.parse)
    var asOf: Timestamp?
}
