import FleetEvents
import FleetProjection

/// One load balancer for `lb list`: its settings, and each rule's up and down counts.
package struct LoadBalancerSummary: Equatable, Sendable {
    package var balancer: LoadBalancerState
    /// By rule name; nil counts where Azure gives no health status (no probe, Gateway).
    package var rules: [(name: String, settings: RuleSettings, health: RuleHealth?)]

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.balancer == rhs.balancer && lhs.rules.map(\.name) == rhs.rules.map(\.name)
            && lhs.rules.map(\.health) == rhs.rules.map(\.health)
    }
}

/// The load balancer questions the commands ask, answered from projected states as typed values.
package enum LoadBalancerQueries {
    /// Every load balancer, by name.
    package static func loadBalancers(in view: ProjectionReader) throws -> [LoadBalancerState] {
        try view.states(LoadBalancerProjector.self, in: StreamKind.loadBalancer.keys()).map(\.state)
            .sorted { $0.name < $1.name }
    }

    /// `lb health --lb L --rule R`, or why Azure gives no health status there.
    package static func ruleHealth(in view: ProjectionReader, loadBalancer name: String, rule ruleName: String) throws -> RuleHealth {
        let balancer = try loadBalancer(name, in: view)
        guard let rule = balancer.rules[ruleName] else {
            throw LoadBalancerQueryError.unknownRule(rule: ruleName, loadBalancer: name, knownRules: balancer.rules.keys.sorted())
        }
        guard balancer.kind != .gateway else { throw LoadBalancerQueryError.gateway(loadBalancer: name) }
        guard try rule.probe != nil || RuleHealthRules.isObserved(rule: ruleName, settings: rule, of: balancer.name, in: view) else {
            throw LoadBalancerQueryError.unprobedRule(rule: ruleName, loadBalancer: name)
        }
        try readAddressStates(of: balancer, in: view)
        return try RuleHealthRules.health(of: balancer, rule: ruleName, settings: rule, probe: rule.probe, in: view)
    }

    /// Reads the platform reports and probe results of `balancer`'s addresses into the pass with one
    /// range read each, so that judging each address finds them there (or knows there are none)
    /// instead of asking the store twice per address (Tools/Benchmark/HISTORY.md, item 16). Only
    /// for queries over stored states; a replay holds its states already.
    private static func readAddressStates(of balancer: LoadBalancerState, in view: ProjectionReader) throws {
        _ = try view.states(PlatformHealthProjector.self, in: StreamKind.loadBalancerAddress.keys(under: balancer.name))
        _ = try view.states(ProbeHealthProjector.self, in: StreamKind.probeHealth.keys(under: balancer.name))
    }

    /// `lb list`: every load balancer with its rules' health counts.
    package static func summaries(in view: ProjectionReader) throws -> [LoadBalancerSummary] {
        try loadBalancers(in: view).map { balancer in
            try readAddressStates(of: balancer, in: view)
            return LoadBalancerSummary(balancer: balancer, rules: try balancer.rules.sorted { $0.key < $1.key }.map { name, rule in
                let judged = try rule.probe != nil || RuleHealthRules.isObserved(rule: name, settings: rule, of: balancer.name, in: view)
                let health = judged && balancer.kind != .gateway
                    ? try RuleHealthRules.health(of: balancer, rule: name, settings: rule, probe: rule.probe, in: view) : nil
                return (name, rule, health)
            })
        }
    }

    /// Load balancer `name`, or an error naming the known ones.
    package static func loadBalancer(_ name: String, in view: ProjectionReader) throws -> LoadBalancerState {
        if let balancer = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(name)) { return balancer }
        throw UnknownName("load balancer", name, known: try loadBalancers(in: view).map(\.name))
    }
}
