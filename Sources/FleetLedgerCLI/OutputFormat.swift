import ArgumentParser

/// Output formats for `events`.
enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
    case ndjson, table, csv
}
