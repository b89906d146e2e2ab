import FleetEvents
import FleetProjection

/// VM Scale Set instance health from the Application Health extension (docs/domain-rules.md, "Scale set instance health").
package enum ScaleSetDomain {
    package static let events: [any EventData.Type] = [
        ApplicationHealthExtensionConfigured.self, ScaleSetInstanceCreated.self, ScaleSetInstanceDeleted.self,
        ApplicationHealthProbed.self, ScaleSetHealthProbeConfigured.self, ScaleSetHealthSourceRemoved.self,
        ScaleSetObserved.self, ScaleSetInstanceHealthObserved.self,
    ]
    package static let projectors: [AnyProjector] = [
        AnyProjector(ScaleSetProjector.self),
        AnyProjector(InstanceHealthProjector.self),
    ]
}
