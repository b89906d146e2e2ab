import FleetDomains
import FleetEvents

/// Desktop Virtualization's `SessionHost` resources: one, or a list (`{"value": [...], "nextLink"}`).
///
/// Each host's health check results are its agent's raw outcomes, imported as the store's own
/// `HealthCheckCompleted` at each check's `lastHealthCheckDateTime`. Its `status` is what Azure
/// derived, imported as an observation at its `statusTimestamp`; its `allowNewSession`, which
/// has no time of its own, as an observation at `--at`. `lastHeartBeat` is not imported: it moves
/// every poll, and each poll's heartbeat would be an event of its own.
extension AzureImport {
    static let sessionHostType = "microsoft.desktopvirtualization/hostpools/sessionhosts"

    /// Adds `value` when it is a session host or a list of them; false when it is neither.
    func addSessionHosts(_ value: JSONValue) throws(ImportError) -> Bool {
        guard case .object(let members) = value else { return false }
        if case .array(let items)? = members["value"] {
            guard items.contains(where: { Self.isSessionHost($0) }) else { return false }
            for (index, item) in items.enumerated() { try addSessionHost(item, at: "value[\(index)]") }
            return true
        }
        guard Self.isSessionHost(value) else { return false }
        try addSessionHost(value, at: "the SessionHost")
        return true
    }

    private static func isSessionHost(_ value: JSONValue) -> Bool {
        guard case .object(let members) = value, case .string(let type)? = members["type"] else { return false }
        return type.lowercased() == sessionHostType
    }

    private func addSessionHost(_ value: JSONValue, at place: String) throws(ImportError) {
        guard case .object(let resource) = value, case .string(let id)? = resource["id"],
              let poolName = Self.segment(after: "hostpools", in: id), let hostName = Self.segment(after: "sessionhosts", in: id) else {
            throw ImportError("\(place) has no id naming its host pool and session host (.../hostPools/POOL/sessionHosts/HOST)")
        }
        guard case .object(let properties)? = resource["properties"] else { throw ImportError("\(place) has no properties") }
        let pool = try renamed(poolName, id: Self.prefix(of: id, through: "hostpools")) ?? request.canonical(KnownName(kind: .hostPool, name: poolName, hostPool: nil))
        let host = request.canonical(KnownName(kind: .sessionHost, name: hostName, hostPool: pool))
        let known = try storedHost(pool: pool, host: host)
        try checkSameResource(id: id, pool: pool, host: host, stored: known)
        // A host removed here that Azure still lists is in the pool again, afresh: all it reports is new.
        let stored = known.flatMap { $0.removed ? nil : $0 }
        let stream = "sessionhost/\(pool)/\(host)"

        let status = try field(properties, "status", at: "\(place).properties", SessionHostStatus.self)
        let stamped = try time(properties, "statusTimestamp", at: "\(place).properties")
        let allow: Bool? = if case .bool(let value)? = properties["allowNewSession"] { value } else { nil }
        if known?.removed == true, observedHere[stream + "|id"] == nil {
            // Back in the pool: one observation at --at says all Azure reports of it, since its own
            // times are older than the removal.
            var fields: [JSONMember] = []
            if let status { fields.append(JSONMember(key: "status", value: .string(status.rawValue))) }
            if let allow { fields.append(JSONMember(key: "allowNewSession", value: .bool(allow))) }
            var resourceId: String? = id
            observe(pool: pool, host: host, at: try requireAt(for: "\(place), a host listed again after its removal,"), fields, resourceId: &resourceId)
            observedHere[stream + "|status"] = status?.rawValue
            observedHere[stream + "|allowNewSession"] = allow.map(String.init)
        } else {
            // The drain mode and the resource's id first, dated --at (the id rides on the newest
            // observation: one dated by Azure's own time may be older than the host's last event).
            var resourceIdToTell = stored?.resourceId == nil && observedHere[stream + "|id"] == nil ? id : nil
            let current = observedHere[stream + "|allowNewSession"].map { $0 == "true" } ?? stored?.allowNewSession
            if let allow, allow != current || resourceIdToTell != nil {
                let time = try requireAt(for: "\(place).properties.allowNewSession")
                observe(pool: pool, host: host, at: time, [JSONMember(key: "allowNewSession", value: .bool(allow))], resourceId: &resourceIdToTell)
                observedHere[stream + "|allowNewSession"] = String(allow)
            } else if allow != nil {
                noteUnchanged()
            }
            if resourceIdToTell != nil {
                observe(pool: pool, host: host, at: try requireAt(for: "\(place).id"), [], resourceId: &resourceIdToTell)
            }
        }
        // Then the checks, then Azure's status: at one time, Azure's conclusion follows the check it drew on.
        if case .array(let checks)? = properties["sessionHostHealthCheckResults"] {
            for (index, check) in checks.enumerated() {
                try addHealthCheck(check, pool: pool, host: host, at: "\(place).properties.sessionHostHealthCheckResults[\(index)]")
            }
        }
        let cameBack = known?.removed == true && observedHere[stream + "|status"] == status?.rawValue
        if let status, !cameBack {
            // A change from Azure's last report; or Azure's word, stamped after the rules' verdict
            // now shown, against that verdict.
            let lastObserved = observedHere[stream + "|status"] ?? stored?.observed?.status?.rawValue
            var rulesShown = false
            if observedHere[stream + "|status"] == nil, let stored, stored.rulesBehindAzure == nil, stored.status != status, let stamped {
                rulesShown = stamped > stored.statusTimestamp
            }
            if status.rawValue != lastObserved || rulesShown {
                let time = try requireAt(for: "\(place).properties.status without a statusTimestamp", unless: stamped)
                var none: String?
                observe(pool: pool, host: host, at: time, [JSONMember(key: "status", value: .string(status.rawValue))], resourceId: &none)
                observedHere[stream + "|status"] = status.rawValue
            } else {
                noteUnchanged()
            }
        }
        observedHere[stream + "|id"] = id
    }

