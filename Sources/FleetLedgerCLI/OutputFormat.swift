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
/// An event type of the contract, as `events --type` and `schema --type` take it: completed from
/// the contract's types, and a mistyped one refused with the closest.
struct EventTypeName {
    var name: String

    static var completion: CompletionKind { .list(Fleet.schema.catalog.names) }

    static func parse(_ text: String) throws -> EventTypeName {
        guard Fleet.schema.catalog[name: text] == nil else { return EventTypeName(name: text) }
        let names = Fleet.schema.catalog.names
        let close = closestMatches(to: text, among: names)
        let suggested = close.isEmpty ? closestMatch(to: text, among: names).map { [$0] } ?? [] : close
        throw ValidationError("there is no event type \(text)" + (suggested.isEmpty ? "" : "; did you mean \(alternatives(suggested))?")
            + " (`fleetledger schema` lists every type)")
    }
}

/// The `--stale-after` option of the queries that list entities.
struct StaleOption: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Flag entities whose newest event is older than this (90s, 15m, 2h, 1d, PT15M), measured from the --as-of time, "
            + "else from now (the clock, or $FLEETLEDGER_NOW). Adds lastEventAt and stale columns per entity (table, csv); "
            + "pools, lb list and vmss list add a count of stale hosts, backends or instances.",
        valueName: "duration"), transform: CommandLineDuration.parse)
    var staleAfter: TimeSpan?
}

/// The `--as-of` option every query takes.
struct AsOfOption: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Answer as of this time (RFC 3339, a date, now or a time ago such as -2h), from the events that happened up to it.", valueName: "time"), transform: CommandLineTime.parse)
    var asOf: Timestamp?
}

/// A query that takes `--stale-after` and `--format`: json keeps Azure's shapes, which have no
/// place for staleness, so asking for both is a usage error (64), found before the store is opened.
protocol StaleQuery: StoreQuery {
    var stale: StaleOption { get }
    var format: ListFormat { get }
}

extension StaleQuery {
    func validate() throws { try validateStaleness() }

    func validateStaleness() throws {
        if stale.staleAfter != nil, format == .json {
            throw ValidationError("--stale-after adds lastEventAt and stale columns to table and csv output; json keeps Azure's shape, so use --format csv or table.")
        }
    }
}
