import FleetDomains
import FleetEvents
import FleetOutput
import FleetStore

/// The output formats of the query commands.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, csv

    /// The rendering this format asks for; only that one runs.
    func render(json: () -> String, csv: () -> String, table: () -> String) -> String {
        switch self {
        case .json: json()
        case .csv: csv()
        case .table: table()
        }
    }
}

extension LedgerStore {
    /// `fleetledger hosts`: every session host, optionally of one pool and one status.
    public func hostsReport(pool: String?, status: SessionHostStatus?, asOf: Timestamp?, staleAfter: TimeSpan? = nil,
                            format: ReportFormat) throws -> String {
        if let pool { try requireHostPool(pool, asOf: asOf) }
        var hosts = try SessionHostQueries.hosts(in: try projections(asOf: asOf, reading: SessionHostDomain.projectors + UpdateDomain.projectors), pool: pool)
        if let status { hosts = hosts.filter { $0.status == status } }
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, hosts: hosts)
        return format.render(json: { SessionHostOutput.jsonArray(hosts) }, csv: { SessionHostOutput.csv(hosts, staleness: staleness) },
                             table: { SessionHostOutput.table(hosts, staleness: staleness) })
    }

    /// `fleetledger host NAME --pool P`: one host with its health check results.
    public func hostReport(pool: String, host name: String, asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> String {
        try requireSessionHost(name, pool: pool, asOf: asOf)
        let when = asOf.map { " as of \($0.rfc3339)" } ?? ""
        guard let host = try SessionHostQueries.host(in: try projections(asOf: asOf, reading: SessionHostDomain.projectors + UpdateDomain.projectors), pool: pool, name: name) else {
            throw MissingEntity("there is no session host \(name) in host pool \(pool)\(when).")
        }
        if host.removed { throw MissingEntity("session host \(name) was removed from host pool \(pool)\(when).") }
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, hosts: [host])
        return format.render(json: { SessionHostOutput.json(host) + "\n" }, csv: { SessionHostOutput.csv([host], staleness: staleness) },
                             table: { SessionHostOutput.detail(host, staleness: staleness) })
    }

    /// `fleetledger route --pool P`: the host for the next new session, or why there is none.
    public func routeReport(pool: String, asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> (report: String, routed: Bool) {
        try requireHostPool(pool, asOf: asOf)
        let view = try projections(asOf: asOf, reading: SessionHostDomain.projectors + UpdateDomain.projectors)
        let decision = try SessionHostQueries.route(in: view, pool: pool)
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, hosts: decision.verdicts.map(\.host))
        let report = format.render(json: { RoutingOutput.json(decision) + "\n" }, csv: { RoutingOutput.csv(decision, staleness: staleness) },
                                   table: { RoutingOutput.table(decision, staleness: staleness) })
        return (report, decision.chosen != nil)
    }

    /// Whether the session host takes new sessions (drain mode off); nil when `pool` holds no such
    /// host, or it was removed.
    public func allowsNewSessions(pool: String, host name: String) throws -> Bool? {
        let host = try SessionHostQueries.host(in: try projections(asOf: nil, reading: SessionHostDomain.projectors + UpdateDomain.projectors),
                                               pool: pool, name: name)
        return host.flatMap { $0.removed ? nil : $0.allowNewSession }
    }
}
