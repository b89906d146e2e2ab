import FleetDomains
import FleetEvents
import FleetOutput
import FleetStore

extension LedgerStore {
    /// The staleness of an answer's entities, each named by its id in the answer and the streams
    /// whose events show it alive; nil when `--stale-after` was not given.
    func staleness(after: TimeSpan?, asOf: Timestamp?, format: ReportFormat,
                   entities: [(id: String, streams: [StreamKey])]) throws -> Staleness? {
        guard let after else { return nil }
        guard format != .json else {
            throw StoreError("--stale-after adds lastEventAt and stale columns to table and csv output; json keeps Azure's shape, so use --format csv or table.")
        }
        // A question about now: measured from the clock, so a feed that died shows as stale.
        let queryTime = try asOf ?? Clock.nowToTheSecond()
        let times = try newestEventTimes(of: entities.flatMap(\.streams), notAfter: asOf)
        var newest: [String: Timestamp] = [:]
        for entity in entities {
            if let last = entity.streams.compactMap({ times[$0] }).max() { newest[entity.id] = last }
        }
        return Staleness(after: after, queryTime: queryTime, isNow: asOf == nil, newest: newest)
    }

    /// The staleness of session hosts, each known by `SessionHostOutput.staleID`.
    func staleness(after: TimeSpan?, asOf: Timestamp?, format: ReportFormat, hosts: [SessionHostState]) throws -> Staleness? {
        try staleness(after: after, asOf: asOf, format: format,
                      entities: hosts.map { (SessionHostOutput.staleID($0), [StreamKind.sessionHost.key($0.hostPool, $0.name)]) })
    }
}
