@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import Crypto
import Foundation
import Testing

@Suite("Payload codec")
struct PayloadCodecTests {
    func roundTrip(_ event: IncomingEvent) throws -> [JSONMember] {
        var bytes: [UInt8] = []
        PayloadCodec.encode(type: event.type, data: event.data, into: &bytes)
        return try bytes.withUnsafeBytes { try PayloadCodec.decode(type: event.type, stream: event.streamKey, bytes: $0) }
    }

    @Test("every event type's data survives the compact form", arguments: validSamples.indices)
    func everyType(index: Int) throws {
        let sample = validSamples[index]
        let event = try decode(sample.type.rawValue, sample.data)
        var original = JSONWriter(), decoded = JSONWriter()
        original.write(.object(event.data))
        decoded.write(.object(try roundTrip(event)))
        #expect(decoded.text == original.text)

        // As a replay reads it: each field found where it is stored, and the same typed data.
        var bytes: [UInt8] = []
        PayloadCodec.encode(type: event.type, data: event.data, into: &bytes)
        var locations = [Int](repeating: 7, count: 20)
        var stored = "", storedWithKeys = "", input = ""
        try bytes.withUnsafeBytes {
            let decoded = try PayloadCodec.withStoredFields(
                type: event.type, streamValues: StoredStream(event.streamKey).values, bytes: $0, locations: &locations
            ) { fields in
                #expect(event.type.fields.indices.map { fields.value(at: $0) } == event.type.fields.map { event.data[$0] })
                return try event.type.decode(stored: fields, keys: nil)
            }
            dump(decoded, to: &stored)
            // With a decoding thread's interner, as a replay reads it: enumerations through its tables.
            let keys = StreamKeyInterner()
            for _ in 0..<2 {
                storedWithKeys = ""
                dump(try PayloadCodec.withStoredFields(
                    type: event.type, streamValues: StoredStream(event.streamKey).values, bytes: $0, locations: &locations
                ) { try event.type.decode(stored: $0, keys: keys) }, to: &storedWithKeys)
                #expect(storedWithKeys == stored)
            }
        }
        dump(try event.type.decode(event.data), to: &input)
        #expect(stored == input)
        #expect(stored.contains(event.type.fields[event.type.streamFieldPositions[0]]))
    }

    @Test("a type finds each of its fields by name, and no other name, among fields of the same length")
    func fieldPositions() {
        for type in Fleet.schema.catalog.declarations {
            for (index, field) in type.fields.enumerated() {
                #expect(type.position(of: field) == index, "\(type.name).\(field)")
                #expect(type.position(of: String(field.dropLast()) + "?") == nil)
            }
            #expect(type.position(of: "") == nil)
            #expect(type.position(of: String(repeating: "x", count: 300)) == nil)
        }
        // Two fields of one length (9 bytes): each is told from the other.
        #expect(ProbeResultRecorded.declaration.position(of: "ipAddress") == 2)
        #expect(ProbeResultRecorded.declaration.position(of: "latencyMs") == 5)
    }

    @Test("a stored enumeration value is read through the interned strings' table, or from its string when stored as one")
    func internedEnumerations() throws {
        let outcomes = InternedCases<ProbeOutcome>()
        #expect(outcomes.cases.count == PayloadCodec.internedStrings.count)
        for outcome in ProbeOutcome.allCases {
            let position = try #require(PayloadCodec.internedStrings.firstIndex(of: outcome.rawValue))
            #expect(outcomes.cases[position] == outcome)
        }
        #expect(outcomes.cases.compactMap { $0 }.count == ProbeOutcome.allCases.count, "no other string is a case")

        // A value stored as a plain string (as one added to the table later was, before it was):
        // probe "p" (field 1) and outcome "TcpTimeout" (field 3), both with the string tag (5).
        let type = ProbeResultRecorded.declaration
        let bytes: [UInt8] = [1, 5, 1, UInt8(ascii: "p"), 3, 5, 10] + Array("TcpTimeout".utf8)
        var locations: [Int] = []
        let keys = StreamKeyInterner()
        for _ in 0..<2 {
            let decoded = try bytes.withUnsafeBytes {
                try PayloadCodec.withStoredFields(
                    type: type, streamValues: ["lb", "10.0.0.1"], bytes: $0, locations: &locations
                ) { try type.decode(stored: $0, keys: keys) }
            }
            #expect((decoded as? ProbeResultRecorded)?.outcome == .tcpTimeout)
        }
    }

