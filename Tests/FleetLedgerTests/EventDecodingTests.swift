@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import Testing

@Suite("Event decoding")
struct EventDecodingTests {
    @Test("every event type's sample decodes to its type, in the stream its key fields name", arguments: validSamples.indices)
    func decodesSample(index: Int) throws {
        let sample = validSamples[index]
        let event = try decode(sample.type.rawValue, sample.data)
        #expect(event.type == sample.type)
        #expect(type(of: event.payload).declaration === sample.type)
        #expect(event.streamKey.rawValue == sample.stream)
        #expect(event.at == Timestamp(rfc3339: "2024-04-15T17:16:07Z"))
    }

    @Test("decoded with shared keys, every type gives the same event, and two lines of one stream share its key's storage", arguments: validSamples.indices)
    func sharedKeys(index: Int) throws {
        let sample = validSamples[index]
        let keys = StreamKeyInterner()
        let line = eventLine(sample.type.rawValue, sample.data)
        let shared = try decode(line, keys: keys), again = try decode(line, keys: keys), alone = try decode(line)
        #expect(shared.streamKey == alone.streamKey)
        var sharedData = "", aloneData = ""
        dump(shared.payload, to: &sharedData)
        dump(alone.payload, to: &aloneData)
        #expect(sharedData == aloneData)
        func storage(_ key: StreamKey) -> UnsafePointer<UInt8>? { key.rawValue.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil }
        // Keys longer than a small string's 15 bytes have storage of their own: shared, it is one.
        if shared.streamKey.rawValue.utf8.count > 15 {
            #expect(storage(again.streamKey) == storage(shared.streamKey))
            #expect(storage(alone.streamKey) != storage(shared.streamKey))
        }
    }

    @Test("data of more members than the reader packs is read by searching them, to the same event", arguments: validSamples.indices)
    func manyMembers(index: Int) throws {
        let event = try decode(validSamples[index].type.rawValue, validSamples[index].data)
        // Members no field names are skipped when the log's own data is read (`.stored`); 16 of
        // them push the data past the 15 members whose places the reader packs.
        let padded = (0..<16).map { JSONMember(key: "extra\($0)", value: .int(Int64($0))) } + event.data
        var plain = "", searched = ""
        dump(try event.type.decode(event.data), to: &plain)
        dump(try event.type.decode(padded), to: &searched)
        #expect(searched == plain)
        #expect(throws: InputError.self) { try event.type.decode(padded, checking: .append) }
    }

