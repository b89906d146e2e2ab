import Crypto

/// One full link of the hash chain, its 32 bytes held in place: the appending writer makes one
/// per event, and an array per hash was an allocation and a release per event on the thread that
/// bounds an append. Chained exactly as `StoredEvent.chainedHash` chains, which stays apart: verify
/// chains on from a row's stored hash where it cannot recompute one, and that may be cut short.
///
/// Fenced (README, "Unsafe code"): SHA-256 reads the words and the line in place, for one call.
struct ChainHash {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The hash these 32 bytes hold.
    init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32, "a chain hash is 32 bytes")
        bytes.withUnsafeBytes { stored in Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: stored) } }
    }

    /// The hash of an event with `line` that follows the event this is the hash of.
    func chained(line: [UInt8]) -> ChainHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: words) { hasher.update(bufferPointer: $0) }
        line.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        var next = ChainHash()
        hasher.finalize().withUnsafeBytes { digest in
            Swift.withUnsafeMutableBytes(of: &next.words) { $0.copyMemory(from: digest) }
        }
        return next
    }

    private init() {}

    /// Calls `body` with the hash's first `count` bytes, in place.
    func withBytes<T>(prefix count: Int, _ body: (Span<UInt8>) throws -> T) rethrows -> T {
        try Swift.withUnsafeBytes(of: words) { raw in
            try raw.withMemoryRebound(to: UInt8.self) { try body($0.span.extracting(first: count)) }
        }
    }

    var bytes: [UInt8] { Swift.withUnsafeBytes(of: words) { Array($0) } }
}
