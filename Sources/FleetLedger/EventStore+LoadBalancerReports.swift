import FleetDomains
import FleetEvents
import FleetOutput
import FleetStore

extension EventStore {
    /// `fleetledger lb health --lb L --rule R`: the rule's backends as Azure reports them.
    public func loadBalancerHealthReport(loadBalancer: String, rule: String, asOf: Timestamp?, staleAfter: TimeSpan? = nil,
                                         format: ReportFormat) throws -> String {
        let health = try LoadBalancerQueries.ruleHealth(in: try projections(asOf: asOf, reading: LoadBalancerDomain.projectors), loadBalancer: loadBalancer, rule: rule)
        // A backend shows it is alive by its probe results and platform reports, and by its own events.
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, entities: health.addresses.map { address in
            (address.ipAddress, [StreamKind.loadBalancerAddress.key(loadBalancer, address.ipAddress),
                                 StreamKind.backendAddress.key(loadBalancer, health.backendPool, address.ipAddress)])
        })
        return format.render(json: { LoadBalancerOutput.json(health) }, csv: { LoadBalancerOutput.csv(health, staleness: staleness) },
                             table: { LoadBalancerOutput.table(health, staleness: staleness) })
    }

    /// `fleetledger lb list`: every load balancer, its rules with their probe and pool, and counts.
    public func loadBalancerListReport(asOf: Timestamp?, format: ReportFormat) throws -> String {
        let summaries = try LoadBalancerQueries.summaries(in: try projections(asOf: asOf, reading: LoadBalancerDomain.projectors))
        return format.render(json: { LoadBalancerOutput.listJSON(summaries) }, csv: { LoadBalancerOutput.listCSV(summaries) }, table: { LoadBalancerOutput.listTable(summaries) })
    }
}
