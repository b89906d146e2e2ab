import FleetDomains
import FleetEvents
import FleetLedger
import FleetProjection
import FleetStore
import Prometheus
import Synchronization

/// The store's state as Prometheus metrics, from one snapshot: a fresh registry per scrape, so an
/// entity that left the store leaves the page with it.
///
/// Series per entity are kept to session hosts (their status and drain mode); backends are
/// counted per rule, state and reason, instances per scale set and health state, so the page
/// grows with hosts and rules, never with backend addresses (docs/serve.md, "Metrics").
enum StoreMetrics {
    /// The page's store part: the entities as of the log's head, kept for the next scrape that
    /// finds the same head (the read models are the log's fold, so the same head gives the same
    /// page), then the feed's ages against `now`, the clock, and the store's size, read anew.
    static func render(_ store: any LedgerStore, now: Timestamp, cache: Cache) throws -> [UInt8] {
        let head = try store.lastSeq()
        var page: [UInt8]
        if let cached = cache.page(at: head) {
            page = cached
        } else {
            let registry = PrometheusCollectorRegistry()
            try sessionHosts(store, registry)
            try loadBalancers(store, registry)
            try scaleSets(store, registry)
            registry.makeCounter(descriptor: metric("fleetledger_log_events_total", "Events in the log (its head's sequence number: the log has no gaps)."))
                .increment(by: head)
            page = registry.emitToBuffer()
            cache.keep(page, at: head)
        }
        let registry = PrometheusCollectorRegistry()
        try feed(store, registry, now: now)
        return page + registry.emitToBuffer()
    }

    /// The entities' part of the last page rendered, and the head it was rendered at.
    final class Cache: Sendable {
        private let last = Mutex<(head: Int64, page: [UInt8])?>(nil)

        func page(at head: Int64) -> [UInt8]? { last.withLock { $0?.head == head ? $0?.page : nil } }
        func keep(_ page: [UInt8], at head: Int64) { last.withLock { $0 = (head, page) } }
    }

    private static func sessionHosts(_ store: any LedgerStore, _ registry: PrometheusCollectorRegistry) throws {
        let view = try store.projections(asOf: nil, reading: SessionHostDomain.projectors + UpdateDomain.projectors)
        for pool in try UpdateQueries.pools(in: view) {
            for status in SessionHostStatus.allCases {
                registry.makeGauge(descriptor: metric("fleetledger_session_hosts", "Session hosts per host pool and status (every status, 0 where none)."), labels: [("host_pool", pool.name), ("status", status.rawValue)])
                    .set(to: Double(pool.hosts.count { $0.status == status }))
            }
            for host in pool.hosts {
                let labels = [("host_pool", pool.name), ("session_host", host.name)]
                registry.makeGauge(descriptor: metric("fleetledger_session_host_status", "1 for each session host, labelled with its status."), labels: labels + [("status", host.status.rawValue)])
                    .set(to: 1)
                registry.makeGauge(descriptor: metric("fleetledger_session_host_drain_mode", "1 while the session host is in drain mode (takes no new sessions), else 0."), labels: labels)
                    .set(to: host.allowNewSession ? 0 : 1)
            }
            guard let update = pool.update else { continue }
            registry.makeGauge(descriptor: metric("fleetledger_session_host_update_status", "1 for each host pool's newest session host update, labelled with its status."), labels: [("host_pool", pool.name), ("status", update.status.rawValue)])
                .set(to: 1)
            registry.makeGauge(descriptor: metric("fleetledger_session_host_update_progress_ratio", "The share of the session host update done, 0 to 1 (Azure's percentComplete / 100)."), labels: [("host_pool", pool.name)])
                .set(to: update.percentComplete / 100)
        }
    }

    private static func loadBalancers(_ store: any LedgerStore, _ registry: PrometheusCollectorRegistry) throws {
        let view = try store.projections(asOf: nil, reading: LoadBalancerDomain.projectors)
        for summary in try LoadBalancerQueries.summaries(in: view) {
            for (rule, _, health) in summary.rules {
                guard let health else { continue }
                let labels = [("load_balancer", summary.balancer.name), ("rule", rule)]
                registry.makeGauge(descriptor: metric("fleetledger_load_balancer_rule_backends_up", "Backends Up per load-balancing rule (0 when none is: the rule sends traffic nowhere)."), labels: labels)
                    .set(to: Double(health.up))
                var counts: [String: (state: String, reason: String, count: Int)] = [:]
                for address in health.addresses where address.state != .unknown {
                    let reason = address.reason?.rawValue ?? ""
                    counts[address.state.rawValue + reason, default: (address.state.rawValue, reason, 0)].count += 1
                }
                for (_, entry) in counts.sorted(by: { $0.key < $1.key }) {
                    registry.makeGauge(descriptor: metric("fleetledger_load_balancer_backends", "Backends per load-balancing rule, state (Up, Down) and Azure's reason code; powered-off backends, which Azure counts in neither, are left out."), labels: labels + [("state", entry.state), ("reason", entry.reason)])
                        .set(to: Double(entry.count))
                }
            }
        }
    }

    private static func scaleSets(_ store: any LedgerStore, _ registry: PrometheusCollectorRegistry) throws {
        let view = try store.projections(asOf: nil, reading: EventStore.scaleSetReading)
        for summary in try ScaleSetQueries.summaries(in: view) where summary.scaleSet.loadBalancerProbe == nil {
            for state in ApplicationHealthState.allCases {
                registry.makeGauge(descriptor: metric("fleetledger_scale_set_instances", "Scale set instances per Application Health extension state (every state, 0 where none); a scale set whose health is a load balancer probe's shows in the backend metrics instead."), labels: [("scale_set", summary.scaleSet.name), ("health_state", state.rawValue)])
                    .set(to: Double(summary.counts[state] ?? 0))
            }
        }
    }

    private static func feed(_ store: any LedgerStore, _ registry: PrometheusCollectorRegistry, now: Timestamp) throws {
        for (kind, newest) in try store.newestEventTimeByStreamKind().sorted(by: { $0.key < $1.key }) {
            registry.makeGauge(descriptor: metric("fleetledger_last_event_timestamp_seconds", "When the newest event happened (its at field) per stream kind (sessionhost, hostpool, lb, vmss), in Unix seconds."), labels: [("kind", kind)])
                .set(to: Double(newest.nanoseconds) / 1e9)
            registry.makeGauge(descriptor: metric("fleetledger_last_event_age_seconds", "Seconds from when the newest event happened (its at field) per stream kind to the server's clock at the scrape: a feed that stopped grows old."), labels: [("kind", kind)])
                .set(to: Double(now.nanoseconds - newest.nanoseconds) / 1e9)
        }
        registry.makeGauge(descriptor: metric("fleetledger_store_size_bytes", "The store's SQLite file and its write-ahead log, in bytes."))
            .set(to: Double(try store.sizeInBytes()))
    }
}

/// A metric's name and help line, as swift-prometheus takes them (the unit is in the name).
func metric(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
}
