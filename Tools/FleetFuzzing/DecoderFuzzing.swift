import FleetEvents
import FleetStore

/// The decoders that read bytes from outside, each given arbitrary bytes: the fuzz target
/// (`Tools/Fuzz`) and its regression tests call these, and each must decode or throw, never crash,
/// hang or grow memory without bound.
package enum DecoderFuzzing {
    /// One fuzz input: byte 0 even -> the rest is an NDJSON line, odd -> a stored row.
    package static func run(_ bytes: UnsafeRawBufferPointer, schema: StoreSchema) {
        guard let selector = bytes.first else { return }
        let rest = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        if selector % 2 == 0 {
            decodeLine(rest.bindMemory(to: UInt8.self), schema: schema)
        } else {
            decodeStoredRow(rest, schema: schema)
        }
    }

    /// One NDJSON line through the ingest decoder, as `append` reads it. Nil when it is refused.
    @discardableResult
    package static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>, schema: StoreSchema) -> String? {
        guard let event = try? IncomingEvent.decode(line: bytes, catalog: schema.catalog) else { return nil }
        // What append writes from it: both forms must be producible from whatever was accepted.
        var payload: [UInt8] = []
        PayloadCodec.encode(type: event.type, data: event.data, into: &payload)
        return event.canonicalData
    }

    /// Seed inputs for the fuzzer: each event type's sample as an NDJSON line (selector 0) and as a
    /// stored row (selector 1, then the type's index and its compact data).
    package static func seeds(schema: StoreSchema) -> [(name: String, bytes: [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        for (index, type) in schema.catalog.declarations.enumerated() {
            let line = #"{"type":"\#(type.name)","at":"2024-04-15T17:16:07.250Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a21","expectedVersion":3,"data":\#(type.sample)}"#
            seeds.append(("line-\(type.name)", [0] + Array(line.utf8)))
            var payload: [UInt8] = []
            PayloadCodec.encode(type: type, data: type.sampleMembers, into: &payload)
            seeds.append(("row-\(type.name)", [1, UInt8(index)] + payload))
        }
        return seeds
    }

    /// A stored row's data: the first byte picks the event type, the rest is the row's compact
    /// data, read as `replay` reads it. Nil when it is refused.
    @discardableResult
    package static func decodeStoredRow(_ bytes: UnsafeRawBufferPointer, schema: StoreSchema) -> String? {
        guard let first = bytes.first else { return nil }
        let declarations = schema.catalog.declarations
        let type = declarations[Int(first) % declarations.count]
        let stream = type.stream.key(type.stream.fields.map { "x\($0.count)" })
        // Decoded as a replay decodes it (one value per field), and as `events` renders it.
        let data = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        var locations: [Int] = []
        guard (try? PayloadCodec.withStoredFields(
                  type: type, streamValues: stream.values.map(String.init), bytes: data, locations: &locations,
                  { fields in try type.decode(stored: fields, keys: nil) })) != nil,
              let members = try? PayloadCodec.decode(type: type, stream: stream, bytes: data) else { return nil }
        var writer = JSONWriter()
        writer.write(.object(members))
        return writer.text
    }
}
