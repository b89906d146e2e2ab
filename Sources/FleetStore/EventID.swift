/// A producer's event id: a UUID, kept as two 64-bit words and shown in lower case.
///
/// Two words rather than an array of 16 bytes: an id is hashed, compared and looked up for every
/// appended event, and a value of two words needs no allocation for any of it.
struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, read big-endian.
    let high: UInt64
    /// The last 8 bytes, read big-endian.
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "an event id has 16 bytes")
        var high: UInt64 = 0, low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// Parses the 8-4-4-4-12 hexadecimal form, in either case.
    init?(_ text: String) {
        var text = text
        guard let id = text.withUTF8({ EventID(utf8: $0) }) else { return nil }
        self = id
    }

    /// The same for text held as UTF-8 bytes.
    init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let words = Self.parse(utf8) else { return nil }
        self.init(high: words.high, low: words.low)
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> (high: UInt64, low: UInt64)? {
        guard utf8.count == 36 else { return nil }
        // The table read through one buffer for the whole id: indexed as a static array, each of
        // the 32 digits checked the table's initialization and bounds again.
        return hexValues.withUnsafeBufferPointer { hexValues in
            var high: UInt64 = 0, low: UInt64 = 0, digits = 0
            for index in 0..<36 {
                let byte = utf8[index]
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let value = hexValues[Int(byte)]
                guard value < 16 else { return nil }
                if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
                digits += 1
            }
            return (high, low)
        }
    }

    /// The 16 bytes, as SQLite stores them.
    var bytes: [UInt8] { withBytes { Array($0) } }

    /// Calls `body` with the 16 bytes, without allocating.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeBytes(of: (high.bigEndian, low.bigEndian), body)
    }

    /// Byte order, as SQLite orders BLOBs.
    static func < (left: EventID, right: EventID) -> Bool {
        (left.high, left.low) < (right.high, right.low)
    }

    var description: String {
        var text: [UInt8] = []
        text.reserveCapacity(36)
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the 8-4-4-4-12 lower-case form to `text`.
    func appendText(to text: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 36 bytes of room
        // The digits read through one buffer for the whole id (see `parse`).
        Self.hexDigits.withUnsafeBufferPointer { hexDigits in
            withUnsafeMutableBytes(of: &digits) { buffer in
                var end = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[end] = UInt8(ascii: "-")
                        end += 1
                    }
                    let byte = UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(56 - 8 * (index % 8)))
                    buffer[end] = hexDigits[Int(byte >> 4)]
                    buffer[end + 1] = hexDigits[Int(byte & 0x0F)]
                    end += 2
                }
                text.append(contentsOf: buffer[..<36])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Each byte's value as a hexadecimal digit, in either case; 255 for a byte that is not one.
    private static let hexValues: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        default: 255
        }
    }
}
