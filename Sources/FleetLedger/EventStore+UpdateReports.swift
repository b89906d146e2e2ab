import FleetDomains
import FleetEvents
import FleetProjection
import FleetOutput
import FleetStore

extension LedgerStore {
    private static var poolReading: [AnyProjector] { SessionHostDomain.projectors + UpdateDomain.projectors }

    /// `fleetledger update status --pool P`: the pool's update as Azure's status resource, with its plan.
    public func updateStatusReport(pool: String, asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> String {
        let view = try projections(asOf: asOf, reading: Self.poolReading)
        let update = try naming(asOf: asOf) { try UpdateQueries.update(in: view, pool: pool) }
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, entities: update.plan.joined().map {
            (Staleness.id(pool, $0), [StreamKind.sessionHost.key(pool, $0)])
        })
        return format.render(json: { UpdateOutput.json(update) }, csv: { UpdateOutput.csv(update, staleness: staleness) },
                             table: { UpdateOutput.table(update, staleness: staleness) })
    }

    /// `fleetledger pools`: every host pool with its settings, hosts, sessions and update.
    public func poolsReport(asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> String {
        let pools = try UpdateQueries.pools(in: try projections(asOf: asOf, reading: Self.poolReading))
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, hosts: pools.flatMap(\.hosts))
        return format.render(json: { UpdateOutput.poolsJSON(pools) }, csv: { UpdateOutput.poolsCSV(pools, staleness: staleness) },
                             table: { UpdateOutput.poolsTable(pools, staleness: staleness) })
    }
}

/// The NDJSON lines the `update` commands append.
public enum UpdateCommandLine {
    public static func schedule(pool: String, maxVmsRemoved: Int, deleteOriginalVm: Bool, logOffDelayMinutes: Int,
                                logOffMessage: String, scheduledDateTime: Timestamp?, actor: String? = nil, reason: String? = nil,
                                at: Timestamp) -> String {
        var data = [
            JSONMember(key: "hostPool", value: .string(pool)),
            JSONMember(key: "maxVmsRemoved", value: .int(Int64(maxVmsRemoved))),
            JSONMember(key: "deleteOriginalVm", value: .bool(deleteOriginalVm)),
            JSONMember(key: "logOffDelayMinutes", value: .int(Int64(logOffDelayMinutes))),
            JSONMember(key: "logOffMessage", value: .string(logOffMessage)),
        ]
        if let scheduledDateTime { data.append(JSONMember(key: "scheduledDateTime", value: .string(scheduledDateTime.rfc3339))) }
        data += Attribution(actor: actor, reason: reason).members
        return EventLine.envelope(type: SessionHostUpdateScheduled.declaration.name, at: at, data: data)
    }

    /// `action` is one of Start, Pause, Resume, Cancel, Retry.
    public static func control(pool: String, action: String, cancelMessage: String?, actor: String? = nil, reason: String? = nil,
                               at: Timestamp) -> String {
        var data = [JSONMember(key: "hostPool", value: .string(pool)), JSONMember(key: "action", value: .string(action))]
        if let cancelMessage { data.append(JSONMember(key: "cancelMessage", value: .string(cancelMessage))) }
        data += Attribution(actor: actor, reason: reason).members
        return EventLine.envelope(type: SessionHostUpdateControlled.declaration.name, at: at, data: data)
    }
}

/// The NDJSON line the `drain` command appends.
public enum DrainCommandLine {
    public static func line(pool: String, host: String, allowNewSession: Bool, actor: String?, reason: String?, at: Timestamp) -> String {
        DrainModeChanged.line(pool: pool, host: host, allowNewSession: allowNewSession,
                              attribution: Attribution(actor: actor, reason: reason), at: at)
    }
}
