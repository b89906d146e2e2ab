/// The output formats of the query commands.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, csv
}

extension EventStore {
    /// The session hosts of `pool` (or of every pool), not removed, by pool and name.
    func sessionHosts(pool: String?, asOf: Timestamp?) throws -> [SessionHostState] {
        let prefix = pool.map { "sessionhost/\($0)/" } ?? "sessionhost/"
        return try states(SessionHostProjector.self, streamPrefix: prefix, asOf: asOf)
            .map(\.state)
            .filter { !$0.removed }
            .sorted { ($0.hostPool, $0.name) < ($1.hostPool, $1.name) }
    }

    /// The settings of `pool`, if it was ever configured.
    func hostPool(_ pool: String, asOf: Timestamp?) throws -> HostPoolState? {
        try states(HostPoolProjector.self, streamPrefix: "hostpool/\(pool)", asOf: asOf)
            .first { $0.stream == "hostpool/\(pool)" }?.state
    }

    /// Whether the store knows `pool` at all: configured, or holding a host.
    func knowsHostPool(_ pool: String) throws -> Bool {
        let lookup = try database.cachedStatement(
            "SELECT EXISTS (SELECT 1 FROM streams WHERE key = ?1 OR (key >= ?2 AND key < ?3))")
        defer { lookup.reset() }
        try lookup.bind("hostpool/\(pool)", at: 1)
        try lookup.bind("sessionhost/\(pool)/", at: 2)
        try lookup.bind("sessionhost/\(pool)/\u{10FFFF}", at: 3)
        return try lookup.step() && lookup.int64(0) == 1
    }

    func route(pool: String, asOf: Timestamp?) throws -> RoutingDecision {
        RoutingDecision.decide(
            hostPool: pool, settings: try hostPool(pool, asOf: asOf),
            hosts: try sessionHosts(pool: pool, asOf: asOf))
    }

    // MARK: Reports for the command line

    /// `fleetledger hosts`: every session host, optionally of one pool and one status.
    public func hostsReport(pool: String?, status: SessionHostStatus?, asOf: Timestamp?, format: ReportFormat) throws -> String {
        var hosts = try sessionHosts(pool: pool, asOf: asOf)
        if let status { hosts = hosts.filter { $0.status == status } }
        switch format {
        case .json: return SessionHostOutput.jsonArray(hosts)
        case .csv: return SessionHostOutput.csv(hosts)
        case .table: return SessionHostOutput.table(hosts)
        }
    }

    /// `fleetledger host NAME --pool P`: one host with its health check results.
    public func hostReport(pool: String, host name: String, asOf: Timestamp?, format: ReportFormat) throws -> String {
        let when = asOf.map { " as of \($0.rfc3339)" } ?? ""
        let stream = "sessionhost/\(pool)/\(name)"
        guard let host = try states(SessionHostProjector.self, streamPrefix: stream, asOf: asOf).first(where: { $0.stream == stream })?.state else {
            throw StoreError("there is no session host \(name) in host pool \(pool)\(when).")
        }
        if host.removed { throw StoreError("session host \(name) was removed from host pool \(pool)\(when).") }
        switch format {
        case .json: return SessionHostOutput.json(host) + "\n"
        case .csv: return SessionHostOutput.csv([host])
        case .table: return SessionHostOutput.detail(host)
        }
    }

    /// `fleetledger route --pool P`: the host for the next new session, or why there is none.
    public func routeReport(pool: String, asOf: Timestamp?, format: ReportFormat) throws -> (report: String, routed: Bool) {
        guard try knowsHostPool(pool) else { throw StoreError("there is no host pool \(pool) in the store.") }
        let decision = try route(pool: pool, asOf: asOf)
        let report = switch format {
        case .json: RoutingOutput.json(decision) + "\n"
        case .table, .csv: RoutingOutput.table(decision)
        }
        return (report, decision.chosen != nil)
    }

    /// Whether `pool` holds a session host `name` that has not been removed.
    public func hasSessionHost(pool: String, name: String) throws -> Bool {
        try sessionHosts(pool: pool, asOf: nil).contains { $0.name == name }
    }
}
