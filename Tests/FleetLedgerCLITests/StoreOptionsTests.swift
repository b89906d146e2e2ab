@testable import FleetLedgerCLI
import Testing

@Suite("Store options")
struct StoreOptionsTests {
    @Test("--db wins over $FLEETLEDGER_DB, which wins over ./fleetledger.sqlite")
    func storePath() {
        #expect(StoreOptions.storePath(db: "a.sqlite", environment: ["FLEETLEDGER_DB": "b.sqlite"]) == "a.sqlite")
        #expect(StoreOptions.storePath(db: nil, environment: ["FLEETLEDGER_DB": "b.sqlite"]) == "b.sqlite")
        #expect(StoreOptions.storePath(db: nil, environment: ["FLEETLEDGER_DB": ""]) == "fleetledger.sqlite")
        #expect(StoreOptions.storePath(db: nil, environment: [:]) == "fleetledger.sqlite")
    }
}
