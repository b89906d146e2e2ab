import FleetOutput
import FleetStore
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

extension Serving {
    /// Events a stream reads from the store at once.
    static let streamBatch = 1_000

    /// `GET /v1/events/stream`: Server-Sent Events, each `id:` its sequence number and `data:` its
    /// NDJSON line as `events` prints it. It starts after `Last-Event-ID` (the header, or the
    /// `lastEventId` parameter for clients that cannot set headers), else at the log's head, and
    /// follows the log; with `limit` it ends after that many events, as `events --follow --limit`.
    ///
    /// Each read is a short query on a store worker; between them the stream holds nothing, so a
    /// client that stops reading stalls its own stream only.
    func eventStream(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        for (name, _) in parameters where !["lastEventId", "limit", "stream"].contains(String(name)) {
            throw APIError.badParameter("/v1/events/stream has no query parameter \(name); it takes lastEventId, limit, stream.", target: String(name))
        }
        // A browser's EventSource reconnects to the same URL with the header set to the last id it
        // saw, newer than the parameter: the header wins.
        let header = request.headers[HTTPField.Name("Last-Event-ID")!], parameter = parameters["lastEventId"].map(String.init)
        if let accept = request.headers[.accept], !accept.isEmpty, MediaRange.quality(of: "text/event-stream", in: accept) == 0 {
            throw APIError(status: 406, code: "NotAcceptable", message: "/v1/events/stream answers in text/event-stream; the request's Accept header does not take it.")
        }
        let start: Int64
        if let (given, name) = header.map({ ($0, "Last-Event-ID") }) ?? parameter.map({ ($0, "lastEventId") }) {
            guard let seq = Int64(given), seq >= 0 else {
                throw APIError.badParameter("\(name) is \"\(given)\"; it must be an event's sequence number (0 or more).", target: name)
            }
            // An id this log never gave (another store's, or one since replaced) would wait forever.
            let head = try await query { try $0.lastSeq() }
            guard seq <= head else {
                throw APIError.badParameter("\(name) is \(seq), past this log's head, \(head): it is another store's event; start again without it.", target: name)
            }
            start = seq
        } else {
            start = try await query { try $0.lastSeq() }
        }
        let limit = try parameters["limit"].map { text in
            guard let number = Int(text), number > 0 else { throw APIError.badParameter("limit is \"\(text)\"; it must be 1 or more.", target: "limit") }
            return number
        }
        let stream = parameters["stream"].map(String.init)
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            metrics.streamOpened()
            defer { metrics.streamClosed() }
            var sent = 0
            var after = start
            var quietSince = ContinuousClock.now
            let keepAlive = Duration.nanoseconds(settings.streamKeepAlive.nanoseconds)
            do {
                // Ends within a poll interval of SIGTERM, so the server's shutdown need not wait for it.
                while limit.map({ sent < $0 }) ?? true, !Task.isShuttingDownGracefully {
                    let wanted = min(Self.streamBatch, (limit ?? Int.max) - sent)
                    let read = try? await query { [after] store in try Self.read(store, after: after, stream: stream, limit: wanted) }
                    // A busy store (or a full queue) skips a poll; the stream goes on.
                    guard let read, !read.events.isEmpty else {
                        if let read { after = read.through }
                        if ContinuousClock.now - quietSince >= keepAlive {
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            quietSince = .now
                        }
                        try await Task.sleep(for: .nanoseconds(settings.streamPollInterval.nanoseconds))
                        continue
                    }
                    var text = ""
                    for event in read.events { text += "id: \(event.seq)\ndata: \(event.line)\n\n" }
                    try await writer.write(ByteBuffer(string: text))
                    sent += read.events.count
                    after = read.through
                    quietSince = .now
                }
            } catch is CancellationError {
                // Shutting down, or the client went away: end the stream as it stands.
            }
            try await writer.finish(nil)
        })
    }

    /// Up to `limit` events after `after` (of `stream`, when given), and how far the read got:
    /// the last event read, or the log's head when none matched, so a filtered stream does not
    /// read the same stretch again at the next poll.
    static func read(_ store: any LedgerStore, after: Int64, stream: String?, limit: Int) throws -> (events: [SentEvent], through: Int64) {
        let head = try store.lastSeq()
        var events: [SentEvent] = []
        try store.events(matching: EventQuery(stream: stream, afterSeq: after, limit: limit)) { events.append(SentEvent(seq: $0.seq, line: $0.canonicalLine)) }
        return (events, events.count == limit ? events.last!.seq : max(head, events.last?.seq ?? after))
    }
}

/// One event as a stream sends it.
struct SentEvent: Sendable {
    var seq: Int64
    var line: String
}
