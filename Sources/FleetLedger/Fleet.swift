import FleetDomains
import FleetEvents
import FleetProjection
import FleetStore

/// FleetLedger's domains, assembled: the event types a store accepts and the projectors it keeps.
package enum Fleet {
    /// Every domain's declarations and projectors, in the order projectors fold an event.
    package static let schema = StoreSchema(
        events: (SessionHostDomain.events + UpdateDomain.events + LoadBalancerDomain.events + ScaleSetDomain.events)
            .map { $0.declaration },
        projectors: SessionHostDomain.projectors + UpdateDomain.projectors + LoadBalancerDomain.projectors
            + ScaleSetDomain.projectors
    )
}

extension EventStore {
    /// Opens the FleetLedger store at `path` with every domain (created on first use).
    public convenience init(path: String, durability: StoreDurability = .normal) throws {
        try self.init(path: path, schema: Fleet.schema, durability: durability)
    }
}
