import FleetTestSupport
import Foundation
import Testing

/// `append` reading a terminal: it says how to end the input, and Ctrl-C stops it without
/// appending. The terminal is a pseudo-terminal made by util-linux's `script`.
@Suite("append from a terminal")
struct TerminalInputTests {
    let directory = TemporaryDirectory()

    @Test("says that Ctrl-D ends the input; Ctrl-C while it waits exits 130 and appends nothing")
    func terminal() throws {
        let db = directory.path("store.sqlite")
        let heartbeat = #"{"type":"AgentHeartbeatReceived","at":"2024-04-15T03:00:00Z","data":{"hostPool":"hp","sessionHost":"sh-1"}}"#
        // A line typed, then Ctrl-C (byte 3, which the terminal turns into SIGINT).
        let interrupted = try FleetLedgerProcess.run([], shell: """
            (sleep 1; printf '%s\\n' '\(heartbeat)'; sleep 1; printf '\\003') \
              | timeout 20 script -qec "\\"$FLEETLEDGER\\" append --db '\(db)'; echo exit=\\$?" /dev/null
            """)
        #expect(interrupted.stdout.contains("reading NDJSON events from the terminal, one per line: Ctrl-D appends them, Ctrl-C stops without appending."))
        #expect(interrupted.stdout.contains("exit=130"))
        #expect(fleetledger("stats", "--db", db).stdout.hasPrefix("events: 0\n"))
        // The same line, then the end of the input.
        let ended = try FleetLedgerProcess.run([], shell: """
            printf '%s\\n' '\(heartbeat)' | timeout 20 script -qec "\\"$FLEETLEDGER\\" append --db '\(db)'" /dev/null
            """)
        #expect(ended.stdout.contains("appended 1 event"))
    }
}
