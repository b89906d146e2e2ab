import FleetDomains
import FleetEvents
import FleetProjection

/// A pool's session host update status (`.../hostPools/{pool}/sessionHostManagements/default/sessionHostUpdateStatuses/default`):
/// an observation of the update as Azure reports it. A finished update's status takes its
/// `endTime`; a running one's has no time of its own, and takes `--at`.
extension AzureImport {
    func addUpdateStatus(_ value: JSONValue) throws(ImportError) -> Bool {
        guard case .object(let members) = value, case .string(let id)? = members["id"],
              id.lowercased().contains("/sessionhostupdatestatuses/") else { return false }
        guard let poolName = Self.segment(after: "hostpools", in: id) else {
            throw ImportError("the update status's id names no host pool (.../hostPools/POOL/...)")
        }
        let poolID = Self.prefix(of: id, through: "hostpools")
        let pool = try renamed(poolName, id: poolID) ?? request.canonical(KnownName(kind: .hostPool, name: poolName, hostPool: nil))
        try checkSamePool(pool, id: poolID)
        // The specification's words spell it Canceled, its enum Cancelled: both are the one status.
        var fields = members
        if case .string("Canceled")? = members["status"], let index = fields.firstIndex(where: { $0.key == "status" }) {
            fields[index].value = .string(UpdateStatus.cancelled.rawValue)
        }
        guard let status = try field(fields, "status", at: "", UpdateStatus.self) else {
            throw ImportError("the update status has no status")
        }
        let start = try time(members, "startTime", at: "")
        let end = try time(members, "endTime", at: "")
        var percent: Double?
        switch members["percentComplete"] {
        case .int(let number)?: percent = Double(number)
        case .double(let number)?: percent = number
        default: break
        }
        var errorCode: String?, errorMessage: String?
        if case .object(let error)? = members["error"] {
            if case .string(let code)? = error["code"] { errorCode = code }
            if case .string(let message)? = error["message"] { errorMessage = message }
        }
        let name: String? = if case .string(let text)? = members["name"], !text.isEmpty { text } else { nil }
        let data = Self.observation(pool: pool, status: status, name: name, start: start, end: end, percent: percent,
                                    errorCode: errorCode, errorMessage: errorMessage, resourceId: id)
        // Changes only: the same report as Azure's last one (whatever the store did since) appends nothing.
        let stream = "hostpool/\(pool)"
        let report = Self.canonicalText(.object(data))
        let stored = try read { view in try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool))?.observed } ?? nil
        let last = observedHere[stream] ?? stored.map {
            Self.canonicalText(.object(Self.observation(pool: pool, status: $0.status, name: $0.id.isEmpty ? nil : $0.id, start: $0.startTime,
                                                        end: $0.endTime, percent: $0.observedPercentComplete, errorCode: $0.errorCode,
                                                        errorMessage: $0.errorMessage, resourceId: $0.resourceId ?? id)))
        }
        if report == last {
            noteUnchanged()
            return true
        }
        // Seen at --at; without it (one body of the past), an ended update at its endTime.
        let at = try requireAt(for: "a running update's status", unless: request.at ?? (status.hasEnded ? end : nil))
        keep(Self.make("SessionHostUpdateStatusObserved", at: at, data: data, stream: stream, kind: .observation, identity: [report]))
        observedHere[stream] = report
        return true
    }

    /// The data of a `SessionHostUpdateStatusObserved`, absent values left out.
    private static func observation(pool: String, status: UpdateStatus, name: String?, start: Timestamp?, end: Timestamp?, percent: Double?,
                                    errorCode: String?, errorMessage: String?, resourceId: String) -> [JSONMember] {
        var data = [JSONMember(key: "hostPool", value: .string(pool)), JSONMember(key: "status", value: .string(status.rawValue))]
        if let name { data.append(JSONMember(key: "name", value: .string(name))) }
        if let start { data.append(JSONMember(key: "startTime", value: .string(start.rfc3339))) }
        if let end { data.append(JSONMember(key: "endTime", value: .string(end.rfc3339))) }
        if let percent { data.append(JSONMember(key: "percentComplete", value: .double(percent))) }
        if let errorCode { data.append(JSONMember(key: "errorCode", value: .string(errorCode))) }
        if let errorMessage { data.append(JSONMember(key: "errorMessage", value: .string(errorMessage))) }
        data.append(JSONMember(key: "resourceId", value: .string(resourceId)))
        return data
    }
}
