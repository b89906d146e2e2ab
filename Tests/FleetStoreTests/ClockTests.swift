@testable import FleetStore
import FleetEvents
import Testing

@Suite("Clock")
struct ClockTests {
    @Test("$FLEETLEDGER_NOW pins now; unset or empty, the wall clock; anything else is refused saying why")
    func pinned() throws {
        #expect(try Clock.now(environment: ["FLEETLEDGER_NOW": "2024-04-15T03:10:00Z"]) == Timestamp(rfc3339: "2024-04-15T03:10:00Z"))
        let wall = try Clock.now(environment: [:])
        #expect(wall > Timestamp(rfc3339: "2026-01-01T00:00:00Z")!)
        #expect(try Clock.now(environment: ["FLEETLEDGER_NOW": ""]) >= wall)
        #expect(throws: StoreError("$FLEETLEDGER_NOW is \"2024-04-15\", which is not an RFC 3339 time: expected 'T' between the date and the time.")) {
            try Clock.now(environment: ["FLEETLEDGER_NOW": "2024-04-15"])
        }
    }
}
