/// Hashes for the keys of in-memory tables that are looked up for nearly every event: cheaper
/// than `Hasher`'s SipHash on short names (Tools/Benchmark/HISTORY.md, item 25).
///
/// Not meant to resist keys chosen to collide (every key hashed here is a name from the
/// store's own log or an operator's configuration); each table's own seed is mixed in, as
/// `Hashable`'s per-table seeding asks.
package enum TableHash {
    /// `seed` and the UTF-8 bytes of `text` through FNV-1a, finished by `mix`.
    @inlinable
    package static func of(_ text: String, seed: Int) -> Int {
        var text = text
        text.makeContiguousUTF8()
        return of(utf8: text.utf8.span, seed: seed)
    }

    /// The same as `of(_:seed:)` for text held as UTF-8 bytes.
    @inlinable
    package static func of(utf8 bytes: Span<UInt8>, seed: Int) -> Int {
        var hash = 0xCBF2_9CE4_8422_2325 ^ UInt64(bitPattern: Int64(seed))
        for index in bytes.indices { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
        // FNV's low bits, which pick a table's bucket, depend little on the last bytes.
        return mix(Int(bitPattern: UInt(hash)))
    }

    /// The finalizer of SplitMix64: every bit of `value` moves about half of the result's bits.
    @inlinable
    package static func mix(_ value: Int) -> Int {
        var mixed = UInt64(bitPattern: Int64(value))
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(bitPattern: UInt(mixed ^ (mixed >> 31)))
    }
}

/// A name as the key of an in-memory table looked up for nearly every event (a load balancer's
/// probes, the catalog's types by name): hashed with `TableHash` once, where the key is made, and
/// mixed with each table's seed when the table asks.
package struct HashedName: Hashable, Sendable {
    package let name: String
    private let nameHash: Int

    package init(_ name: String) {
        self.name = name
        nameHash = TableHash.of(name, seed: 0)
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.nameHash == rhs.nameHash && lhs.name == rhs.name }

    package func hash(into hasher: inout Hasher) { hasher.combine(nameHash) }

    package func _rawHashValue(seed: Int) -> Int { TableHash.mix(nameHash ^ seed) }
}
