@testable import FleetStore
import FleetEvents
import Testing

@Suite("Clock")
struct ClockTests {
    @Test("$FLEETLEDGER_NOW pins now; unset or empty, the wall clock; anything else is refused saying why")
    func pinned() throws {
        #expect(try Clock.now(environment: ["FLEETLEDGER_NOW": "2024-04-15T03:10:00Z"]) == Timestamp(rfc3339: "2024-04-15T03:10:00Z"))
        let unpinned = try Clock.now(environment: [:])
        #expect(abs(unpinned.nanoseconds(since: Clock.wall())) < 5_000_000_000)
        #expect(try Clock.now(environment: ["FLEETLEDGER_NOW": ""]) >= unpinned)
        #expect(throws: StoreError("$FLEETLEDGER_NOW is \"2024-04-15\", which is not an RFC 3339 time: expected 'T' between the date and the time.")) {
            try Clock.now(environment: ["FLEETLEDGER_NOW": "2024-04-15"])
        }
    }
}
