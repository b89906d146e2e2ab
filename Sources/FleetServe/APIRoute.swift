import FleetStore

/// One route of the JSON API: its path (with `{name}` for the parts that name an entity), the
/// query parameters it takes, and the query that answers it on one snapshot of the store.
///
/// The routes themselves are the command line's queries (FleetLedgerCLI builds them), so a route
/// takes the same options and gives the same answer as its command.
package struct APIRoute: Sendable {
    /// The path, as `/v1/hostPools/{pool}/sessionHosts`.
    package var path: String
    /// The query parameters the route takes, by their API names (`asOf`, `staleAfter`).
    package var parameters: [String]
    /// The query parameters the route needs.
    package var required: [String]
    /// The query parameters that are switches: given bare (`changes`) or as true or false.
    package var flags: Set<String>
    /// The representations the route can give, the first by default.
    package var representations: [Representation]
    /// Answers a call on a snapshot of the store; throws `APIError` for a bad call.
    package var answer: @Sendable (APICall, any LedgerStore) throws -> APIAnswer

    package init(path: String, parameters: [String], required: [String] = [], flags: Set<String> = [], representations: [Representation] = [.json],
                answer: @escaping @Sendable (APICall, any LedgerStore) throws -> APIAnswer) {
        self.path = path
        self.parameters = parameters
        self.required = required
        self.flags = flags
        self.representations = representations
        self.answer = answer
    }

    /// The path's `{name}` parts.
    package var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

/// What a route can answer in, chosen by the request's `Accept` header.
package enum Representation: String, Sendable {
    case json = "application/json"
    case csv = "text/csv"
    case html = "text/html"
}

/// A request to a route, as the route's answer reads it.
package struct APICall: Sendable {
    /// The path's `{name}` parts, by name.
    package var path: [String: String]
    /// The query parameters, each given once (a repeated one is refused before the route runs).
    package var query: [String: String]
    /// The representation the request asked for, among the route's.
    package var representation: Representation

    package init(path: [String: String], query: [String: String], representation: Representation) {
        self.path = path
        self.query = query
        self.representation = representation
    }
}

/// A route's answer: the body in the representation asked for, and the note the command would
/// print on stderr (a window reaching past the log's newest event), sent as a `FleetLedger-Note` header.
package struct APIAnswer: Sendable {
    package var body: String
    package var note: String?

    package init(body: String, note: String? = nil) {
        self.body = body
        self.note = note
    }
}
