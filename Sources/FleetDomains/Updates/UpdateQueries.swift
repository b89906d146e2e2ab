import FleetEvents
import FleetProjection

/// One host pool for `pools`: settings, hosts by status, sessions, drained hosts, update status.
package struct HostPoolSummary: Equatable, Sendable {
    package var name: String
    package var settings: HostPoolState?
    package var hosts: [SessionHostState]
    package var update: UpdateState?
}

/// The update questions the commands ask, answered from projected states as typed values.
package enum UpdateQueries {
    /// The pool's current (or last) update.
    package static func update(in view: ProjectionReader, pool: String) throws -> UpdateState {
        guard try SessionHostQueries.knowsHostPool(in: view, pool: pool) else {
            throw UnknownName("host pool", pool, known: try pools(in: view).map(\.name))
        }
        guard let update = try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool))?.shown else {
            throw UpdateQueryError.noUpdate(pool: pool)
        }
        return update
    }

    /// Every host pool the store knows, by name.
    package static func pools(in view: ProjectionReader) throws -> [HostPoolSummary] {
        let hosts = try SessionHostQueries.hosts(in: view, pool: nil)
        let configured = try view.states(HostPoolProjector.self, in: StreamKind.hostPool.keys()).map(\.state)
        let updated = try view.states(UpdateProjector.self, in: StreamKind.hostPool.keys()).map { String($0.key.values[0]) }
        let names = Set(configured.map(\.name)).union(hosts.map(\.hostPool)).union(updated).sorted(by: NaturalOrder.less)
        return try names.map { name in
            HostPoolSummary(
                name: name, settings: configured.first { $0.name == name }, hosts: hosts.filter { $0.hostPool == name },
                update: try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(name))?.shown)
        }
    }
}
