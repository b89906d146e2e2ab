import FleetDomains
import FleetEvents
import FleetOutput
import FleetStore

extension LedgerStore {
    /// `fleetledger lb health --lb L --rule R`: the rule's backends as Azure reports them.
    public func loadBalancerHealthReport(loadBalancer: String, rule: String, asOf: Timestamp?, staleAfter: TimeSpan? = nil,
                                         format: ReportFormat) throws -> String {
        let view = try projections(asOf: asOf, reading: LoadBalancerDomain.projectors)
        let health = try naming(asOf: asOf) { try LoadBalancerQueries.ruleHealth(in: view, loadBalancer: loadBalancer, rule: rule) }
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, entities: health.addresses.map { address in
            (address.ipAddress, Self.backendStreams(loadBalancer, health.backendPool, address.ipAddress))
        })
        return format.render(json: { LoadBalancerOutput.json(health) }, csv: { LoadBalancerOutput.csv(health, staleness: staleness) },
                             table: { LoadBalancerOutput.table(health, staleness: staleness) })
    }

    /// `fleetledger lb list`: every load balancer, its rules with their probe and pool, and counts.
    public func loadBalancerListReport(asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> String {
        let summaries = try LoadBalancerQueries.summaries(in: try projections(asOf: asOf, reading: LoadBalancerDomain.projectors))
        var backends: [(id: String, streams: [StreamKey])] = []
        for summary in summaries where staleAfter != nil {
            for rule in summary.rules {
                for address in rule.health?.addresses ?? [] {
                    backends.append((Staleness.id(summary.balancer.name, address.ipAddress),
                                     Self.backendStreams(summary.balancer.name, rule.settings.backendPool, address.ipAddress)))
                }
            }
        }
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, entities: backends)
        return format.render(json: { LoadBalancerOutput.listJSON(summaries) }, csv: { LoadBalancerOutput.listCSV(summaries, staleness: staleness) },
                             table: { LoadBalancerOutput.listTable(summaries, staleness: staleness) })
    }

    /// A backend shows it is alive by its probe results and platform reports, and by its own events.
    static func backendStreams(_ loadBalancer: String, _ backendPool: String, _ ipAddress: String) -> [StreamKey] {
        [StreamKind.loadBalancerAddress.key(loadBalancer, ipAddress), StreamKind.backendAddress.key(loadBalancer, backendPool, ipAddress)]
    }
}
