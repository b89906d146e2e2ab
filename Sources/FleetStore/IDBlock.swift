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
        bytes.withUnsafeMutableBytes { buffer in
            for (offset, entry) in entries.enumerated() {
                buffer.storeBytes(of: entry.id.high.bigEndian, toByteOffset: offset * 16, as: UInt64.self)
                buffer.storeBytes(of: entry.id.low.bigEndian, toByteOffset: offset * 16 + 8, as: UInt64.self)
                buffer.storeBytes(of: UInt64(bitPattern: entry.seq).bigEndian, toByteOffset: entries.count * 16 + offset * 8, as: UInt64.self)
            }
        }
        return bytes
    }

    /// The entries of a stored block; nil when the bytes cannot be one (a damaged store).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [(id: EventID, seq: Int64)]? {
        guard let count = count(of: bytes) else { return nil }
        var entries: [(id: EventID, seq: Int64)] = []
        entries.reserveCapacity(count)
        for index in 0..<count { entries.append((id(at: index, in: bytes), seq(at: index, count: count, in: bytes))) }
        return entries
    }

    /// The seq stored with `target` in the block, nil when the block does not hold it.
    static func seq(of target: EventID, in bytes: UnsafeRawBufferPointer) -> Int64? {
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

    private static func count(of bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count % entryBytes == 0, bytes.count / entryBytes <= capacity else { return nil }
        return bytes.count / entryBytes
    }

    private static func id(at index: Int, in bytes: UnsafeRawBufferPointer) -> EventID {
        EventID(high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)),
                low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self)))
    }

    private static func seq(at index: Int, count: Int, in bytes: UnsafeRawBufferPointer) -> Int64 {
        Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: count * 16 + index * 8, as: UInt64.self)))
    }
}
