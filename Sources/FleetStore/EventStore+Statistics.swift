import FleetEvents
import FleetSQLite
import Foundation

/// What a store holds, counted: `fleetledger stats`.
package struct StoreStatistics: Sendable, Equatable {
    package struct TypeCount: Sendable, Equatable {
        package var type: EventDeclaration
        package var events: Int
        package var first: Timestamp
        package var last: Timestamp

        package static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.type.code == rhs.type.code && lhs.events == rhs.events && lhs.first == rhs.first && lhs.last == rhs.last
        }
    }

    package var events: Int
    package var first: Timestamp?
    package var last: Timestamp?
    /// Per event type the log holds, in code order.
    package var types: [TypeCount]
    /// Streams by their key's first segment (`sessionhost`, `lb`).
    package var streamsByKind: [String: Int]
    /// Read-model entities by projector name.
    package var entitiesByProjector: [String: Int]
    /// The store file and its write-ahead log, in bytes.
    package var fileBytes: Int64
    package var walBytes: Int64
}

extension EventStore {
    package func statistics() throws -> StoreStatistics {
        var types: [StoreStatistics.TypeCount] = []
        let byType = try database.makeStatement("SELECT type, count(*), min(at), max(at) FROM events GROUP BY type ORDER BY type")
        while try byType.step() {
            guard let type = schema.catalog[code: byType.int64(0)] else { continue }
            types.append(.init(type: type, events: Int(byType.int64(1)), first: Timestamp(nanoseconds: byType.int64(2)),
                               last: Timestamp(nanoseconds: byType.int64(3))))
        }
        var streams: [String: Int] = [:]
        let byKind = try database.makeStatement(
            "SELECT substr(key, 1, instr(key, '/') - 1), count(*) FROM streams GROUP BY 1")
        while try byKind.step() { streams[byKind.text(0)] = Int(byKind.int64(1)) }
        var entities: [String: Int] = [:]
        let byProjector = try database.makeStatement("SELECT projector, count(*) FROM entity_states GROUP BY projector")
        while try byProjector.step() { entities[byProjector.text(0)] = Int(byProjector.int64(1)) }
        let pageSize = try database.scalarInt64("PRAGMA page_size") ?? 0
        let pages = try database.scalarInt64("PRAGMA page_count") ?? 0
        return StoreStatistics(
            events: types.reduce(0) { $0 + $1.events }, first: types.map(\.first).min(), last: types.map(\.last).max(),
            types: types, streamsByKind: streams, entitiesByProjector: entities, fileBytes: pageSize * pages,
            walBytes: Self.fileSize(database.path + "-wal"))
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

extension EventStore {
    /// The newest event's `at` per stream kind (the key's first segment): from the streams' heads,
    /// a few thousand rows, not the log.
    package func newestEventTimeByStreamKind() throws -> [String: Timestamp] {
        var times: [String: Timestamp] = [:]
        let byKind = try database.cachedStatement("SELECT substr(key, 1, instr(key, '/') - 1), max(last_at) FROM streams GROUP BY 1")
        defer { byKind.reset() }
        while try byKind.step() { times[byKind.text(0)] = Timestamp(nanoseconds: byKind.int64(1)) }
        return times
    }

    /// The SQLite file's bytes and its write-ahead log's.
    package func sizeInBytes() throws -> Int64 {
        let pageSize = try database.scalarInt64("PRAGMA page_size") ?? 0
        let pages = try database.scalarInt64("PRAGMA page_count") ?? 0
        return pageSize * pages + Self.fileSize(database.path + "-wal")
    }
}
