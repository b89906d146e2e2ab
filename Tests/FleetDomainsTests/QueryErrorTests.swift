@testable import FleetDomains
import Testing

/// A question the domains cannot answer throws an error of its own kind, by case; the sentence the
/// user reads is its description, worded here once.
@Suite("Query errors are typed and read as one sentence")
struct QueryErrorTests {
    @Test("an unknown name lists the names the store holds, or says it holds none")
    func unknownName() {
        #expect(UnknownName("load balancer", "lb-wbe", known: ["lb-api", "lb-web"]).description
            == "there is no load balancer lb-wbe in the store; known load balancers: lb-api, lb-web.")
        #expect(UnknownName("scale set", "vmss", known: []).description == "there is no scale set vmss in the store; it holds none.")
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
        #expect(ScaleSetQueryError.healthFromProbe(scaleSet: "s", loadBalancer: "lb", probe: "p", command: "fleetledger lb list").description
            == "scale set s takes its health from load balancer probe lb/p, not from the Application Health extension; "
            + "the events carry no address per instance, so see fleetledger lb list.")
        #expect(ScaleSetQueryError.noHealthSource(scaleSet: "s").description
            == "scale set s has no health source: neither the Application Health extension nor a load balancer probe is configured.")
    }

    @Test("an update question tells how to schedule one")
    func update() {
        #expect(UpdateQueryError.noUpdate(pool: "hp").description
            == "host pool hp has no session host update; schedule one with fleetledger update schedule --pool hp.")
    }
}
