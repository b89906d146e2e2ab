import Crypto
import Foundation
import Hummingbird

/// Every failure as Azure's error JSON with its status: the API's own refusals, a path no route
/// serves, and anything unexpected.
struct ErrorResponder: RouterMiddleware {
    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return Self.response(APIError(status: 404, code: "NotFound",
                                          message: "No route serves \(request.uri.path); /openapi.json lists the routes."))
        } catch let error as HTTPError {
            return Self.response(APIError(status: Int(error.status.code), code: error.status.reasonPhrase.replacingOccurrences(of: " ", with: ""),
                                          message: error.body ?? error.status.reasonPhrase + "."))
        } catch {
            return Self.response(APIError.from(error))
        }
    }

    static func response(_ error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if error.status == 503 { headers[.retryAfter] = "5" }
        if error.status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"fleetledger\"" }
        if error.status == 405 { headers[.allow] = "GET" }
        return Response(status: .init(code: error.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: error.json)))
    }
}

/// The API only reads: GET with no body, and a bounded request line.
struct RequestLimits: RouterMiddleware {
    static let longestTarget = 8_192

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        guard request.method == .get else {
            throw APIError(status: 405, code: "MethodNotAllowed", message: "The API only reads: \(request.method) is not served, only GET.")
        }
        if (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0 || request.headers[.transferEncoding] != nil {
            throw APIError(status: 413, code: "RequestEntityTooLarge", message: "A GET request carries no body; this one has one.")
        }
        guard request.uri.description.utf8.count <= Self.longestTarget else {
            throw APIError(status: 414, code: "RequestUriTooLong", message: "The request's path and query are over \(Self.longestTarget) bytes.")
        }
        return try await next(request, context)
    }
}

/// With a token, every request but `/healthz` must carry `Authorization: Bearer TOKEN`. The
/// tokens' SHA-256 digests are compared, in constant time (swift-crypto's digest equality), so
/// neither the token's length nor its first wrong byte shows in the time a refusal takes.
struct BearerToken: RouterMiddleware {
    let digest: Data?

    init(token: String?) {
        digest = token.map { Data(SHA256.hash(data: Data($0.utf8))) }
    }

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        guard let digest, request.uri.path != "/healthz" else { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        // The scheme's name is case-insensitive (RFC 9110, section 11.1).
        guard header.prefix(7).lowercased() == "bearer " else {
            throw APIError(status: 401, code: "AuthenticationFailed", message: "This server needs a bearer token: send Authorization: Bearer TOKEN.")
        }
        guard SHA256.hash(data: Data(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)) == digest else {
            throw APIError(status: 401, code: "AuthenticationFailed", message: "The bearer token is not this server's.")
        }
        return try await next(request, context)
    }
}

/// Counts each request under its route's template, and times it to its response's last byte.
struct MetricsRecorder: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let route = context.endpointPath ?? "NotFound"
        let status = Int(response.status.code)
        let timed = route != "/v1/events/stream"
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { [metrics] writer in
            // Counted when the last byte is handed over, or when the client went away before it.
            defer { metrics.record(route: route, status: status, duration: timed ? ContinuousClock.now - start : nil) }
            try await body.write(writer)
        }
        return response
    }
}
