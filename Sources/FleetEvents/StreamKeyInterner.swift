/// Hands out one shared key for equal values: a decoder gives one to the events it decodes, so
/// that the keys their data names (a probe result's health entity and load balancer, on every
/// result) are built once per entity rather than once per event.
///
/// Building such a key copies its parts into a new allocation (14% of a rebuild's decoding
/// thread); finding it here costs a hash of the parts. Equal keys then share their storage, which
/// also makes the folds' dictionary lookups compare them by pointer rather than byte by byte.
///
/// Not thread-safe: one per decoding thread. Holds at most `capacity` keys, then starts afresh, so
/// memory stays bounded however many entities the log names.
package final class StreamKeyInterner {
    /// Values are never empty (`FieldReader.name` refuses an empty name at append, and a stored
    /// one was appended), so "" marks a value a key lacks.
    private struct Parts: Hashable {
        var prefix: String
        var first: String
        var second: String
        var third: String

        /// The last value alone, which tells nearly all entities of a kind apart (an address, a
        /// host): hashing one string rather than four is most of what a lookup costs.
        func hash(into hasher: inout Hasher) {
            hasher.combine(lastValue)
        }

        /// What the table hashes: `lastValue` through `TableHash` (through `Hasher`, hashing it
        /// was 5% of a replay's decoding thread).
        func _rawHashValue(seed: Int) -> Int { TableHash.of(lastValue, seed: seed) }

        var lastValue: String { third.isEmpty ? (second.isEmpty ? first : second) : third }
    }

    // Unchecked at run time: an interner belongs to one thread and each access is a single
    // lookup or insert, while the checks cost two calls per key (3% of a replay's decoding thread).
    @exclusivity(unchecked) private var keys: [Parts: StreamKey] = [:]
    private let capacity: Int

    package init(capacity: Int = 1 << 16) {
        self.capacity = capacity
    }

    /// The key of `kind` named by its one, two or three values.
    package func key(_ kind: StreamKind, _ first: String, _ second: String = "", _ third: String = "") -> StreamKey {
        let parts = Parts(prefix: kind.prefix, first: first, second: second, third: third)
        if let key = keys[parts] { return key }
        let key = Self.build(kind, first, second, third)
        if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
        keys[parts] = key
        return key
    }

    /// The key, built afresh.
    static func build(_ kind: StreamKind, _ first: String, _ second: String, _ third: String) -> StreamKey {
        switch kind.fields.count {
        case 1: kind.key(first)
        case 2: kind.key(first, second)
        default: kind.key(first, second, third)
        }
    }
}
