import FleetEvents
import Foundation

/// Where a line came from: which input source, and its 1-based line number.
struct LineLocation: Sendable, Equatable {
    var source: Int
    var line: Int
}

/// One decoded input line, or the reason it was refused.
enum DecodedLine: Sendable {
    /// `stream` numbers the event's stream among the input's, from 0 in order of first appearance:
    /// the appending thread finds the stream's head by it, without hashing its key.
    case event(IncomingEvent, stream: Int, LineLocation)
    case rejected(InputError, LineLocation)
}

/// Reads and decodes input on a second thread while the caller appends, so parsing and
/// validation, a large share of an append's work, overlap with SQLite's
/// (Tools/Benchmark/HISTORY.md, item 6).
///
/// Lines arrive in order, in chunks, through a small bounded queue, so memory stays flat however
/// large the input. The caller must call `finish()` before returning, also on an error.
final class DecodePipeline: @unchecked Sendable {
    /// Lines per chunk, and chunks that may wait in the queue.
    static let chunkSize = 512
    static let queueDepth = 8

    private let condition = NSCondition()
    private var queue: [[DecodedLine]] = []
    /// Chunks the caller is done with, handed back so that the reader thread, which allocated their
    /// lines, frees them and reuses their storage, sparing the appending thread, which bounds
    /// ingest (Tools/Benchmark/HISTORY.md, item 18).
    private var spent: [[DecodedLine]] = []
    /// Set by the reader thread as it ends: no chunk will follow the queued ones.
    private var finished = false
    private var cancelled = false
    private var readFailure: StoreError?

    init(sources: [InputSource], catalog: EventCatalog) {
        let thread = Thread { [self] in
            self.produce(sources, catalog: catalog)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The next chunk of lines, nil at the end of the input. Throws the input's read error, if any.
    func next() throws -> [DecodedLine]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            let chunk = queue.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let readFailure { throw readFailure }
        return nil
    }

    /// Hands back a chunk `next()` returned, once its lines are appended.
    func recycle(_ chunk: consuming [DecodedLine]) {
        condition.lock()
        defer { condition.unlock() }
        if spent.count < Self.queueDepth { spent.append(chunk) }
    }

    /// Stops the reader (if it is still reading) and waits for it to end.
    func finish() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func produce(_ sources: [InputSource], catalog: EventCatalog) {
        var chunk: [DecodedLine] = []
        chunk.reserveCapacity(Self.chunkSize)
        var streamNumbers: [StreamKey: Int] = [:]
        // The keys the lines name, built once per entity rather than once per line (building one
        // checks its text as UTF-8 again; Tools/Benchmark/HISTORY.md, item 26), and shared: the
        // appending thread then compares equal keys by their storage.
        let keys = StreamKeyInterner()
        do {
            for (index, source) in sources.enumerated() {
                do {
                    try LineReader.forEachLine(in: source) { line, number, complete in
                        let location = LineLocation(source: index, line: number)
                        do throws(InputError) {
                            let event = try IncomingEvent.decode(line: line, catalog: catalog, keys: keys)
                            let count = streamNumbers.count
                            let stream = streamNumbers[event.streamKey, default: count]
                            if stream == count { streamNumbers[event.streamKey] = count }
                            chunk.append(.event(event, stream: stream, location))
                        } catch {
                            // A last line without a line break whose JSON ran out before it was whole was cut short.
                            let cut = !complete && error.field == nil && error.rule.hasPrefix("is not valid JSON")
                                && ["never closed", "unexpected end of input", "an incomplete", "with no digits"].contains { error.rule.contains($0) }
                            chunk.append(.rejected(cut ? InputError(field: nil, error.rule + " (the input ends in the middle of this line)") : error,
                                                   location))
                        }
                        if chunk.count == Self.chunkSize {
                            guard push(chunk) else { throw CancellationError() }
                            chunk = reusedChunk()
                        }
                    }
                } catch let tooLong as LineTooLong {
                    // Refused like any bad line, so --commit-every reports what was committed before it.
                    chunk.append(.rejected(InputError(
                        field: nil, "is longer than 1,048,576 bytes (1 MiB), the longest line FleetLedger reads"),
                        LineLocation(source: index, line: tooLong.line)))
                    break
                }
            }
            if !chunk.isEmpty { _ = push(chunk) }
        } catch let error as StoreError {
            if !chunk.isEmpty { _ = push(chunk) }
            condition.lock()
            readFailure = error
            condition.unlock()
        } catch {
            // Cancelled by the caller: nothing more to hand over.
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// An empty chunk: a spent one, its lines freed here, or a new one.
    private func reusedChunk() -> [DecodedLine] {
        condition.lock()
        var chunk = spent.popLast() ?? []
        condition.unlock()
        chunk.removeAll(keepingCapacity: true)
        chunk.reserveCapacity(Self.chunkSize)
        return chunk
    }

    /// Queues a chunk, waiting while the queue is full; false once the caller has cancelled.
    private func push(_ chunk: [DecodedLine]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.queueDepth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }
}
