import FleetEvents
import FleetProjection

/// One domain of the fleet: its event types, its projectors and the stream kinds it writes.
package struct Domain: Sendable {
    package let name: String
    package let events: [any EventData.Type]
    package let projectors: [AnyProjector]
    /// The first segments of its streams' keys (host pool streams serve two domains).
    package let streamKinds: [StreamKind]
}

extension Domain {
    /// Every domain, in the order their projectors fold an event: the one list a new domain joins;
    /// the store's schema, `stats` and the domains' tests all read it.
    package static let all: [Domain] = [
        Domain(name: "session hosts", events: SessionHostDomain.events, projectors: SessionHostDomain.projectors,
               streamKinds: [.hostPool, .sessionHost]),
        Domain(name: "session host updates", events: UpdateDomain.events, projectors: UpdateDomain.projectors,
               streamKinds: [.hostPool]),
        Domain(name: "load balancers", events: LoadBalancerDomain.events, projectors: LoadBalancerDomain.projectors,
               streamKinds: [.loadBalancer]),
        Domain(name: "scale sets", events: ScaleSetDomain.events, projectors: ScaleSetDomain.projectors,
               streamKinds: [.scaleSet]),
    ]
}
