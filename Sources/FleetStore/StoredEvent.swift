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
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// The hash the first event chains from.
    static let genesisHash = [UInt8](repeating: 0, count: 32)
}

/// One full link of the hash chain, its 32 bytes held in place: the appending writer makes one
/// per event, and an array per hash was an allocation and a release per event on the thread that
/// bounds an append. Chained exactly as `StoredEvent.chainedHash` chains, which stays apart: verify
/// chains on from a row's stored hash where it cannot recompute one, and that may be cut short.
struct ChainHash {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The hash these 32 bytes hold.
    init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32, "a chain hash is 32 bytes")
        bytes.withUnsafeBytes { stored in Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: stored) } }
    }

    /// The hash of an event with `line` that follows the event this is the hash of.
    func chained(line: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: line)
        var next = ChainHash()
        hasher.finalize().withUnsafeBytes { digest in
            Swift.withUnsafeMutableBytes(of: &next.words) { $0.copyMemory(from: digest) }
        }
        return next
    }

    private init() {}

    func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try Swift.withUnsafeBytes(of: words, body)
    }

    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}
