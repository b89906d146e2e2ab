import Crypto
import FleetEvents

/// An event as the log holds it: the producer's envelope plus the store's position, stream,
/// version, recording time and chained hash.
public struct StoredEvent: Sendable, Equatable {
    public var seq: Int64
    public var stream: String
    public var version: Int64
    public var type: String
    public var at: Timestamp
    public var recordedAt: Timestamp
    /// The producer's UUID, lower case, when one was given.
    public var id: String? { eventID?.description }
    var eventID: EventID?
    /// The event's data as canonical JSON (compact, keys sorted).
    public var data: String
    /// The event's link of the hash chain as stored: SHA-256 over the previous event's full hash
    /// and `canonicalLine`, cut to its first `storedHashBytes` bytes (the whole 32 for events
    /// appended before migration 0008). Each commit's row keeps its last event's full hash.
    public var hash: [UInt8]

    /// The event as one line of NDJSON, which is also the exact text its hash covers.
    public var canonicalLine: String { String(decoding: canonicalLineBytes, as: UTF8.self) }

    /// `canonicalLine` as the UTF-8 bytes the hash covers.
    var canonicalLineBytes: [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(160 + data.utf8.count)
        CanonicalLine(stream: stream, type: type, at: at, id: eventID) { $0.raw(data) }
            .write(seq: seq, version: version, recordedAt: CanonicalLine.recordedAtText(recordedAt), to: &line)
        return line
    }

    /// The hash an event with `line` gets when it follows an event whose hash is `previous`.
    static func chainedHash(previous: [UInt8], line: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: line)
        return Array(hasher.finalize())
    }

    /// The hash the first event chains from.
    static let genesisHash = [UInt8](repeating: 0, count: 32)
}
