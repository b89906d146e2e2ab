import FleetEvents
import FleetProjection

/// Follows backend addresses on load-balancing rules for `history --lb LB --ip IP` and
/// availability reports: each (rule, address) pair's state and Azure's reason code, as `lb health`
/// reports them.
package struct BackendTracker: Tracker {
    /// Nil: every load balancer.
    package var loadBalancer: String?
    /// Nil: every probed rule.
    package var rule: String?
    /// Nil: every address.
    package var ipAddress: String?
    /// Whether the replay must reach other load balancers (a global one reads its regional ones).
    package var global: Bool
    /// Each probe's conclusion about each address after the previous result, to skip the results
    /// that change nothing.
    private var concluded: [StreamKey: ProbeHealth?] = [:]
    /// Consecutive identical results per probe and address, for the words only.
    private var runs: [String: (outcome: ProbeOutcome, count: Int)] = [:]
    /// The followed address's own streams, when no other address can change what it shows (see
    /// `narrowed(toOwnStreams:)`); nil: every address of the load balancer is replayed.
    private var ownStreams: [StreamKey]?
    /// Whether the replay met a global load balancer, whose backends read its regional ones'.
    private var globalSeen = false
    /// The rules (load balancer, name) Azure's health of some address was seen on.
    private var observedRules: Set<[String]> = []

    package init(loadBalancer: String?, rule: String? = nil, ipAddress: String? = nil, global: Bool = false) {
        self.loadBalancer = loadBalancer
        self.rule = rule
        self.ipAddress = ipAddress
        self.global = global
    }

    /// Azure reports a powered-off backend with empty state and reason; reports name it so.
    package static let poweredOff = "PoweredOff"

    package var idColumns: [String] { ["loadBalancer", "rule", "ipAddress"] }
    package var stateName: String { "state" }
    package var states: [String] { ["Up", "Down", Self.poweredOff] }
    package var title: String { ipAddress ?? "" }
    package func subject(_ entity: TrackedEntity) -> String {
        ipAddress == nil ? "\(entity.ids[1]) \(entity.ids[2])" : "rule \(entity.ids[1])"
    }

    package var streams: StreamSelection {
        guard let loadBalancer, !global else { return StreamSelection(ranges: [StreamKind.loadBalancer.keys()]) }
        if let ownStreams { return StreamSelection(keys: [StreamKind.loadBalancer.key(loadBalancer)] + ownStreams) }
        return StreamSelection(keys: [StreamKind.loadBalancer.key(loadBalancer)], ranges: [StreamKind.backendAddress.keys(under: loadBalancer)])
    }

    /// Whether `event`, on a load balancer's own stream, lets other addresses change what a backend
    /// shows: a probe configured with AllProbedUp (the only rule of a regional load balancer that
    /// reads more than the address itself).
    package static func linksAddresses(_ event: ProjectedEvent) -> Bool {
        (event.data as? HealthProbeConfigured)?.noHealthyBackendsBehavior == .allProbedUp
    }

    /// The tracker replaying only the followed address's streams (its probe results and platform
    /// reports, and its entries in each pool) with its load balancer's: for a regional load
    /// balancer none of whose probes was ever configured with AllProbedUp (`linksAddresses`), where
    /// no other address's events change it. The rows are the same, from a far shorter replay
    /// (Tools/Benchmark/HISTORY.md, item 13).
    package func narrowed(toOwnStreams backendAddresses: [StreamKey]) -> BackendTracker {
        guard let loadBalancer, let ipAddress, !global else { return self }
        var narrowed = self
        narrowed.ownStreams = [StreamKind.loadBalancerAddress.key(loadBalancer, ipAddress)] + backendAddresses
        return narrowed
    }

    package var reading: [AnyProjector] { LoadBalancerDomain.projectors }

    /// Any event of a load balancer may change every backend of a rule (AllProbedUp), except a
    /// probe result that left its probe's conclusion as it was (a success on a backend already Up,
    /// the common case): that changes nothing any rule shows. A result that changed it, an
    /// observation from Azure and an address joining or leaving its pool change only their own
    /// address on the rules of its pool, unless one address may move others: a pool under an
    /// AllProbedUp probe, a global load balancer reading the regional ones, a rule with no probe
    /// whose first observation shows its whole pool (or whose last one goes with a re-added
    /// address). What keeps a timeline or an availability report of a collector-fed fleet linear
    /// in its events (Tools/Benchmark/HISTORY.md, item 37).
    package mutating func touched(by event: ProjectedEvent, _ view: ProjectionReader) throws -> [TrackedEntity]? {
        if let configured = event.data(as: LoadBalancerConfigured.self), configured.kind == .global { globalSeen = true }
        if let observed = event.data(as: BackendHealthObserved.self) {
            let address = observed.address
            guard !global, !globalSeen, let balancer = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(address.loadBalancer))
            else { return nil }
            let first = observedRules.insert([address.loadBalancer, observed.rule]).inserted
            if first, balancer.rules[observed.rule]?.probe == nil { return nil }
            return ownAddress(address, in: balancer)
        }
        if let address = event.data(as: BackendAddressAdded.self)?.address ?? event.data(as: BackendAddressRemoved.self)?.address {
            guard !global, !globalSeen, let balancer = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(address.loadBalancer))
            else { return nil }
            // Added again after a removal, an address starts afresh, its observations gone with it.
            if event.data(as: BackendAddressAdded.self) != nil {
                for (name, settings) in balancer.rules where settings.backendPool == address.backendPool && settings.probe == nil
                    && observedRules.contains([address.loadBalancer, name]) {
                    if try !RuleHealthRules.isObserved(rule: name, settings: settings, of: address.loadBalancer, in: view) {
                        observedRules.remove([address.loadBalancer, name])
                        return nil
                    }
                }
            }
            return ownAddress(address, in: balancer)
        }
        guard let result = event.data(as: ProbeResultRecorded.self) else { return nil }
        let key = result.healthKey
        let health = try view.state(ProbeHealthProjector.self, of: key)
        defer { concluded[key] = health }
        guard health != concluded[key] else { return [] }
        guard !global, !globalSeen,
              let balancer = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(result.loadBalancer)),
              balancer.probes[result.probeName]?.noHealthyBackendsBehavior != .allProbedUp else { return nil }
        return balancer.rules.filter { $0.value.probe == result.probe && tracks(result.loadBalancer, $0.key, result.ipAddress) }.keys
            .map { TrackedEntity(result.loadBalancer, $0, result.ipAddress) }
    }

    /// The address on each rule of its pool that the tracker follows; nil (any backend may change)
    /// when a rule of the pool has an AllProbedUp probe.
    private func ownAddress(_ address: BackendAddressID, in balancer: LoadBalancerState) -> [TrackedEntity]? {
        let rules = balancer.rules.filter { $0.value.backendPool == address.backendPool }
        guard !rules.values.contains(where: { $0.probe.flatMap { balancer.probes[ProbeName($0)] }?.noHealthyBackendsBehavior == .allProbedUp })
        else { return nil }
        return rules.keys.filter { tracks(address.loadBalancer, $0, address.ipAddress) }
            .map { TrackedEntity(address.loadBalancer, $0, address.ipAddress) }
    }

    /// Whether the tracker follows the address on the rule.
    private func tracks(_ balancer: String, _ ruleName: String, _ address: String) -> Bool {
        (loadBalancer == nil || loadBalancer == balancer) && (rule == nil || rule == ruleName) && (ipAddress == nil || ipAddress == address)
    }

    package func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation] {
        var observed: [TrackedEntity: Observation] = [:]
        for balancer in try LoadBalancerQueries.loadBalancers(in: view) where loadBalancer == nil || balancer.name == loadBalancer {
            guard balancer.kind != .gateway else { continue }
            for (name, settings) in balancer.rules where rule == nil || name == rule {
                // A rule with no probe has a health only when Azure's was imported.
                guard try settings.probe != nil || RuleHealthRules.isObserved(rule: name, settings: settings, of: balancer.name, in: view) else { continue }
                let health = try RuleHealthRules.health(of: balancer, rule: name, settings: settings, probe: settings.probe, in: view)
                for address in health.addresses where ipAddress == nil || address.ipAddress == ipAddress {
                    observed[TrackedEntity(balancer.name, name, address.ipAddress)] = Self.observation(of: address)
                }
            }
        }
        return observed
    }

    package func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation? {
        guard tracks(entity.ids[0], entity.ids[1], entity.ids[2]),
              let balancer = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(entity.ids[0])) else { return nil }
        return try RuleHealthRules.health(ofAddress: entity.ids[2], balancer: balancer, rule: entity.ids[1], in: view).map(Self.observation(of:))
    }

    static func observation(of address: BackendHealth) -> Observation {
        switch address.state {
        case .up: Observation(state: "Up", code: address.reasonCode, takesTraffic: true, observedFromAzure: address.observed)
        case .down: Observation(state: "Down", code: address.reasonCode, takesTraffic: false, observedFromAzure: address.observed)
        case .unknown: Observation(state: poweredOff, takesTraffic: false, observedFromAzure: address.observed)
        }
    }

    /// A backend shows it is alive by its address's events (probe results, platform reports, its
    /// entries in pools), whichever rule it is reported under; a global load balancer's backend,
    /// whose health is its regional load balancer's, by any of that load balancer's addresses.
    package func feeds(of event: ProjectedEvent) -> [[String]] {
        Self.address(of: event).map { [[$0.loadBalancer, $0.ipAddress], [$0.loadBalancer]] } ?? []
    }

    package func feed(of entity: TrackedEntity, _ view: ProjectionReader) throws -> [String] {
        let (balancer, rule, ipAddress) = (entity.ids[0], entity.ids[1], entity.ids[2])
        guard let state = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(balancer)), state.kind == .global,
              let pool = state.rules[rule]?.backendPool,
              let regional = try view.state(BackendAddressProjector.self, of: StreamKind.backendAddress.key(balancer, pool, ipAddress))?
                  .regionalLoadBalancer
        else { return [balancer, ipAddress] }
        return [regional]
    }

    package func concerns(_ event: ProjectedEvent) -> Bool {
        guard let ipAddress else { return false }
        return Self.address(of: event).map { $0.loadBalancer == loadBalancer && $0.ipAddress == ipAddress } ?? false
    }

    /// The load balancer and address an event is about, if it is about one address: any event
    /// of an address's streams (its place in a pool, or its probe results and platform reports),
    /// so a new event type is followed without a word here.
    private static func address(of event: ProjectedEvent) -> (loadBalancer: String, ipAddress: String)? {
        let values = event.stream.values
        switch event.declaration.stream {
        case .backendAddress: return (String(values[0]), String(values[2]))
        case .loadBalancerAddress: return (String(values[0]), String(values[1]))
        default: return nil
        }
    }

    package mutating func note(_ event: ProjectedEvent, _ view: ProjectionReader) {
        guard let result = event.data(as: ProbeResultRecorded.self) else { return }
        let key = result.loadBalancer + "/" + result.probe + "/" + result.ipAddress
        let previous = runs[key]
        runs[key] = (result.outcome, previous?.outcome == result.outcome ? previous!.count + 1 : 1)
    }

    package func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String {
        let lbName = Self.address(of: event)?.loadBalancer
        let prefix = loadBalancer == nil || (lbName != nil && lbName != loadBalancer) ? "\(lbName ?? "") " : ""
        switch event.data {
        case let result as ProbeResultRecorded:
            let run = runs[result.loadBalancer + "/" + result.probe + "/" + result.ipAddress]?.count ?? 1
            var outcome = result.outcome == .success ? "success" : result.outcome.rawValue
            if let code = result.statusCode { outcome += " \(code)" }
            let threshold = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(result.loadBalancer))?
                .probes[result.probeName]?.probeThreshold ?? 1
            let count = run == 1 ? "" : "\(Ordinal.text(run)) consecutive "
            return "\(prefix)\(result.ipAddress): \(count)\(outcome) on probe \(result.probe) (probeThreshold \(threshold))"
        case let report as PlatformHealthReported:
            return "\(prefix)\(report.ipAddress): " + (report.state == .cleared ? "platform report cleared" : "platform reports \(report.state.rawValue)")
        case let added as BackendAddressAdded:
            return "\(prefix)\(added.address.ipAddress) added to pool \(added.address.backendPool)"
                + (added.regionalLoadBalancer.map { " (regional load balancer \($0))" } ?? "")
        case let removed as BackendAddressRemoved:
            return "\(prefix)\(removed.address.ipAddress) removed from pool \(removed.address.backendPool)"
        case let admin as BackendAdminStateChanged:
            return "\(prefix)\(admin.address.ipAddress): admin state \(admin.adminState.rawValue)"
        case let power as BackendPowerStateChanged:
            return "\(prefix)\(power.address.ipAddress): VM powered \(power.poweredOn ? "on" : "off")"
        case let probe as HealthProbeConfigured:
            var words = "\(probe.loadBalancer): probe \(probe.probe) configured: \(probe.protocol.rawValue) port \(probe.port)"
            if let path = probe.requestPath { words += " \(path)" }
            return words + ", every \(probe.intervalInSeconds) s, probeThreshold \(probe.probeThreshold), \(probe.noHealthyBackendsBehavior.rawValue)"
        case let rule as LoadBalancingRuleConfigured:
            return "\(rule.loadBalancer): rule \(rule.rule) configured: pool \(rule.backendPool), " + (rule.probe.map { "probe \($0)" } ?? "no probe")
        case let configured as LoadBalancerConfigured:
            return "load balancer \(configured.loadBalancer) configured: \(configured.kind.rawValue)"
        case let observed as BackendHealthObserved:
            let health = observed.state.map { "\($0.rawValue) (\(observed.reason ?? "no reason"))" } ?? "no health: the VM is off"
            return "\(prefix)\(observed.address.ipAddress): observed from Azure on rule \(observed.rule): \(health)"
        default:
            throw UnhandledEvent("the load balancer history", event)
        }
    }
}

/// English ordinals for counts in words: 1st, 2nd, 3rd, 4th, 11th, 21st.
package enum Ordinal {
    package static func text(_ number: Int) -> String {
        let suffix = switch (number % 10, number % 100) {
        case (_, 11...13): "th"
        case (1, _): "st"
        case (2, _): "nd"
        case (3, _): "rd"
        default: "th"
        }
        return "\(number)\(suffix)"
    }
}
