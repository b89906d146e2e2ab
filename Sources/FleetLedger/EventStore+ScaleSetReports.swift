import FleetDomains
import FleetEvents
import FleetProjection
import FleetOutput
import FleetStore

extension LedgerStore {
    /// What `vmss` queries read: the scale sets, and the load balancers a probe source names.
    package static var scaleSetReading: [AnyProjector] { ScaleSetDomain.projectors + [AnyProjector(LoadBalancerProjector.self)] }

    /// `fleetledger vmss health --scale-set S`: each instance's reported state and what orchestration makes of it.
    public func scaleSetHealthReport(scaleSet: String, asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> String {
        let view = try projections(asOf: asOf, reading: Self.scaleSetReading)
        let health = try naming(asOf: asOf) { try ScaleSetQueries.health(in: view, scaleSet: scaleSet) }
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, entities: health.instances.map {
            ($0.instanceId, [StreamKind.scaleSetInstance.key(scaleSet, $0.instanceId)])
        })
        return format.render(json: { ScaleSetOutput.json(health) }, csv: { ScaleSetOutput.csv(health, staleness: staleness) },
                             table: { ScaleSetOutput.table(health, staleness: staleness) })
    }

    /// `fleetledger vmss list`: scale sets with their health source and instances by state.
    public func scaleSetListReport(asOf: Timestamp?, staleAfter: TimeSpan? = nil, format: ReportFormat) throws -> String {
        let summaries = try ScaleSetQueries.summaries(in: try projections(asOf: asOf, reading: Self.scaleSetReading))
        let staleness = try staleness(after: staleAfter, asOf: asOf, format: format, entities: summaries.flatMap { summary in
            summary.instanceIds.map { (Staleness.id(summary.scaleSet.name, $0), [StreamKind.scaleSetInstance.key(summary.scaleSet.name, $0)]) }
        })
        return format.render(json: { ScaleSetOutput.listJSON(summaries) }, csv: { ScaleSetOutput.listCSV(summaries, staleness: staleness) },
                             table: { ScaleSetOutput.listTable(summaries, staleness: staleness) })
    }
}
