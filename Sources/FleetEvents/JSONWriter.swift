/// Writes compact JSON into a byte buffer: no white space, and object keys sorted on request.
///
/// Sorted, compact output is the store's canonical form of an event's data, so the same data
/// always hashes and compares the same however the producer spaced or ordered it.
package struct JSONWriter {
    package var bytes: [UInt8] = []

    package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func write(_ value: JSONValue, sortingKeys: Bool = true) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): writeDouble(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            let ordered = sortingKeys ? members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : members
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in ordered.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Writes the data of an event of `type` in canonical form: the same bytes as
    /// `write(.object(members))`, a stable sort by key included, without sorting or comparing the
    /// keys: each member is put in place by its field's rank in canonical order, since this runs
    /// for every line (Tools/Benchmark/HISTORY.md, items 22 and 26). Members that are not fields
    /// of `type` are written by sorting.
    package mutating func writeObject(_ members: [JSONMember], fieldsOf type: EventDeclaration) {
        let count = members.count
        let placed: Bool = withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { order in
            for (index, member) in members.enumerated() {
                guard let position = type.position(of: member.key) else { return false }
                // The member's index breaks ties, so repeated keys keep their order, as a stable sort does.
                order[index] = type.canonicalRank[position] << 32 | index
            }
            // A handful of members: insertion sort.
            for index in 1..<max(count, 1) {
                let value = order[index]
                var slot = index
                while slot > 0 && order[slot - 1] > value {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = value
            }
            bytes.append(UInt8(ascii: "{"))
            for rank in 0..<count {
                if rank > 0 { bytes.append(UInt8(ascii: ",")) }
                let member = members[order[rank] & 0xFFFF_FFFF]
                // The key is one of the type's field names, which need no escaping (see
                // `EventDeclaration.init`): copied without scanning it.
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: member.key.utf8)
                bytes.append(UInt8(ascii: "\""))
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
            return true
        }
        if !placed { write(.object(members)) }
    }

    /// Appends text that is already valid JSON (a number, a literal, or pre-encoded JSON).
    package mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends JSON the program holds as a literal (a key with its quotes and colon): its bytes
    /// copied as they are, with no scan for characters to escape.
    package mutating func writeLiteral(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    package mutating func writeInteger(_ number: Int64) {
        Self.appendInteger(number, to: &bytes)
    }

    /// Appends `number` in decimal, as JSON writes it, with its digits written in place: a String
    /// per number was a measurable share of decoding and appending events.
    package static func appendInteger(_ number: Int64, to bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for the 20 digits of UInt64.max
        withUnsafeMutableBytes(of: &digits) { buffer in
            var end = buffer.count
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[end...])
        }
    }

    package mutating func writeDouble(_ number: Double) {
        // Swift prints the shortest text that reads back to the same Double, which is valid JSON
        // for every finite value; an integral value keeps its ".0" so it reads back as a number.
        raw(number.description)
    }

    package mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them whole. Scanned as a buffer, a word at a time
        // (`JSONStringScan`), not through `contains(where:)` on the view, a byte at a time
        // (Tools/Benchmark/HISTORY.md, item 27).
        var string = string
        let plain = string.withUTF8 { utf8 in
            guard JSONStringScan.firstSpecial(in: utf8, from: 0, stopAtNonASCII: false) == utf8.count else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                raw("\\u00" + (hex.count == 1 ? "0" + hex : hex))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a time as a JSON string in RFC 3339.
    package mutating func writeTimestamp(_ time: Timestamp) {
        bytes.append(UInt8(ascii: "\""))
        time.appendRFC3339(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Empties the buffer, keeping its capacity for the next line.
    package mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes `"key":` inside an object being written by hand.
    package mutating func writeKey(_ key: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }
}
