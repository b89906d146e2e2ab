/// A block of one run of the id index, as `event_id_blocks.entries` stores it: up to `capacity`
/// ids in ascending order, 16 bytes each, then their seqs in the same order, 8 bytes each, both
/// big-endian. Ids first, so a lookup's binary search reads one contiguous range.
struct IDBlock {
    /// Ids per block: a block of 128 (3 KiB) stays within what SQLite keeps on a 16 KiB page of a
    /// WITHOUT ROWID table, so a lookup reads one page.
    static let capacity = 128
    static let entryBytes = 24

    /// The bytes of `entries`, which must be in ascending id order.
    static func encode(_ entries: ArraySlice<(id: EventID, seq: Int64)>) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: entries.count * entryBytes)
        for (index, entry) in entries.enumerated() {
            store(entry.id.high, at: index * 16, in: &bytes)
            store(entry.id.low, at: index * 16 + 8, in: &bytes)
            store(UInt64(bitPattern: entry.seq), at: entries.count * 16 + index * 8, in: &bytes)
        }
        return bytes
    }

    /// The entries of a stored block; nil when the bytes cannot be one (a damaged store).
    static func decode(_ bytes: Span<UInt8>) -> [(id: EventID, seq: Int64)]? {
        guard let count = count(of: bytes) else { return nil }
        var entries: [(id: EventID, seq: Int64)] = []
        entries.reserveCapacity(count)
        for index in 0..<count { entries.append((id(at: index, in: bytes), seq(at: index, count: count, in: bytes))) }
        return entries
    }

    /// The seq stored with `target` in the block, nil when the block does not hold it.
    static func seq(of target: EventID, in bytes: Span<UInt8>) -> Int64? {
        guard let count = count(of: bytes) else { return nil }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            let id = id(at: middle, in: bytes)
            if id == target { return seq(at: middle, count: count, in: bytes) }
            if id < target { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    private static func count(of bytes: Span<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count % entryBytes == 0, bytes.count / entryBytes <= capacity else { return nil }
        return bytes.count / entryBytes
    }

    private static func id(at index: Int, in bytes: Span<UInt8>) -> EventID {
        EventID(high: bigEndian(at: index * 16, in: bytes), low: bigEndian(at: index * 16 + 8, in: bytes))
    }

    private static func seq(at index: Int, count: Int, in bytes: Span<UInt8>) -> Int64 {
        Int64(bitPattern: bigEndian(at: count * 16 + index * 8, in: bytes))
    }

    private static func bigEndian(at offset: Int, in bytes: Span<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    private static func store(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * index)) }
    }
}
