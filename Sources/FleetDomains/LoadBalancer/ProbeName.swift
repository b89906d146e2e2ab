import FleetEvents

/// A health probe's name as the key of a load balancer's probes.
///
/// Every probe result's fold looks its probe up there, to judge the result against the probe's
/// `probeThreshold`; keyed by `String`, that lookup ran SipHash over the name, about 350
/// instructions and 3.5% of a rebuild's folding thread. This key hashes it with `TableHash`, once,
/// where it is made: a probe result's is made where the result is decoded (see
/// `ProbeResultRecorded.probeName`), on the decoding thread of an append or a replay.
///
/// Encoded as the name itself, and as an object's key in a dictionary (`CodingKeyRepresentable`),
/// so states keyed by it are the same JSON as when they were keyed by `String`.
package struct ProbeName: Hashable, Comparable, Sendable, Codable, CodingKeyRepresentable, CustomStringConvertible {
    package let name: String
    /// `TableHash` of the name; a table's seed is mixed in when it asks (`_rawHashValue`).
    private let nameHash: Int

    package init(_ name: String) {
        self.name = name
        nameHash = TableHash.of(name, seed: 0)
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.nameHash == rhs.nameHash && lhs.name == rhs.name }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }

    package func hash(into hasher: inout Hasher) { hasher.combine(nameHash) }

    package func _rawHashValue(seed: Int) -> Int { TableHash.mix(nameHash ^ seed) }

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
