import FleetDomains
import FleetEvents
import FleetOutput
import FleetProjection
import FleetStore

/// The entity `fleetledger history` tells the story of.
public enum HistorySubject: Sendable, Equatable {
    case host(pool: String, host: String)
    case backend(loadBalancer: String, ipAddress: String)
    case instance(scaleSet: String, instanceId: String)
    case update(pool: String)
}

/// Which entities `fleetledger report availability` covers: nil names mean every one.
public enum AvailabilityScope: Sendable, Equatable {
    case hosts(pool: String?)
    case backends(loadBalancer: String?, rule: String?)
    case instances(scaleSet: String?)
}

extension LedgerStore {
    /// `fleetledger history`: the subject's events and every derived change with its cause, in log
    /// order, those with `at` from `since` through `until`; `changesOnly` keeps the changes.
    public func historyReport(_ subject: HistorySubject, since: Timestamp?, until: Timestamp?, changesOnly: Bool,
                              format: ReportFormat) throws -> String {
        let (entries, title) = try history(subject, since: since, until: until)
        let shown = changesOnly ? entries.filter { $0.kind == .change } : entries
        return format.render(json: { HistoryOutput.json(shown) }, csv: { HistoryOutput.csv(shown) },
                             table: { HistoryOutput.table(shown, title: title) })
    }

    func history(_ subject: HistorySubject, since: Timestamp?, until: Timestamp?) throws -> (entries: [HistoryEntry], title: String) {
        switch subject {
        case let .host(pool, host):
            try requireSessionHost(host, pool: pool)
            return (try record(SessionHostTracker(pool: pool, host: host), since: since, until: until,
                               missing: "there is no session host \(host) in host pool \(pool)"),
                    "session host \(host) in host pool \(pool)")
        case let .backend(loadBalancer, ipAddress):
            try requireBackendAddress(ipAddress, loadBalancer: loadBalancer)
            let balancer = try existingLoadBalancer(loadBalancer)
            var tracker = BackendTracker(loadBalancer: loadBalancer, ipAddress: ipAddress, global: balancer.kind == .global)
            if balancer.kind == .regional { tracker = try narrowedIfAlone(tracker, loadBalancer: loadBalancer, ipAddress: ipAddress) }
            return (try record(tracker, since: since, until: until,
                               missing: "load balancer \(loadBalancer) has no backend address \(ipAddress)"),
                    "backend \(ipAddress) of load balancer \(loadBalancer), on each rule that serves it (probed, or with health imported from Azure)")
        case let .instance(scaleSet, instanceId):
            try requireInstance(instanceId, scaleSet: scaleSet)
            return (try record(InstanceTracker(scaleSet: scaleSet, instanceId: instanceId), since: since, until: until,
                               missing: "there is no instance \(instanceId) in scale set \(scaleSet)"),
                    "instance \(instanceId) of scale set \(scaleSet)")
        case let .update(pool):
            try requireHostPool(pool)
            return (try record(UpdateTracker(pool: pool), since: since, until: until,
                               missing: "host pool \(pool) has never had a session host update"),
                    "session host update of host pool \(pool)")
        }
    }

    private func record<T: Tracker>(_ tracker: T, since: Timestamp?, until: Timestamp?, missing: String) throws -> [HistoryEntry] {
        var recorder = HistoryRecorder(tracker, since: since)
        try replay(tracker.streams, reading: tracker.reading, notAfter: until) { try recorder.record($0, $1) }
        guard recorder.sawSubject else { throw MissingEntity(missing + (until.map { " up to \($0.rfc3339)" } ?? "") + ".") }
        let end = try until ?? newestEventTime() ?? Timestamp(nanoseconds: 0)
        return recorder.finish(end: end)
    }

    /// The backend tracker replaying only the address's own streams when its load balancer's log
    /// never let other addresses change it (`BackendTracker.linksAddresses`).
    private func narrowedIfAlone(_ tracker: BackendTracker, loadBalancer: String, ipAddress: String) throws -> BackendTracker {
        var linked = false
        try replay(StreamSelection(keys: [StreamKind.loadBalancer.key(loadBalancer)]), reading: [AnyProjector(LoadBalancerProjector.self)],
                   notAfter: nil) { event, _ in
            linked = linked || BackendTracker.linksAddresses(event)
        }
        guard !linked else { return tracker }
        // Every pool the address was ever in: the read model keeps removed addresses too.
        let view = try projections(asOf: nil, reading: [AnyProjector(BackendAddressProjector.self)])
        let entries = try view.states(BackendAddressProjector.self, in: StreamKind.backendAddress.keys(under: loadBalancer))
        return tracker.narrowed(toOwnStreams: entries.filter { $0.state.ipAddress == ipAddress }.map(\.key))
    }

