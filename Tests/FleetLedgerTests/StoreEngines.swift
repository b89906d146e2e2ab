@testable import FleetLedger
@testable import FleetStore
import FleetTestSupport
import Testing

/// The engines a store contract test runs on: SQLite always, PostgreSQL when its binaries are
/// here (a throwaway cluster; `PostgresCluster` says when it is skipped, and CI requires it).
enum StoreEngine: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    static var underTest: [StoreEngine] { PostgresCluster.isAvailable ? allCases : [.sqlite] }

    var testDescription: String { rawValue }

    /// A new, empty store on this engine.
    func makeStore(schema: StoreSchema = Fleet.schema) throws -> EngineStore { try EngineStore(self, schema: schema) }
}

/// A store for one test on one engine, and what keeps it alive: its folder or its database.
final class EngineStore {
    let engine: StoreEngine
    /// What `--db` takes to reach the store.
    let db: String
    let store: any LedgerStore
    private let directory: TemporaryDirectory?

    init(_ engine: StoreEngine, schema: StoreSchema) throws {
        self.engine = engine
        switch engine {
        case .sqlite:
            let directory = TemporaryDirectory()
            self.directory = directory
            db = directory.path("store.sqlite")
            store = try EventStore(path: db, schema: schema)
        case .postgres:
            directory = nil
            db = try PostgresCluster.require().createDatabase()
            store = try PostgresStore(address: PostgresAddress(url: db), schema: schema)
        }
    }

    /// Opens the same store again, as another process would.
    func reopen(schema: StoreSchema = Fleet.schema) throws -> any LedgerStore {
        switch engine {
        case .sqlite: try EventStore(path: db, schema: schema)
        case .postgres: try PostgresStore(address: PostgresAddress(url: db), schema: schema)
        }
    }

    /// Appends `lines` as one input named "input.ndjson".
    @discardableResult
    func append(_ lines: [String], commitEvery: Int? = nil, skippingOlder: Bool = false, rollsBack: Bool = false) throws -> AppendSummary {
        var options = AppendOptions(commitEvery: commitEvery)
        options.skipsOlderThanStream = skippingOlder
        options.rollsBack = rollsBack
        return try store.append(from: [.bytes(name: "input.ndjson", Array(lines.joined(separator: "\n").utf8))], options: options)
    }

    /// Every stored event, in log order.
    func events(_ query: EventQuery = EventQuery()) throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        try store.events(matching: query) { events.append($0) }
        return events
    }
}
