@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetStore
import Testing

/// A line is read by one of two paths: the common one, which reads the envelope from the line's
/// bytes (`JSONObjectScanner`), and the general one, which parses the line whole. They must agree
/// on every line: the same event for a valid one, the same sentence for a refused one.
@Suite("Incoming event paths")
struct IncomingEventPathsTests {
    private static let id = "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a21"

    /// The envelopes producers and exports write, around each sample's data.
    private static func envelopes(_ type: String, _ data: String, stream: String) -> [String] {
        [
            #"{"type":"\#(type)","at":"2024-04-15T17:16:07Z","data":{\#(data)}}"#,
            #"{"type":"\#(type)","at":"2024-04-15T17:16:07.25+02:00","id":"\#(id)","expectedVersion":0,"data":{\#(data)}}"#,
            #"  { "data" : {\#(data)} , "id" : null , "expectedVersion" : null , "at" : "2024-04-15T17:16:07Z" , "type" : "\#(type)" }  "#,
            #"{"seq":7,"stream":"\#(stream)","version":3,"type":"\#(type)","at":"2024-04-15T17:16:07Z","recordedAt":"2024-04-15T17:16:08Z","id":"\#(id.uppercased())","data":{\#(data)}}"#,
            // A type with an escape, and a stream given as a number: the general path reads them.
            #"{"type":"\#(type.prefix(1))\u00\#(String(type.utf8.dropFirst().first!, radix: 16))\#(type.dropFirst(2))","at":"2024-04-15T17:16:07Z","stream":5,"data":{\#(data)}}"#,
        ]
    }

    private func bytes(_ line: String, _ decode: (UnsafeBufferPointer<UInt8>) throws(InputError) -> IncomingEvent) -> Result<IncomingEvent, InputError> {
        var utf8 = Array(line.utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer in
            do throws(InputError) { return .success(try decode(UnsafeBufferPointer(buffer))) } catch { return .failure(error) }
        }
    }

    /// What the appending writer stores of an event: every field it reads.
    private func stored(_ event: IncomingEvent) -> [String] {
        var line: [UInt8] = []
        event.canonicalLine.write(seq: 1, version: 1, recordedAt: Array(#""2024-04-15T17:16:08Z""#.utf8), to: &line)
        return [event.type.name, event.at.rfc3339, event.id.map { "\($0)" } ?? "-", event.expectedVersion.map { "\($0)" } ?? "-",
                event.streamKey.rawValue, "\(event.payloadBytes)", String(decoding: line, as: UTF8.self), event.canonicalData]
    }

    private func bothPaths(_ line: String) -> (common: Result<IncomingEvent, InputError>, general: Result<IncomingEvent, InputError>) {
        let catalog = Fleet.schema.catalog
        return (bytes(line) { bytes throws(InputError) in try IncomingEvent.decode(line: bytes, catalog: catalog, keys: StreamKeyInterner()) },
                bytes(line) { bytes throws(InputError) in try IncomingEvent.decodeParsed(line: bytes, catalog: catalog) })
    }

    @Test("every type, in every envelope, is the same event by both paths", arguments: validSamples.indices)
    func sameEvent(index: Int) throws {
        let sample = validSamples[index]
        for line in Self.envelopes(sample.type.rawValue, sample.data, stream: sample.stream) {
            let (common, general) = bothPaths(line)
            let event = try common.get()
            #expect(stored(event) == stored(try general.get()), "\(line)")
            #expect(event.streamKey.rawValue == sample.stream)
        }
    }

    @Test("the common path names each envelope field as the general path does, each with its own bit")
    func envelopeFieldNames() {
        for field in IncomingEvent.EnvelopeField.allCases {
            var name = Array(field.rawValue.utf8)
            #expect(name.withUnsafeMutableBufferPointer { IncomingEvent.EnvelopeField(UnsafeBufferPointer($0)) } == field)
            name.append(UInt8(ascii: "s"))
            #expect(name.withUnsafeMutableBufferPointer { IncomingEvent.EnvelopeField(UnsafeBufferPointer($0)) } == nil)
        }
        let bits = IncomingEvent.EnvelopeField.allCases.map(\.bit)
        #expect(Set(bits).count == bits.count && bits.allSatisfy { $0.nonzeroBitCount == 1 })
    }

    /// Lines the common path declines or refuses, each with the sentence both paths give.
    private static let refused: [(line: String, rule: String)] = [
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"hp1","sessionHost":"sh-0"},"extra":1}"#,
         "extra: is not an envelope field; an event has type, at, data and optionally id and expectedVersion"),
        (#"{"type":"AgentHeartbeatReceived","type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{}}"#,
         "is not valid JSON: duplicate key \"type\" at column 34"),
        (#"{"type":"AgentHeartbeat","at":"2024-04-15T17:16:07Z","data":{}}"#,
         "type: is \"AgentHeartbeat\", which is not a known event type (did you mean \"AgentHeartbeatReceived\"?)"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15 17:16","data":{"hostPool":"hp1","sessionHost":"sh-0"}}"#, ""),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","id":"not-a-uuid","data":{"hostPool":"hp1","sessionHost":"sh-0"}}"#,
         "id: is \"not-a-uuid\", which is not a UUID (8-4-4-4-12 hexadecimal digits)"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","id":7,"data":{"hostPool":"hp1","sessionHost":"sh-0"}}"#,
         "id: must be a UUID string, not an integer"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","expectedVersion":-1,"data":{"hostPool":"hp1","sessionHost":"sh-0"}}"#,
         "expectedVersion: is -1; it must be 0 or more"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","expectedVersion":"3","data":{"hostPool":"hp1","sessionHost":"sh-0"}}"#,
         "expectedVersion: must be an integer, not a string"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","stream":"sessionhost/hp1/other","data":{"hostPool":"hp1","sessionHost":"sh-0"}}"#,
         "stream: is \"sessionhost/hp1/other\", but this AgentHeartbeatReceived event belongs to stream \"sessionhost/hp1/sh-0\""),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"hp1","sessionHost":"sh-0"}} x"#, ""),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"hp1","sessionHost":"sh-0"},"id":[1,}"#, ""),
        (#"["type"]"#, "must be a JSON object, not an array"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":[]}"#, "data: must be an object, not an array"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z"}"#, "data: is missing"),
        // The data's error comes before the id's, as the general path reads them.
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","id":"bad","data":{"hostPool":"hp1"}}"#,
         "data.sessionHost: is missing; AgentHeartbeatReceived requires it"),
        (#"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07Z","data":{"hostPool":"hp1","sessionHost":"sh-0","sessionhost":1}}"#, ""),
        ("{\"type\":\"AgentHeartbeatReceived\",\"at\":\"2024-04-15T17:16:07Z\",\"data\":{\"hostPool\":\"h\u{E9}\",\"sessionHost\":\"sh-0\"},\"stream\":\"sessionhost/h\u{E9}/sh-0\"}", "accepted"),
    ]

    @Test("each line the common path declines or refuses gets the general path's answer", arguments: refused.indices)
    func sameRefusal(index: Int) {
        let (line, rule) = Self.refused[index]
        let (common, general) = bothPaths(line)
        switch (common, general) {
        case (.failure(let commonError), .failure(let generalError)):
            #expect(commonError == generalError)
            if !rule.isEmpty { #expect((commonError.field.map { "\($0): " } ?? "") + commonError.rule == rule) }
        case (.success(let commonEvent), .success(let generalEvent)):
            #expect(rule == "accepted")
            #expect(stored(commonEvent) == stored(generalEvent))
        default:
            Issue.record("the paths disagree on \(line): \(common) vs \(general)")
        }
    }
}
