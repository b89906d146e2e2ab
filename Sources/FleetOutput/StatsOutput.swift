import FleetEvents
import FleetStore

/// One domain's figures for `stats`.
package struct DomainStatistics: Equatable, Sendable {
    package var name: String
    package var events: Int
    package var streams: Int
    package var entities: Int

    package init(name: String, events: Int, streams: Int, entities: Int) {
        self.name = name
        self.events = events
        self.streams = streams
        self.entities = entities
    }
}

/// Renders `fleetledger stats`.
package enum StatsOutput {
    package static func table(_ stats: StoreStatistics, domains: [DomainStatistics]) -> String {
        var output = "events: \(stats.events)"
        if let first = stats.first, let last = stats.last { output += ", from \(first.rfc3339) to \(last.rfc3339)" }
        output += "\nstreams: \(stats.streamsByKind.values.reduce(0, +))"
        output += "\nstore: \(bytes(stats.fileBytes)) (write-ahead log \(bytes(stats.walBytes)))"
        if stats.events > 0 { output += ", \(bytes(stats.fileBytes / Int64(stats.events))) per event" }
        var perDomain = TextTable(headers: ["DOMAIN", "EVENTS", "STREAMS", "ENTITIES"])
        for domain in domains { perDomain.append([domain.name, String(domain.events), String(domain.streams), String(domain.entities)]) }
        var perType = TextTable(headers: ["TYPE", "EVENTS", "FIRST", "LAST"])
        for type in stats.types { perType.append([type.type.name, String(type.events), type.first.rfc3339, type.last.rfc3339]) }
        return output + "\n\n" + perDomain.rendered + "\n" + (stats.types.isEmpty ? "The log is empty.\n" : perType.rendered)
    }

    /// One row per event type the log holds: its domain, events, and first and last `at`.
    package static func csv(_ stats: StoreStatistics, domains: [DomainStatistics], domainOf: (String) -> String) -> String {
        var output = CSV.record(["type", "domain", "events", "first", "last"])
        for type in stats.types {
            output += CSV.record([type.type.name, domainOf(type.type.name), String(type.events), type.first.rfc3339, type.last.rfc3339])
        }
        return output
    }

    package static func json(_ stats: StoreStatistics, domains: [DomainStatistics]) -> String {
        OutputJSON.encode(Shape(stats, domains)) + "\n"
    }

    private static func bytes(_ count: Int64) -> String {
        switch count {
        case ..<10_240: "\(count) B"
        case ..<10_485_760: "\(count / 1_024) KiB"
        default: "\(count / 1_048_576) MiB"
        }
    }

    private struct Shape: Encodable {
        struct Domain: Encodable {
            var name: String
            var events: Int
            var streams: Int
            var entities: Int
        }

        struct TypeCount: Encodable {
            var type: String
            var events: Int
            var first: String
            var last: String
        }

        var events: Int
        @Nullable var first: String?
        @Nullable var last: String?
        var streams: [String: Int]
        var entities: [String: Int]
        var domains: [Domain]
        var types: [TypeCount]
        var fileBytes: Int64
        var walBytes: Int64

        init(_ stats: StoreStatistics, _ domains: [DomainStatistics]) {
            events = stats.events
            first = stats.first?.rfc3339
            last = stats.last?.rfc3339
            streams = stats.streamsByKind
            entities = stats.entitiesByProjector
            self.domains = domains.map { Domain(name: $0.name, events: $0.events, streams: $0.streams, entities: $0.entities) }
            types = stats.types.map { TypeCount(type: $0.type.name, events: $0.events, first: $0.first.rfc3339, last: $0.last.rfc3339) }
            fileBytes = stats.fileBytes
            walBytes = stats.walBytes
        }
    }
}
