import FleetDomains
import FleetEvents
import FleetProjection

/// Scale set VMs with their instance view (`GET .../virtualMachineScaleSets/{s}/virtualMachines?$expand=instanceView`),
/// or one instance view (a scale set VM's, or a plain VM's, which is how a scale set in Flexible
/// orchestration reports its VMs), which names neither, so `--scale-set` and `--instance` do.
///
/// An instance view's `vmHealth` is what Azure derived from the instance's health source: an
/// observation at its `status.time` (else `--at`), `HealthState/healthy` read as `Healthy`. An
/// instance view without `vmHealth` (no health source, or an Application Health extension not
/// reporting yet) makes the instance known with no health, and withdraws any Azure reported before.
extension AzureImport {
    /// Azure's `vmHealth` codes and the extension's states they are.
    static let healthCodes: [String: ApplicationHealthState] = [
        "healthstate/healthy": .healthy, "healthstate/unhealthy": .unhealthy,
        "healthstate/unknown": .unknown, "healthstate/initializing": .initializing,
    ]

    func addScaleSetVMs(_ value: JSONValue) throws(ImportError) -> Bool {
        guard case .object(let members) = value else { return false }
        if case .array(let items)? = members["value"] {
            guard items.contains(where: { Self.scaleSetVM($0) != nil }) else { return false }
            // A scale set new to the store is dated by its earliest instance, so none comes before it.
            earliestHealthTime = items.compactMap(Self.healthTime).min()
            for (index, item) in items.enumerated() {
                let place = "value[\(index)]"
                guard let (scaleSetID, instance) = Self.scaleSetVM(item), case .object(let vm) = item else {
                    throw ImportError("\(place) names no scale set: neither its id (.../virtualMachineScaleSets/S/virtualMachines/I) nor its properties.virtualMachineScaleSet.id")
                }
                guard case .object(let properties)? = vm["properties"], case .object(let view)? = properties["instanceView"] else {
                    throw ImportError("\(place) has no properties.instanceView: list the VMs with $expand=instanceView")
                }
                let original = Self.segment(after: "virtualmachinescalesets", in: scaleSetID) ?? scaleSetID
                let name = try renamed(original, id: scaleSetID) ?? original
                try addInstanceView(view, scaleSet: name, scaleSetID: scaleSetID, instance: instance, vmID: Self.string(vm["id"]),
                                    at: "\(place).properties.instanceView")
            }
            return true
        }
        guard members["vmHealth"] != nil || (members["statuses"] != nil && members["id"] == nil && members["value"] == nil) else { return false }
        guard let scaleSet = request.scaleSet, let instance = request.instance else {
            throw ImportError("is an instance view, which names neither its scale set nor its instance: give --scale-set S --instance I")
        }
        usedInstance = true
        try addInstanceView(members, scaleSet: scaleSet, scaleSetID: nil, instance: instance, vmID: nil, at: "the instance view")
        return true
    }

    /// The scale set's id and the instance id of an item, if it is a scale set's VM: in Uniform
    /// orchestration its id names both (`.../virtualMachineScaleSets/S/virtualMachines/0`); in
    /// Flexible orchestration it is a plain VM whose `properties.virtualMachineScaleSet.id` names
    /// its scale set, and its name is the instance's.
    private static func scaleSetVM(_ value: JSONValue) -> (String, String)? {
        guard case .object(let members) = value, case .string(let id)? = members["id"], let instance = segment(after: "virtualmachines", in: id) else {
            return nil
        }
        if segment(after: "virtualmachinescalesets", in: id) != nil { return (prefix(of: id, through: "virtualmachinescalesets"), instance) }
        guard case .object(let properties)? = members["properties"], case .object(let scaleSet)? = properties["virtualMachineScaleSet"],
              case .string(let scaleSetID)? = scaleSet["id"], segment(after: "virtualmachinescalesets", in: scaleSetID) != nil else { return nil }
        return (prefix(of: scaleSetID, through: "virtualmachinescalesets"), instance)
    }

