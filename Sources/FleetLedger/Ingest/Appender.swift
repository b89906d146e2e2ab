/// How `append` commits its input.
public struct AppendOptions: Sendable {
    /// Commit after every N input lines instead of once for the whole input.
    public var commitEvery: Int?
    /// Called now and then with the number of lines read so far, for progress displays.
    public var progress: (@Sendable (Int) -> Void)?

    public init(commitEvery: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil) {
        self.commitEvery = commitEvery
        self.progress = progress
    }
}

/// What an append did.
public struct AppendSummary: Sendable, Equatable {
    public var appended = 0
    /// Events skipped because their `id` was already stored.
    public var duplicates = 0
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

    public var description: String {
        let outcome = committedLines == 0
            ? "nothing was appended"
            : "the first \(committedLines) input line\(committedLines == 1 ? "" : "s") (through \(lastCommittedLocation ?? "?")) "
                + "were committed, and nothing after them was appended"
        return "\(location): \(reason); \(outcome)."
    }
}

extension EventStore {
    /// Appends NDJSON events from `sources`, in order: all of them in one transaction, or a
    /// transaction every `commitEvery` lines.
    ///
    /// On a bad line the open transaction rolls back and `AppendError` names the line.
    @discardableResult
    public func append(from sources: [InputSource], options: AppendOptions = AppendOptions()) throws -> AppendSummary {
        var summary = AppendSummary()
        var committed = (lines: 0, location: String?.none)
        var batchLines = 0
        var lastLocation: String?
        var writer: LogWriter?

        func commit() throws {
            guard let open = writer else { return }
            writer = nil
            try self.commit(open)
            committed = (summary.lines, lastLocation)
            batchLines = 0
        }

        do {
            for source in sources {
                try LineReader.forEachLine(in: source) { line, number in
                    let location = "\(source.name) line \(number)"
                    do {
                        if writer == nil { writer = try beginBatch() }
                        let event = try IncomingEvent(line: line)
                        switch try writer!.append(event) {
                        case .appended(let seq):
                            summary.appended += 1
                            summary.lastSeq = seq
                        case .duplicate:
                            summary.duplicates += 1
                        }
                    } catch {
                        throw AppendError(location: location, reason: "\(error)", committedLines: committed.lines,
                                          lastCommittedLocation: committed.location)
                    }
                    summary.lines += 1
                    batchLines += 1
                    lastLocation = location
                    if summary.lines % 10_000 == 0 { options.progress?(summary.lines) }
                    if let every = options.commitEvery, batchLines >= every { try commit() }
                }
            }
            try commit()
        } catch {
            if writer != nil { rollBack() }
            if !(error is AppendError), !(error is StoreError) {
                throw AppendError(location: lastLocation ?? "input", reason: "\(error)", committedLines: committed.lines,
                                  lastCommittedLocation: committed.location)
            }
            throw error
        }
        return summary
    }
}
