@testable import FleetDomains
@testable import FleetEvents
@testable import FleetProjection
@testable import FleetStore
import Testing

@Suite("Projected events")
struct ProjectedEventTests {
    func event(_ type: String, _ data: String) throws -> ProjectedEvent {
        let decoded = try decode(type, data)
        return ProjectedEvent(seq: 1, at: Timestamp(nanoseconds: 0), stream: decoded.streamKey, data: decoded.payload)
    }

    @Test("data(as:) gives the data as its own type, struct or class, and nil for any other")
    func typedData() throws {
        let check = try event("HealthCheckCompleted", #""hostPool":"hp","sessionHost":"sh","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":7,"message":"no trust""#)
        let read = try #require(check.data(as: HealthCheckCompleted.self))
        #expect(read == check.data as? HealthCheckCompleted)
        #expect(read.message == "no trust")
        #expect(check.data(as: AgentHeartbeatReceived.self) == nil)
        #expect(check.data(as: ProbeResultRecorded.self) == nil)

        let probe = try event("ProbeResultRecorded", #""loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"HttpStatusCode","statusCode":503"#)
        let result = try #require(probe.data(as: ProbeResultRecorded.self))
        #expect(result === probe.data as? ProbeResultRecorded, "the same object, not a copy")
        #expect(result.statusCode == 503)
        #expect(probe.data(as: HealthCheckCompleted.self) == nil)

        // Data of no size at all, and data of a type with the same fields as another's.
        let heartbeat = try event("AgentHeartbeatReceived", #""hostPool":"hp","sessionHost":"sh""#)
        #expect(heartbeat.data(as: AgentHeartbeatReceived.self) == heartbeat.data as? AgentHeartbeatReceived)
        let created = try event("ScaleSetInstanceCreated", #""scaleSet":"s","instanceId":"0""#)
        #expect(created.data(as: ScaleSetInstanceDeleted.self) == nil)
        #expect(created.data(as: ScaleSetInstanceCreated.self)?.instance == ScaleSetInstanceID(scaleSet: "s", instanceId: "0"))
    }

    @Test("withData(as:) lends class data as itself, and nothing for data of another type or of a value type")
    func lentData() throws {
        let probe = try event("ProbeResultRecorded", #""loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"TcpTimeout""#)
        let stored = try #require(probe.data as? ProbeResultRecorded)
        #expect(probe.withData(as: ProbeResultRecorded.self) { $0 === stored } == true, "the same object, not a copy")
        #expect(probe.withData(as: ProbeResultRecorded.self) { $0.outcome } == .tcpTimeout)
        #expect(probe.withData(as: OtherClassData.self) { _ in true } == nil)

        let heartbeat = try event("AgentHeartbeatReceived", #""hostPool":"hp","sessionHost":"sh""#)
        #expect(heartbeat.withData(as: ProbeResultRecorded.self) { _ in true } == nil)
        #expect(heartbeat.object == nil, "a value type has no object to lend")
        #expect(probe.object?.takeUnretainedValue() === stored)
    }

    @Test("a probe result's health entity is lent by withNamedEntity, the one entities(of:) names; other projectors lend none")
    func namedEntity() throws {
        let probe = try event("ProbeResultRecorded", #""loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"Success""#)
        let context = FoldContext(pass: ProjectionPass(projectors: [], source: nil))
        let lent = try #require(ProbeHealthProjector.withNamedEntity(of: probe) { copy $0 })
        #expect(lent.rawValue == "lbprobe/lb-web/http-80/10.0.0.4")
        guard case .one(let named) = try ProbeHealthProjector.entities(of: probe, context) else {
            Issue.record("a probe result updates one entity")
            return
        }
        #expect(named == lent)

        let heartbeat = try event("AgentHeartbeatReceived", #""hostPool":"hp","sessionHost":"sh""#)
        #expect(SessionHostProjector.withNamedEntity(of: heartbeat) { _ in true } == nil)
        #expect(PlatformHealthProjector.withNamedEntity(of: probe) { _ in true } == nil)
    }

    /// Class data of a type no event line has, to be asked for by mistake.
    final class OtherClassData: EventData {
        static let declaration = EventDeclaration(
            "OtherClassData", code: 99, fields: ["hostPool"], stream: .hostPool, sample: #"{"hostPool":"hp"}"#,
            decode: { _ in OtherClassData() })
    }
}

