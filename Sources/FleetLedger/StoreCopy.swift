import FleetEvents
import FleetStore

/// What `copy` did.
package struct CopySummary: Sendable {
    package var events = 0
    package var batches = 0
    package var headSeq: Int64 = 0
    package var headHash = ""
}

extension LedgerStore {
    /// Copies every event of this store, in order, into `target`, which must hold none: one batch
    /// for each recording time of the source, given that time, so the copy holds the same
    /// positions, versions and hash chain (its `verify --expect-head` with this store's head
    /// passes), and its read models are folded by its own engine as the events land.
    ///
    /// The source is read in one snapshot; the copy commits batch by batch, so a copy stopped
    /// halfway is a shorter, valid store (copy again into an empty one).
    package func copy(to target: any LedgerStore, progress: ((Int) -> Void)? = nil) throws -> CopySummary {
        let existing = try target.eventCount()
        guard existing == 0 else {
            throw StoreError("the target store \(target.location) already holds \(existing) events; copy fills an empty store only.")
        }
        var summary = CopySummary()
        var lines: [UInt8] = [], recordedAt: Timestamp?, last: StoredEvent?
        func flush() throws {
            guard let time = recordedAt, !lines.isEmpty else { return }
            var options = AppendOptions()
            options.recordedAt = time
            let appended = try target.append(from: [.bytes(name: "the source's batch recorded at \(time.rfc3339)", lines)], options: options)
            summary.events += appended.appended
            summary.batches += 1
            lines.removeAll(keepingCapacity: true)
            progress?(summary.events)
        }
        try withSnapshot {
            try events(matching: EventQuery()) { event in
                last = event
                if event.recordedAt != recordedAt { try flush() }
                recordedAt = event.recordedAt
                var writer = JSONWriter()
                writer.write(.object([
                    JSONMember(key: "type", value: .string(event.type)),
                    JSONMember(key: "at", value: .string(event.at.rfc3339)),
                ] + (event.id.map { [JSONMember(key: "id", value: .string($0))] } ?? [])))
                lines += writer.bytes.dropLast()
                lines += Array(#","data":"#.utf8) + Array(event.data.utf8) + Array("}\n".utf8)
            }
            try flush()
        }
        let report = try target.verifyLog(expectedHead: nil)
        summary.headSeq = report.headSeq
        summary.headHash = report.headHash
        guard report.isValid else { throw StoreError("the copy in \(target.location) does not verify: \(report.problems[0])") }
        // The source's last event keeps its hash (or, on SQLite, the hash's first bytes): the copy's head must be it.
        if let last, report.headSeq != last.seq || !report.headHash.hasPrefix(last.hash.hexString) {
            throw StoreError("the copy in \(target.location) ends at \(report.headSeq):\(report.headHash), not at the source's last event "
                + "(seq \(last.seq), hash \(last.hash.hexString)...): the copy differs from the source.")
        }
        return summary
    }
}
