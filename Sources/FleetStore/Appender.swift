import FleetEvents

/// How `append` commits its input.
public struct AppendOptions: Sendable {
    /// Commit after every N input lines instead of once for the whole input.
    public var commitEvery: Int?
    /// Called now and then with the number of lines read so far, for progress displays.
    public var progress: (@Sendable (Int) -> Void)?
    /// Asked before each line: true stops the append there (Ctrl-C), the open batch rolled back.
    public var shouldStop: (@Sendable () -> Bool)?
    /// How far ahead of `now` an event's `at` may be: one further ahead is refused, since a stream
    /// refuses every event older than its last, so a producer's clock gone wrong would lock out
    /// the real events after it. nil accepts any time.
    public var maxClockSkew: TimeSpan?
    /// Now, which `maxClockSkew` is measured from (`Clock.now`): read once, and again before an
    /// event is refused, so a long append measures from the time it has reached.
    public var now: (@Sendable () throws -> Timestamp)?
    /// Skip and count an event older than its stream's last one instead of refusing the input:
    /// for an import of history into a store whose streams already run later.
    public var skipsOlderThanStream = false
    /// Do everything but commit: the summary says what would be appended, skipped and refused,
    /// and the store is left as it was (`import --dry-run`). Ignores `commitEvery`.
    public var rollsBack = false
    /// The recording time of every batch, instead of the clock's: for `copy`, which gives each
    /// copied batch its original's, so the copy's chain is the source's, hash for hash.
    package var recordedAt: Timestamp?

    public init(commitEvery: Int? = nil, maxClockSkew: TimeSpan? = nil, now: (@Sendable () throws -> Timestamp)? = nil,
                shouldStop: (@Sendable () -> Bool)? = nil, progress: (@Sendable (Int) -> Void)? = nil) {
        self.commitEvery = commitEvery
        self.maxClockSkew = maxClockSkew
        self.now = now
        self.shouldStop = shouldStop
        self.progress = progress
    }
}

/// What an append did.
public struct AppendSummary: Sendable, Equatable {
    public var appended = 0
    /// Events skipped because their `id` was already stored.
    public var duplicates = 0
    /// Events skipped as older than their stream's last event (`AppendOptions.skipsOlderThanStream`).
    public var olderThanStream = 0
    /// Input lines holding an event (blank lines are not counted).
    public var lines = 0
    /// The position of the last event appended, if any.
    public var lastSeq: Int64?

    public init() {}

    /// `appended 3 events, skipped 1 duplicate`
    public var sentence: String {
        "appended \(appended) event\(appended == 1 ? "" : "s"), skipped \(duplicates) duplicate\(duplicates == 1 ? "" : "s")"
    }
}

/// A refused append: where in the input, why, and what (if anything) was committed before it.
public struct AppendError: Error, Sendable, CustomStringConvertible {
    /// `events.ndjson line 3`
    public var location: String
    public var reason: String
    /// With `--commit-every`: the input lines committed before the failure, and where they ended.
    public var committedLines: Int
    public var lastCommittedLocation: String?
    /// What to do, when the failure was the store's (a full disk) rather than the line's.
    public var advice: String?
    /// The append was stopped on request (Ctrl-C), not refused.
    public var interrupted = false

    public var description: String {
        let outcome = committedLines == 0
            ? "nothing was appended"
            : (committedLines == 1 ? "the first input line" : "the first \(committedLines) input lines")
                + " (through \(lastCommittedLocation ?? "?")) \(committedLines == 1 ? "was" : "were") committed, and nothing after "
                + (committedLines == 1 ? "it" : "them") + " was appended"
        return "\(location): \(reason); \(outcome)." + (advice.map { " \($0)." } ?? "")
    }
}

/// One append's bookkeeping, the same for either engine: the summary, where the last commit
/// ended, the clock-skew check and the sentences of a refusal.
struct AppendRun {
    let sources: [InputSource]
    let options: AppendOptions
    /// Where a failure of the store itself is said to be, for its advice.
    let storeLocation: String
    var summary = AppendSummary()
    var committedLines = 0
    var lastCommitted: LineLocation?
    var lastLine: LineLocation?
    /// Lines in the open batch.
    var batchLines = 0
    private var lastNow: Timestamp?

    init(sources: [InputSource], options: AppendOptions, storeLocation: String) throws {
        self.sources = sources
        self.options = options
        self.storeLocation = storeLocation
        lastNow = try options.now?()
    }

    func describe(_ location: LineLocation?) -> String? {
        location.map { "\(sources[$0.source].name) line \($0.line)" }
    }