    /// An item's `properties.instanceView.vmHealth.status.time`, when it has one.
    private static func healthTime(_ item: JSONValue) -> Timestamp? {
        guard case .object(let vm) = item, case .object(let properties)? = vm["properties"], case .object(let view)? = properties["instanceView"],
              case .object(let health)? = view["vmHealth"], case .object(let status)? = health["status"],
              case .string(let text)? = status["time"] else { return nil }
        return Timestamp(rfc3339: text)
    }

    private static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    private func addInstanceView(_ view: [JSONMember], scaleSet: String, scaleSetID: String?, instance: String, vmID: String?,
                                 at place: String) throws(ImportError) {
        let scaleSetStream = "vmss/\(scaleSet)"
        let stored = try read { view in try view.state(ScaleSetProjector.self, of: StreamKind.scaleSet.key(scaleSet)) } ?? nil
        let storedInstance = try read { view in
            try view.state(InstanceHealthProjector.self, of: StreamKind.scaleSetInstance.key(scaleSet, instance))
        } ?? nil
        var health: ApplicationHealthState?
        var time = request.at
        if case .object(let vmHealth)? = view["vmHealth"] {
            guard case .object(let status)? = vmHealth["status"], case .string(let code)? = status["code"] else {
                throw ImportError("\(place).vmHealth has no status.code")
            }
            guard let state = Self.healthCodes[code.lowercased()] else {
                throw ImportError("\(place).vmHealth.status.code is \"\(code)\", which is not one of HealthState/healthy, HealthState/unhealthy, HealthState/unknown, HealthState/initializing")
            }
            health = state
            time = try self.time(status, "time", at: "\(place).vmHealth.status") ?? request.at
        }
        // The scale set is made known, with its id, the first time it is imported.
        if let scaleSetID {
            if let known = stored?.resourceId ?? observedHere[scaleSetStream], !known.isEmpty, known.lowercased() != scaleSetID.lowercased() {
                throw ImportError("scale set \(scaleSet) is stored as \(known), and this body's is \(scaleSetID): two resources of one name are never merged"
                    + (request.renamed == nil ? "; give --as NAME to store this one under another name" : ""))
            }
        }
        if stored == nil || (scaleSetID != nil && stored?.resourceId == nil), observedHere[scaleSetStream] == nil {
            // New to the store: dated by the body's earliest instance. Known, given its id now: dated --at.
            let at = try requireAt(for: "\(place) without vmHealth", unless: stored == nil ? (earliestHealthTime ?? time ?? request.at) : (request.at ?? time))
            var data = [JSONMember(key: "scaleSet", value: .string(scaleSet))]
            if let scaleSetID { data.append(JSONMember(key: "resourceId", value: .string(scaleSetID))) }
            keep(Self.make("ScaleSetObserved", at: at, data: data, stream: scaleSetStream, kind: .entity, identity: [scaleSet, scaleSetID ?? ""]))
            observedHere[scaleSetStream] = scaleSetID ?? ""
        }
        let stream = "vmss/\(scaleSet)/\(instance)"
        let last = observedHere[stream] ?? storedInstance?.observed?.state.rawValue
        let tellID = vmID != nil && storedInstance?.resourceId == nil && observedHere[stream + "|id"] == nil
        let withdrawn = health == nil && last != nil && last != ""
        guard health.map({ $0.rawValue != last }) ?? false || withdrawn || tellID || (storedInstance == nil && observedHere[stream] == nil) else {
            if health != nil { noteUnchanged() }
            return
        }
        let at = try requireAt(for: health == nil ? "\(place) without vmHealth" : "\(place).vmHealth without a status.time", unless: time)
        // Without healthState the observation says the view had no vmHealth: Azure's last word is withdrawn.
        var data = [JSONMember(key: "scaleSet", value: .string(scaleSet)), JSONMember(key: "instanceId", value: .string(instance))]
        if let health { data.append(JSONMember(key: "healthState", value: .string(health.rawValue))) }
        if let vmID, tellID { data.append(JSONMember(key: "resourceId", value: .string(vmID))) }
        keep(Self.make("ScaleSetInstanceHealthObserved", at: at, data: data, stream: stream, kind: .observation,
                       identity: [scaleSet, instance] + data.dropFirst(2).map { "\($0.key)=\(Self.canonicalText($0.value))" }))
        observedHere[stream] = health?.rawValue ?? ""
        if vmID != nil { observedHere[stream + "|id"] = vmID }
    }
}
