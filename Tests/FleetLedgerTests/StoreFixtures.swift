@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import FleetTestSupport

/// A store in a fresh directory, for one test.
struct StoreFixture {
    let directory = TemporaryDirectory()
    let store: EventStore
    var path: String { directory.path("store.sqlite") }

    init() throws {
        store = try EventStore(path: directory.path("store.sqlite"))
    }

    /// A store with its own projectors, and checkpoints and log segments every few events.
    init(schema: StoreSchema, checkpointInterval: Int64, segmentSize: Int64) throws {
        store = try EventStore(path: directory.path("store.sqlite"), schema: schema)
        store.layout = ReadModelLayout(checkpointInterval: checkpointInterval, segmentSize: segmentSize)
    }

    /// Appends `lines` as one input named "input.ndjson".
    @discardableResult
    func append(_ lines: [String], commitEvery: Int? = nil) throws -> AppendSummary {
        try store.append(
            from: [.bytes(name: "input.ndjson", Array(lines.joined(separator: "\n").utf8))],
            options: AppendOptions(commitEvery: commitEvery))
    }
}

/// A heartbeat of session host `host` in pool "hp" at second `second` past 17:16.
func heartbeat(_ host: String = "sh-0", second: Int = 0, id: String? = nil, expectedVersion: Int? = nil) -> String {
    let at = "2024-04-15T17:16:\(second < 10 ? "0" : "")\(second)Z"
    return eventLine("AgentHeartbeatReceived", #""hostPool":"hp","sessionHost":"\#(host)""#, at: at, id: id, expectedVersion: expectedVersion)
}

/// A UUID whose last digits are `n`.
func uuid(_ n: Int) -> String {
    let digits = String(n)
    return "0b7c6f0e-2f55-4d3c-9a43-" + String(repeating: "0", count: 12 - digits.count) + digits
}
