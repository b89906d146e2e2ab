import FleetEvents

/// The text an event's hash covers, in two steps: the fields the input decides (stream, type,
/// time, id, data) rendered where the input is read, on the decoding thread; then the three the
/// appending writer decides (seq, version, recordedAt) put in around them as the event is appended.
///
/// Frozen: the hash chain of every stored log depends on these bytes, so the field order,
/// spelling and time format here must never change:
/// `{"seq":…,"stream":"…","version":…,"type":"…","at":"…","recordedAt":"…"[,"id":"…"],"data":{…}}`
struct CanonicalLine: Sendable {
    /// `,"stream":"…","version":`, then `,"type":"…","at":"…","recordedAt":`, then `[,"id":"…"],"data":{…}}`.
    private var parts: [UInt8]
    /// Where the type's part and the data's part begin.
    private var typeStart: Int
    private var dataStart: Int

    /// The input's fields; `writeData` writes the data object in canonical form (compact, keys sorted).
    /// The keys are literals, copied as they are (`JSONWriter.writeLiteral`): written as strings,
    /// each would be scanned again for characters to escape, on every event appended.
    init(stream: String, type: String, at: Timestamp, id: EventID?, writeData: (inout JSONWriter) -> Void) {
        var writer = JSONWriter(capacity: 256)
        writer.writeLiteral(#","stream":"#)
        writer.writeString(stream)
        writer.writeLiteral(#","version":"#)
        typeStart = writer.bytes.count
        writer.writeLiteral(#","type":"#)
        writer.writeString(type)
        writer.writeLiteral(#","at":"#)
        writer.writeTimestamp(at)
        writer.writeLiteral(#","recordedAt":"#)
        dataStart = writer.bytes.count
        if let id {
            writer.writeLiteral(#","id":"#)
            writer.bytes.append(UInt8(ascii: "\""))
            id.appendText(to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
        }
        writer.writeLiteral(#","data":"#)
        writeData(&writer)
        writer.writeLiteral("}")
        parts = writer.bytes
    }

    /// A recording time as the line holds it, quoted: rendered once per batch, not per event.
    static func recordedAtText(_ time: Timestamp) -> [UInt8] {
        var writer = JSONWriter(capacity: 32)
        writer.writeTimestamp(time)
        return writer.bytes
    }

    /// Appends the whole line to `line`; `recordedAt` as `recordedAtText` renders it.
    func write(seq: Int64, version: Int64, recordedAt: [UInt8], to line: inout [UInt8]) {
        line.append(contentsOf: #"{"seq":"#.utf8)
        JSONWriter.appendInteger(seq, to: &line)
        line.append(contentsOf: parts[..<typeStart])
        JSONWriter.appendInteger(version, to: &line)
        line.append(contentsOf: parts[typeStart..<dataStart])
        line.append(contentsOf: recordedAt)
        line.append(contentsOf: parts[dataStart...])
    }
}
