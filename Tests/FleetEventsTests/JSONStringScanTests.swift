@testable import FleetEvents
import Testing

@Suite("JSONStringScan: the first byte a JSON string cannot copy as it is")
struct JSONStringScanTests {
    /// What the scan must answer, one byte at a time.
    static func reference(_ bytes: [UInt8], from start: Int, stopAtNonASCII: Bool) -> Int {
        bytes[start...].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || (stopAtNonASCII && $0 >= 0x80) } ?? bytes.count
    }

    static func scan(_ bytes: [UInt8], from start: Int, stopAtNonASCII: Bool) -> Int {
        bytes.withUnsafeBufferPointer { JSONStringScan.firstSpecial(in: $0, from: start, stopAtNonASCII: stopAtNonASCII) }
    }

    @Test("each special byte, and the bytes around each, at every offset of a word and past it")
    func everyByteAtEveryOffset() {
        // The bytes each detector sits next to (0x21 and 0x23 beside the quote, 0x1F and 0x20 at the
        // control boundary, 0x7F and 0x80 at the ASCII one), and bytes whose borrows could mislead.
        let candidates: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xC3, 0xFF]
        for length in 0...19 {
            for position in 0..<max(length, 1) where position < length {
                for byte in candidates {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = byte
                    // A second special byte after the first must not hide it.
                    if position + 1 < length { bytes[position + 1] = 0x22 }
                    for start in 0...length {
                        for stop in [true, false] {
                            #expect(Self.scan(bytes, from: start, stopAtNonASCII: stop) == Self.reference(bytes, from: start, stopAtNonASCII: stop),
                                    "byte \(byte) at \(position) of \(length), from \(start), stopping at non-ASCII: \(stop)")
                        }
                    }
                }
            }
        }
    }

    @Test("random text agrees with the byte-by-byte answer")
    func randomText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &generator)
            // Mostly plain ASCII, as names and ids are, with now and then any byte at all.
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<20, using: &generator) == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8.random(in: 0x23...0x7E, using: &generator)
            }
            for stop in [true, false] {
                #expect(Self.scan(bytes, from: 0, stopAtNonASCII: stop) == Self.reference(bytes, from: 0, stopAtNonASCII: stop), "\(bytes)")
            }
        }
    }

    @Test("the parser and the writer keep their answers: escapes, control characters and UTF-8 across word boundaries")
    func parserAndWriter() throws {
        for text in ["plain ascii text past eight bytes", "0123456\"x", "01234567\\n", "éàü long enough to cross a word", "tab\there", "x"] {
            var writer = JSONWriter(capacity: 64)
            writer.writeString(text)
            let written = String(decoding: writer.bytes, as: UTF8.self)
            #expect(try JSONParser.parse(written) == .string(text))
        }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("\"0123456789\u{01}\"") }
    }
}
