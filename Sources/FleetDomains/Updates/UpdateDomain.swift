import FleetEvents
import FleetProjection

/// Azure Virtual Desktop session host update: batched image updates (docs/domain-rules.md, "Session host updates").
package enum UpdateDomain {
    package static let events: [any EventData.Type] = [
        SessionHostUpdateScheduled.self, SessionHostUpdateControlled.self, SessionHostUpdateStepRecorded.self,
        SessionHostUpdateStatusObserved.self,
    ]
    package static let projectors: [AnyProjector] = [AnyProjector(UpdateProjector.self)]
}
