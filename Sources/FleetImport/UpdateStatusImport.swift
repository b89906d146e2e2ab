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
        let pool = request.renamed ?? request.canonical(KnownName(kind: .hostPool, name: poolName, hostPool: nil))
        guard let status = try field(members, "status", at: "the update status", UpdateStatus.self) else {
            throw ImportError("the update status has no status")
        }
        let start = try time(members, "startTime", at: "the update status")
        let end = try time(members, "endTime", at: "the update status")
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
        var data = [JSONMember(key: "hostPool", value: .string(pool)), JSONMember(key: "status", value: .string(status.rawValue))]
        if case .string(let name)? = members["name"] { data.append(JSONMember(key: "name", value: .string(name))) }
        if let start { data.append(JSONMember(key: "startTime", value: .string(start.rfc3339))) }
        if let end { data.append(JSONMember(key: "endTime", value: .string(end.rfc3339))) }
        if let percent { data.append(JSONMember(key: "percentComplete", value: .double(percent))) }
        if let errorCode { data.append(JSONMember(key: "errorCode", value: .string(errorCode))) }
        if let errorMessage { data.append(JSONMember(key: "errorMessage", value: .string(errorMessage))) }
        data.append(JSONMember(key: "resourceId", value: .string(id)))
        // Changes only: the same report as the store's last observation appends nothing.
        let stream = "hostpool/\(pool)"
        let report = data.dropFirst().map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let stored = try read { view in try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool))?.observed } ?? nil
        if report == (observedHere[stream] ?? stored.map(Self.report)) { return true }
        let finished: Set<UpdateStatus> = [.succeeded, .failed, .cancelled, .error]
        let at = try requireAt(for: "a running update's status", unless: finished.contains(status) ? end : nil)
        keep(Self.make("SessionHostUpdateStatusObserved", at: at, data: data, stream: stream, kind: .observation, identity: [pool, report]))
        observedHere[stream] = report
        return true
    }

    /// The report a stored observation came from, in the form `addUpdateStatus` compares.
    private static func report(_ update: UpdateState) -> String {
        var parts = ["status=\(JSONValue.string(update.status.rawValue))"]
        if !update.id.isEmpty { parts.append("name=\(JSONValue.string(update.id))") }
        if let start = update.startTime { parts.append("startTime=\(JSONValue.string(start.rfc3339))") }
        if let end = update.endTime { parts.append("endTime=\(JSONValue.string(end.rfc3339))") }
        if let percent = update.observedPercentComplete { parts.append("percentComplete=\(JSONValue.double(percent))") }
        if let code = update.errorCode { parts.append("errorCode=\(JSONValue.string(code))") }
        if let message = update.errorMessage { parts.append("errorMessage=\(JSONValue.string(message))") }
        if let id = update.resourceId { parts.append("resourceId=\(JSONValue.string(id))") }
        return parts.joined(separator: ",")
    }
}
