import FleetEvents

/// Why the load balancer domain refuses an event at append, by rule; `description` is the one
/// sentence the user reads, naming the field at fault.
package enum LoadBalancerRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// A rule, a probe result or a scale set's health source (`namedBy`) names a probe its load
    /// balancer does not have; `knownProbes` are the ones it has, sorted.
    case unknownProbe(probe: String, loadBalancer: String, knownProbes: [String], namedBy: String)

    package var description: String {
        switch self {
        case let .unknownProbe(probe, loadBalancer, known, namedBy):
            let has = known.isEmpty ? "it has no probes yet" : "its probes are \(known.joined(separator: ", "))"
            return InputError(field: "data.probe", "is \"\(probe)\", which load balancer \(loadBalancer) does not have; "
                + "\(namedBy) may name only a configured probe (\(has))").description
        }
    }
}
