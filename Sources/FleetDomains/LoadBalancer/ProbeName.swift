import FleetEvents

/// A health probe's name as the key of a load balancer's probes.
///
/// Every probe result's fold looks its probe up there, to judge the result against the probe's
/// `probeThreshold`, so this key is a `HashedName`, hashed once where it is made rather than
/// through SipHash at every look-up (Tools/Benchmark/HISTORY.md, items 25 and 27). A probe
/// result's is made where the result is decoded (see `ProbeResultRecorded.probeName`), on the
/// decoding thread of an append or a replay.
///
/// Encoded as the name itself, and as an object's key in a dictionary (`CodingKeyRepresentable`),
/// so states keyed by it are the same JSON as when they were keyed by `String`.
package struct ProbeName: Hashable, Comparable, Sendable, Codable, CodingKeyRepresentable, CustomStringConvertible {
    private let key: HashedName
    package var name: String { key.name }

    package init(_ name: String) { key = HashedName(name) }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }

    package func hash(into hasher: inout Hasher) { key.hash(into: &hasher) }

    /// The key's own table hash: synthesized, a table would run the key's hash through `Hasher`.
    package func _rawHashValue(seed: Int) -> Int { key._rawHashValue(seed: seed) }

    package var description: String { name }

    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    package var codingKey: any CodingKey { Key(stringValue: name) }

    package init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
