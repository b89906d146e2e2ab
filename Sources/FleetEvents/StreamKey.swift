/// A kind of stream, and of entity: the first segment of its keys and the event fields whose
/// values, in order, make up the rest (`sessionhost/<hostPool>/<sessionHost>`).
///
/// Every key of a kind is built here, so a key's format is written once, whether an event's
/// stream is derived from its data, a query lists a pool's hosts, or the log decodes a row.
package struct StreamKind: Sendable, Hashable {
    /// The key's first segment (`sessionhost`).
    package let prefix: String
    /// The data fields whose values form the key's other segments, in order.
    package let fields: [String]

    package init(_ prefix: String, fields: [String]) {
        self.prefix = prefix
        self.fields = fields
    }

    /// The key with each field's name in braces, as the event reference shows it: `lb/{loadBalancer}`.
    package var template: String {
        ([prefix] + fields.map { "{\($0)}" }).joined(separator: "/")
    }

    /// The key named by one value per field. Values never contain "/" (FieldReader.name refuses it).
    package func key(_ values: String...) -> StreamKey { key(values) }

    package func key(_ values: [String]) -> StreamKey {
        precondition(values.count == fields.count, "a \(prefix) key takes \(fields.count) values")
        // Built for every probe result decoded and folded: one allocation, sized up front.
        var text = prefix
        text.reserveCapacity(prefix.utf8.count + values.reduce(0) { $0 + $1.utf8.count + 1 })
        for value in values {
            text.append("/")
            text.append(value)
        }
        return StreamKey(rawValue: text)
    }

    /// The keys of this kind whose first values are `values` (all keys of the kind when none).
    package func keys(under values: String...) -> StreamKeyRange {
        precondition(values.count < fields.count, "a range names fewer values than a key")
        return StreamKeyRange(prefix: ([prefix] + values).joined(separator: "/") + "/")
    }
}

/// The key of one stream of the log, which is also the name of an entity of the read models.
public struct StreamKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    /// `rawValue`'s hash, taken once where the key is made: the folds look keys up in dictionaries
    /// several times per event, and replays make each key once per stream or entity (the streams
    /// they read, the keys a decoder interns), so hashing the text each time was wasted work.
    private let textHash: Int

    package init(rawValue: String) {
        self.rawValue = rawValue
        textHash = rawValue.hashValue
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.textHash == rhs.textHash && lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(textHash) }

    /// What a `Dictionary` or `Set` hashes: `textHash`, already a full hash of the text (SipHash,
    /// seeded per process), mixed with the table's own seed by a few multiplications rather than
    /// run through `Hasher` again, since the folds look keys up several times per event
    /// (Tools/Benchmark/HISTORY.md, item 25). Equal keys have equal `textHash`, so this agrees
    /// with `==`, and the table's seed still changes every bucket, as its per-table seeding asks.
    public func _rawHashValue(seed: Int) -> Int { TableHash.mix(textHash ^ seed) }

    /// The values after the kind's prefix, in the kind's field order.
    package var values: [Substring] {
        // Read for every stored event a projector folds: a plain scan, not a generic split.
        var values: [Substring] = []
        values.reserveCapacity(3)
        let utf8 = rawValue.utf8
        var start: String.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                if let start { values.append(rawValue[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if let start { values.append(rawValue[start..<utf8.endIndex]) }
        return values
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Every key that starts with a prefix: the keys of one kind, or of one pool of a kind.
public struct StreamKeyRange: Sendable, Hashable {
    /// Ends in "/", so `sessionhost/hp/` never matches the hosts of pool `hp2`.
    package let prefix: String

    public func contains(_ key: StreamKey) -> Bool { key.rawValue.hasPrefix(prefix) }

    /// The least string above every key in the range, for `key >= prefix AND key < upperBound`.
    package var upperBound: String { prefix + "\u{10FFFF}" }
}

/// Some streams of the log: exact keys and key ranges. What a history or a report replays, so
/// that it folds the events its entities depend on and no others.
package struct StreamSelection: Sendable, Hashable {
    package var keys: [StreamKey]
    package var ranges: [StreamKeyRange]

    package init(keys: [StreamKey] = [], ranges: [StreamKeyRange] = []) {
        self.keys = keys
        self.ranges = ranges
    }

    package func contains(_ key: StreamKey) -> Bool {
        keys.contains(key) || ranges.contains { $0.contains(key) }
    }
}