    @Test("fields of the stream key are not stored, enumeration values take one byte")
    func compact() throws {
        let event = try decode("ProbeResultRecorded", #""loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"Success""#)
        var bytes: [UInt8] = []
        PayloadCodec.encode(type: event.type, data: event.data, into: &bytes)
        // probe: index, tag, length, 7 bytes; outcome: index, tag, interned position.
        #expect(bytes.count == 10 + 3)
        let heartbeat = try decode("AgentHeartbeatReceived", #""hostPool":"hp","sessionHost":"sh""#)
        var empty: [UInt8] = []
        PayloadCodec.encode(type: heartbeat.type, data: heartbeat.data, into: &empty)
        #expect(empty.isEmpty)
    }

    @Test("numbers keep their kind and value, strings any character")
    func values() throws {
        let event = try decode("HealthCheckCompleted", #""hostPool":"hp","sessionHost":"sh","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":-2147467259,"message":"é \"quoted\" \u0001 😀""#)
        let members = try roundTrip(event)
        #expect(members["errorCode"] == .int(-2_147_467_259))
        #expect(members["message"] == .string("é \"quoted\" \u{01} 😀"))
        let probe = try decode("ProbeResultRecorded", #""loadBalancer":"lb","probe":"p","ipAddress":"1.2.3.4","outcome":"Success","latencyMs":0.1"#)
        #expect(try roundTrip(probe)["latencyMs"] == .double(0.1))
    }

    @Test("stored text is read back whether ASCII or not, and bytes that are not UTF-8 are refused")
    func storedText() throws {
        let type = HealthCheckCompleted.declaration
        let message = UInt8(try #require(type.fields.firstIndex(of: "message")))
        let stream = StreamKind.sessionHost.key("hp", "sh")
        func read(_ text: [UInt8]) throws -> [JSONMember] {
            // message: index, tag 5 (string), length, bytes.
            try ([message, 5, UInt8(text.count)] + text).withUnsafeBytes { try PayloadCodec.decode(type: type, stream: stream, bytes: $0) }
        }
        #expect(try read(Array("plain".utf8))["message"] == .string("plain"))
        #expect(try read(Array("café ✓".utf8))["message"] == .string("café ✓"))
        for damaged: [UInt8] in [[0x61, 0xFF], [0xC3], [0xED, 0xA0, 0x80]] {
            let error = try #require(throws: StoreError.self) { try read(damaged) }
            #expect(error.message == "the stored data of an event of type HealthCheckCompleted holds text that is not UTF-8")
        }
    }

    func rawValues<Value: ContractEnum>(_: Value.Type) -> [String] { Value.allCases.map(\.rawValue) }

    @Test("every value of every enumeration is interned")
    func enumerationsInterned() {
        let all: [any ContractEnum.Type] = [LoadBalancerType.self, PowerState.self, HealthCheckName.self, HealthCheckResult.self,
            UpdateAction.self, UpdateStep.self, LoadBalancerKind.self, ProbeProtocol.self, NoHealthyBackendsBehavior.self,
            AdminState.self, ProbeOutcome.self, PlatformHealthState.self, TypeHandlerVersion.self, ExtensionProtocol.self]
        for type in all {
            for value in rawValues(type) {
                #expect(PayloadCodec.internedStrings.contains(value), "\(value)")
            }
        }
        #expect(Set(PayloadCodec.internedStrings).count == PayloadCodec.internedStrings.count)
    }

    @Test("the interned table is frozen: stored logs refer to its strings by position")
    func frozen() throws {
        let table = PayloadCodec.internedStrings.joined(separator: "\n")
        #expect(SHA256.hash(data: Array(table.utf8)).hexString == "28f38edf25f741365b574eefe7c04623ca540267070acafe1362942d2a64f042")
    }

    /// Each shipped type with the fields it shipped with, one `Type:field,field` a line.
    static let shippedFields = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shipped-event-fields.txt")

    @Test("a shipped type is never removed and its fields never reordered: each starts with the fields it shipped with")
    func shippedFieldsStay() throws {
        let text = try String(contentsOf: Self.shippedFields, encoding: .utf8)
        // Release 0.1.0's section is pinned by its hash, so the list itself cannot be rewritten unseen;
        // what shipped since follows it (a type appears again when fields were appended to it).
        let sections = text.components(separatedBy: "# shipped since 0.1.0\n")
        try #require(sections.count == 2)
        let released = sections[0].split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(SHA256.hash(data: Array(released.joined(separator: "\n").utf8)).hexString
            == "c20424903f2fc0ab6acb992592868a609a2c754f404cb14898706563ed848d21")
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        for line in lines {
            let parts = line.split(separator: ":", omittingEmptySubsequences: false)
            let name = String(parts[0]), fields = parts[1].split(separator: ",").map(String.init)
            guard let type = Fleet.schema.catalog[name: name] else {
                Issue.record("event type \(name) shipped and is gone: stored logs hold it")
                continue
            }
            #expect(Array(type.fields.prefix(fields.count)) == fields, "\(name)'s fields must start with \(fields), as it shipped")
        }
    }

    @Test("a shipped type's stream is never re-keyed: each builds its key as it shipped")
    func shippedStreamsStay() throws {
        let file = Self.shippedFields.deletingLastPathComponent().appendingPathComponent("shipped-event-streams.txt")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count >= 30)
        for line in lines {
            let parts = line.split(separator: " ")
            let type = try #require(Fleet.schema.catalog[name: String(parts[0])], "shipped type \(parts[0]) is gone")
            #expect(type.stream.template == String(parts[1]), "\(type.name) shipped with stream \(parts[1])")
        }
    }

    @Test("damaged bytes are refused, not misread", arguments: [[UInt8](arrayLiteral: 0, 9), [0, 5, 200], [0, 6, 250], [99, 0], [0, 3, 0xFF]])
    func damaged(bytes: [UInt8]) {
        #expect(throws: StoreError.self) {
            try bytes.withUnsafeBytes { try PayloadCodec.decode(type: .healthCheckCompleted, stream: StreamKey(rawValue: "sessionhost/hp/sh"), bytes: $0) }
        }
        var locations: [Int] = []
        #expect(throws: StoreError.self) {
            try bytes.withUnsafeBytes {
                try PayloadCodec.locate(type: .healthCheckCompleted, streamValues: ["hp", "sh"], bytes: $0, into: &locations)
            }
        }
    }
}
