import FleetEvents

/// A scale set's health source, folded from its own stream.
package struct ScaleSetState: Codable, Equatable, Sendable {
    package var name: String
    /// The Application Health extension, when it is the health source.
    package var extensionSettings: ExtensionSettings?
    /// The load balancer probe, when it is the health source instead.
    package var loadBalancerProbe: LoadBalancerProbeSource?
    /// Azure's id of the scale set, when its VMs were imported.
    package var resourceId: String?
    /// True once an import made the scale set known.
    package var observed: Bool?

    package init(name: String) { self.name = name }
}

/// A load balancer's probe serving as a scale set's health source.
package struct LoadBalancerProbeSource: Codable, Equatable, Sendable {
    package var loadBalancer: String
    package var probe: String
}
