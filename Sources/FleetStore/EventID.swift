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

    /// The id these 16 bytes hold, as SQLite stores it.
    init(bytes: Span<UInt8>) {
        precondition(bytes.count == 16, "an event id has 16 bytes")
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(bytes[index])
            low = low << 8 | UInt64(bytes[index + 8])
        }
        self.init(high: high, low: low)
    }

    /// Parses the 8-4-4-4-12 hexadecimal form, in either case.
    init?(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.init(utf8: text.utf8.span)
    }

    /// The same for text held as UTF-8 bytes.
    init?(utf8: Span<UInt8>) {
        guard utf8.count == 36 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0, digits = 0
        for index in 0..<36 {
            let byte = utf8[index]
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = Self.hexValue(byte) else { return nil }
            if digits < 16 { high = high << 4 | value } else { low = low << 4 | value }
            digits += 1
        }
        self.init(high: high, low: low)
    }

    /// A hexadecimal digit's value, in either case; nil for a byte that is not one.
    private static func hexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// The 16 bytes, as SQLite stores them.
    var bytes: [UInt8] { withBytes { bytes in (0..<16).map { bytes[$0] } } }

    /// Calls `body` with the 16 bytes, held inline (no allocation).
    func withBytes<T>(_ body: (Span<UInt8>) throws -> T) rethrows -> T {
        var bytes = InlineArray<16, UInt8>(repeating: 0)
        for index in 0..<8 {
            let shift = UInt64(56 - 8 * index)
            bytes[index] = UInt8(truncatingIfNeeded: high >> shift)
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> shift)
        }
        return try body(bytes.span)
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
        // Written through one span of new capacity: appended byte by byte, each append checked the
        // array's uniqueness and room again.
        text.append(addingCapacity: 36) { out in
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                let byte = UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(56 - 8 * (index % 8)))
                out.append(Self.hexDigit(byte >> 4))
                out.append(Self.hexDigit(byte & 0x0F))
            }
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") &+ value : UInt8(ascii: "a") &+ value &- 10
    }
}
