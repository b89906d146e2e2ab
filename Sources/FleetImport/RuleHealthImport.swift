import FleetDomains
import FleetEvents
import FleetProjection

/// A load-balancing rule's health, `LoadBalancerHealthPerRule` (the body of `POST
/// .../loadBalancingRules/{rule}/health`): it names neither its load balancer nor its rule, and
/// carries no time, so `--lb`, `--rule` and `--at` say them.
///
/// Each address's `state` and `reason` are what Azure derived: an observation on the address's
/// stream, appended when it differs from the one the store last observed. The import makes what
/// the body names known: the load balancer, the rule (its backend pool named as the rule when the
/// store does not know it), and each address the body lists; an address this rule's health listed
/// before and lists no more has left the pool.
extension AzureImport {
    func addRuleHealth(_ value: JSONValue) throws(ImportError) -> Bool {
        guard case .object(let members) = value, case .array(let items)? = members["loadBalancerBackendAddresses"],
              members["up"] != nil || members["down"] != nil else { return false }
        guard let loadBalancer = request.loadBalancer, let rule = request.rule else {
            throw ImportError("is a rule's health (LoadBalancerHealthPerRule), which names neither its load balancer nor its rule: give --lb LB --rule RULE")
        }
        usedRule = true
        let at = try requireAt(for: "a rule's health")
        let balancer = try read { view in try view.state(LoadBalancerProjector.self, of: StreamKind.loadBalancer.key(loadBalancer)) } ?? nil
        let lbStream = "lb/\(loadBalancer)"
        if balancer == nil, observedHere[lbStream] == nil {
            keep(Self.make("LoadBalancerConfigured", at: at, data: [JSONMember(key: "loadBalancer", value: .string(loadBalancer))],
                           stream: lbStream, kind: .entity, identity: [loadBalancer]))
            observedHere[lbStream] = "known"
        }
        let pool = balancer?.rules[rule]?.backendPool ?? observedHere["\(lbStream)|rule|\(rule)"] ?? rule
        if balancer?.rules[rule] == nil, observedHere["\(lbStream)|rule|\(rule)"] == nil {
            keep(Self.make("LoadBalancingRuleConfigured", at: at,
                           data: [JSONMember(key: "loadBalancer", value: .string(loadBalancer)), JSONMember(key: "rule", value: .string(rule)),
                                  JSONMember(key: "backendPool", value: .string(pool))],
                           stream: lbStream, kind: .entity, identity: [loadBalancer, rule]))
            observedHere["\(lbStream)|rule|\(rule)"] = pool
        }
        let stored = try read { view in try RuleHealthRules.addressesOf(pool: pool, of: loadBalancer, in: view) } ?? []
        var listed: Set<String> = []
        for (index, item) in items.enumerated() {
            let place = "loadBalancerBackendAddresses[\(index)]"
            guard case .object(let address) = item, case .string(let ip)? = address["ipAddress"] else {
                throw ImportError("\(place) has no ipAddress")
            }
            guard IPAddress.isValid(ip) else { throw ImportError("\(place).ipAddress \"\(ip)\" is not an IP address") }
            listed.insert(ip)
            let stream = "lb/\(loadBalancer)/\(pool)/\(ip)"
            let here = stored.first { $0.ipAddress == ip }
            var addressData = [JSONMember(key: "loadBalancer", value: .string(loadBalancer)), JSONMember(key: "backendPool", value: .string(pool)),
                               JSONMember(key: "ipAddress", value: .string(ip))]
            if here == nil, observedHere[stream] == nil {
                var data = addressData
                if case .string(let nic)? = address["networkInterfaceIPConfigurationId"] {
                    data.append(JSONMember(key: "networkInterfaceIPConfigurationId", value: .string(nic)))
                }
                keep(Self.make("BackendAddressAdded", at: at, data: data, stream: stream, kind: .entity, identity: [loadBalancer, pool, ip]))
                observedHere[stream] = "added"
            }
            let state: BackendHealthState? = switch address["state"] {
            case .string("")?, .null?, nil: nil
            default: try field(address, "state", at: place, BackendHealthState.self)
            }
            // A plain string in Azure's specification: a code this version does not know is kept as it is.
            var reason: String?
            switch address["reason"] {
            case .string("")?, .null?, nil: reason = nil
            case .string(let code)?:
                guard code.utf8.count <= 100 else { throw ImportError("\(place).reason is longer than 100 bytes, which no reason code is") }
                reason = code
            case let other?: throw ImportError("\(place).reason is \(other.kindDescription), not a string")
            }
            // A backend with no state (its VM off) has no reason either, whatever the body says.
            if state == nil { reason = nil }
            let observed = ObservedBackendHealth(state: state, reason: reason)
            let key = "\(stream)|\(rule)"
            let last = observedHere[key] ?? here?.observed?[rule].map(Self.comparisonKey)
            guard Self.comparisonKey(observed) != last else {
                noteUnchanged()
                continue
            }
            addressData.append(JSONMember(key: "rule", value: .string(rule)))
            if let state { addressData.append(JSONMember(key: "state", value: .string(state.rawValue))) }
            if let reason { addressData.append(JSONMember(key: "reason", value: .string(reason))) }
            keep(Self.make("BackendHealthObserved", at: at, data: addressData, stream: stream, kind: .observation,
                           identity: [loadBalancer, pool, ip, rule, Self.comparisonKey(observed)]))
            observedHere[key] = Self.comparisonKey(observed)
        }
        // An address this rule's health reported before and lists no more has left the pool.
        for gone in stored where gone.observed?[rule] != nil && !listed.contains(gone.ipAddress) {
            keep(Self.make("BackendAddressRemoved", at: at,
                           data: [JSONMember(key: "loadBalancer", value: .string(loadBalancer)), JSONMember(key: "backendPool", value: .string(pool)),
                                  JSONMember(key: "ipAddress", value: .string(gone.ipAddress))],
                           stream: "lb/\(loadBalancer)/\(pool)/\(gone.ipAddress)", kind: .entity,
                           identity: [loadBalancer, pool, gone.ipAddress, "removed"]))
        }
        return true
    }

    /// What two reports of one address are compared by.
    private static func comparisonKey(_ health: ObservedBackendHealth) -> String {
        "\(health.state?.rawValue ?? "")/\(health.reason ?? "")"
    }
}
