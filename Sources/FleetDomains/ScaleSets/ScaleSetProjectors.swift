import FleetEvents
import FleetProjection

/// Folds a scale set's stream into its health source: the extension's settings or a load balancer probe.
package enum ScaleSetProjector: StreamProjector {
    package typealias State = ScaleSetState
    package static let name = "scale-sets"
    package static let folds: [any EventData.Type] = [
        ApplicationHealthExtensionConfigured.self, ScaleSetHealthProbeConfigured.self, ScaleSetHealthSourceRemoved.self,
        ScaleSetObserved.self,
    ]

    package static func fold(_ state: consuming ScaleSetState?, _ event: ProjectedEvent) throws -> ScaleSetState {
        var scaleSet = state ?? ScaleSetState(name: String(event.stream.values[0]))
        switch event.data {
        case let configured as ApplicationHealthExtensionConfigured:
            // Each ApplicationHealthExtensionConfigured states the extension's whole settings.
            scaleSet.extensionSettings = ExtensionSettings(
                typeHandlerVersion: configured.typeHandlerVersion, protocol: configured.protocol, port: configured.port,
                requestPath: configured.requestPath, intervalInSeconds: configured.intervalInSeconds,
                numberOfProbes: configured.numberOfProbes, gracePeriod: configured.gracePeriod, seq: event.seq, at: event.at)
            scaleSet.loadBalancerProbe = nil
        case let source as ScaleSetHealthProbeConfigured:
            scaleSet.loadBalancerProbe = LoadBalancerProbeSource(loadBalancer: source.loadBalancer, probe: source.probe)
            scaleSet.extensionSettings = nil
        case is ScaleSetHealthSourceRemoved:
            scaleSet.extensionSettings = nil
            scaleSet.loadBalancerProbe = nil
        case let observed as ScaleSetObserved:
            scaleSet.resourceId = observed.resourceId ?? scaleSet.resourceId
            scaleSet.observed = true
        default:
            throw UnhandledEvent(name, event)
        }
        return scaleSet
    }

    /// One health source per scale set, as Azure allows; a load balancer probe must exist.
    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        let current = try context.state(Self.self, of: event.stream)
        switch event.data {
        case is ApplicationHealthExtensionConfigured:
            if let probe = current?.loadBalancerProbe {
                throw ScaleSetRefusal.healthSourceTaken(scaleSet: String(event.stream.values[0]),
                                                        current: "load balancer probe \(probe.loadBalancer)/\(probe.probe)",
                                                        adding: "the Application Health extension")
            }
        case let source as ScaleSetHealthProbeConfigured:
            if current?.extensionSettings != nil {
                throw ScaleSetRefusal.healthSourceTaken(scaleSet: String(event.stream.values[0]),
                                                        current: "the Application Health extension",
                                                        adding: "load balancer probe \(source.loadBalancer)/\(source.probe)")
            }
            try LoadBalancerProjector.requireProbe(source.probe, of: source.loadBalancer, context, for: "a scale set's health source")
        case is ScaleSetHealthSourceRemoved, is ScaleSetObserved:
            break
        default:
            throw UnhandledEvent(name, event)
        }
    }

}

/// Folds each instance's stream into what the Application Health extension on it reports,
/// running the extension's loop with the scale set's settings as they stood at each probe.
package enum InstanceHealthProjector: Projector {
    package typealias State = InstanceHealth
    package static let name = "instance-health"
    package static let folds: [any EventData.Type] = [
        ScaleSetInstanceCreated.self, ScaleSetInstanceDeleted.self, ApplicationHealthProbed.self, ScaleSetInstanceHealthObserved.self,
    ]
    package static let reads: [any Projector.Type] = [ScaleSetProjector.self]

    package static func fold(_ state: consuming InstanceHealth?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> InstanceHealth {
        // Nearly every event folded here is a probe: one cast, and the scale set's key as decoded.
        if let probe = event.data(as: ApplicationHealthProbed.self) {
            // An instance seen first by a probe (an export that starts mid-history) is taken as created then.
            // Moved out of the optional, not copied as `??` does.
            var instance: InstanceHealth
            switch consume state {
            case .some(let existing): instance = existing
            case .none: instance = InstanceHealth(instanceId: probe.instance.instanceId, createdAt: event.at)
            }
            // The settings alone are copied out of the scale set's state.
            let settings = try context.withState(ScaleSetProjector.self, of: probe.scaleSetKey) { $0?.extensionSettings }
            guard let settings else { return instance }
            // New settings restart the extension: the loop begins again from their time.
            if instance.settingsSeq != settings.seq { instance.restart(at: settings.at, settings: settings) }
            instance.probe(settings.signal(of: probe), at: event.at, settings: settings)
            return instance
        }
        let values = event.stream.values
        switch event.data {
        case is ScaleSetInstanceCreated:
            // Created (again): the extension starts with the instance.
            var instance = InstanceHealth(instanceId: String(values[1]), createdAt: event.at)
            if let settings = try context.state(ScaleSetProjector.self, of: StreamKind.scaleSet.key(String(values[0])))?.extensionSettings {
                instance.restart(at: event.at, settings: settings)
            }
            return instance
        case is ScaleSetInstanceDeleted:
            var instance = state ?? InstanceHealth(instanceId: String(values[1]), createdAt: event.at)
            instance.deleted = true
            return instance
        case let observed as ScaleSetInstanceHealthObserved:
            // An instance first seen in Azure's report is taken as created then.
            var instance = state ?? InstanceHealth(instanceId: String(values[1]), createdAt: event.at)
            if let health = observed.healthState {
                if health != instance.observed?.state { instance.observed = ObservedInstanceHealth(state: health, since: event.at) }
            } else {
                // The instance view has no vmHealth (any more): Azure's word is withdrawn.
                instance.observed = nil
            }
            if let id = observed.resourceId { instance.resourceId = id }
            return instance
        default:
            throw UnhandledEvent(name, event)
        }
    }

    /// A probe result needs the extension's settings to mean anything.
    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        guard let probe = event.data(as: ApplicationHealthProbed.self) else { return }
        let scaleSet = probe.instance.scaleSet
        let state = try context.state(ScaleSetProjector.self, of: probe.scaleSetKey)
        guard state?.extensionSettings == nil else { return }
        let why = state?.loadBalancerProbe.map { "it takes its health from load balancer probe \($0.loadBalancer)/\($0.probe)" }
            ?? "ApplicationHealthExtensionConfigured has not configured it"
        throw ScaleSetRefusal.noExtension(scaleSet: scaleSet, why: why)
    }
}
