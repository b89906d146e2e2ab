import FleetEvents
import FleetProjection

/// One backend address's health on one load-balancing rule, as Azure reports it.
package struct BackendHealth: Equatable, Sendable {
    package var ipAddress: String
    package var networkInterfaceIPConfigurationId: String?
    package var state: BackendHealthState
    /// Nil for a powered-off backend, whose health Azure cannot retrieve.
    package var reason: HealthReason?
    /// Azure's reported health, not the store's rules.
    package var observed = false
    /// A reason code Azure reported that this version does not know (`reason` is then nil).
    package var unknownReason: String?

    /// The reason code as Azure spells it; nil for a powered-off backend.
    package var reasonCode: String? { reason?.rawValue ?? unknownReason }
}

/// Azure's `LoadBalancerHealthPerRule`: the backends of a rule's pool, with counts.
package struct RuleHealth: Equatable, Sendable {
    package var loadBalancer: String
    package var rule: String
    package var backendPool: String
    /// Nil for a rule known only from Azure's reports of its health.
    package var probe: String?
    /// In numeric IP order.
    package var addresses: [BackendHealth]

    package var up: Int { addresses.count { $0.state == .up } }
    package var down: Int { addresses.count { $0.state == .down } }
}

/// The health of a rule's backends, from the projected states (now or as of a time).
///
/// Azure's observed health of an address on the rule, when one was imported, wins over all of
/// these: Azure judged with the probes and platform signals the store sees only in part.
/// Otherwise, when several rules hold, the first wins: powered off (empty state and reason); admin state
/// `Up`/`Down`; a platform report until cleared; for a global load balancer, a regional one with
/// no healthy backend (`Down_Probe_NoHealthyBackend`); the rule's probe, where `AllProbedUp`
/// turns a pool with no Up backend but probed-down ones into `Up_Probe_AllDownIsUp`; else `NA`.
package enum RuleHealthRules {
    package static func health(
        of balancer: LoadBalancerState, rule name: String, settings rule: RuleSettings, probe: String?,
        in view: ProjectionReader
    ) throws -> RuleHealth {
        let probeSettings = probe.flatMap { balancer.probes[ProbeName($0)] }
        var byProbe: [Bool] = []
        var addresses: [BackendHealth] = []
        for address in try addressesOf(pool: rule.backendPool, of: balancer.name, in: view) {
            if let observed = address.observed?[name] {
                addresses.append(observedHealth(of: address, observed))
                byProbe.append(false)
                continue
            }
            let (health, probed) = try health(of: address, balancer: balancer, probe: probe, in: view)
            addresses.append(health)
            byProbe.append(probed)
        }
        // AllProbedUp: no backend of the pool takes traffic, yet some are down only by probe.
        if probeSettings?.noHealthyBackendsBehavior == .allProbedUp,
           !addresses.contains(where: { $0.state == .up }),
           zip(addresses, byProbe).contains(where: { $1 && $0.state == .down }) {
            for index in addresses.indices where byProbe[index] && addresses[index].state == .down {
                addresses[index].state = .up
                addresses[index].reason = .upProbeAllDownIsUp
            }
        }
        return RuleHealth(loadBalancer: balancer.name, rule: name, backendPool: rule.backendPool, probe: probe,
                          addresses: IPOrder.sorted(addresses, by: \.ipAddress))
    }

    /// One address's health on one rule, the same as its entry in `health(of:rule:settings:probe:in:)`:
    /// nil when the rule has no health or its pool no such address. Only AllProbedUp, which reads
    /// the whole pool, costs the whole rule's health: a history or a timeline asks after every change.
    package static func health(ofAddress ipAddress: String, balancer: LoadBalancerState, rule name: String,
                               in view: ProjectionReader) throws -> BackendHealth? {
        guard balancer.kind != .gateway, let settings = balancer.rules[name] else { return nil }
        guard let probe = settings.probe, balancer.probes[ProbeName(probe)]?.noHealthyBackendsBehavior == .allProbedUp else {
            guard let address = try view.state(BackendAddressProjector.self, of: StreamKind.backendAddress.key(balancer.name, settings.backendPool, ipAddress)),
                  !address.removed else { return nil }
            if let observed = address.observed?[name] { return observedHealth(of: address, observed) }
            guard try settings.probe != nil || isObserved(rule: name, settings: settings, of: balancer.name, in: view) else { return nil }
            return try health(of: address, balancer: balancer, probe: settings.probe, in: view).0
        }
        return try health(of: balancer, rule: name, settings: settings, probe: probe, in: view).addresses.first { $0.ipAddress == ipAddress }
    }

    private static func observedHealth(of address: BackendAddressState, _ observed: ObservedBackendHealth) -> BackendHealth {
        BackendHealth(ipAddress: address.ipAddress, networkInterfaceIPConfigurationId: address.networkInterfaceIPConfigurationId,
                      state: observed.state ?? .unknown, reason: observed.reason.flatMap(HealthReason.init(rawValue:)),
                      observed: true, unknownReason: observed.reason.flatMap { HealthReason(rawValue: $0) == nil ? $0 : nil })
    }

    /// One address's health, and whether it comes from the rule's probe (the ones AllProbedUp may lift).
    private static func health(
        of address: BackendAddressState, balancer: LoadBalancerState, probe: String?, in view: ProjectionReader
    ) throws -> (BackendHealth, probed: Bool) {
        var health = BackendHealth(ipAddress: address.ipAddress, networkInterfaceIPConfigurationId: address.networkInterfaceIPConfigurationId,
                                   state: .unknown, reason: nil)
        func set(_ state: BackendHealthState, _ reason: HealthReason) { health.state = state; health.reason = reason }
        if !address.poweredOn { return (health, false) }
        switch address.adminState {
        case .up: set(.up, .upAdmin); return (health, false)
        case .down: set(.down, .downAdmin); return (health, false)
        case .none: break
        }
        switch try view.state(PlatformHealthProjector.self, of: StreamKind.loadBalancerAddress.key(balancer.name, address.ipAddress))?.state {
        case .up?: set(.up, .upPlatform); return (health, false)
        case .down?: set(.down, .downPlatform); return (health, false)
        case .cleared?, nil: break
        }
        let regional = balancer.kind == .global ? address.regionalLoadBalancer : nil
        if let regional, try !hasHealthyBackend(regional, in: view) {
            set(.down, .downProbeNoHealthyBackend)
            return (health, false)
        }
        if let probe, let probed = try view.state(ProbeHealthProjector.self, of: StreamKind.probeHealth.key(balancer.name, probe, address.ipAddress)) {
            set(probed.up ? .up : .down, probed.reason)
            return (health, true)
        }
        // A global load balancer's backend with no results of its own is judged by its regional one.
        if regional != nil { set(.up, .upProbeSuccess) } else { set(.down, .notApplicable) }
        return (health, false)
    }

    /// Whether any probed rule of regional load balancer `name` has an Up backend (any of its
    /// pools: a global load balancer reaches the regional one's frontend, not one pool).
    static func hasHealthyBackend(_ name: String, in view: ProjectionReader) throws -> Bool {
        guard let regional = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(name)),
              regional.kind == .regional else { return false }
        for (ruleName, rule) in regional.rules {
            guard try rule.probe != nil || isObserved(rule: ruleName, settings: rule, of: name, in: view) else { continue }
            if try health(of: regional, rule: ruleName, settings: rule, probe: rule.probe, in: view).up > 0 { return true }
        }
        return false
    }

    /// Whether Azure's health of the rule was imported for any address its pool holds or held: a
    /// rule with no probe the store knows then has the health Azure reported (an emptied pool's too).
    package static func isObserved(rule: String, settings: RuleSettings, of balancer: String, in view: ProjectionReader) throws -> Bool {
        try view.states(BackendAddressProjector.self, in: StreamKind.backendAddress.keys(under: balancer, settings.backendPool))
            .contains { $0.state.observed?[rule] != nil }
    }

    /// The addresses pool `pool` of load balancer `balancer` holds now.
    package static func addressesOf(pool: String, of balancer: String, in view: ProjectionReader) throws -> [BackendAddressState] {
        try view.states(BackendAddressProjector.self, in: StreamKind.backendAddress.keys(under: balancer, pool))
            .map(\.state).filter { !$0.removed }
    }
}