    /// One `SessionHostObserved`, carrying the resource's id the first time the store hears of it.
    private func observe(pool: String, host: String, at time: Timestamp, _ fields: [JSONMember], resourceId: inout String?) {
        var data = [JSONMember(key: "hostPool", value: .string(pool)), JSONMember(key: "sessionHost", value: .string(host))] + fields
        if let id = resourceId { data.append(JSONMember(key: "resourceId", value: .string(id))) }
        resourceId = nil
        keep(Self.make("SessionHostObserved", at: time, data: data, stream: "sessionhost/\(pool)/\(host)", kind: .observation,
                       identity: [pool, host] + fields.map { "\($0.key)=\(Self.canonicalText($0.value))" }))
    }

    private func addHealthCheck(_ value: JSONValue, pool: String, host: String, at place: String) throws(ImportError) {
        guard case .object(let check) = value else { throw ImportError("\(place) is not an object") }
        guard let name = try field(check, "healthCheckName", at: place, HealthCheckName.self) else { throw ImportError("\(place) has no healthCheckName") }
        guard let result = try field(check, "healthCheckResult", at: place, HealthCheckResult.self) else { throw ImportError("\(place) has no healthCheckResult") }
        var errorCode: Int64?, message: String?, ranAt: Timestamp?
        if case .object(let details)? = check["additionalFailureDetails"] {
            if case .int(let code)? = details["errorCode"], code != 0 { errorCode = code }
            if case .string(let text)? = details["message"], !text.isEmpty { message = text }
            ranAt = try time(details, "lastHealthCheckDateTime", at: "\(place).additionalFailureDetails")
        }
        if ranAt == nil {
            // A check with no time of its own is dated --at, and kept only when its result changed.
            let key = "sessionhost/\(pool)/\(host)|check|\(name.rawValue)"
            let outcome = "\(result.rawValue)|\(errorCode.map(String.init) ?? "")|\(message ?? "")"
            let stored = try storedHost(pool: pool, host: host).flatMap { $0.removed ? nil : $0.healthChecks[name.rawValue] }.map {
                "\($0.result.rawValue)|\($0.errorCode.map(String.init) ?? "")|\($0.message ?? "")"
            }
            let last = observedHere[key] ?? stored
            observedHere[key] = outcome
            guard outcome != last else { return }
        }
        let at = try requireAt(for: "\(place) without a lastHealthCheckDateTime", unless: ranAt)
        keep(healthCheckRun(pool: pool, host: host, name: name, result: result, errorCode: errorCode, message: message, at: at))
    }

