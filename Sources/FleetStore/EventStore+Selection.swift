import FleetEvents
import FleetProjection
import FleetSQLite

extension EventStore {
    /// Folds the events of the selected streams, in log order, through a fresh pass over
    /// `reading` (and the projectors their folds read), calling `each` after every event folded
    /// with the states just after it. Only events with `at` at or before `notAfter` when given.
    ///
    /// Histories and availability reports walk an entity's past this way: the same fold as the
    /// read models, over only the streams the entity depends on.
    package func replay(
        _ selection: StreamSelection, reading: [AnyProjector], notAfter: Timestamp?,
        each: (ProjectedEvent, ProjectionReader) throws -> Void
    ) throws {
        let pass = ProjectionPass(projectors: schema.projectors(reading: reading), source: nil)
        let streams = try storedStreams(in: selection)
        guard !streams.isEmpty, let chunks = try StreamIndex.chunks(in: self, notAfter: notAfter) else { return }
        let rows = try database.makeStatement(StreamIndex.eventsSQL(streamIDs: Array(streams.keys)))
        let keys = StreamKeyInterner()
        var locations: [Int] = []
        // Decoded here, not by a `ReplayPipeline` as the whole-log replays are: the tracker's work
        // after each event dominates these, and handing rows to a second thread made them slower
        // (Tools/Benchmark/HISTORY.md, item 10).
        for chunk in chunks {
            defer { rows.reset() }
            try rows.bind(chunk, at: 1)
            try rows.bind(notAfter?.nanoseconds ?? .max, at: 2)
            while try rows.step() {
                let seq = rows.int64(0), code = rows.int64(1)
                guard pass.folds(code: code), let type = schema.catalog[code: code], let stream = streams[rows.int64(4)] else { continue }
                let data = try rows.withBlob(3) {
                    try Self.decodePayload(seq: seq, type: type, stream: stream, bytes: $0, keys: keys, locations: &locations)
                }
                let event = ProjectedEvent(seq: seq, at: Timestamp(nanoseconds: rows.int64(2)), stream: stream.key, data: data, type: type)
                try pass.apply(event)
                try each(event, pass)
            }
        }
    }

    /// The ids and keys of the selected streams the log holds.
    private func storedStreams(in selection: StreamSelection) throws -> [Int64: StoredStream] {
        var found: [Int64: StoredStream] = [:]
        let exact = try database.cachedStatement("SELECT id FROM streams WHERE key = ?")
        for key in selection.keys {
            defer { exact.reset() }
            try exact.bind(key.rawValue, at: 1)
            if try exact.step() { found[exact.int64(0)] = StoredStream(key) }
        }
        let range = try database.cachedStatement("SELECT id, key FROM streams WHERE key >= ? AND key < ?")
        for keys in selection.ranges {
            defer { range.reset() }
            try range.bind(keys.prefix, at: 1)
            try range.bind(keys.upperBound, at: 2)
            while try range.step() { found[range.int64(0)] = StoredStream(StreamKey(rawValue: range.text(1))) }
        }
        return found
    }

    /// The `at` of the newest event in the log (nil for an empty log): where the log's data ends,
    /// for the reports that must not count time past it.
    package func newestEventTime() throws -> Timestamp? {
        // Each stream's head keeps its newest `at`: a few thousand rows, where `events` has millions
        // and no index on `at` (Tools/Benchmark/HISTORY.md, item 8).
        try database.scalarInt64("SELECT max(last_at) FROM streams").map(Timestamp.init(nanoseconds:))
    }
}

extension EventStore {
    /// The `at` of the newest event of each stream at or before `notAfter` (nil: the newest of
    /// all); streams with none are left out.
    package func newestEventTimes(of keys: [StreamKey], notAfter: Timestamp?) throws -> [StreamKey: Timestamp] {
        var times: [StreamKey: Timestamp] = [:]
        let head = try database.cachedStatement("SELECT id, last_at FROM streams WHERE key = ?")
        // `at` never goes backwards within a stream, so its newest event up to a time is in the last
        // chunk holding one of its events at or before that time, the last of them there.
        let latest = try database.cachedStatement(StreamIndex.latestAtSQL)
        let lastChunk = try StreamIndex.chunks(in: self, notAfter: notAfter)?.upperBound ?? -1
        for key in keys {
            defer { head.reset() }
            try head.bind(key.rawValue, at: 1)
            guard try head.step() else { continue }
            let stream = head.int64(0), newest = Timestamp(nanoseconds: head.int64(1))
            guard let notAfter, newest > notAfter else {
                times[key] = newest
                continue
            }
            for chunk in stride(from: lastChunk, through: 0, by: -1) {
                defer { latest.reset() }
                try latest.bind(chunk, at: 1)
                try latest.bind(stream, at: 2)
                try latest.bind(notAfter.nanoseconds, at: 3)
                if try latest.step() {
                    times[key] = Timestamp(nanoseconds: latest.int64(0))
                    break
                }
            }
        }
        return times
    }
}

extension EventStore {
    /// Runs `body` on one snapshot of the store: a query that reads several tables sees the same
    /// committed batches in all of them, whatever writers commit meanwhile.
    package func withSnapshot<T>(_ body: () throws -> T) throws -> T {
        try database.transaction(.deferred) { try body() }
    }
}
