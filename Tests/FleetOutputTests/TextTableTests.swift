@testable import FleetOutput
import Testing

@Suite("Tables fit the terminal")
struct TextTableTests {
    func table() -> TextTable {
        var table = TextTable(headers: ["HOST", "STATE", "REASON"], wrapping: ["REASON"])
        table.append(["sh-1", "Down", "The backend instance is not responding to the health probe within the timeout"])
        table.append(["sh-22", "Up", ""])
        return table
    }

    @Test("without a width, every row is one line; no line ends in spaces")
    func unlimited() {
        let lines = table().rendered(width: nil).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 4)
        #expect(lines[0] == "HOST   STATE  REASON")
        #expect(lines[3] == "sh-22  Up", "an empty last cell leaves no padding behind")
        #expect(lines.allSatisfy { $0.last != " " })
    }

    @Test("within a width, the long text column wraps at spaces and every line fits; nothing is lost")
    func wraps() {
        let text = table().rendered(width: 40)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 40 }, "\(lines)")
        #expect(lines.allSatisfy { $0.last != " " })
        #expect(lines[2] == "sh-1   Down   The backend instance is")
        #expect(lines[3] == "              not responding to the")
        let reason = lines.dropFirst(2).prefix(while: { !$0.hasPrefix("sh-22") }).map { $0.dropFirst(14) }.joined(separator: " ")
        #expect(reason == "The backend instance is not responding to the health probe within the timeout")
    }

    @Test("text that starts indented keeps its indent on every wrapped line")
    func indent() {
        #expect(TextTable.wrap("  * status Available -> Down", width: 16) == ["  * status", "  Available ->", "  Down"])
    }

    @Test("a column that may not wrap keeps its width; a wrapping one stops at its longest word, between 12 and 24, so a narrow terminal gets a wider table")
    func floors() {
        var table = TextTable(headers: ["A", "B"], wrapping: ["B"])
        table.append(["2024-04-15T03:00:00Z", String(repeating: "x", count: 50)])
        let lines = table.rendered(width: 10).split(separator: "\n")
        #expect(lines[2] == "2024-04-15T03:00:00Z  " + String(repeating: "x", count: 24))
        #expect(lines.count == 2 + 3, "a word longer than the widest floor is cut across lines")
        var words = TextTable(headers: ["A", "B"], wrapping: ["B"])
        words.append(["a", "drain mode is on (allowNewSession is false)"])
        #expect(words.rendered(width: 10).split(separator: "\n").dropFirst(2) == ["a  drain mode is on", "   (allowNewSession", "   is false)"])
        var short = TextTable(headers: ["A", "B"], wrapping: ["B"])
        short.append(["a", "one two three four five six"])
        #expect(short.rendered(width: 10).split(separator: "\n").dropFirst(2).first == "a  one two", "12 wide at the least")
    }

    @Test("headers are spelled in words, one way everywhere", arguments: [
        ("hostPool", "HOST POOL"), ("sessionHost", "SESSION HOST"), ("loadBalancer", "LOAD BALANCER"),
        ("scaleSet", "SCALE SET"), ("instanceId", "INSTANCE"), ("NeedsAssistance", "NEEDS ASSISTANCE"), ("rule", "RULE"),
    ])
    func headers(field: String, header: String) {
        #expect(TextTable.header(forField: field) == header)
    }
}
