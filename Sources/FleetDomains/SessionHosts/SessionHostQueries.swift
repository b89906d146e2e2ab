import FleetEvents
import FleetProjection

/// The session host questions the commands ask, answered from projected states, now or as of a
/// time (whichever the reader holds), as typed values.
package enum SessionHostQueries {
    /// The session hosts of `pool` (or of every pool), not removed unless asked, by pool and name.
    package static func hosts(in view: ProjectionReader, pool: String?, includingRemoved: Bool = false) throws -> [SessionHostState] {
        try allHosts(in: view, pool: pool)
            .filter { includingRemoved || !$0.removed }
            .sorted { ($0.hostPool, $0.name) < ($1.hostPool, $1.name) }
    }

    /// One session host, removed or not; nil when the pool never held it.
    package static func host(in view: ProjectionReader, pool: String, name: String) throws -> SessionHostState? {
        try view.state(SessionHostProjector.self, of: StreamKind.sessionHost.key(pool, name))
    }

    /// The settings of `pool`, if it was ever configured.
    package static func hostPool(in view: ProjectionReader, pool: String) throws -> HostPoolState? {
        try view.state(HostPoolProjector.self, of: StreamKind.hostPool.key(pool))
    }

    /// Whether the store knows `pool` at all: configured, holding a host, or with an update (an
    /// imported update status makes its pool known).
    package static func knowsHostPool(in view: ProjectionReader, pool: String) throws -> Bool {
        try hostPool(in: view, pool: pool) != nil || !allHosts(in: view, pool: pool).isEmpty
            || view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool)) != nil
    }

    /// Which host of `pool` takes the next new user session, and why.
    package static func route(in view: ProjectionReader, pool: String) throws -> RoutingDecision {
        RoutingDecision.decide(hostPool: pool, settings: try hostPool(in: view, pool: pool),
                               hosts: try hosts(in: view, pool: pool), updated: try updatedHosts(in: view, pool: pool))
    }

    /// The hosts a running update of `pool` has finished (empty when none runs).
    static func updatedHosts(in view: ProjectionReader, pool: String) throws -> Set<String> {
        guard let update = try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool))?.current,
              update.status.hasStarted else { return [] }
        return Set(update.hosts.values.filter(\.isFinished).map(\.name))
    }

    private static func allHosts(in view: ProjectionReader, pool: String?) throws -> [SessionHostState] {
        let range = pool.map { StreamKind.sessionHost.keys(under: $0) } ?? StreamKind.sessionHost.keys()
        return try view.states(SessionHostProjector.self, in: range).map(\.state)
    }
}
