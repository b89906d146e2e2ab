import FleetEvents
import FleetProjection

/// One instance's reported health, and since when.
package struct InstanceReport: Equatable, Sendable {
    package var instanceId: String
    package var state: ApplicationHealthState
    /// The `at` of the probe that set the state (or when the extension started, before any).
    package var since: Timestamp
    /// Azure's reported `vmHealth`, not the extension's loop as the store runs it.
    package var observed = false
}

/// `vmss health`: every instance of a scale set whose health source is the extension.
package struct ScaleSetHealth: Equatable, Sendable {
    package var scaleSet: String
    /// Nil for a scale set known only from Azure's reports of its instances.
    package var settings: ExtensionSettings?
    /// In instance id order, as people read it (`2` before `10`).
    package var instances: [InstanceReport]
}

/// One scale set for `vmss list`.
package struct ScaleSetSummary: Equatable, Sendable {
    package var scaleSet: ScaleSetState
    /// Instances by reported state; empty when the extension is not the source.
    package var counts: [ApplicationHealthState: Int]
    package var instances: Int
    /// The ids of its instances (not deleted).
    package var instanceIds: [String] = []
}

/// The scale set questions the commands ask, answered from projected states as typed values.
package enum ScaleSetQueries {
    package static func health(in view: ProjectionReader, scaleSet name: String) throws -> ScaleSetHealth {
        guard let scaleSet = try view.state(ScaleSetProjector.self, of: StreamKind.scaleSet.key(name)) else {
            throw UnknownName("scale set", name, known: try scaleSets(in: view).map(\.name))
        }
        if let source = scaleSet.loadBalancerProbe {
            let balancer = try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(source.loadBalancer))
            let rules = balancer?.rules.filter { $0.value.probe == source.probe }.keys.sorted() ?? []
            throw ScaleSetQueryError.healthFromProbe(scaleSet: name, loadBalancer: source.loadBalancer, probe: source.probe, rule: rules.first)
        }
        let settings = scaleSet.extensionSettings
        let instances = try view.states(InstanceHealthProjector.self, in: StreamKind.scaleSetInstance.keys(under: name))
            .map(\.state).filter { !$0.deleted }
            .compactMap { instance in
                instance.shownHealth(under: settings).map {
                    InstanceReport(instanceId: instance.instanceId, state: $0.state, since: $0.since, observed: $0.observed)
                }
            }
            .sorted { InstanceOrder.less($0.instanceId, $1.instanceId) }
        guard settings != nil || !instances.isEmpty else {
            throw scaleSet.observed == true ? ScaleSetQueryError.noObservedHealth(scaleSet: name) : ScaleSetQueryError.noHealthSource(scaleSet: name)
        }
        return ScaleSetHealth(scaleSet: name, settings: settings, instances: instances)
    }

    package static func scaleSets(in view: ProjectionReader) throws -> [ScaleSetState] {
        try view.states(ScaleSetProjector.self, in: StreamKind.scaleSet.keys()).map(\.state).sorted { $0.name < $1.name }
    }

    package static func summaries(in view: ProjectionReader) throws -> [ScaleSetSummary] {
        try scaleSets(in: view).map { scaleSet in
            let instances = try view.states(InstanceHealthProjector.self, in: StreamKind.scaleSetInstance.keys(under: scaleSet.name))
                .map(\.state).filter { !$0.deleted }
            var counts: [ApplicationHealthState: Int] = [:]
            for instance in instances {
                if let reported = instance.shownHealth(under: scaleSet.extensionSettings) { counts[reported.state, default: 0] += 1 }
            }
            return ScaleSetSummary(scaleSet: scaleSet, counts: counts, instances: instances.count, instanceIds: instances.map(\.instanceId))
        }
    }
}

/// Orders instance ids as people read them: numbers by value, before other names.
package enum InstanceOrder {
    package static func less(_ lhs: String, _ rhs: String) -> Bool {
        switch (Int(lhs), Int(rhs)) {
        case let (left?, right?): left < right
        case (_?, nil): true
        case (nil, _?): false
        case (nil, nil): lhs < rhs
        }
    }
}
