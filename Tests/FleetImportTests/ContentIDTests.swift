import FleetEvents
import FleetImport
import Foundation
import Testing

/// Event ids are made from content and time: a change to how they are made would append every
/// event already imported a second time, so the recipe is pinned here.
@Suite("Content ids of imported events")
struct ContentIDTests {
    @Test("Azure's published SessionHost example at --at 2026-01-10T10:00:00Z gives the same ids, release after release")
    func pinned() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../FleetLedgerCLITests/Fixtures/azure/sessionhost-get.json")
        var request = ImportRequest()
        request.at = Timestamp(rfc3339: "2026-01-10T10:00:00Z")
        let events = try AzureImport.events(from: try JSONParser.parse(String(contentsOf: file, encoding: .utf8)), request)
        #expect(events.map(\.id) == [
            "e8822b36-9b3d-8c57-857d-c64799d09118",  // SessionHostObserved: status Available, at its statusTimestamp
            "49192180-4b65-8d55-9e6a-872e525f2ae5",  // HealthCheckCompleted: DomainJoinedCheck, at its lastHealthCheckDateTime
            "97ddbabe-9cb3-8335-940f-cb6c1f334d9c",  // SessionHostObserved: allowNewSession and the resource id, at --at
        ])
    }
}
