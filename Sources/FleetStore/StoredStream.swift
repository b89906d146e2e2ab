import FleetEvents

/// A stream of the log as a replay meets it: its key, and the key's values split once.
///
/// Every stored event's data takes the fields that form its stream's key (`hostPool`,
/// `loadBalancer`, ...) from the key; a long replay meets each stream thousands of times, so the
/// key is split once per stream, not once per event (Tools/Benchmark/HISTORY.md, item 24).
final class StoredStream: Sendable {
    let key: StreamKey
    /// The key's values after its kind's prefix, in the kind's field order.
    let values: [String]
    /// The keys its events named last, for the one thread that decodes them.
    let recentKeys = RecentStreamKeys()

    init(_ key: StreamKey) {
        self.key = key
        values = key.values.map(String.init)
    }
}

/// The streams a replay reads, by id: in an array for the ids SQLite hands out (1, 2, 3, ...),
/// since a replay looks one up for every row and indexing costs less than hashing the id
/// (Tools/Benchmark/HISTORY.md, item 24); in a dictionary for any other.
struct StoredStreams {
    private var dense: [StoredStream?] = []
    private var sparse: [Int64: StoredStream] = [:]

    /// Add in id order: an id beyond twice the streams added so far goes to the dictionary.
    mutating func add(_ stream: StoredStream, id: Int64) {
        if id >= 0, id < 2 * Int64(dense.count) + 1_024 {
            if id >= dense.count { dense.append(contentsOf: repeatElement(nil, count: Int(id) + 1 - dense.count)) }
            dense[Int(id)] = stream
        } else {
            sparse[id] = stream
        }
    }

    subscript(id: Int64) -> StoredStream? {
        if id >= 0, id < dense.count, let stream = dense[Int(id)] { return stream }
        return sparse[id]
    }

    /// The stream of `id` without a reference counted for the caller, who must keep the streams
    /// alive while using it: a replay hands one to its decoding thread with every row it reads,
    /// and counting a reference on each thread made both write the stream's header, which shares
    /// a cache line with the fields the decoder reads, so the line moved between the cores for
    /// every row (Tools/Benchmark/HISTORY.md, item 27).
    func unretained(id: Int64) -> Unmanaged<StoredStream>? {
        if id >= 0, id < dense.count {
            return dense.withUnsafeBufferPointer { streams in streams[Int(id)].map { Unmanaged.passUnretained($0) } }
        }
        return sparse[id].map { Unmanaged.passUnretained($0) }
    }
}
