import ArgumentParser
import FleetEvents
import FleetLedger
import FleetOutput
import FleetStore
import Foundation

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the event log, optionally filtered.",
        discussion: """
            ndjson lines can be appended to another store as they are (with their ids, idempotently); \
            the receiving store assigns its own seq, version and recordedAt.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only this stream (e.g. lb/lb-web), or streams under a prefix ending in * (e.g. 'lb/lb-web/*').", valueName: "key"))
    var stream: String?

    @Option(name: .customLong("type"), help: ArgumentHelp("Only events of this type; repeat for several.", valueName: "type"),
            completion: EventTypeName.completion, transform: EventTypeName.parse)
    var types: [EventTypeName] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Only events that happened at or after this time (RFC 3339, a date, now or a time ago such as -2h).", valueName: "time"), transform: CommandLineTime.parse)
    var since: Timestamp?

    @Option(parsing: .unconditional, help: ArgumentHelp("Only events that happened at or before this time (RFC 3339, a date, now or a time ago such as -2h).", valueName: "time"), transform: CommandLineTime.parse)
    var until: Timestamp?

    @Option(parsing: .unconditional, help: ArgumentHelp("The log as it was at this time: the same as --until (RFC 3339, a date, now or a time ago such as -2h).", valueName: "time"), transform: CommandLineTime.parse)
    var asOf: Timestamp?

    @Option(help: ArgumentHelp("Only events after this position.", valueName: "N"))
    var afterSeq: Int64 = 0

    @Option(help: ArgumentHelp("At most this many events.", valueName: "N"))
    var limit: Int?

    @Flag(help: "Keep printing new events as they are appended (stops after --limit events, if given).")
    var follow = false

    @Option(help: ArgumentHelp("ndjson (default), table, csv, or json (one array).", valueName: "format"))
    var format: EventsFormat = .ndjson

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit).") }
        if afterSeq < 0 { throw ValidationError("--after-seq must be 0 or more, not \(afterSeq).") }
        if follow, format == .table || format == .json {
            throw ValidationError("--follow prints ndjson or csv; a \(format == .table ? "table" : "JSON array") needs all its rows first.")
        }
        if until != nil, asOf != nil { throw ValidationError("--until and --as-of mean the same; give one.") }
        if let since, let end = until ?? asOf, end < since {
            throw ValidationError("--since \(since) is after --until \(end).")
        }
    }

    func run() throws {
        let console = Console.current
        let store = try store.openStore()
        var query = EventQuery(stream: stream, types: types.map(\.name), since: since, until: until ?? asOf, afterSeq: afterSeq, limit: limit)
        var table = TextTable(headers: StoredEvent.tableHeader, wrapping: ["DATA"])
        if format == .csv { console.write(CSV.record(StoredEvent.csvHeader)) }
        if format == .json { console.write("[") }
        var printed = 0
        while true {
            try store.events(matching: query) { event in
                switch format {
                case .ndjson: console.line(event.canonicalLine)
                case .csv: console.write(CSV.record(event.csvFields))
                case .table: table.append(event.tableFields)
                case .json: console.write((printed == 0 ? "\n" : ",\n") + event.canonicalLine)
                }
                printed += 1
                query.afterSeq = event.seq
            }
            if format == .table { console.write(table.rendered) }
            if format == .json { console.write(printed == 0 ? "]\n" : "\n]\n") }
            guard follow else { return }
            if let limit {
                if printed >= limit { return }
                query.limit = limit - printed
            }
            usleep(200_000)
        }
    }
}
