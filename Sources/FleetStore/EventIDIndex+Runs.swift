import FleetEvents
import FleetSQLite

/// How the id index's runs are written, read and merged: in blocks of `IDBlock.capacity` ids.
extension EventIDIndex {
    /// Writes one run, its ids given in ascending order, a block at a time, building its filter.
    struct RunWriter {
        let run: Int64
        private let insert: Statement
        private var block: [(id: EventID, seq: Int64)] = []
        private var filter: BloomFilter
        private(set) var count = 0

        /// `expected`: how many ids the run will hold, to size its filter.
        init(run: Int64, expected: Int, database: Database) throws {
            self.run = run
            insert = try database.cachedStatement("INSERT INTO event_id_blocks (run, first_id, entries) VALUES (?, ?, ?)")
            filter = BloomFilter(capacity: expected)
            block.reserveCapacity(IDBlock.capacity)
        }

        mutating func add(_ id: EventID, seq: Int64) throws {
            block.append((id, seq))
            filter.insert(id)
            count += 1
            if block.count == IDBlock.capacity { try writeBlock() }
        }

        /// Writes the last block; the run's filter.
        mutating func finish() throws -> BloomFilter {
            try writeBlock()
            return filter
        }

        private mutating func writeBlock() throws {
            guard let first = block.first else { return }
            try insert.bind(run, at: 1)
            try first.id.withBytes { try insert.bind($0, at: 2) }
            try insert.bind(IDBlock.encode(block[...]), at: 3)
            try insert.run()
            block.removeAll(keepingCapacity: true)
        }
    }

    /// Reads one stored run's ids in ascending order, a block at a time, so that merging runs of
    /// any size holds one block of each in memory.
    struct RunReader {
        let run: Int64
        private var block: [(id: EventID, seq: Int64)] = []
        private var position = 0
        private var lastFirstID: EventID?
        private var exhausted = false

        init(run: Int64) { self.run = run }

        mutating func next(_ database: Database) throws -> (id: EventID, seq: Int64)? {
            if position == block.count {
                guard !exhausted else { return nil }
                let select = try database.cachedStatement(
                    "SELECT first_id, entries FROM event_id_blocks WHERE run = ? AND first_id > ? ORDER BY first_id LIMIT 1")
                defer { select.reset() }
                try select.bind(run, at: 1)
                try select.bind(lastFirstID?.bytes ?? [], at: 2)
                guard try select.step() else {
                    exhausted = true
                    return nil
                }
                guard let entries = select.withBlobBytes(1, IDBlock.decode), !entries.isEmpty else {
                    throw StoreError("the id index's run \(run) has a damaged block; run 'fleetledger verify'.")
                }
                lastFirstID = entries[0].id
                block = entries
                position = 0
            }
            defer { position += 1 }
            return block[position]
        }
    }

    /// The seq stored with `id` in a run, nil when the run does not hold it: one seek to the only
    /// block that can, then a binary search in it.
    static func seq(of id: EventID, inRun run: Int64, _ database: Database) throws -> Int64? {
        let select = try database.cachedStatement(
            "SELECT entries FROM event_id_blocks WHERE run = ? AND first_id <= ? ORDER BY first_id DESC LIMIT 1")
        defer { select.reset() }
        try select.bind(run, at: 1)
        try id.withBytes { try select.bind($0, at: 2) }
        return try select.step() ? select.withBlobBytes(0) { IDBlock.seq(of: id, in: $0) } : nil
    }

    /// Merges `runs` into one new run numbered `run`, in id order; its filter.
    static func merge(_ runs: [Run], into run: Int64, _ database: Database) throws -> BloomFilter {
        var readers = runs.map { RunReader(run: $0.id) }
        var heads = try readers.indices.map { try readers[$0].next(database) }
        var writer = try RunWriter(run: run, expected: runs.reduce(0) { $0 + $1.count }, database: database)
        while true {
            var smallest: Int?
            for (index, head) in heads.enumerated() {
                guard let head else { continue }
                if let best = smallest, let bestHead = heads[best], !(head.id < bestHead.id) { continue }
                smallest = index
            }
            guard let index = smallest, let entry = heads[index] else { break }
            try writer.add(entry.id, seq: entry.seq)
            heads[index] = try readers[index].next(database)
        }
        return try writer.finish()
    }

    /// The filter of a stored run, built from its ids (for a run migrated without one).
    static func filter(ofRun run: Int64, count: Int, database: Database) throws -> BloomFilter {
        var reader = RunReader(run: run)
        var filter = BloomFilter(capacity: count)
        while let entry = try reader.next(database) { filter.insert(entry.id) }
        return filter
    }

    /// Moves the ids of runs written before migration 0009, one row each, into blocks.
    static func moveEntriesIntoBlocks(_ database: Database) throws {
        guard try database.scalarInt64("SELECT EXISTS (SELECT 1 FROM event_id_run_entries)") == 1 else { return }
        let rows = try database.makeStatement("SELECT run, event_id, seq FROM event_id_run_entries ORDER BY run, event_id")
        var writer: RunWriter?
        while try rows.step() {
            let run = rows.int64(0)
            if writer?.run != run {
                _ = try writer?.finish()
                // The run keeps the filter it has; this one is not used.
                writer = try RunWriter(run: run, expected: 1, database: database)
            }
            try writer?.add(try storedID(rows, column: 1), seq: rows.int64(2))
        }
        _ = try writer?.finish()
        try database.execute("DELETE FROM event_id_run_entries")
    }
}
