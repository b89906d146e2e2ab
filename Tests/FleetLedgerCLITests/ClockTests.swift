import FleetTestSupport
import Foundation
import Testing

/// "Now" is the clock, or `$FLEETLEDGER_NOW`: the questions about now (staleness) measure from it,
/// and an event from further in the future than `--max-clock-skew` is refused at append, since a
/// stream refuses every event older than its last. The rules themselves use `at` alone.
@Suite("Now: the clock-skew check at append, and staleness measured from now")
struct ClockTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    /// Runs the real binary with `$FLEETLEDGER_NOW` set, since the variable is the process's.
    func run(now: String, _ arguments: [String]) throws -> (exitCode: Int32, stdout: String, stderr: String) {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        return try FleetLedgerProcess.run([], shell: "FLEETLEDGER_NOW='\(now)' \"$FLEETLEDGER\" \(quoted)")
    }

    @Test("a drain from the far future is refused with one sentence, and appends nothing")
    func futureDrain() throws {
        _ = fleetledger("demo", "--db", db)
        let before = fleetledger("events", "--db", db).stdout
        let result = fleetledger("drain", "on", "--pool", "hp-finance", "--host", "sh-finance-0", "--at", "2099-12-07T10:00:00Z", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix(#"Error: drain on: --at is 2099-12-07T10:00:00Z, more than 5m ahead of now ("#))
        #expect(result.stderr.contains("(fix the producer's clock, or allow more with --max-clock-skew); nothing was appended."))
        #expect(fleetledger("events", "--db", db).stdout == before)
        // A later real event of the host is still accepted.
        #expect(fleetledger("drain", "on", "--pool", "hp-finance", "--host", "sh-finance-0", "--db", db).exitCode == 0)
    }

    @Test("the limit is measured from $FLEETLEDGER_NOW and set by --max-clock-skew")
    func skewFromPinnedNow() throws {
        let line = { (at: String) in
            #"{"type":"AgentHeartbeatReceived","at":"\#(at)","data":{"hostPool":"hp","sessionHost":"sh-1"}}"#
        }
        let early = directory.write("early.ndjson", line("2024-04-15T04:04:59Z"))
        let late = directory.write("late.ndjson", line("2024-04-15T04:10:00Z"))
        #expect(try run(now: "2024-04-15T04:00:00Z", ["append", early, "--db", db]).exitCode == 0)
        let refused = try run(now: "2024-04-15T04:00:00Z", ["append", late, "--db", db])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("late.ndjson line 1: field \"at\" is 2024-04-15T04:10:00Z, more than 5m ahead of now (2024-04-15T04:00:00Z)"))
        // What the store records of itself keeps the real clock: the batch's recordedAt is not the pinned time.
        #expect(!fleetledger("events", "--db", db).stdout.contains(#""recordedAt":"2024-04-15T04:00:00"#))
        #expect(try run(now: "2024-04-15T04:00:00Z", ["append", late, "--max-clock-skew", "15m", "--db", db]).exitCode == 0)
        let wrong = try run(now: "yesterday", ["append", late, "--db", db])
        #expect(wrong.exitCode == 1)
        #expect(wrong.stderr.hasPrefix("Error: $FLEETLEDGER_NOW is \"yesterday\", which is not an RFC 3339 time:"))
    }

    @Test("drain without --at is dated now to the millisecond, so an event earlier in the same second does not refuse it; a refusal names now, not --at")
    func drainAtNow() throws {
        let events = directory.write("host.ndjson", """
            {"type":"SessionHostRegistered","at":"2024-04-15T04:00:00Z","data":{"hostPool":"hp","sessionHost":"sh-1"}}
            {"type":"AgentHeartbeatReceived","at":"2024-04-15T04:00:05.400Z","data":{"hostPool":"hp","sessionHost":"sh-1"}}
            """)
        #expect(try run(now: "2024-04-15T04:00:05.900Z", ["append", events, "--db", db]).exitCode == 0)
        #expect(try run(now: "2024-04-15T04:00:05.900Z", ["drain", "on", "--pool", "hp", "--host", "sh-1", "--db", db]).exitCode == 0)
        let refused = try run(now: "2024-04-15T04:00:01Z", ["drain", "off", "--pool", "hp", "--host", "sh-1", "--db", db])
        #expect(refused.exitCode == 1 && refused.stderr.hasPrefix("Error: drain off: the time, now, is 2024-04-15T04:00:01Z, which is older than"))
    }

    @Test("staleness is measured from now, so a feed that died reads as stale; with --as-of, from that time")
    func stalenessFromNow() throws {
        _ = fleetledger("demo", "--db", db)
        let later = try run(now: "2030-01-01T00:00:00Z", ["hosts", "--pool", "hp-finance", "--stale-after", "15m", "--format", "csv", "--db", db])
        let rows = later.stdout.split(separator: "\r\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.hasSuffix(",true") })
        let table = try run(now: "2030-01-01T00:00:00Z", ["hosts", "--pool", "hp-finance", "--stale-after", "15m", "--db", db])
        #expect(table.stdout.hasPrefix("stale: no event for more than 15m before 2030-01-01T00:00:00Z (now)\n"))
        let asOf = fleetledger("hosts", "--pool", "hp-finance", "--stale-after", "1000d", "--as-of", "2024-04-15T04:00:00Z", "--db", db)
        #expect(asOf.stdout.hasPrefix("stale: no event for more than 1000d before 2024-04-15T04:00:00Z (--as-of)\n"))
    }
}
