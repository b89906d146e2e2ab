import FleetDomains
import FleetEvents
import FleetProjection
import FleetOutput
import FleetStore

extension EventStore {
    /// What `vmss` queries read: the scale sets, and the load balancers a probe source names.
    private static var scaleSetReading: [AnyProjector] { ScaleSetDomain.projectors + [AnyProjector(LoadBalancerProjector.self)] }

    /// `fleetledger vmss health --scale-set S`: each instance's reported state and what orchestration makes of it.
    public func scaleSetHealthReport(scaleSet: String, asOf: Timestamp?, format: ReportFormat) throws -> String {
        let health = try ScaleSetQueries.health(in: try projections(asOf: asOf, reading: Self.scaleSetReading), scaleSet: scaleSet)
        return format.render(json: { ScaleSetOutput.json(health) }, csv: { ScaleSetOutput.csv(health) }, table: { ScaleSetOutput.table(health) })
    }

    /// `fleetledger vmss list`: scale sets with their health source and instances by state.
    public func scaleSetListReport(asOf: Timestamp?, format: ReportFormat) throws -> String {
        let summaries = try ScaleSetQueries.summaries(in: try projections(asOf: asOf, reading: Self.scaleSetReading))
        return format.render(json: { ScaleSetOutput.listJSON(summaries) }, csv: { ScaleSetOutput.listCSV(summaries) }, table: { ScaleSetOutput.listTable(summaries) })
    }
}
