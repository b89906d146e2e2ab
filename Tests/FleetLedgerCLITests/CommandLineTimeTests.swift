@testable import FleetLedgerCLI
import FleetEvents
import Testing

@Suite("Times on the command line")
struct CommandLineTimeTests {
    static let now = Timestamp(rfc3339: "2024-04-15T03:10:00Z")!

    func parse(_ text: String) throws -> Timestamp { try CommandLineTime.parse(text) { Self.now } }

    @Test("RFC 3339, now, a date at midnight UTC, and a time ago from now")
    func forms() throws {
        #expect(try parse("2024-04-15T05:00:00+02:00") == Timestamp(rfc3339: "2024-04-15T03:00:00Z"))
        #expect(try parse("now") == Self.now)
        #expect(try parse("2024-04-15") == Timestamp(rfc3339: "2024-04-15T00:00:00Z"))
        #expect(try parse("-15m") == Timestamp(rfc3339: "2024-04-15T02:55:00Z"))
        #expect(try parse("-2h") == Timestamp(rfc3339: "2024-04-15T01:10:00Z"))
        #expect(try parse("-7d") == Timestamp(rfc3339: "2024-04-08T03:10:00Z"))
    }

    @Test("a wrong time says why, and what forms there are")
    func wrong() {
        #expect(String(describing: #expect(throws: (any Error).self) { try parse("2024-04-15T03:10:00") }!)
            .contains("is not a time:"))
        let message = fleetledger("hosts", "--as-of", "2024-04-15T03:10:00", "--db", "/nonexistent/x.sqlite").stderr
        #expect(message.contains("--as-of"))
        #expect(message.contains("give RFC 3339 (2024-04-15T03:10:00Z), a date (2024-04-15, midnight UTC), now, or a time ago (-15m, -2h, -7d)"))
        let ago = fleetledger("hosts", "--as-of", "-15x", "--db", "/nonexistent/x.sqlite")
        #expect(ago.exitCode == 64 && ago.stderr.contains("is not a time ago"))
    }
}
