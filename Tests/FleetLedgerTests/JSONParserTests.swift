@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import Foundation
import Testing

@Suite("JSONParser")
struct JSONParserTests {
    @Test("parses every kind of value, keeping object members in order")
    func values() throws {
        let value = try JSONParser.parse(#" {"b": [1, -2.5, true, false, null], "a": {"s": "x"}, "e": 1E3} "#)
        #expect(value == .object([
            JSONMember(key: "b", value: .array([.int(1), .double(-2.5), .bool(true), .bool(false), .null])),
            JSONMember(key: "a", value: .object([JSONMember(key: "s", value: .string("x"))])),
            JSONMember(key: "e", value: .double(1000)),
        ]))
    }

    @Test("keeps 64-bit integers exact at both ends, and falls back to Double beyond them")
    func integerRange() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONParser.parse("-0") == .int(0))
    }

    @Test("decodes escapes, including surrogate pairs")
    func escapes() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té\u{1F600}"))
    }

    @Test("refuses malformed text, naming the reason and column", arguments: [
        ("{\"a\":1,\"a\":2}", "duplicate key \"a\""),
        ("{\"a\":1", "unexpected end of input inside an object"),
        ("[1,]", "expected a value"),
        ("01", "leading zero"),
        ("1.", "no digits after '.'"),
        ("\"\\x\"", "invalid escape"),
        ("\"\\ud800\"", "lone UTF-16 surrogate"),
        ("\"a\u{01}\"", "unescaped control character"),
        ("{} {}", "unexpected text after the JSON value"),
        ("tru", "expected true"),
        ("{'a':1}", "expected a quoted object key"),
        ("1e400", "number out of range"),
    ])
    func malformed(text: String, reason: String) throws {
        let error = try #require(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
        #expect(error.reason.contains(reason), "\(error.reason)")
        #expect(error.description.contains("column"))
    }

    @Test("refuses nesting deeper than the limit")
    func depth() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    @Test("refuses bytes that are not UTF-8")
    func invalidUTF8() throws {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONSyntaxError.self) { try bytes.withUnsafeBufferPointer { try JSONParser.parse($0) } }
    }

    @Test("agrees with Foundation's JSONSerialization on accepted documents", arguments: [
        #"{"type":"ProbeResultRecorded","data":{"latencyMs":3.25,"ok":true,"n":null,"list":[1,2,{"x":"y"}]}}"#,
        #"{"unicode":"\u00e9\u4e2d\ud83d\ude00","escaped":"line\nbreak \"quoted\""}"#,
        #"[0.1, -1e-7, 123456789012, 1.5E+10]"#,
    ])
    func agreesWithFoundation(text: String) throws {
        let ours = try JSONParser.parse(text)
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(Self.foundationValue(ours) == theirs as? NSObject)
    }

    /// Our value as the Foundation objects JSONSerialization would return, for comparison.
    static func foundationValue(_ value: JSONValue) -> NSObject {
        switch value {
        case .null: NSNull()
        case .bool(let flag): NSNumber(value: flag)
        case .int(let number): NSNumber(value: number)
        case .double(let number): NSNumber(value: number)
        case .string(let text): NSString(string: text)
        case .array(let elements): NSArray(array: elements.map(foundationValue))
        case .object(let members):
            NSDictionary(dictionary: Dictionary(uniqueKeysWithValues: members.map { ($0.key, foundationValue($0.value)) }))
        }
    }
}

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("writes compact JSON with keys sorted, the canonical form of event data")
    func canonical() throws {
        var writer = JSONWriter()
        writer.write(try JSONParser.parse(#"{ "b" : 1, "a" : { "d" : [true, null], "c" : 2.5 } }"#))
        #expect(writer.text == #"{"a":{"c":2.5,"d":[true,null]},"b":1}"#)
    }

    @Test("escapes what JSON requires and reads back to the same string")
    func escaping() throws {
        let original = "quote \" backslash \\ newline \n tab \t bell \u{07} é \u{1F600} slash /"
        var writer = JSONWriter()
        writer.writeString(original)
        #expect(writer.text.contains(#"\u0007"#))
        #expect(try JSONParser.parse(writer.text) == .string(original))
    }

    @Test("an object written in a declared key order is byte for byte the sorted one, also with repeated, nested and undeclared keys")
    func declaredKeyOrder() throws {
        // Declared out of order: the writer's order is the canonical one, not the declaration's.
        let type = EventDeclaration("Test", code: 999, summary: "A test type.", fields: ["é", "bb", "c", "a", "b"], stream: StreamKind("test", fields: ["a"]),
                                    sample: "{}", decode: { _ throws(InputError) -> any EventData in fatalError("not decoded") })
        for text in [#"{"c":1,"a":2,"bb":3,"b":4}"#, #"{"é":{"z":1,"y":[{"q":1,"p":2}]},"a":-7}"#,
                     #"{"d":1,"a":2}"#, #"{}"#, #"{"ab":1,"a":2,"c":3}"#] {
            guard case .object(let members) = try JSONParser.parse(text) else { Issue.record("not an object"); continue }
            var sorted = JSONWriter(), declared = JSONWriter()
            sorted.write(.object(members))
            declared.writeObject(members, fieldsOf: type)
            #expect(declared.text == sorted.text, "\(text)")
        }
        // The parser refuses repeated keys; the writer still keeps their order, as the stable sort does.
        var writer = JSONWriter()
        writer.writeObject([JSONMember(key: "b", value: .int(-9_223_372_036_854_775_808)), JSONMember(key: "a", value: .int(0)),
                            JSONMember(key: "b", value: .int(12))], fieldsOf: type)
        #expect(writer.text == #"{"a":0,"b":-9223372036854775808,"b":12}"#)
    }

    @Test("every event type's sample, its members reversed, is written in its declared order as it is sorted")
    func canonicalFieldOrder() throws {
        for declaration in Fleet.schema.catalog.declarations {
            guard case .object(let members) = try JSONParser.parse(declaration.sample) else { Issue.record("\(declaration)"); continue }
            var sorted = JSONWriter(), declared = JSONWriter()
            sorted.write(.object(members.reversed()))
            declared.writeObject(members.reversed(), fieldsOf: declaration)
            #expect(declared.text == sorted.text, "\(declaration)")
        }
    }
}
