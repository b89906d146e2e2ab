import Dispatch
import FleetLedger
import FleetStore
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The threads that answer the server's queries, each with its own read-only connection to the
/// store.
///
/// SQLite and the folds are synchronous: run on Swift's cooperative threads or NIO's event loops
/// they would stall every other request. Here a query holds one worker and its connection, and
/// nothing else; the response is written after the worker is free again, so a slow client holds
/// no connection and no snapshot.
final class StoreWorkers: Sendable {
    /// A queued query: it gets the worker's connection, or the error opening it.
    typealias Job = @Sendable (Result<any LedgerStore, any Error>) -> Void

    private struct Queue {
        var jobs: [Job] = []
        var next = 0
        var stopped = false
        var waiting: Int { jobs.count - next }
    }

    let path: String
    let threads: Int
    /// Queries waiting beyond this many are refused at once with 503 (store busy), so a burst
    /// cannot queue up minutes of work.
    let queueLimit: Int
    private let queue = Mutex(Queue())
    private let ready = DispatchSemaphore(value: 0)

    init(path: String, threads: Int, queueLimit: Int) {
        self.path = path
        self.threads = threads
        self.queueLimit = queueLimit
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "fleetledger-store-\(index)"
            thread.start()
        }
    }

    /// Lets the threads end once the queue is empty.
    func stop() {
        queue.withLock { $0.stopped = true }
        for _ in 0..<threads { ready.signal() }
    }

    private func work() {
        // Writers come first: on a busy machine the ledger's appends take the CPU before its readers
        // do (a nice of 10; on Linux the nice value is per thread, so who 0 is this thread). The README's
        // load run measures what it is worth.
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
        var store: (any LedgerStore)?
        while true {
            ready.wait()
            guard let job = queue.withLock({ queue -> Job? in
                guard queue.next < queue.jobs.count else { return nil }
                defer {
                    queue.next += 1
                    // Drop the consumed prefix now and then, not on every job.
                    if queue.next > 1_024, queue.next * 2 > queue.jobs.count {
                        queue.jobs.removeFirst(queue.next)
                        queue.next = 0
                    }
                }
                return queue.jobs[queue.next]
            }) else { return }
            if store == nil {
                do { store = try StoreLocation(path).openReadingOnly() } catch {
                    // The file's path is the server's business, not its clients'.
                    let what = (StoreFailure.problem(for: error, store: "the store")?.what ?? String(describing: error))
                        .replacingOccurrences(of: path, with: "the store")
                        .replacingOccurrences(of: (try? StoreLocation(path).description) ?? path, with: "the store")
                    job(.failure(APIError(status: 500, code: "InternalServerError", message: "The server cannot open its store: \(what).")))
                    continue
                }
            }
            job(.success(store!))
        }
    }

    /// Runs `body` on a worker's connection, in one snapshot of the store, and returns its answer;
    /// 503 when `queueLimit` queries already wait, or when no answer came within `timeout` (the
    /// query itself runs on: SQLite and the folds cannot be stopped halfway).
    func run<Answer: Sendable>(timeout: TimeAmount, on eventLoop: any EventLoop,
                               _ body: @escaping @Sendable (any LedgerStore) throws -> Answer) async throws -> Answer {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Answer, any Error>) in
            let pending = Mutex<CheckedContinuation<Answer, any Error>?>(continuation)
            let resume = { @Sendable (result: Result<Answer, any Error>) in
                pending.withLock { $0.take() }?.resume(with: result)
            }
            let deadline = eventLoop.scheduleTask(in: timeout) {
                resume(.failure(APIError.busy("The query took longer than \(Self.seconds(timeout)) s, the server's limit (serve --request-timeout); narrow it (a shorter window, one entity) or raise the limit.")))
            }
            let job: Job = { connection in
                // A request already answered 503 while it waited is not worth a worker's time.
                guard pending.withLock({ $0 != nil }) else { return }
                resume(Result { try connection.get().snapshot(body) })
                deadline.cancel()
            }
            let accepted = queue.withLock { queue -> Bool in
                guard !queue.stopped, queue.waiting < queueLimit else { return false }
                queue.jobs.append(job)
                return true
            }
            guard accepted else {
                deadline.cancel()
                resume(.failure(APIError.busy("The server has \(queueLimit) queries waiting for the store; try again shortly.")))
                return
            }
            ready.signal()
        }
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        let seconds = Double(amount.nanoseconds) / 1e9
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
