@testable import FleetLedgerCLI
import FleetEvents
import FleetStore
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

    @Test("a date outside the range a time can hold says so, not that a T is missing")
    func dateOutOfRange() {
        let result = fleetledger("hosts", "--as-of", "1600-01-01", "--db", "/nonexistent/x.sqlite")
        #expect(result.exitCode == 64 && result.stderr.contains(#""1600-01-01" is not a date: the year 1600 is outside the range 1678 to 2261"#))
    }

    @Test("a wrong length of time says why: no unit, none at all, negative, or not one", arguments: [
        ("10", #""10" has no unit: give 10s, 10m, 10h or 10d."#),
        ("0s", #""0s" is no length; a length of time is at least 1 second"#),
        ("-5m", #""-5m" is negative; a length of time is at least 1 second"#),
        ("5x", #""5x" is not a length of time"#),
    ])
    func durations(text: String, reason: String) throws {
        for command in [["hosts", "--stale-after", text], ["report", "availability", "--pool", "p", "--since", "-1h", "--until", "now", "--stale-after", text],
                        ["drain", "on", "--pool", "p", "--host", "h", "--max-clock-skew", text]] {
            let result = fleetledger(command + ["--db", "/nonexistent/x.sqlite"])
            #expect(result.exitCode == 64 && result.stderr.contains(reason), "\(command): \(result.stderr)")
        }
        #expect(try CommandLineDuration.parse("1h30m") == TimeSpan(seconds: 5_400))
    }

    @Test("now on the command line is read to the whole second, so -2h to now is two hours exactly; pinned, it is as given")
    func wholeSeconds() throws {
        #expect(try Clock.nowToTheSecond(environment: [:]).nanoseconds % 1_000_000_000 == 0)
        #expect(try Clock.nowToTheSecond(environment: ["FLEETLEDGER_NOW": "2024-04-15T03:10:00.750Z"]) == Timestamp(rfc3339: "2024-04-15T03:10:00Z"))
    }
}
