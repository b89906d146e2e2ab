import FleetEvents

/// A load balancer's configuration, folded from its own stream: its kind, probes and rules.
package struct LoadBalancerState: Codable, Equatable, Sendable {
    package var name: String
    package var kind: LoadBalancerKind = .regional
    /// Azure's Probe resources, by name.
    package var probes: [ProbeName: ProbeSettings] = [:]
    package var rules: [String: RuleSettings] = [:]

    package init(name: String) { self.name = name }
}

/// The settings of one health probe that health depends on.
package struct ProbeSettings: Codable, Equatable, Sendable {
    package var `protocol`: ProbeProtocol
    package var port: Int64
    package var intervalInSeconds: Int64
    package var probeThreshold: Int64
    package var requestPath: String?
    package var noHealthyBackendsBehavior: NoHealthyBackendsBehavior
}

/// One load-balancing rule: the backend pool it serves and the probe that judges it (none: a
/// non-probed rule, which has no health status).
package struct RuleSettings: Codable, Equatable, Sendable {
    package var backendPool: String
    package var probe: String?
}

/// One address of one backend pool, folded from its own stream.
package struct BackendAddressState: Codable, Equatable, Sendable {
    package var loadBalancer: String
    package var backendPool: String
    package var ipAddress: String
    package var removed = false
    package var networkInterfaceIPConfigurationId: String?
    /// For a global load balancer: the regional load balancer behind the address.
    package var regionalLoadBalancer: String?
    package var adminState: AdminState = .none
    package var poweredOn = true
    /// Azure's last reported health of the address, by rule, when a rule's health was imported.
    package var observed: [String: ObservedBackendHealth]?

    package init(loadBalancer: String, backendPool: String, ipAddress: String) {
        self.loadBalancer = loadBalancer
        self.backendPool = backendPool
        self.ipAddress = ipAddress
    }
}

/// A backend's health on one rule as Azure reported it (both nil: powered off).
package struct ObservedBackendHealth: Codable, Equatable, Sendable {
    package var state: BackendHealthState?
    /// Azure's reason code as it spelled it: a code this version does not know is kept too.
    package var reason: String?

    package init(state: BackendHealthState?, reason: String?) {
        self.state = state
        self.reason = reason
    }
}

/// The backend pools of one load balancer that hold one address now, sorted.
package struct AddressPools: Codable, Equatable, Sendable {
    package private(set) var pools: [String] = []
    /// When the last pool let the address go (the removal's `at`); nil while a pool holds it.
    package private(set) var emptiedAt: Timestamp?

    package init() {}

    /// Whether a pool held the address at `time`, as far as the log has told: it is held now, or
    /// was until a removal at or after `time` (a probe result from before the removal may be
    /// logged after it, from its own stream).
    package func holds(at time: Timestamp) -> Bool {
        !pools.isEmpty || emptiedAt.map { time <= $0 } ?? false
    }

    mutating func insert(_ pool: String) {
        if !pools.contains(pool) { pools.append(pool); pools.sort() }
        emptiedAt = nil
    }

    /// A removal from a pool that does not hold the address changes nothing.
    mutating func remove(_ pool: String, at time: Timestamp) {
        guard let index = pools.firstIndex(of: pool) else { return }
        pools.remove(at: index)
        if pools.isEmpty { emptiedAt = time }
    }
}

/// What one probe has concluded about one address: its state and the run of results against it.
///
/// A new address starts Down, not proven healthy: `probeThreshold` consecutive successes bring it
/// Up, and while it is Up, `probeThreshold` consecutive failures bring it Down. Each result is
/// judged against the threshold in force when it arrives; a settings change keeps the state and
/// the run (docs/domain-rules.md, "Probe thresholds").
package struct ProbeHealth: Codable, Equatable, Sendable {
    package var up = false
    /// Consecutive results against the current state.
    package var against = 0
    /// The outcome of the latest failing result, which names a Down backend's reason.
    package var lastFailure: ProbeOutcome?

    package init() {}

    /// Azure's reason for this probe's view, before any override.
    package var reason: HealthReason {
        if up { return against > 0 ? .upProbeApproachingUnhealthyThreshold : .upProbeSuccess }
        if against > 0 { return .downProbeApproachingHealthyThreshold }
        return lastFailure.flatMap(HealthReason.init(failing:)) ?? .downProbeApproachingHealthyThreshold
    }
}

/// The platform's own report on one address of a load balancer, until it is cleared.
package struct PlatformReport: Codable, Equatable, Sendable {
    package var state: PlatformHealthState?
}
