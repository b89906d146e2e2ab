import FleetEvents

/// A stream of the log as a replay meets it: its key, and the key's values split once.
///
/// Every stored event's data takes the fields that form its stream's key (`hostPool`,
/// `loadBalancer`, ...) from the key; a long replay meets each stream thousands of times, and
/// splitting the key for each of its events was 16% of a rebuild's decoding thread.
final class StoredStream: Sendable {
    let key: StreamKey
    /// The key's values after its kind's prefix, in the kind's field order.
    let values: [String]

    init(_ key: StreamKey) {
        self.key = key
        values = key.values.map(String.init)
    }
}