    /// The store's `HealthCheckCompleted` for one run of one check.
    func healthCheckRun(pool: String, host: String, name: HealthCheckName, result: HealthCheckResult, errorCode: Int64?,
                        message: String?, at: Timestamp) -> ImportedEvent {
        var data: [JSONMember] = [
            JSONMember(key: "hostPool", value: .string(pool)), JSONMember(key: "sessionHost", value: .string(host)),
            JSONMember(key: "healthCheckName", value: .string(name.rawValue)),
            JSONMember(key: "healthCheckResult", value: .string(result.rawValue)),
        ]
        if let errorCode { data.append(JSONMember(key: "errorCode", value: .int(errorCode))) }
        if let message { data.append(JSONMember(key: "message", value: .string(message))) }
        return Self.make("HealthCheckCompleted", at: at, data: data, stream: "sessionhost/\(pool)/\(host)", kind: .healthCheckRun,
                         identity: [pool, host, name.rawValue])
    }

    /// The store's state of a host, from one read of its pool's hosts per import.
    private func storedHost(pool: String, host: String) throws(ImportError) -> SessionHostState? {
        try storedHosts(of: pool)[host]
    }

    private func storedHosts(of pool: String) throws(ImportError) -> [String: SessionHostState] {
        if let hosts = hostsByPool[pool] { return hosts }
        let states = try read { view in try SessionHostQueries.hosts(in: view, pool: pool, includingRemoved: true) } ?? []
        let hosts = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        hostsByPool[pool] = hosts
        return hosts
    }

    /// Refuses a host whose id differs from the one the store keeps for it, or whose pool's does:
    /// two resources of one name (pools `hp1` in two resource groups) are never merged.
    private func checkSameResource(id: String, pool: String, host: String, stored: SessionHostState?) throws(ImportError) {
        try checkSamePool(pool, id: Self.prefix(of: id, through: "hostpools"))
        if let storedID = stored?.resourceId, storedID.lowercased() != id.lowercased() {
            throw ImportError("session host \(pool)/\(host) is stored as \(storedID), and this body's is \(id): two resources of one name are never merged")
        }
    }

    /// Refuses a body of host pool `pool` whose resource id (`poolID`) is not the one the store's
    /// hosts of that name have (or an earlier body of this import had).
    func checkSamePool(_ pool: String, id poolID: String) throws(ImportError) {
        if poolIDs[pool] == nil {
            poolIDs[pool] = try storedHosts(of: pool).values.lazy.compactMap(\.resourceId).first.map { Self.prefix(of: $0, through: "hostpools") } ?? poolID
        }
        if let known = poolIDs[pool], known.lowercased() != poolID.lowercased() {
            throw ImportError("host pool \(pool) is stored as \(known), and this body's is \(poolID): two resources of one name are never merged"
                + (request.renamed == nil ? "; give --as NAME to store this one under another name" : ""))
        }
    }

    /// A resource id up to and including the name after segment `type` (`/subscriptions/.../hostPools/hp1`).
    static func prefix(of id: String, through type: String) -> String {
        let segments = id.split(separator: "/", omittingEmptySubsequences: false)
        guard let index = segments.firstIndex(where: { $0.lowercased() == type }), index + 1 < segments.count else { return id }
        return segments[...(index + 1)].joined(separator: "/")
    }
}
