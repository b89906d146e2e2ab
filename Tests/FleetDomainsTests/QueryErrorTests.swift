@testable import FleetDomains
@testable import FleetEvents
import Testing

/// A question the domains cannot answer throws an error of its own kind, by case; the sentence the
/// user reads is its description, worded here once.
@Suite("Query errors are typed and read as one sentence")
struct QueryErrorTests {
    @Test("an unknown name lists the names the store holds, or says it holds none")
    func unknownName() {
        #expect(UnknownName("load balancer", "lb-wbe", known: ["lb-api", "lb-web"]).description
            == "there is no load balancer lb-wbe in the store; did you mean lb-web?")
        #expect(UnknownName("load balancer", "edge", known: ["lb-api", "lb-web"]).description
            == "there is no load balancer edge in the store; known load balancers: lb-api, lb-web.")
        #expect(UnknownName("host pool", "hp-finanse", known: ["hp-finance", "hp-sales"] + (1...9).map { "hp-\($0)" }).description
            == "there is no host pool hp-finanse in the store; did you mean hp-finance?")
        #expect(UnknownName("host pool", "x", known: (1...9).map { "pool-\($0)" }).description
            == "there is no host pool x in the store; known host pools: pool-1, pool-2, pool-3, pool-4, pool-5 (9 in all).")
        #expect(UnknownName("session host", "sh-9", in: "in host pool hp", asOf: Timestamp(rfc3339: "2024-04-15T03:10:00Z"), known: []).description
            == "there is no session host sh-9 in host pool hp as of 2024-04-15T03:10:00Z; it has none.")
        #expect(UnknownName("scale set", "vmss", known: []).description == "there is no scale set vmss in the store; it holds none.")
    }

    @Test("the closest names are the nearest ones a few edits away, case ignored, at most three")
    func closest() {
        #expect(closestMatches(to: "lb-wbe", among: ["lb-web", "lb-api", "web"]) == ["lb-web"])
        #expect(closestMatches(to: "RULE-HTP", among: ["rule-http", "rule-https", "rule-tcp"]) == ["rule-http"])
        #expect(closestMatches(to: "rule-htp", among: ["rule-https", "rule-tcp"]) == ["rule-https", "rule-tcp"])
        #expect(closestMatches(to: "vmss-ap", among: ["vmss-app", "vmss-api", "vmss-web"]) == ["vmss-api", "vmss-app"])
        #expect(closestMatches(to: "sh-1", among: ["sh-10", "sh-1x", "sh-2", "sh-20", "sh-3"]).count == 3)
        #expect(closestMatches(to: "nope", among: ["gw", "lb"]).isEmpty)
    }

    @Test("a load balancer question says why Azure gives no health status")
    func loadBalancer() {
        #expect(LoadBalancerQueryError.unknownRule(rule: "api", loadBalancer: "lb", knownRules: ["web"]).description
            == "load balancer lb has no load-balancing rule api; its rules are web.")
        #expect(LoadBalancerQueryError.unknownRule(rule: "api", loadBalancer: "lb", knownRules: []).description
            == "load balancer lb has no load-balancing rule api; it has no rules.")
        #expect(LoadBalancerQueryError.gateway(loadBalancer: "gw").description
            == "load balancer gw is a Gateway load balancer, for which Azure gives no health status.")
        #expect(LoadBalancerQueryError.unprobedRule(rule: "web", loadBalancer: "lb").description
            == "load-balancing rule web of load balancer lb has no health probe, and Azure gives no health status for a non-probed rule.")
    }

    @Test("a scale set question names where its health comes from")
    func scaleSet() {
        #expect(ScaleSetQueryError.healthFromProbe(scaleSet: "s", loadBalancer: "lb", probe: "p", rule: nil).description
            == "scale set s takes its health from load balancer probe lb/p, not from the Application Health extension; "
            + "the events carry no address per instance, so see fleetledger lb list.")
        #expect(ScaleSetQueryError.healthFromProbe(scaleSet: "s", loadBalancer: "lb", probe: "p", rule: "web").description
            .hasSuffix("so see fleetledger lb health --lb lb --rule web."))
        #expect(ScaleSetQueryError.noHealthSource(scaleSet: "s").description
            == "scale set s has no health source: neither the Application Health extension nor a load balancer probe is configured.")
    }

    @Test("an update question tells how to schedule one")
    func update() {
        #expect(UpdateQueryError.noUpdate(pool: "hp").description
            == "host pool hp has no session host update; schedule one with fleetledger update schedule --pool hp.")
    }
}
