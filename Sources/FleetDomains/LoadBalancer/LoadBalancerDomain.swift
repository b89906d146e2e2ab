import FleetEvents
import FleetProjection

/// Azure Load Balancer: backends, probes, rules and their health (docs/domain-rules.md, "Load balancer backend health").
package enum LoadBalancerDomain {
    package static let events: [any EventData.Type] = [
        LoadBalancerConfigured.self, HealthProbeConfigured.self, LoadBalancingRuleConfigured.self,
        BackendAddressAdded.self, BackendAddressRemoved.self, BackendAdminStateChanged.self,
        BackendPowerStateChanged.self, ProbeResultRecorded.self, PlatformHealthReported.self, BackendHealthObserved.self,
    ]
    package static let projectors: [AnyProjector] = [
        AnyProjector(LoadBalancerProjector.self),
        AnyProjector(BackendAddressProjector.self),
        AnyProjector(AddressPoolsProjector.self),
        AnyProjector(ProbeHealthProjector.self),
        AnyProjector(PlatformHealthProjector.self),
    ]
}