    func refusal(_ reason: String, at location: LineLocation?) -> AppendError {
        AppendError(location: describe(location) ?? "input", reason: reason, committedLines: committedLines,
                    lastCommittedLocation: describe(lastCommitted))
    }

    /// A line's refusal, or the store's failure while writing it (a full disk, a lock held too long).
    func failure(_ error: any Error, at location: LineLocation?) -> AppendError {
        guard let problem = StoreFailure.problem(for: error, store: storeLocation) else {
            // A store's sentence ends where the refusal goes on to say what was committed.
            let reason = "\(error)"
            return refusal(reason.hasSuffix(".") ? String(reason.dropLast()) : reason, at: location)
        }
        var failure = refusal(problem.what, at: location)
        failure.advice = problem.advice
        return failure
    }

    /// Refuses an event too far ahead of now, and stops on request, before the event is written.
    mutating func check(_ event: IncomingEvent, at location: LineLocation) throws {
        if let skew = options.maxClockSkew, try tooFarAhead(event.at, skew), let now = lastNow {
            throw refusal(InputError(field: "at", "is \(event.at.rfc3339), more than \(skew) ahead of now (\(now.rfc3339)), "
                + "and a stream refuses every event older than its last, so it would lock out the stream's real events "
                + "until then (fix the producer's clock, or allow more with --max-clock-skew)").description,
                          at: location)
        }
        if options.shouldStop?() == true {
            var stop = refusal("interrupted before this line", at: location)
            stop.interrupted = true
            throw stop
        }
    }

    /// Whether `at` is further ahead of now than the skew allows, reading the clock again before saying yes.
    private mutating func tooFarAhead(_ at: Timestamp, _ skew: TimeSpan) throws -> Bool {
        guard let now = lastNow, at.nanoseconds(since: now) > skew.nanoseconds else { return false }
        lastNow = try options.now?()
        return lastNow.map { at.nanoseconds(since: $0) > skew.nanoseconds } ?? false
    }

    /// Counts a written line; true when `commitEvery` says the open batch is due.
    mutating func count(_ outcome: AppendOutcome, at location: LineLocation) -> Bool {
        switch outcome {
        case .appended(let seq):
            summary.appended += 1
            summary.lastSeq = seq
        case .duplicate:
            summary.duplicates += 1
        case .olderThanStream:
            summary.olderThanStream += 1
        }
        summary.lines += 1
        batchLines += 1
        lastLine = location
        if summary.lines % 10_000 == 0 { options.progress?(summary.lines) }
        guard let every = options.commitEvery, !options.rollsBack else { return false }
        return batchLines >= every
    }

    /// Notes a commit of everything read so far.
    mutating func committed() {
        committedLines = summary.lines
        lastCommitted = lastLine
        batchLines = 0
    }
}

extension EventStore {
    /// Appends NDJSON events from `sources`, in order: all of them in one transaction, or a
    /// transaction every `commitEvery` lines.
    ///
    /// On a bad line the open transaction rolls back and `AppendError` names the line.
    @discardableResult
    public func append(from sources: [InputSource], options: AppendOptions) throws -> AppendSummary {
        var run = try AppendRun(sources: sources, options: options, storeLocation: database.path)
        var writer: LogWriter?
        let pipeline = DecodePipeline(sources: sources, catalog: schema.catalog)
        defer { pipeline.finish() }
        do {
            while let chunk = try pipeline.next() {
                for decoded in chunk {
                    switch decoded {
                    case .rejected(let error, let location):
                        throw run.refusal("\(error)", at: location)
                    case .event(let event, let stream, let location):
                        try run.check(event, at: location)
                        let outcome: AppendOutcome
                        do {
                            if writer == nil { writer = try beginBatch(recordedAt: options.recordedAt ?? Clock.wall()) }
                            outcome = try writer!.append(event, stream: stream, skippingOlder: options.skipsOlderThanStream)
                        } catch {
                            throw run.failure(error, at: location)
                        }
                        if run.count(outcome, at: location), let open = writer.take() {
                            do { try commit(open) } catch { throw run.failure(error, at: location) }
                            run.committed()
                        }
                    }
                }
                pipeline.recycle(chunk)
            }
            if options.rollsBack, writer != nil {
                _ = writer.take()
                rollBack()
            } else if let open = writer.take() {
                do { try commit(open) } catch { throw run.failure(error, at: run.lastLine) }
            }
        } catch {
            if writer != nil { rollBack() }
            throw error
        }
        return run.summary
    }
}
