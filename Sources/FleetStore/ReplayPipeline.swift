import FleetEvents
import FleetProjection
import Foundation

/// Decodes stored events on a second thread while the caller folds them, for the replays that
/// read the whole log or a long run of it (rebuild, verify, as-of).
///
/// Decoding a stored row into its typed data weighs about as much as folding it with SQLite's
/// reads and writes, so the two overlap; folding stays on the caller's thread, in log order
/// (Tools/Benchmark/HISTORY.md, item 10).
/// The caller reads rows in batches (SQLite's statement is not shared) and hands each batch over;
/// decoded batches come back in the order they went in. At most `depth` batches are in flight, so
/// memory stays flat however long the log.
final class ReplayPipeline: @unchecked Sendable {
    static let batchSize = 1_024
    /// Deep enough that neither thread waits for the other when one is held up for a while (as
    /// when a checkpoint's states, encoded on a third thread, take a core), for a few MB more
    /// memory at most (Tools/Benchmark/HISTORY.md, item 28).
    static let defaultDepth = 64
    private let depth: Int

    /// Rows read from the log, their data still in compact form.
    struct RawBatch: Sendable {
        var rows: [RawRow] = []
        /// The compact data of every row that is to be folded, one after the other, in
        /// `bytes[..<used]`; the rest is room for more (see `append(data:)`).
        var bytes: [UInt8] = []
        var used = 0

        /// Room for the data of a batch of rows of the usual size, allocated at once.
        static func empty() -> RawBatch {
            var batch = RawBatch()
            batch.rows.reserveCapacity(ReplayPipeline.batchSize)
            batch.bytes = [UInt8](repeating: 0, count: ReplayPipeline.batchSize * 32)
            return batch
        }

        /// Copies `data` after the data already held and returns where it is in `bytes`.
        ///
        /// Copied into room made ahead, not appended: `Array.append(contentsOf:)` does bookkeeping
        /// of its own for every row read, on the thread that bounds a rebuild
        /// (Tools/Benchmark/HISTORY.md, item 30).
        mutating func append(data: UnsafeRawBufferPointer) -> Range<Int> {
            let start = used
            used += data.count
            if used > bytes.count { bytes += [UInt8](repeating: 0, count: max(used - bytes.count, bytes.count)) }
            if !data.isEmpty {
                bytes.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[start..<used]).copyMemory(from: data) }
            }
            return start..<used
        }
    }

    /// Holds its stream and type unretained: the replay's stream table and the store's catalog
    /// outlive every batch, and retaining them made a row cost a retain and a release on each
    /// thread for every event read (see `StoredStreams.unretained`).
    struct RawRow: @unchecked Sendable {
        var seq: Int64
        var at: Timestamp
        var stream: Unmanaged<StoredStream>
        /// Nil: no projector of the pass folds the row's type, so it is not decoded.
        var type: Unmanaged<EventDeclaration>?
        var bytes: Range<Int>
    }

    /// One row after decoding.
    enum Decoded: Sendable {
        case fold(ProjectedEvent)
        case skip(seq: Int64, at: Timestamp)
        /// The row's data cannot be read; the rows after it in the batch were not decoded.
        case failed(StoreError)
    }

    private let condition = NSCondition()
    private var inbox: [RawBatch] = []
    private var outbox: [[Decoded]] = []
    /// Decoded batches the caller has folded, handed back so that the decoding thread, which made
    /// their events, frees them, sparing the folding thread, which bounds a rebuild
    /// (Tools/Benchmark/HISTORY.md, item 23).
    private var spent: [[[Decoded]]] = []
    private var closed = false
    private var finished = false
    private var inFlight = 0
    /// The decoding thread's own.
    private let keys = StreamKeyInterner()

    init(depth: Int = ReplayPipeline.defaultDepth) {
        precondition(depth > 0, "a pipeline holds at least one batch in flight")
        self.depth = depth
        let thread = Thread { [self] in self.decodeUntilClosed() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands a batch to the decoder. Returns the decoded batches that are ready, in order, waiting
    /// for the oldest while `depth` batches are in flight.
    func submit(_ batch: RawBatch) -> [[Decoded]] {
        condition.lock()
        defer { condition.unlock() }
        inbox.append(batch)
        inFlight += 1
        condition.broadcast()
        while inFlight >= depth && outbox.isEmpty { condition.wait() }
        return takeReady()
    }

    /// Hands back batches `submit` or `drain` returned, once they are folded.
    func recycle(_ batches: consuming [[Decoded]]) {
        condition.lock()
        defer { condition.unlock() }
        spent.append(batches)
    }

    /// Every batch still in flight, decoded, in order; the decoder then ends.
    func drain() -> [[Decoded]] {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        return takeReady()
    }

    /// Stops the decoder without waiting for its results (the replay failed): call on every exit.
    func finish() {
        condition.lock()
        closed = true
        inbox.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func takeReady() -> [[Decoded]] {
        let ready = outbox
        outbox.removeAll(keepingCapacity: true)
        inFlight -= ready.count
        return ready
    }

    private func decodeUntilClosed() {
        while true {
            condition.lock()
            while inbox.isEmpty && !closed { condition.wait() }
            guard !inbox.isEmpty else {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = inbox.removeFirst()
            var folded = spent
            spent.removeAll()
            condition.unlock()
            folded.removeAll()
            let decoded = Self.decode(batch, keys: keys)
            condition.lock()
            outbox.append(decoded)
            condition.broadcast()
            condition.unlock()
        }
    }

    static func decode(_ batch: RawBatch, keys: StreamKeyInterner) -> [Decoded] {
        var decoded: [Decoded] = []
        decoded.reserveCapacity(batch.rows.count)
        var locations: [Int] = []
        batch.bytes.withUnsafeBytes { bytes in
            for row in batch.rows {
                guard let type = row.type else {
                    decoded.append(.skip(seq: row.seq, at: row.at))
                    continue
                }
                do {
                    try type._withUnsafeGuaranteedRef { type in
                        try row.stream._withUnsafeGuaranteedRef { stream in
                            let data = try EventStore.decodePayload(
                                seq: row.seq, type: type, stream: stream, bytes: UnsafeRawBufferPointer(rebasing: bytes[row.bytes]),
                                keys: keys, locations: &locations)
                            // Moved in: passed as it was, it was copied, a retain and a release per event.
                            decoded.append(.fold(ProjectedEvent(seq: row.seq, at: row.at, stream: stream.key, data: consume data, type: type)))
                        }
                    }
                } catch {
                    decoded.append(.failed(error as? StoreError ?? StoreError("seq \(row.seq) cannot be read: \(error).")))
                    return
                }
            }
        }
        return decoded
    }
}
