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
        // A line typed, then Ctrl-C (byte 3, which the terminal turns into SIGINT), once the prompt
        // shows that the command is reading; the session is copied to a file as it goes (-f).
        let session = directory.path("session.txt")
        let interrupted = try FleetLedgerProcess.run([], shell: """
            (for i in $(seq 1 300); do grep -q 'reading NDJSON' '\(session)' 2>/dev/null && break; sleep 0.1; done; \
             printf '%s\\n' '\(heartbeat)'; sleep 0.5; printf '\\003') \
              | timeout 60 script -qfec "\\"$FLEETLEDGER\\" append --db '\(db)'; echo exit=\\$?" '\(session)' > /dev/null
            cat '\(session)'
            """)
        #expect(interrupted.stdout.contains("reading NDJSON events from the terminal, one per line: Ctrl-D appends them, Ctrl-C stops without appending."))
        // The shell `script` runs the command in may take the SIGINT too: its own record of the exit counts.
        #expect(interrupted.stdout.contains("exit=130") || interrupted.stdout.contains(#"COMMAND_EXIT_CODE="130""#))
        #expect(fleetledger("stats", "--db", db).stdout.hasPrefix("events: 0\n"))
        // The same line, then the end of the input.
        let ended = try FleetLedgerProcess.run([], shell: """
            printf '%s\\n' '\(heartbeat)' | timeout 20 script -qec "\\"$FLEETLEDGER\\" append --db '\(db)'" /dev/null
            """)
        #expect(ended.stdout.contains("appended 1 event"))
    }
}
