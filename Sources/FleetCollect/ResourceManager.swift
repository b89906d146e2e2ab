import FleetEvents
import Foundation
import Synchronization

/// Azure Resource Manager as the collector speaks to it: bearer tokens, paging by `nextLink`,
/// long-running operations by `Location`, and Azure's retry rules (`Retry-After` on 429 and 503,
/// capped exponential backoff with jitter on other 5xx and failed connections, a new token once
/// on 401). The token goes only to the endpoint's own host.
package struct ResourceManager: Sendable {
    package var endpoint: URL
    package var transport: any HTTPTransport
    package var clock: any CollectClock
    package var tokens: TokenSource
    /// Tries of one request before its resource's poll fails.
    package var attempts = 4
    /// Seconds of the first backoff, doubled each retry up to `maxBackoff`.
    package var backoff = 1.0
    package var maxBackoff = 30.0
    /// Seconds before a request is given up.
    package var timeout = 30.0
    /// Tries of a long-running operation's `Location` before it is given up.
    package var operationPolls = 30
    /// The longest wait a `Retry-After` gets; more is taken as this.
    package var maxRetryAfter = 300.0
    /// Asked while waiting: true gives the wait up, and the resource's poll with it.
    package var shouldStop: @Sendable () -> Bool = { false }
    /// Seconds slept between two looks at `shouldStop`.
    package var stopCheck = 0.2
    package init(endpoint: URL, transport: any HTTPTransport, clock: any CollectClock, tokens: TokenSource) {
        self.endpoint = endpoint
        self.transport = transport
        self.clock = clock
        self.tokens = tokens
    }

    /// `path` (from `/subscriptions/...`, with its query) on the endpoint.
    package func url(_ path: String) -> URL {
        URL(string: endpoint.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)!
    }

    /// Every page of the list at `url`, following `nextLink`, as one `{"value": [...]}` body, with
    /// when Azure answered the first page.
    package func list(_ url: URL) async throws(ARMError) -> (body: JSONValue, answeredAt: Date) {
        var items: [JSONValue] = []
        var next: URL? = url
        var answeredAt: Date?
        var pages = 0
        while let page = next {
            pages += 1
            guard pages <= 1000 else { throw ARMError("\(url.path) has more than 1,000 pages of nextLink: stopped") }
            let response = try await send("GET", page)
            answeredAt = answeredAt ?? response.answeredAt
            let body = try Self.json(response.response, from: page)
            guard case .object(let members) = body, case .array(let values)? = members["value"] else {
                throw ARMError("\(page.path) answered without a value array")
            }
            items += values
            if case .string(let link)? = members["nextLink"], !link.isEmpty {
                next = try ownURL(link, namedBy: "a nextLink")
            } else {
                next = nil
            }
        }
        return (.object([JSONMember(key: "value", value: .array(items))]), answeredAt ?? clock.now())
    }

    /// The resource at `url`; nil when Azure answers 404 (no such resource, as a pool with no update).
    package func get(_ url: URL) async throws(ARMError) -> (body: JSONValue, answeredAt: Date)? {
        let response = try await send("GET", url, accepting404: true)
        if response.response.status == 404 { return nil }
        return (try Self.json(response.response, from: url), response.answeredAt)
    }

    /// A POST that may answer `202 Accepted` with a `Location` to poll (honouring `Retry-After`)
    /// until it answers with the body.
    package func postAndPoll(_ url: URL) async throws(ARMError) -> (body: JSONValue, answeredAt: Date) {
        var answer = try await send("POST", url)
        var polls = 0
        while answer.response.status == 202 {
            guard let location = answer.response.headers["location"] else {
                throw ARMError("\(url.path) answered 202 Accepted without a Location to poll")
            }
            polls += 1
            guard polls <= operationPolls else { throw ARMError("\(url.path) was still running after \(operationPolls) polls of its Location") }
            try await wait(retryAfter(answer.response) ?? 1)
            answer = try await send("GET", try ownURL(location, namedBy: "a Location"))
        }
        return (try Self.json(answer.response, from: url), answer.answeredAt)
    }

    /// One request, retried as Azure asks; a 2xx (or 404 when `accepting404`) is returned, anything
    /// else fails with Azure's error code and message.
    private func send(_ method: String, _ url: URL, accepting404: Bool = false) async throws(ARMError) -> (response: HTTPResponse, answeredAt: Date) {
        var renewedToken = false
        var attempt = 0
        while true {
            attempt += 1
            let token = try tokens.token()
            let request = HTTPRequest(method: method, url: url, headers: ["Authorization": "Bearer \(token)", "Accept": "application/json"], timeout: timeout)
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch {
                guard attempt < attempts else { throw ARMError("\(method) \(url.path) failed \(attempts) times; the last: \(Self.describe(error))") }
                try await wait(backoffSeconds(attempt))
                continue
            }
            let answeredAt = response.headers["date"].flatMap(Self.httpDate) ?? clock.now()
            switch response.status {
            case 200..<300: return (response, answeredAt)
            case 404 where accepting404: return (response, answeredAt)
            case 401 where !renewedToken:
                renewedToken = true
                tokens.invalidate()
                continue
            case 429, 503:
                guard attempt < attempts else { throw ARMError("\(method) \(url.path) \(Self.refusal(response)), \(attempts) times") }
                try await wait(retryAfter(response) ?? backoffSeconds(attempt))
            case 500..<600:
                guard attempt < attempts else { throw ARMError("\(method) \(url.path) \(Self.refusal(response)), \(attempts) times") }
                try await wait(backoffSeconds(attempt))
            default:
                throw ARMError("\(method) \(url.path) \(Self.refusal(response))", status: response.status)
            }
        }
    }

    /// Waits `seconds`, `stopCheck` at a time, giving up when asked to stop.
    private func wait(_ seconds: Double) async throws(ARMError) {
        var left = seconds
        while left > 0 {
            if shouldStop() { throw ARMError("stopped while waiting to retry") }
            let step = min(left, stopCheck)
            do { try await clock.sleep(seconds: step) } catch { throw ARMError("stopped while waiting to retry") }
            left -= step
        }
    }

    /// The response's `Retry-After`, at most `maxRetryAfter`; an HTTP date is measured from the response's own `Date`.
    private func retryAfter(_ response: HTTPResponse) -> Double? {
        let now = response.headers["date"].flatMap(Self.httpDate) ?? clock.now()
        return Self.retryAfter(response.headers["retry-after"], now: now).map { min($0, maxRetryAfter) }
    }

    /// Capped exponential backoff with jitter: half to all of `backoff` × 2^(attempt-1), at most `maxBackoff`.
    private func backoffSeconds(_ attempt: Int) -> Double {
        let ceiling = min(maxBackoff, backoff * Double(1 << min(attempt - 1, 20)))
        return ceiling * Double.random(in: 0.5...1)
    }

    /// A link Azure gave, if it points at the endpoint's own scheme, host and port (443 or 80
    /// when unnamed, as Azure's nextLinks sometimes name it): the token goes nowhere else.
    private func ownURL(_ link: String, namedBy what: String) throws(ARMError) -> URL {
        guard let url = URL(string: link), Self.origin(url) == Self.origin(endpoint) else {
            throw ARMError("\(what) points at \(URL(string: link).map(Self.origin) ?? link), not \(Self.origin(endpoint)): refused, as the token goes only to the endpoint")
        }
        return url
    }

    /// `https://host:443`, the host lower-cased and the port named.
    package static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        return "\(scheme)://\((url.host ?? "").lowercased()):\(url.port ?? (scheme == "https" ? 443 : 80))"
    }

    /// "answered 403 AuthorizationFailed: ..." from Azure's error body, else the status alone.
    static func refusal(_ response: HTTPResponse) -> String {
        if let body = try? JSONParser.parse(String(decoding: response.body, as: UTF8.self)), case .object(let members) = body,
           case .object(let error)? = members["error"] {
            let code = if case .string(let text)? = error["code"] { text } else { "?" }
            let message = if case .string(let text)? = error["message"] { ": \(text)" } else { "" }
            return "answered \(response.status) \(code)\(message)"
        }
        return "answered \(response.status)"
    }

    static func json(_ response: HTTPResponse, from url: URL) throws(ARMError) -> JSONValue {
        do { return try JSONParser.parse(String(decoding: response.body, as: UTF8.self)) } catch {
            throw ARMError("\(url.path) answered \(response.status) with a body that is not JSON")
        }
    }

    /// `Retry-After` in seconds: whole seconds (digits only, as RFC 9110 has them), or an HTTP date.
    package static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) { return Double(value.prefix(9)) }
        return httpDate(value).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// An HTTP date (`Sun, 06 Dec 2026 14:00:00 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? URLError { return error.code == .timedOut ? "timed out" : "\(error.localizedDescription)" }
        return "\(error)"
    }
}

