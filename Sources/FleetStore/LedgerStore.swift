import FleetEvents
import FleetProjection

/// A FleetLedger store, whichever engine keeps it: the one seam between the engines (`EventStore`
/// on an SQLite file, `PostgresStore` on a PostgreSQL server) and everything above them.
///
/// Both keep the same contract: a gap-free global `seq` in commit order, per-stream versions,
/// producers' ids idempotent over all history, expected versions, one hash chain over the log,
/// read models kept by the same projectors, and answers as of any time from the same fold. The
/// domains' reports, the commands and the server are written against this protocol alone.
package protocol LedgerStore: AnyObject {
    /// The event types the store accepts and the projectors it keeps.
    var schema: StoreSchema { get }
    /// Where the store is, as a person would name it: a file's path, or a server's URL without its password.
    var location: String { get }
    /// What the store is kept in, for messages: "SQLite" or "PostgreSQL".
    var engineName: String { get }

    /// Appends NDJSON events from `sources`, in order, all in one transaction or one every
    /// `options.commitEvery` lines; a bad line rolls the open transaction back and is named.
    @discardableResult
    func append(from sources: [InputSource], options: AppendOptions) throws -> AppendSummary

    /// The number of events in the log.
    func eventCount() throws -> Int
    /// The position of the last event, 0 for an empty log.
    func lastSeq() throws -> Int64
    /// The stored events `query` selects, in log order.
    func events(matching query: EventQuery, _ body: (StoredEvent) throws -> Void) throws
    /// The read models now (`asOf` nil) or as of a time, limited to `reading` and the projectors
    /// their folds read (nil: all).
    func projections(asOf: Timestamp?, reading: [AnyProjector]?) throws -> ProjectionReader
    /// Folds the events of the selected streams in log order through a fresh pass over `reading`,
    /// calling `each` after every event with the states just after it.
    func replay(
        _ selection: StreamSelection, reading: [AnyProjector], notAfter: Timestamp?,
        each: (ProjectedEvent, ProjectionReader) throws -> Void
    ) throws
    /// The `at` of the newest event in the log (nil for an empty log).
    func newestEventTime() throws -> Timestamp?
    /// The `at` of the newest event of each stream at or before `notAfter` (nil: the newest of all).
    func newestEventTimes(of keys: [StreamKey], notAfter: Timestamp?) throws -> [StreamKey: Timestamp]
    /// The `at` of the newest event of each stream kind (a key's first segment).
    func newestEventTimeByStreamKind() throws -> [String: Timestamp]
    /// Events, streams and entities by kind, times and size: `stats`.
    func statistics() throws -> StoreStatistics
    /// The store's size on disk in bytes.
    func sizeInBytes() throws -> Int64

    /// Checks the log's order, versions, ids and hash chain, and every read model against a replay.
    func verifyLog(expectedHead: (seq: Int64, hash: String)?) throws -> VerificationReport
    /// Drops every read model and folds the whole log again, in one transaction.
    @discardableResult
    func rebuild() throws -> RebuildSummary
    /// Writes a consistent copy of the store to `path` (an SQLite file), or says why it cannot.
    func backup(to path: String) throws -> BackupSummary

    /// Runs `body` on one snapshot of the store: every read inside sees the same committed batches.
    func withSnapshot<T>(_ body: () throws -> T) throws -> T
}

extension LedgerStore {
    /// Runs `body` on one snapshot of the store, handing it the store.
    package func snapshot<T>(_ body: (Self) throws -> T) throws -> T {
        try withSnapshot { try body(self) }
    }

    /// The read models now or as of a time, every projector.
    package func projections(asOf: Timestamp?) throws -> ProjectionReader {
        try projections(asOf: asOf, reading: nil)
    }

    @discardableResult
    package func append(from sources: [InputSource]) throws -> AppendSummary {
        try append(from: sources, options: AppendOptions())
    }

    package func verifyLog() throws -> VerificationReport {
        try verifyLog(expectedHead: nil)
    }
}

/// The store's server cannot be reached now (down, restarting, the connection lost, another
/// writer's batch held too long): worth trying again later, unlike a refusal.
public struct StoreUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