    private func existingLoadBalancer(_ name: String) throws -> LoadBalancerState {
        try LoadBalancerQueries.loadBalancer(name, in: try projections(asOf: nil, reading: LoadBalancerDomain.projectors))
    }

    /// `fleetledger report availability`: per entity of `scope` (per group with `byGroup`), the
    /// time in each state within `since..<until`, the share taking traffic, the transitions and the
    /// longest outage with its reason; with `staleAfter`, an entity's time more than that after its
    /// own last event is stale instead of its state.
    public func availabilityReport(_ scope: AvailabilityScope, since: Timestamp, until: Timestamp, staleAfter: TimeSpan? = nil,
                                   byGroup: Bool, format: ReportFormat) throws -> String {
        try availabilityReportWithNote(scope, since: since, until: until, staleAfter: staleAfter, byGroup: byGroup, format: format).report
    }

    /// The same, with the sentence the reader gets on stderr when the window reaches past the log's
    /// newest event (csv and json also carry it as their noData figures).
    public func availabilityReportWithNote(_ scope: AvailabilityScope, since: Timestamp, until: Timestamp, staleAfter: TimeSpan? = nil,
                                           byGroup: Bool, format: ReportFormat) throws -> (report: String, note: String?) {
        guard since < until else { throw StoreError("--since \(since.rfc3339) must be before --until \(until.rfc3339).") }
        var report = try availability(scope, since: since, until: until, staleAfter: staleAfter)
        if byGroup { report = report.byGroup() }
        let text = format.render(json: { AvailabilityOutput.json(report) }, csv: { AvailabilityOutput.csv(report) },
                                 table: { AvailabilityOutput.table(report) })
        return (text, AvailabilityOutput.note(report))
    }

    func availability(_ scope: AvailabilityScope, since: Timestamp, until: Timestamp, staleAfter: TimeSpan? = nil) throws -> AvailabilityReport {
        switch try requireNames(of: scope) {
        case let .hosts(tracker): try accumulate(tracker, since: since, until: until, staleAfter: staleAfter)
        case let .backends(tracker): try accumulate(tracker, since: since, until: until, staleAfter: staleAfter)
        case let .instances(tracker): try accumulate(tracker, since: since, until: until, staleAfter: staleAfter)
        }
    }

    func requireNames(of scope: AvailabilityScope) throws -> AvailabilityScopeTracker {
        switch scope {
        case let .hosts(pool):
            if let pool { try requireHostPool(pool) }
            return .hosts(SessionHostTracker(pool: pool))
        case let .backends(loadBalancer, rule):
            if let loadBalancer, let rule { try requireRule(rule, loadBalancer: loadBalancer) }
            if let loadBalancer { try requireLoadBalancer(loadBalancer) } else if let rule { try requireRuleOfAnyLoadBalancer(rule) }
            let global = try loadBalancer.map { try existingLoadBalancer($0).kind == .global } ?? false
            return .backends(BackendTracker(loadBalancer: loadBalancer, rule: rule, global: global))
        case let .instances(scaleSet):
            if let scaleSet { try requireScaleSet(scaleSet) }
            return .instances(InstanceTracker(scaleSet: scaleSet))
        }
    }

    private func accumulate<T: Tracker>(_ tracker: T, since: Timestamp, until: Timestamp, staleAfter: TimeSpan?) throws -> AvailabilityReport {
        var recorder = AvailabilityRecorder(tracker, since: since, until: until, newestEvent: try newestEventTime(), staleAfter: staleAfter)
        try replay(tracker.streams, reading: tracker.reading, notAfter: until) { try recorder.record($0, $1) }
        return recorder.finish()
    }
}

/// The tracker following a scope's entities, once every name it gives is known.
enum AvailabilityScopeTracker {
    case hosts(SessionHostTracker), backends(BackendTracker), instances(InstanceTracker)
}