/// A failed poll of one resource: one sentence, and Azure's HTTP status when it answered.
package struct ARMError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package var status: Int?

    package init(_ description: String, status: Int? = nil) {
        self.description = description
        self.status = status
    }
}

/// The bearer token: a command's trimmed standard output, run again when Azure answers 401 or the
/// token is older than `lifetime`. It is never printed.
package final class TokenSource: Sendable {
    private let fetch: @Sendable () throws -> String
    private let lifetime: Double
    private let cached = Mutex<(token: String, at: Date)?>(nil)
    /// The last failure, given again for a while rather than running the command once per resource.
    private let failed = Mutex<(error: ARMError, at: Date)?>(nil)

    package init(lifetime: Double = 1800, fetch: @escaping @Sendable () throws -> String) {
        self.fetch = fetch
        self.lifetime = lifetime
    }

    /// A token from `command`, run by `/bin/sh -c`: given up (and the command killed) after
    /// `timeout` seconds, or at once when `shouldStop` says so.
    package convenience init(command: String, timeout: Double = 60, shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.init {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // The pipes are drained aside, so a command that writes much never blocks.
            let read = Mutex<(Data, Data)>((Data(), Data()))
            let drained = DispatchGroup()
            for (index, pipe) in [output, errors].enumerated() {
                drained.enter()
                DispatchQueue.global().async {
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    read.withLock { if index == 0 { $0.0 = data } else { $0.1 = data } }
                    drained.leave()
                }
            }
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if shouldStop() || Date() > deadline {
                    process.terminate()
                    process.waitUntilExit()
                    throw ARMError(shouldStop() ? "stopped while the token command ran" : "the token command did not finish in \(Int(timeout)) s")
                }
                usleep(50_000)
            }
            drained.wait()
            let (data, said) = read.withLock { $0 }
            guard process.terminationStatus == 0 else {
                let first = String(decoding: said, as: UTF8.self).split(whereSeparator: \.isNewline).first.map { ": \($0)" } ?? ""
                throw ARMError("the token command exited \(process.terminationStatus)\(first)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ARMError("the token command printed nothing") }
            return token
        }
    }

    func token() throws(ARMError) -> String {
        if let cached = cached.withLock({ $0 }), Date().timeIntervalSince(cached.at) < lifetime { return cached.token }
        if let failure = failed.withLock({ $0 }), Date().timeIntervalSince(failure.at) < 10 { throw failure.error }
        let token: String
        do { token = try fetch() } catch {
            let failure = (error as? ARMError) ?? ARMError("the token command failed: \(error)")
            failed.withLock { $0 = (failure, Date()) }
            throw failure
        }
        guard !token.contains(where: \.isNewline) else { throw ARMError("the token command printed more than one line") }
        cached.withLock { $0 = (token, Date()) }
        failed.withLock { $0 = nil }
        return token
    }

    func invalidate() { cached.withLock { $0 = nil } }
}
