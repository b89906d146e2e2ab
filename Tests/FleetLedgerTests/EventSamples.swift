@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore

/// Builds one NDJSON event line for tests.
func eventLine(
    _ type: String, _ data: String, at: String = "2024-04-15T17:16:07Z", id: String? = nil,
    expectedVersion: Int? = nil
) -> String {
    var line = #"{"type":"\#(type)","at":"\#(at)","data":{\#(data)}"#
    if let id { line += #","id":"\#(id)""# }
    if let expectedVersion { line += #","expectedVersion":\#(expectedVersion)"# }
    return line + "}"
}

/// Decodes one line as `append` does (which shares keys through `keys`).
func decode(_ line: String, keys: StreamKeyInterner? = nil) throws(InputError) -> IncomingEvent {
    var bytes = Array(line.utf8)
    do {
        return try bytes.withUnsafeMutableBufferPointer {
            try IncomingEvent.decode(line: UnsafeBufferPointer($0), catalog: Fleet.schema.catalog, keys: keys)
        }
    } catch let error as InputError {
        throw error
    } catch {
        fatalError("IncomingEvent throws only InputError")
    }
}

func decode(_ type: String, _ data: String) throws(InputError) -> IncomingEvent {
    try decode(eventLine(type, data))
}

/// The error a line is refused with, as the user reads it.
func rejection(_ line: String) -> String? {
    do {
        _ = try decode(line)
        return nil
    } catch {
        return error.description
    }
}

func rejection(_ type: String, _ data: String) -> String? {
    rejection(eventLine(type, data))
}

/// A valid `data` object for every event type (its declaration's sample, without the braces),
/// with the stream its key fields name: derived, so a new type needs nothing here.
let validSamples: [(type: EventType, data: String, stream: String)] = EventType.allCases.map { type in
    let members = type.sampleMembers
    let values = type.stream.fields.map { field -> String in
        guard case .string(let value)? = members.first(where: { $0.key == field })?.value else { fatalError("\(type.name)'s sample has no \(field)") }
        return value
    }
    return (type, String(type.sample.dropFirst().dropLast()), ([type.stream.prefix] + values).joined(separator: "/"))
}
