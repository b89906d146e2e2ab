import FleetEvents
import FleetProjection
import FleetSQLite

/// What a store is handed by its domains: the event types it accepts and the projectors it keeps
/// current. The log layer knows no domain; it learns them here.
package struct StoreSchema: Sendable {
    package var catalog: EventCatalog
    /// In the order they fold each event.
    package var projectors: [AnyProjector]

    package init(events: [EventDeclaration], projectors: [AnyProjector]) {
        catalog = EventCatalog(events)
        self.projectors = projectors
        let names = projectors.map(\.name)
        precondition(Set(names).count == names.count, "two projectors share a name: \(names)")
        for projector in projectors {
            for code in projector.codes where catalog[code: code] == nil {
                preconditionFailure("projector \(projector.name) folds event code \(code), which the schema does not declare")
            }
        }
    }
}

extension StoreSchema {
    /// `wanted` and every projector their folds read, directly or not, in the schema's order.
    func projectors(reading wanted: [AnyProjector]) -> [AnyProjector] {
        let byType = Dictionary(uniqueKeysWithValues: projectors.map { ($0.type, $0) })
        var needed = Set<ObjectIdentifier>()
        var pending = wanted.map(\.type)
        while let next = pending.popLast() {
            guard needed.insert(next).inserted else { continue }
            guard let projector = byType[next] else {
                preconditionFailure("a query reads a projector this store was not given")
            }
            pending += projector.reads
        }
        return projectors.filter { needed.contains($0.type) }
    }
}

/// How hard a commit works to survive a power loss.
public enum StoreDurability: String, Sendable, CaseIterable {
    /// A crash of the process never loses a commit; a power loss or OS crash may roll back the
    /// last transactions committed before it, never corrupt the file (SQLite `synchronous=NORMAL`).
    case normal
    /// Every commit is on stable storage before the append returns (`synchronous=FULL`).
    case full

    var sqlite: Database.Durability {
        switch self {
        case .normal: .normal
        case .full: .full
        }
    }
}
