import FleetEvents
import FleetSQLite
import Foundation

/// What `backup` wrote.
public struct BackupSummary: Sendable, Equatable {
    public var events: Int
    public var headSeq: Int64
    public var headHash: String
    public var bytes: Int64
}

extension EventStore {
    /// Writes a consistent copy of the store to `path`, a new file, while other processes keep
    /// appending: SQLite's `VACUUM INTO` copies one read snapshot (every committed batch up to its
    /// start, none after), compacted, with its read models.
    public func backup(to path: String) throws -> BackupSummary {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError("\(path) already exists; a backup is written to a new file, so choose another path or remove it.")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw StoreError("cannot write the backup \(path): its folder \(folder) does not exist; create it first or choose another path.")
        }
        // VACUUM INTO reads one snapshot by itself (it may not run inside a transaction); what the
        // copy holds is then read from the copy.
        let vacuum = try database.makeStatement("VACUUM INTO ?")
        try vacuum.bind(path, at: 1)
        try vacuum.run()
        let copy = try Database(path: path, readOnly: true)
        let events = Int(try copy.scalarInt64("SELECT count(*) FROM events") ?? 0)
        let head = try CommitRecords.chainHead(in: copy)
        let (seq, hash) = (head?.seq ?? 0, (head?.hash ?? StoredEvent.genesisHash).hexString)
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        return BackupSummary(events: events, headSeq: seq, headHash: hash, bytes: bytes)
    }
}
