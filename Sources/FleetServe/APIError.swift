import FleetDomains
import FleetEvents
import FleetSQLite
import FleetStore

/// A refusal in Azure's error shape, `{"error": {"code", "message"}}` (plus `target`, the
/// parameter at fault, where there is one), with its HTTP status.
package struct APIError: Error, Sendable, Equatable {
    package var status: Int
    package var code: String
    package var message: String
    package var target: String?

    package init(status: Int, code: String, message: String, target: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.target = target
    }

    /// 400: a parameter is missing, unknown or wrong; `message` is the command line's sentence.
    package static func badParameter(_ message: String, target: String? = nil) -> APIError {
        APIError(status: 400, code: "InvalidParameter", message: message, target: target)
    }

    /// 503: the store cannot answer now; try again.
    static func busy(_ message: String) -> APIError {
        APIError(status: 503, code: "StoreBusy", message: message)
    }

    /// The body: one JSON object, keys in Azure's order.
    var json: String {
        var fields = [JSONMember(key: "code", value: .string(code)), JSONMember(key: "message", value: .string(message))]
        if let target { fields.append(JSONMember(key: "target", value: .string(target))) }
        var writer = JSONWriter()
        writer.write(.object([JSONMember(key: "error", value: .object(fields))]), sortingKeys: false)
        return writer.text + "\n"
    }

    /// What a query's failure means over HTTP: an unknown name is 404 with the closest known names,
    /// a locked or unreadable store 503, a question the store cannot answer 400.
    static func from(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let unknown = error as? UnknownName { return APIError(status: 404, code: "ResourceNotFound", message: sentence(unknown.description)) }
        if let missing = error as? MissingEntity { return APIError(status: 404, code: "ResourceNotFound", message: sentence(missing.description)) }
        if case .unknownRule = error as? LoadBalancerQueryError {
            return APIError(status: 404, code: "ResourceNotFound", message: sentence(String(describing: error)))
        }
        if let noUpdate = error as? UpdateQueryError { return APIError(status: 404, code: "ResourceNotFound", message: sentence(noUpdate.description)) }
        // The entity exists but the question does not fit it: a Gateway's or an unprobed rule's
        // health, a scale set whose health comes from a load balancer probe.
        if error is LoadBalancerQueryError || error is ScaleSetQueryError {
            return APIError(status: 400, code: "BadRequest", message: sentence(String(describing: error)))
        }
        if let sqlite = error as? SQLiteError {
            // Only a lock passes; anything else is the server's store failing, not the client's doing.
            if sqlite.code == SQLiteError.Code.busy || sqlite.code == SQLiteError.Code.locked {
                return busy("The store is locked by a writer; try again.")
            }
            // The file's path is the server's business, not its clients'.
            var what = StoreFailure.problem(for: sqlite, store: "the store")?.what ?? "SQLite failed (result code \(sqlite.code))"
            if let path = sqlite.path { what = what.replacingOccurrences(of: path, with: "the store") }
            return APIError(status: 500, code: "InternalServerError", message: sentence(what) + "; the server's operator must look at it.")
        }
        if error is StoreUnavailable {
            // Where the server is stays the operator's business.
            return busy("The store's server cannot be reached now; try again.")
        }
        if let store = error as? StoreError { return APIError(status: 400, code: "BadRequest", message: sentence(store.message)) }
        return APIError(status: 500, code: "InternalServerError", message: sentence(String(describing: error)))
    }

    /// The sentence with its first letter a capital, as Azure's messages read.
    private static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}