/// Orders IP addresses as numbers (`10.0.0.9` before `10.0.0.10`); IPv4 before anything else.
package enum IPOrder {
    package static func less(_ lhs: String, _ rhs: String) -> Bool {
        less((octets(lhs), lhs), (octets(rhs), rhs))
    }

    /// `elements` in the order of their addresses, each address parsed once (a rule's health is
    /// sorted after every event a history or a report replays).
    package static func sorted<Element>(_ elements: [Element], by address: (Element) -> String) -> [Element] {
        elements.map { (key: (octets(address($0)), address($0)), element: $0) }
            .sorted { less($0.key, $1.key) }
            .map(\.element)
    }

    private static func less(_ lhs: (UInt32?, String), _ rhs: (UInt32?, String)) -> Bool {
        switch (lhs.0, rhs.0) {
        case let (left?, right?): left < right
        case (_?, nil): true
        case (nil, _?): false
        case (nil, nil): lhs.1 < rhs.1
        }
    }

    /// The four octets of an IPv4 address, the first in the highest byte (so the numbers compare
    /// as the octets do in turn); nil for anything else. One number, not an array of four made
    /// through two more arrays, since `lb list` parses every backend's address to sort them
    /// (Tools/Benchmark/HISTORY.md, item 26).
    private static func octets(_ text: String) -> UInt32? {
        var value: UInt32 = 0, count = 0
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard count < 4, let number = Int(part), (0...255).contains(number) else { return nil }
            value = value << 8 | UInt32(number)
            count += 1
        }
        return count == 4 ? value : nil
    }
}
