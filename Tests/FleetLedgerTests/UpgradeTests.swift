@testable import FleetLedger
@testable import FleetStore
import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

@Suite("Opening a store written by an earlier release")
struct UpgradeTests {
    /// `Fixtures/store-written-by-0.1.0.sqlite` was written by release 0.1.0 (migrations 1 and 2,
    /// per-stream read models): its demo plus a drain, with the hosts it listed as CSV beside it.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test("it opens, migrates, rebuilds its read models from the log, and answers as that release did")
    func upgrade() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("store.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("store-written-by-0.1.0.sqlite").path, toPath: path)
        let before = try Database(path: path)
        #expect(try before.scalarInt64("SELECT max(version) FROM schema_migrations") == 2)
        #expect(try before.scalarInt64("SELECT count(*) FROM projections") ?? 0 > 0)

        let store = try EventStore(path: path)
        #expect(try store.database.scalarInt64("SELECT max(version) FROM schema_migrations") == Int64(Migration.embedded.count))
        #expect(try store.database.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name IN ('projections', 'projection_snapshots')") == 0)
        #expect(try store.database.scalarInt64("SELECT count(*) FROM entity_states") ?? 0 > 0)
        #expect(try store.checkpoint(of: "session-hosts") == 101)

        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("store-written-by-0.1.0.hosts.csv"), encoding: .utf8)
        #expect(try store.hostsReport(pool: nil, status: nil, asOf: nil, format: .csv) == expected)
        let report = try store.verifyLog()
        #expect(report.problems == [])
        #expect(report.headSeq == 101)
        #expect(report.headHash == "7cd63f7649babcdad1f6fc71463db037693838640a41440b5e539b2d60157989", "the log itself is untouched")

        // New events chain on from the old rows' full hashes, in the compact form (migration 0008).
        try store.append(from: [.bytes(name: "more", Array(heartbeat(second: 9).utf8))])
        #expect(try store.database.scalarInt64("SELECT length(hash) * 1000 + recorded_at FROM events WHERE seq = 102") == 8_000)
        #expect(try store.database.scalarInt64("SELECT length(hash) FROM events WHERE seq = 101") == 32)
        let after = try store.verifyLog()
        #expect(after.problems == [] && after.headSeq == 102)
        #expect(try store.allEvents(matching: EventQuery(afterSeq: 100)).map { $0.recordedAt.nanoseconds > 0 } == [true, true])
    }
}