    @Test("canonical data sorts keys and drops white space")
    func canonicalData() throws {
        let event = try decode(#"{"type":"DrainModeChanged","at":"2024-04-15T17:16:07Z","data":{ "sessionHost" : "b", "allowNewSession" : true, "hostPool" : "a" }}"#)
        #expect(event.canonicalData == #"{"allowNewSession":true,"hostPool":"a","sessionHost":"b"}"#)
    }

    @Test("defaults are filled in as Azure fills them")
    func defaults() throws {
        let probe = try decode("HealthProbeConfigured", #""loadBalancer":"lb","probe":"p","protocol":"Tcp","port":22"#)
        guard let settings = probe.payload as? HealthProbeConfigured else { Issue.record("wrong payload"); return }
        #expect(settings.intervalInSeconds == 15)
        #expect(settings.probeThreshold == 1)
        #expect(settings.noHealthyBackendsBehavior == .allProbedDown)

        let lb = try decode("LoadBalancerConfigured", #""loadBalancer":"lb""#)
        guard let balancer = lb.payload as? LoadBalancerConfigured else { Issue.record("wrong payload"); return }
        #expect(balancer.kind == .regional)

        let ext = try decode("ApplicationHealthExtensionConfigured", #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"http","intervalInSeconds":10,"numberOfProbes":3"#)
        guard let health = ext.payload as? ApplicationHealthExtensionConfigured else { Issue.record("wrong payload"); return }
        #expect(health.gracePeriod == 30, "gracePeriod defaults to intervalInSeconds x numberOfProbes")

        let bare = try decode("ApplicationHealthExtensionConfigured", #""scaleSet":"s","typeHandlerVersion":"1.0","protocol":"http""#)
        guard let binary = bare.payload as? ApplicationHealthExtensionConfigured else { Issue.record("wrong payload"); return }
        #expect(binary.intervalInSeconds == 5)
        #expect(binary.numberOfProbes == 1)
    }

    @Test("a producer's id is read as a UUID in either case and shown in lower case")
    func eventIDs() throws {
        let event = try decode(eventLine("AgentHeartbeatReceived", #""hostPool":"a","sessionHost":"b""#, id: "0B7C6F0E-2F55-4D3C-9A43-5F0F3C1F8A21"))
        #expect(event.id?.description == "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a21")
        #expect(rejection(eventLine("AgentHeartbeatReceived", #""hostPool":"a","sessionHost":"b""#, id: "not-a-uuid"))?.contains(#"field "id""#) == true)
    }

    @Test("fields an ndjson export adds are accepted, and a wrong stream is refused")
    func exportFields() throws {
        let exported = #"{"seq":7,"stream":"sessionhost/a/b","version":2,"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","recordedAt":"2024-04-15T17:16:08Z","data":{"hostPool":"a","sessionHost":"b"}}"#
        #expect(try decode(exported).streamKey.rawValue == "sessionhost/a/b")
        let wrong = exported.replacingAll(#""stream":"sessionhost/a/b""#, with: #""stream":"sessionhost/a/c""#)
        #expect(rejection(wrong)?.contains("belongs to stream \"sessionhost/a/b\"") == true)
    }
}

@Suite("Event rejections")
struct EventRejectionTests {
    @Test("an unknown type is refused, with a suggestion when one is close")
    func unknownType() {
        let message = rejection("HealthCheckCompletd", #""hostPool":"a""#)
        #expect(message == #"field "type" is "HealthCheckCompletd", which is not a known event type (did you mean "HealthCheckCompleted"?)"#)
    }

    @Test("an unknown data field is refused before a missing one, with a suggestion")
    func unknownField() {
        let message = rejection("DrainModeChanged", #""hostpool":"a","sessionHost":"b","allowNewSession":true"#)
        #expect(message == #"field "data.hostpool" is not a field of DrainModeChanged (did you mean "hostPool"?)"#)
    }

    @Test("an unknown envelope field is refused")
    func unknownEnvelopeField() {
        let message = rejection(#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"a","sessionHost":"b"},"expectedversion":1}"#)
        #expect(message?.hasPrefix(#"field "expectedversion" is not an envelope field"#) == true)
        #expect(message?.contains(#"did you mean "expectedVersion""#) == true)
    }

    @Test("a missing field is refused, naming it and the type")
    func missingField() {
        #expect(rejection("HealthCheckCompleted", #""hostPool":"a","sessionHost":"b","healthCheckName":"DomainJoinedCheck""#)
            == #"field "data.healthCheckResult" is missing; HealthCheckCompleted requires it"#)
        #expect(rejection(#"{"at":"2024-04-15T17:16:07Z","data":{}}"#) == #"field "type" is missing"#)
        #expect(rejection(#"{"type":"AgentHeartbeatReceived","data":{}}"#) == #"field "at" is missing"#)
        #expect(rejection(#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z"}"#) == #"field "data" is missing"#)
    }

    @Test("a value of the wrong type is refused", arguments: [
        ("HealthProbeConfigured", #""loadBalancer":"lb","probe":"p","protocol":"Tcp","port":"80""#, #"field "data.port" must be an integer, not a string"#),
        ("DrainModeChanged", #""hostPool":"a","sessionHost":"b","allowNewSession":"false""#, #"field "data.allowNewSession" must be true or false, not a string"#),
        ("SessionHostRegistered", #""hostPool":7,"sessionHost":"b""#, #"field "data.hostPool" must be a string, not an integer"#),
        ("ProbeResultRecorded", #""loadBalancer":"lb","probe":"p","ipAddress":"1.2.3.4","outcome":"Success","latencyMs":"fast""#, #"field "data.latencyMs" must be a number, not a string"#),
        ("HostPoolConfigured", #""hostPool":"a","maxSessionLimit":2.5"#, #"field "data.maxSessionLimit" must be an integer, not a number"#),
    ])
    func wrongType(type: String, data: String, message: String) {
        #expect(rejection(type, data) == message)
    }

    @Test("an envelope of the wrong shape is refused", arguments: [
        (#"[1,2]"#, "must be a JSON object, not an array"),
        (#"{"type":5,"at":"2024-04-15T17:16:07Z","data":{}}"#, #"field "type" must be a string, not an integer"#),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":[]}"#, #"field "data" must be an object, not an array"#),
        (#"{"type":"AgentHeartbeatReceived","at":1713201367,"data":{}}"#, #"field "at" must be an RFC 3339 time string, not an integer"#),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"a","sessionHost":"b"},"expectedVersion":-1}"#, #"field "expectedVersion" is -1; it must be 0 or more"#),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"a","sessionHost":"b"},"expectedVersion":"1"}"#, #"field "expectedVersion" must be an integer, not a string"#),
        (#"{"type":"AgentHeartbeatReceived""#, "is not valid JSON: unexpected end of input inside an object at column 33"),
    ])
    func badEnvelope(line: String, message: String) {
        #expect(rejection(line) == message)
    }

    @Test("a value outside its enumeration is refused, listing the allowed values", arguments: [
        ("ProbeResultRecorded", #""loadBalancer":"lb","probe":"p","ipAddress":"1.2.3.4","outcome":"Sucess""#, "outcome", "Success, TcpTimeout, HttpStatusCode, HttpEndpointUnreachable, HttpNoResponse"),
        ("HealthCheckCompleted", #""hostPool":"a","sessionHost":"b","healthCheckName":"DiskCheck","healthCheckResult":"HealthCheckSucceeded""#, "healthCheckName", "DomainJoinedCheck, DomainTrustCheck"),
        ("HealthCheckCompleted", #""hostPool":"a","sessionHost":"b","healthCheckName":"DomainJoinedCheck","healthCheckResult":"Passed""#, "healthCheckResult", "Unknown, HealthCheckSucceeded, HealthCheckFailed, SessionHostShutdown"),
        ("PowerStateChanged", #""hostPool":"a","sessionHost":"b","powerState":"Off""#, "powerState", "Running, Stopped, Deallocated"),
        ("HostPoolConfigured", #""hostPool":"a","loadBalancerType":"Persistent""#, "loadBalancerType", "BreadthFirst, DepthFirst"),
        ("SessionHostUpdateControlled", #""hostPool":"a","action":"Stop""#, "action", "Start, Pause, Resume, Cancel, Retry"),
        ("SessionHostUpdateStepRecorded", #""hostPool":"a","sessionHost":"b","step":"Rebooted""#, "step", "UsersNotified, UsersSignedOut, Drained, Removed, VmCreated, Joined, DrainDisabled, OriginalDeallocated, OriginalDeleted, Succeeded, Failed"),
        ("LoadBalancerConfigured", #""loadBalancer":"lb","kind":"Basic""#, "kind", "Regional, Global, Gateway"),
        ("HealthProbeConfigured", #""loadBalancer":"lb","probe":"p","protocol":"Udp","port":53"#, "protocol", "Tcp, Http, Https"),
        ("HealthProbeConfigured", #""loadBalancer":"lb","probe":"p","protocol":"Tcp","port":53,"noHealthyBackendsBehavior":"AllUp""#, "noHealthyBackendsBehavior", "AllProbedDown, AllProbedUp"),
        ("BackendAdminStateChanged", #""loadBalancer":"lb","backendPool":"bp","ipAddress":"1.2.3.4","adminState":"Drain""#, "adminState", "None, Up, Down"),
        ("PlatformHealthReported", #""loadBalancer":"lb","ipAddress":"1.2.3.4","state":"Degraded""#, "state", "Up, Down, Cleared"),
        ("ApplicationHealthExtensionConfigured", #""scaleSet":"s","typeHandlerVersion":"3.0","protocol":"tcp","port":80"#, "typeHandlerVersion", "1.0, 2.0"),
        ("ApplicationHealthExtensionConfigured", #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"Tcp","port":80"#, "protocol", "tcp, http, https"),
    ])
    func badEnumValue(type: String, data: String, field: String, allowed: String) throws {
        let message = try #require(rejection(type, data))
        #expect(message.hasPrefix(#"field "data.\#(field)" is "#), "\(message)")
        #expect(message.contains("which is not one of \(allowed)"), "\(message)")
    }

    @Test("a bad time is refused, in the envelope and in data")
    func badTime() {
        #expect(rejection(eventLine("AgentHeartbeatReceived", #""hostPool":"a","sessionHost":"b""#, at: "2024-02-30T00:00:00Z"))
            == #"field "at" is "2024-02-30T00:00:00Z", which is not an RFC 3339 time: day 30 does not exist in 2024-02"#)
        #expect(rejection("SessionHostUpdateScheduled", #""hostPool":"a","maxVmsRemoved":1,"deleteOriginalVm":true,"logOffDelayMinutes":0,"logOffMessage":"","scheduledDateTime":"tomorrow""#)?
            .hasPrefix(#"field "data.scheduledDateTime" is "tomorrow", which is not an RFC 3339 time"#) == true)
    }

    @Test("names are not empty and hold no '/', which separates the parts of a stream key")
    func names() {
        #expect(rejection("AgentHeartbeatReceived", #""hostPool":"a/b","sessionHost":"c""#)
            == #"field "data.hostPool" is "a/b"; a name must not contain "/""#)
        #expect(rejection("AgentHeartbeatReceived", #""hostPool":"","sessionHost":"c""#) == #"field "data.hostPool" must not be empty"#)
        #expect(rejection("UserSessionStarted", #""hostPool":"a","sessionHost":"c","user":"""#) == #"field "data.user" must not be empty"#)
    }

    @Test("the printable-ASCII shortcut for names stops where the rules do: 1,024 characters, DEL, non-ASCII")
    func nameEdges() throws {
        let longest = String(repeating: "a", count: 1_024)
        #expect(try decode("AgentHeartbeatReceived", #""hostPool":"\#(longest)","sessionHost":"~ !""#).streamKey.rawValue
                == "sessionhost/\(longest)/~ !")
        #expect(rejection("AgentHeartbeatReceived", #""hostPool":"\#(longest)a","sessionHost":"c""#)
                == #"field "data.hostPool" is 1025 characters long; a name may have at most 1024"#)
        #expect(rejection("AgentHeartbeatReceived", #""hostPool":"a\u007Fb","sessionHost":"c""#)?
                .contains("holds a control character (U+007F) at character 2") == true)
        #expect(try decode("AgentHeartbeatReceived", #""hostPool":"hôte-é","sessionHost":"c""#).streamKey.rawValue == "sessionhost/hôte-é/c")
    }

    @Test("a declaration finds each of its fields' positions by name, and none for another name")
    func fieldPositions() {
        for declaration in Fleet.schema.catalog.declarations {
            for (position, field) in declaration.fields.enumerated() {
                #expect(declaration.position(of: field) == position, "\(declaration.name).\(field)")
                // Names of the same length that are not fields, and a field's name in another case.
                #expect(declaration.position(of: String(repeating: "x", count: field.utf8.count)) == nil)
                #expect(declaration.position(of: field.uppercased()) == nil)
            }
            #expect(declaration.position(of: "") == nil)
            #expect(declaration.position(of: String(repeating: "y", count: 300)) == nil)
        }
    }
}

