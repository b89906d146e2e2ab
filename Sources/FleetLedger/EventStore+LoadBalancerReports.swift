import FleetDomains
import FleetEvents
import FleetOutput
import FleetStore

extension EventStore {
    /// `fleetledger lb health --lb L --rule R`: the rule's backends as Azure reports them.
    public func loadBalancerHealthReport(loadBalancer: String, rule: String, asOf: Timestamp?, format: ReportFormat) throws -> String {
        let health = try LoadBalancerQueries.ruleHealth(in: try projections(asOf: asOf, reading: LoadBalancerDomain.projectors), loadBalancer: loadBalancer, rule: rule)
        return format.render(json: { LoadBalancerOutput.json(health) }, csv: { LoadBalancerOutput.csv(health) }, table: { LoadBalancerOutput.table(health) })
    }

    /// `fleetledger lb list`: every load balancer, its rules with their probe and pool, and counts.
    public func loadBalancerListReport(asOf: Timestamp?, format: ReportFormat) throws -> String {
        let summaries = try LoadBalancerQueries.summaries(in: try projections(asOf: asOf, reading: LoadBalancerDomain.projectors))
        return format.render(json: { LoadBalancerOutput.listJSON(summaries) }, csv: { LoadBalancerOutput.listCSV(summaries) }, table: { LoadBalancerOutput.listTable(summaries) })
    }
}
