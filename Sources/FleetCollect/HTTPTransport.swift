import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request the collector sends.
package struct HTTPRequest: Sendable {
    package var method: String
    package var url: URL
    package var headers: [String: String] = [:]
    /// Seconds before the request is given up.
    package var timeout: Double

    package init(method: String, url: URL, headers: [String: String] = [:], timeout: Double) {
        self.method = method
        self.url = url
        self.headers = headers
        self.timeout = timeout
    }
}

/// One HTTP response: its status, its headers (names lower-cased) and its body.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends HTTP requests: URLSession in the collector, a test's own in tests.
package protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Foundation's URLSession (FoundationNetworking, libcurl, on Linux): it ships with the toolchain,
/// so the collector adds no package to build. Redirects are not followed: URLSession would carry
/// the bearer token to wherever one points, so a 3xx comes back as an answer.
package struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    package init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        // Whole seconds: the Linux URLSession drops a fraction. It bounds a wait for the server's next bytes.
        urlRequest.timeoutInterval = max(1, request.timeout.rounded(.up))
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if request.method == "POST" { urlRequest.httpBody = Data() }
        let (data, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }
}

/// Refuses every redirect, so that the 3xx itself is the answer.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// The collector's time: now, and waiting. Tests give one that does not sleep for real.
package protocol CollectClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double) async throws
}

/// The wall clock.
package struct SystemClock: CollectClock {
    package init() {}
    package func now() -> Date { Date() }
    package func sleep(seconds: Double) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 3600) * 1_000_000_000))
    }
}
