/// Finds where a JSON string's plain run of bytes ends, eight bytes at a time.
///
/// Parsing a line and writing its canonical form both walk every byte of every string to find
/// the first that is not plain: a quote, a backslash, a control character, or (for the parser,
/// which validates non-ASCII text as UTF-8) a byte of a multi-byte character. On words, each
/// step settles eight bytes with a few arithmetic operations (the "has a zero byte" bit trick),
/// and a word that may hold such a byte is walked byte by byte to find exactly which
/// (Tools/Benchmark/HISTORY.md, item 27).
package enum JSONStringScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The offset in `bytes`, from `start`, of the first quote, backslash or control character,
    /// or (with `stopAtNonASCII`) byte of 0x80 or above; `bytes.count` when there is none.
    @inline(__always)
    package static func firstSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, stopAtNonASCII: Bool) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let asciiMask = stopAtNonASCII ? highBits : 0
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                // A byte's high bit is set in `flagged` when it is 0x22 or 0x5C (its XOR with that
                // byte is zero), below 0x20, or non-ASCII when asked; a borrow can also flag a
                // byte above a real match, never one below it, so the first flag is exact.
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let flagged = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highBits
                    | word & asciiMask
                if flagged != 0 { return index + flagged.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || (stopAtNonASCII && byte >= 0x80) { return index }
            index += 1
        }
        return index
    }
}
