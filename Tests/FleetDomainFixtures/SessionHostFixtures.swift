@testable import FleetDomains
@testable import FleetEvents
@testable import FleetProjection

/// Builds the events of one session host ("sh-1" in pool "hp") for fold tests, one second apart,
/// decoded as the store decodes input, without a store.
package struct HostEvents {
    package var host = "sh-1"
    package var pool = "hp"
    package private(set) var second: Int64 = 0
    package private(set) var version: Int64 = 0

    package init(host: String = "sh-1", pool: String = "hp") {
        self.host = host
        self.pool = pool
    }

    package mutating func event(_ type: any EventData.Type, _ fields: String = "") -> ProjectedEvent {
        second += 1
        version += 1
        let data = #"{"hostPool":"\#(pool)","sessionHost":"\#(host)""# + (fields.isEmpty ? "" : "," + fields) + "}"
        let at = Timestamp(rfc3339: "2024-04-15T03:00:00Z")!.adding(seconds: second)
        guard case .object(let members)? = try? JSONParser.parse(data) else { preconditionFailure("not an object: \(data)") }
        let declaration = type.declaration
        let decoded = try! declaration.decode(members, checking: .append)
        return ProjectedEvent(seq: version, at: at, stream: declaration.streamKey(of: members), data: decoded)
    }

    package mutating func check(_ name: HealthCheckName, _ result: HealthCheckResult, errorCode: Int? = nil) -> ProjectedEvent {
        var fields = #""healthCheckName":"\#(name.rawValue)","healthCheckResult":"\#(result.rawValue)""#
        if let errorCode { fields += #","errorCode":\#(errorCode),"message":"failed""# }
        return event(HealthCheckCompleted.self, fields)
    }

    package mutating func power(_ state: PowerState, reported: Bool? = nil) -> ProjectedEvent {
        event(PowerStateChanged.self, #""powerState":"\#(state.rawValue)""# + (reported.map { #","reportedByAgent":\#($0)"# } ?? ""))
    }

    package mutating func drain(_ on: Bool) -> ProjectedEvent {
        event(DrainModeChanged.self, #""allowNewSession":\#(!on)"#)
    }

    package mutating func session(_ user: String, started: Bool = true) -> ProjectedEvent {
        event(started ? UserSessionStarted.self : UserSessionEnded.self, #""user":"\#(user)""#)
    }
}

/// Folds `events` from nothing, as the store does.
package func foldHost(_ events: [ProjectedEvent]) throws -> SessionHostState {
    var state: SessionHostState?
    for event in events { state = try SessionHostProjector.fold(state, event) }
    guard let state else { throw InputError(field: "events", "hold no event to fold") }
    return state
}

/// A registered host with all checks passing, then `more`.
package func host(_ more: (inout HostEvents) -> [ProjectedEvent] = { _ in [] }) throws -> SessionHostState {
    var events = HostEvents()
    var list = [events.event(SessionHostRegistered.self, #""agentVersion":"1.0""#)]
    list += more(&events)
    return try foldHost(list)
}
