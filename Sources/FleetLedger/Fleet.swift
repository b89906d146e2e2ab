import FleetDomains
import FleetEvents
import FleetProjection
import FleetOutput
import FleetStore

/// FleetLedger's domains, assembled: the event types a store accepts and the projectors it keeps.
package enum Fleet {
    /// Every domain's declarations and projectors, in the order projectors fold an event.
    package static let schema = StoreSchema(
        events: Domain.all.flatMap(\.events).map { $0.declaration },
        projectors: Domain.all.flatMap(\.projectors)
    )
}

/// One domain as `stats` counts it: its event types, the stream kinds it writes, its projectors.
package struct FleetDomain: Sendable {
    package var name: String
    package var events: [EventDeclaration]
    /// The first segments of its streams' keys (host pool streams serve two domains).
    package var streamKinds: [String]
    package var projectors: [String]
}

extension Fleet {
    package static let domains: [FleetDomain] = Domain.all.map { domain in
        FleetDomain(name: domain.name, events: domain.events.map { $0.declaration }, streamKinds: domain.streamKinds.map(\.prefix),
                    projectors: domain.projectors.map(\.name))
    }
}

extension EventStore {
    /// Opens the FleetLedger store at `path` with every domain (created on first use).
    public convenience init(path: String, durability: StoreDurability = .normal) throws {
        try self.init(path: path, schema: Fleet.schema, durability: durability)
    }

    /// Opens the FleetLedger store at `path` to read it only: nothing is created, migrated or
    /// written, and a store that would need it is refused.
    public convenience init(readingOnly path: String) throws {
        try self.init(readingOnly: path, schema: Fleet.schema)
    }
}

extension LedgerStore {
    /// `fleetledger stats`: events, streams and entities per domain, events per type, times, size.
    public func statsReport(format: ReportFormat) throws -> String {
        let stats = try statistics()
        let domains = Fleet.domains.map { domain in
            let codes = Set(domain.events.map(\.code))
            return DomainStatistics(
                name: domain.name, events: stats.types.filter { codes.contains($0.type.code) }.reduce(0) { $0 + $1.events },
                streams: domain.streamKinds.reduce(0) { $0 + (stats.streamsByKind[$1] ?? 0) },
                entities: domain.projectors.reduce(0) { $0 + (stats.entitiesByProjector[$1] ?? 0) })
        }
        let domainOf = { (type: String) in Fleet.domains.first { $0.events.contains { $0.name == type } }?.name ?? "" }
        return format.render(json: { StatsOutput.json(stats, domains: domains) }, csv: { StatsOutput.csv(stats, domains: domains, domainOf: domainOf) },
                             table: { StatsOutput.table(stats, domains: domains) })
    }
}
