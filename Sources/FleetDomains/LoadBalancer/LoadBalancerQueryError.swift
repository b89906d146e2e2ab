/// Why a load balancer question has no answer, by case; `description` is the one sentence the user reads.
package enum LoadBalancerQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The load balancer has no rule `rule`; `knownRules` are the ones it has, sorted.
    case unknownRule(rule: String, loadBalancer: String, knownRules: [String])
    /// Azure gives no health status for a Gateway load balancer's rules.
    case gateway(loadBalancer: String)
    /// Azure gives no health status for a rule without a health probe.
    case unprobedRule(rule: String, loadBalancer: String)

    package var description: String {
        switch self {
        case let .unknownRule(rule, loadBalancer, known):
            return "load balancer \(loadBalancer) has no load-balancing rule \(rule); "
                + NameSuggestion.hint(for: rule, known: known, listing: "its rules are", none: "it has no rules.")
        case let .gateway(loadBalancer):
            return "load balancer \(loadBalancer) is a Gateway load balancer, for which Azure gives no health status."
        case let .unprobedRule(rule, loadBalancer):
            return "load-balancing rule \(rule) of load balancer \(loadBalancer) has no health probe, "
                + "and Azure gives no health status for a non-probed rule."
        }
    }
}
