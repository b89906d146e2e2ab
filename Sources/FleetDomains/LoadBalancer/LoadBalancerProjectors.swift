import FleetEvents
import FleetProjection

extension StreamKind {
    /// What one probe concludes about one address of a load balancer (an entity, not a stream).
    package static let probeHealth = StreamKind("lbprobe", fields: ["loadBalancer", "probe", "ipAddress"])
}

/// Folds a load balancer's stream into its configuration: kind, probes, rules.
package enum LoadBalancerProjector: StreamProjector {
    package typealias State = LoadBalancerState
    package static let name = "load-balancers"
    package static let folds: [any EventData.Type] = [
        LoadBalancerConfigured.self, HealthProbeConfigured.self, LoadBalancingRuleConfigured.self,
    ]

    package static func fold(_ state: consuming LoadBalancerState?, _ event: ProjectedEvent) throws -> LoadBalancerState {
        var balancer = state ?? LoadBalancerState(name: String(event.stream.values[0]))
        switch event.data {
        case let configured as LoadBalancerConfigured:
            balancer.kind = configured.kind
        case let probe as HealthProbeConfigured:
            // Each HealthProbeConfigured states the probe's whole configuration.
            balancer.probes[ProbeName(probe.probe)] = ProbeSettings(
                protocol: probe.protocol, port: probe.port, intervalInSeconds: probe.intervalInSeconds,
                probeThreshold: probe.probeThreshold, requestPath: probe.requestPath,
                noHealthyBackendsBehavior: probe.noHealthyBackendsBehavior)
        case let rule as LoadBalancingRuleConfigured:
            balancer.rules[rule.rule] = RuleSettings(backendPool: rule.backendPool, probe: rule.probe)
        default:
            throw UnhandledEvent(name, event)
        }
        return balancer
    }

    /// A rule may name only a probe its load balancer has.
    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        guard let rule = event.data as? LoadBalancingRuleConfigured, let probe = rule.probe else { return }
        try requireProbe(ProbeName(probe), of: rule.loadBalancer, context, for: "a rule", onItsStream: true)
    }

    /// Refuses `probe` unless load balancer `loadBalancer` has it, naming the probes it has.
    static func requireProbe(_ probe: String, of loadBalancer: String, key: StreamKey? = nil, _ context: FoldContext, for what: String) throws {
        try requireProbe(ProbeName(probe), of: loadBalancer, key: key, context, for: what)
    }

    /// `onItsStream`: the event is on the load balancer's own stream (a rule), so it configures
    /// the load balancer rather than name an unknown one.
    static func requireProbe(_ probe: ProbeName, of loadBalancer: String, key: StreamKey? = nil, _ context: FoldContext, for what: String,
                             onItsStream: Bool = false) throws {
        let key = key ?? StreamKind.loadBalancer.key(loadBalancer)
        // Checked for every probe result appended: the load balancer's state read in place, not
        // copied out with all its rules and probes (Tools/Benchmark/HISTORY.md, item 27), and the
        // names sorted only for the error.
        if try context.withState(Self.self, of: key, { $0?.probes[probe] != nil }) { return }
        if !onItsStream { try requireLoadBalancer(loadBalancer, key: key, context, namedBy: what) }
        let probes = try context.withState(Self.self, of: key) { $0?.probes.keys.map(\.name).sorted() } ?? []
        throw LoadBalancerRefusal.unknownProbe(probe: probe.name, loadBalancer: loadBalancer, knownProbes: probes, namedBy: what)
    }
}

extension LoadBalancerProjector {
    /// Refuses an event (`namedBy`) about load balancer `loadBalancer` when no event has configured
    /// it, naming the closest the store holds.
    static func requireLoadBalancer(_ loadBalancer: String, key: StreamKey, _ context: FoldContext, namedBy: String) throws {
        if try context.withState(Self.self, of: key, { $0 != nil }) { return }
        let known = try context.states(Self.self, in: StreamKind.loadBalancer.keys()).map(\.state.name).sorted(by: NaturalOrder.less)
        throw LoadBalancerRefusal.unknownLoadBalancer(loadBalancer: loadBalancer, known: known, namedBy: namedBy)
    }
}

/// Folds each backend address's stream: added or removed, its network interface, admin state, power.
package enum BackendAddressProjector: StreamProjector {
    package typealias State = BackendAddressState
    package static let name = "backend-addresses"
    package static let folds: [any EventData.Type] = [
        BackendAddressAdded.self, BackendAddressRemoved.self, BackendAdminStateChanged.self, BackendPowerStateChanged.self,
        BackendHealthObserved.self,
    ]

    package static func fold(_ state: consuming BackendAddressState?, _ event: ProjectedEvent) throws -> BackendAddressState {
        let values = event.stream.values
        let fresh = BackendAddressState(loadBalancer: String(values[0]), backendPool: String(values[1]), ipAddress: String(values[2]))
        var address = state ?? fresh
        switch event.data {
        case let added as BackendAddressAdded:
            // Added again after a removal, the address starts afresh.
            if address.removed { address = fresh }
            address.networkInterfaceIPConfigurationId = added.networkInterfaceIPConfigurationId
            address.regionalLoadBalancer = added.regionalLoadBalancer
        case is BackendAddressRemoved:
            address.removed = true
        case let admin as BackendAdminStateChanged:
            address.adminState = admin.adminState
        case let power as BackendPowerStateChanged:
            address.poweredOn = power.poweredOn
        case let observed as BackendHealthObserved:
            address.observed = (address.observed ?? [:]).merging([observed.rule: ObservedBackendHealth(state: observed.state, reason: observed.reason)]) { $1 }
        default:
            throw UnhandledEvent(name, event)
        }
        return address
    }
}

