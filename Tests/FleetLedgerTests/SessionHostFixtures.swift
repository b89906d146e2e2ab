@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore

/// Builds the events of one session host ("sh-1" in pool "hp") for fold tests, one second apart.
struct HostEvents {
    var host = "sh-1"
    var pool = "hp"
    private(set) var second: Int64 = 0
    private(set) var version: Int64 = 0

    mutating func event(_ type: EventType, _ fields: String = "") -> ProjectedEvent {
        second += 1
        version += 1
        let data = #""hostPool":"\#(pool)","sessionHost":"\#(host)""# + (fields.isEmpty ? "" : "," + fields)
        let at = Timestamp(rfc3339: "2024-04-15T03:00:00Z")!.adding(seconds: second)
        let decoded = try! decode(eventLine(type.rawValue, data, at: at.rfc3339))
        return ProjectedEvent(seq: version, at: at, stream: decoded.streamKey, data: decoded.payload)
    }

    mutating func check(_ name: HealthCheckName, _ result: HealthCheckResult, errorCode: Int? = nil) -> ProjectedEvent {
        var fields = #""healthCheckName":"\#(name.rawValue)","healthCheckResult":"\#(result.rawValue)""#
        if let errorCode { fields += #","errorCode":\#(errorCode),"message":"failed""# }
        return event(.healthCheckCompleted, fields)
    }

    mutating func power(_ state: PowerState, reported: Bool? = nil) -> ProjectedEvent {
        event(.powerStateChanged, #""powerState":"\#(state.rawValue)""# + (reported.map { #","reportedByAgent":\#($0)"# } ?? ""))
    }

    mutating func drain(_ on: Bool) -> ProjectedEvent {
        event(.drainModeChanged, #""allowNewSession":\#(!on)"#)
    }

    mutating func session(_ user: String, started: Bool = true) -> ProjectedEvent {
        event(started ? .userSessionStarted : .userSessionEnded, #""user":"\#(user)""#)
    }
}

/// Folds `events` from nothing, as the store does.
func foldHost(_ events: [ProjectedEvent]) -> SessionHostState {
    var state: SessionHostState?
    // Every session host event has its case (DomainContractTests), so the fold never throws here.
    for event in events { state = try! SessionHostProjector.fold(state, event) }
    return state!
}

/// A registered host with all checks passing, then `more`.
func host(_ more: (inout HostEvents) -> [ProjectedEvent] = { _ in [] }) -> SessionHostState {
    var events = HostEvents()
    var list = [events.event(.sessionHostRegistered, #""agentVersion":"1.0""#)]
    list += more(&events)
    return foldHost(list)
}
