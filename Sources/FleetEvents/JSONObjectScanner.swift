/// Reads the one JSON object a text holds member by member, lending each key and each plain
/// string value as the text's own bytes rather than making a `String` of it.
///
/// For the envelope of an NDJSON line, whose few fields (the type, the time, the id) are read once
/// and dropped, so making strings of them and an array to hold them is wasted work
/// (Tools/Benchmark/HISTORY.md, item 31). It is a fast path and nothing more: every
/// method returns nil for what it does not read (malformed JSON, a key with an escape, the end of
/// the input), and its caller then reads the text with `JSONParser.parse`, whose errors say what
/// is wrong. The caller must keep the bytes alive while it uses what the scanner lent.
package struct JSONObjectScanner {
    private var parser: JSONParser
    private var isFirst = true

    /// Where the reader stands after `next()`.
    package enum Step {
        /// A member's key, between its quotes; its value comes next.
        case key(UnsafeBufferPointer<UInt8>)
        /// The object has closed, and only white space follows it.
        case end
    }

    /// Nil unless `bytes`, after white space, opens an object.
    package init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.peek(UInt8(ascii: "{")) else { return nil }
        parser.index += 1
    }

    /// The next member's key or the object's end; nil for anything else.
    package mutating func next() -> Step? {
        parser.skipWhitespace()
        if parser.peek(UInt8(ascii: "}")) {
            parser.index += 1
            parser.skipWhitespace()
            return parser.index == parser.bytes.count ? .end : nil
        }
        if !isFirst {
            guard parser.peek(UInt8(ascii: ",")) else { return nil }
            parser.index += 1
            parser.skipWhitespace()
        }
        isFirst = false
        guard parser.peek(UInt8(ascii: "\"")), let (key, ascii) = try? parser.scanPlainString(), ascii else { return nil }
        parser.skipWhitespace()
        guard parser.peek(UInt8(ascii: ":")) else { return nil }
        parser.index += 1
        parser.skipWhitespace()
        return .key(key)
    }

    /// The value, when it is a string of ASCII characters with no escape: its bytes between the
    /// quotes, read. Nil, nothing read, for any other value.
    package mutating func plainASCIIString() -> UnsafeBufferPointer<UInt8>? {
        guard parser.peek(UInt8(ascii: "\"")) else { return nil }
        let start = parser.index
        guard let (text, ascii) = try? parser.scanPlainString(), ascii else {
            parser.index = start
            return nil
        }
        return text
    }

    /// The value, parsed; nil when it is not valid JSON.
    package mutating func value() -> JSONValue? {
        // The object's own level is 1, as `JSONParser.parse` counts it.
        try? parser.parseValue(depth: 1)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `literal`'s.
    @inline(__always)
    package func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        for offset in 0..<count where self[offset] != literal.utf8Start[offset] { return false }
        return true
    }
}