/// Folds each address's entries in a load balancer's backend pools into the pools holding it now,
/// one entity per load balancer and address: what a probe result is checked against at append.
package enum AddressPoolsProjector: Projector {
    package typealias State = AddressPools
    package static let name = "address-pools"
    package static let folds: [any EventData.Type] = [BackendAddressAdded.self, BackendAddressRemoved.self]

    /// Keyed as the address's probe results are streamed, so the check looks the key up as it is.
    package static func entities(of event: ProjectedEvent, _ context: FoldContext) throws -> Entities {
        let values = event.stream.values
        return .one(StreamKind.loadBalancerAddress.key(String(values[0]), String(values[2])))
    }

    package static func fold(_ state: consuming AddressPools?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> AddressPools {
        var held = state ?? AddressPools()
        let pool = String(event.stream.values[1])
        switch event.data {
        case is BackendAddressAdded: held.insert(pool)
        case is BackendAddressRemoved: held.remove(pool, at: event.at)
        default: throw UnhandledEvent(name, event)
        }
        return held
    }

    /// Refuses a probe result or platform report (`namedBy`) about an address no pool of its load
    /// balancer held at the event's time (as the log stands: `AddressPools.holds(at:)`), naming
    /// the addresses its pools do hold.
    static func requireHeld(_ event: ProjectedEvent, loadBalancer: String, ipAddress: String, _ context: FoldContext, namedBy: String) throws {
        if try context.withState(Self.self, of: event.stream, { $0?.holds(at: event.at) == true }) { return }
        try LoadBalancerProjector.requireLoadBalancer(loadBalancer, key: StreamKind.loadBalancer.key(loadBalancer), context, namedBy: namedBy)
        let entries = try context.states(Self.self, in: StreamKind.loadBalancerAddress.keys(under: loadBalancer))
        let held = IPOrder.sorted(entries.filter { !$0.state.pools.isEmpty }.map { String($0.key.values[1]) }, by: { $0 })
        let wasHeld = entries.contains { $0.key == event.stream }
        throw LoadBalancerRefusal.addressInNoPool(ipAddress: ipAddress, loadBalancer: loadBalancer, heldAddresses: held, removed: wasHeld, namedBy: namedBy)
    }
}

/// Folds probe results into what each probe concludes about each address, judged against the
/// probe's `probeThreshold` as the load balancer's stream held it at that result.
package enum ProbeHealthProjector: Projector {
    package typealias State = ProbeHealth
    package static let name = "probe-health"
    package static let folds: [any EventData.Type] = [ProbeResultRecorded.self]
    package static let reads: [any Projector.Type] = [LoadBalancerProjector.self]

    package static func entities(of event: ProjectedEvent, _ context: FoldContext) throws -> Entities {
        guard let result = event.data(as: ProbeResultRecorded.self) else { throw UnhandledEvent(name, event) }
        return .one(result.healthKey)
    }

    package static func fold(_ state: consuming ProbeHealth?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> ProbeHealth {
        guard let result = event.data(as: ProbeResultRecorded.self) else { throw UnhandledEvent(name, event) }
        let threshold = try context.withState(LoadBalancerProjector.self, of: result.loadBalancerKey) {
            $0?.probes[result.probeName]?.probeThreshold
        }
        return fold(state, outcome: result.outcome, threshold: threshold ?? 1)
    }

    /// One result's effect, on its own: the rule docs/domain-rules.md states ("Probe thresholds").
    package static func fold(_ state: consuming ProbeHealth?, outcome: ProbeOutcome, threshold: Int64) -> ProbeHealth {
        var health = state ?? ProbeHealth()
        let succeeded = outcome == .success
        if !succeeded { health.lastFailure = outcome }
        if succeeded == health.up {
            health.against = 0
        } else {
            health.against += 1
            if health.against >= threshold {
                health.up = succeeded
                health.against = 0
            }
        }
        return health
    }

    /// A result may name only a probe its load balancer has.
    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        guard let result = event.data(as: ProbeResultRecorded.self) else { throw UnhandledEvent(name, event) }
        try LoadBalancerProjector.requireProbe(result.probeName, of: result.loadBalancer, key: result.loadBalancerKey, context, for: "a probe result")
        try AddressPoolsProjector.requireHeld(event, loadBalancer: result.loadBalancer, ipAddress: result.ipAddress, context, namedBy: "a probe result")
    }
}

/// Folds the platform's reports on each address of a load balancer: Up or Down until Cleared.
package enum PlatformHealthProjector: StreamProjector {
    package typealias State = PlatformReport
    package static let name = "platform-health"
    package static let folds: [any EventData.Type] = [PlatformHealthReported.self]

    package static func fold(_ state: consuming PlatformReport?, _ event: ProjectedEvent) throws -> PlatformReport {
        guard let report = event.data(as: PlatformHealthReported.self) else { throw UnhandledEvent(name, event) }
        return PlatformReport(state: report.state == .cleared ? nil : report.state)
    }

    /// A report may name only an address a pool of its load balancer holds.
    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        guard let report = event.data(as: PlatformHealthReported.self) else { throw UnhandledEvent(name, event) }
        try AddressPoolsProjector.requireHeld(event, loadBalancer: report.loadBalancer, ipAddress: report.ipAddress, context, namedBy: "a platform report")
    }
}
