@testable import FleetDomains
@testable import FleetEvents
@testable import FleetProjection
import Testing

@Suite("Projected events")
struct ProjectedEventTests {
    func event(_ type: any EventData.Type, _ data: String) throws -> ProjectedEvent {
        guard case .object(let members) = try JSONParser.parse("{\(data)}") else { throw InputError(field: "data", "not an object") }
        let declaration = type.declaration
        return ProjectedEvent(seq: 1, at: Timestamp(nanoseconds: 0), stream: declaration.streamKey(of: members),
                              data: try declaration.decode(members, checking: .append))
    }

    @Test("data(as:) gives the data as its own type, and nil for any other")
    func typedData() throws {
        let check = try event(HealthCheckCompleted.self, #""hostPool":"hp","sessionHost":"sh","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":7,"message":"no trust""#)
        let read = try #require(check.data(as: HealthCheckCompleted.self))
        #expect(read == check.data as? HealthCheckCompleted)
        #expect(read.message == "no trust")
        #expect(check.data(as: AgentHeartbeatReceived.self) == nil)
        #expect(check.data(as: ProbeResultRecorded.self) == nil)

        let probe = try event(ProbeResultRecorded.self, #""loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"HttpStatusCode","statusCode":503"#)
        let result = try #require(probe.data(as: ProbeResultRecorded.self))
        #expect(result == probe.data as? ProbeResultRecorded)
        #expect(result.healthKey.rawValue == "lbprobe/lb-web/http-80/10.0.0.4")
        #expect(result.statusCode == 503)
        #expect(probe.data(as: HealthCheckCompleted.self) == nil)

        // Data of no size at all, and data of a type with the same fields as another's.
        let heartbeat = try event(AgentHeartbeatReceived.self, #""hostPool":"hp","sessionHost":"sh""#)
        #expect(heartbeat.data(as: AgentHeartbeatReceived.self) == heartbeat.data as? AgentHeartbeatReceived)
        let created = try event(ScaleSetInstanceCreated.self, #""scaleSet":"s","instanceId":"0""#)
        #expect(created.data(as: ScaleSetInstanceDeleted.self) == nil)
        #expect(created.data(as: ScaleSetInstanceCreated.self)?.instance == ScaleSetInstanceID(scaleSet: "s", instanceId: "0"))
    }
}
