import FleetEvents

/// Why the load balancer domain refuses an event at append, by rule; `description` is the one
/// sentence the user reads, naming the field at fault.
package enum LoadBalancerRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// A rule, a probe result or a scale set's health source (`namedBy`) names a probe its load
    /// balancer does not have; `knownProbes` are the ones it has, sorted.
    case unknownProbe(probe: String, loadBalancer: String, knownProbes: [String], namedBy: String)
    /// A probe result or platform report (`namedBy`) names a load balancer no event has
    /// configured; `known` are the load balancers the store holds, sorted.
    case unknownLoadBalancer(loadBalancer: String, known: [String], namedBy: String)
    /// A probe result or platform report (`namedBy`) is about an address no backend pool of its
    /// load balancer holds: never added (`removed` false) or removed from every pool it was in.
    /// `heldAddresses` are the ones its pools hold, sorted.
    case addressInNoPool(ipAddress: String, loadBalancer: String, heldAddresses: [String], removed: Bool, namedBy: String)

    package var description: String {
        switch self {
        case let .unknownProbe(probe, loadBalancer, known, namedBy):
            let has = known.isEmpty ? "it has no probes yet" : "its probes are \(known.joined(separator: ", "))"
            return InputError(field: "data.probe", "is \"\(probe)\", which load balancer \(loadBalancer) does not have; "
                + "\(namedBy) may name only a configured probe (\(has))").description
        case let .unknownLoadBalancer(loadBalancer, known, namedBy):
            let hint = NameSuggestion.hint(for: loadBalancer, known: known, listing: "known load balancers:", none: "the store holds none yet")
            return InputError(field: "data.loadBalancer", "is \"\(loadBalancer)\", a load balancer no event has configured; "
                + "\(namedBy) may name only a configured load balancer (\(hint.hasSuffix(".") ? String(hint.dropLast()) : hint))").description
        case let .addressInNoPool(ipAddress, loadBalancer, held, removed, namedBy):
            // Addresses are listed, never suggested: a near address is another machine.
            let holds = removed ? "it was removed from every pool it was in"
                : held.isEmpty ? "its pools hold no address yet"
                : "its pools hold " + held.prefix(NameSuggestion.listed).joined(separator: ", ") + (held.count > NameSuggestion.listed ? ", \(held.count) in all" : "")
            return InputError(field: "data.ipAddress", "is \"\(ipAddress)\", which no backend pool of load balancer \(loadBalancer) holds; "
                + "\(namedBy) may name only an address added to a pool and not removed since (\(holds))").description
        }
    }
}
