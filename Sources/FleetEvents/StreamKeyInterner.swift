/// Hands out one shared key for equal values: a decoder gives one to the events it decodes, so
/// that the keys their data names (a probe result's health entity and load balancer, on every
/// result) are built once per entity rather than once per event.
///
/// Finding a key here costs a hash of its parts, where building one copies them into a new
/// allocation (Tools/Benchmark/HISTORY.md, item 24). Equal keys then share their storage, which
/// also makes the folds' dictionary lookups compare them by pointer rather than byte by byte.
///
/// Also keeps its thread's tables of enumeration cases (`InternedCases`), for the same readers.
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

        /// What the table hashes: `lastValue` through `TableHash`, cheaper than `Hasher` on short
        /// names (Tools/Benchmark/HISTORY.md, item 25).
        func _rawHashValue(seed: Int) -> Int { TableHash.of(lastValue, seed: seed) }

        var lastValue: String { third.isEmpty ? (second.isEmpty ? first : second) : third }
    }

    // Unchecked at run time: an interner belongs to one thread and each access is a single lookup
    // or insert, while the checks cost two runtime calls per key (Tools/Benchmark/HISTORY.md, item 24).
    @exclusivity(unchecked) private var keys: [Parts: StreamKey] = [:]
    private let capacity: Int
    /// Each enumeration type's `InternedCases`, by its type: a dozen types at most, found by a scan.
    @exclusivity(unchecked) private var enumerations: [(type: ObjectIdentifier, cases: AnyObject)] = []

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

    /// This thread's `InternedCases` of the enumeration `type`, made by `make` on first use;
    /// unretained, as the interner keeps it, so that reading an enumeration value counts no
    /// reference (Tools/Benchmark/HISTORY.md, item 30).
    func internedCases(of type: ObjectIdentifier, orMake make: () -> AnyObject) -> Unmanaged<AnyObject> {
        for index in enumerations.indices where enumerations[index].type == type {
            return Unmanaged.passUnretained(enumerations[index].cases)
        }
        let cases = make()
        enumerations.append((type, cases))
        return Unmanaged.passUnretained(cases)
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

/// The keys the events of one stream named most recently, looked at before a `StreamKeyInterner`:
/// a stream's events name the same few entities again and again (a probe result on an address,
/// its health entity and its load balancer), and comparing the values with these few costs less
/// than hashing them for the interner's table (Tools/Benchmark/HISTORY.md, item 26).
///
/// Belongs to one stream of one replay, whose events one thread decodes, one after the other
/// (the reason it may be unchecked: the stream that holds it is handed to that thread).
package final class RecentStreamKeys: @unchecked Sendable {
    private struct Entry {
        let prefix: String
        let first: String
        let second: String
        let third: String
        let key: StreamKey
    }

    /// Enough for the entities a stream's events name (two for a probe result, whose address
    /// a second probe may also probe), few enough to compare with each in turn.
    private static let capacity = 4
    // Unchecked at run time, as the interner's table is: one thread, one access at a time, while
    // the checks cost more than the lookup they guard.
    @exclusivity(unchecked) private var entries: [Entry] = []
    @exclusivity(unchecked) private var replaced = 0

    package init() {}

    /// The key of `kind` named by the values, found among the recent ones, else made by `make`
    /// and kept in place of the oldest.
    @inline(__always)
    package func key(
        _ kind: StreamKind, _ first: String, _ second: String, _ third: String, orElse make: () -> StreamKey
    ) -> StreamKey {
        for index in entries.indices
        where entries[index].first == first && entries[index].third == third && entries[index].second == second
            && entries[index].prefix == kind.prefix {
            return entries[index].key
        }
        let key = make()
        let entry = Entry(prefix: kind.prefix, first: first, second: second, third: third, key: key)
        if entries.count < Self.capacity {
            entries.append(entry)
        } else {
            entries[replaced] = entry
            replaced = (replaced + 1) % Self.capacity
        }
        return key
    }
}
