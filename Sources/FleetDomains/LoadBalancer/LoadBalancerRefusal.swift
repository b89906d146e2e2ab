import FleetEvents

/// Why the load balancer domain refuses an event at append, by rule; `description` is the one
/// sentence the user reads, naming the field at fault.
package enum LoadBalancerRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// A rule, a probe result or a scale set's health source (`namedBy`) names a probe its load
    /// balancer does not have; `knownProbes` are the ones it has, sorted.
    case unknownProbe(probe: String, loadBalancer: String, knownProbes: [String], namedBy: String)
    /// A probe result or platform report (`namedBy`) is about an address no backend pool of its
    /// load balancer holds; `heldAddresses` are the ones its pools hold, sorted.
    case addressInNoPool(ipAddress: String, loadBalancer: String, heldAddresses: [String], namedBy: String)

    package var description: String {
        switch self {
        case let .unknownProbe(probe, loadBalancer, known, namedBy):
            let has = known.isEmpty ? "it has no probes yet" : "its probes are \(known.joined(separator: ", "))"
            return InputError(field: "data.probe", "is \"\(probe)\", which load balancer \(loadBalancer) does not have; "
                + "\(namedBy) may name only a configured probe (\(has))").description
        case let .addressInNoPool(ipAddress, loadBalancer, held, namedBy):
            let close = closestMatches(to: ipAddress, among: held)
            let holds = held.isEmpty ? "its pools hold no address yet"
                : !close.isEmpty ? "did you mean \(alternatives(close))?"
                : "its pools hold " + held.prefix(NameSuggestion.listed).joined(separator: ", ") + (held.count > NameSuggestion.listed ? ", \(held.count) in all" : "")
            return InputError(field: "data.ipAddress", "is \"\(ipAddress)\", which no backend pool of load balancer \(loadBalancer) holds; "
                + "\(namedBy) may name only an address added to a pool and not removed since (\(holds))").description
        }
    }
}
