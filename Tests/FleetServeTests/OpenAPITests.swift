import FleetLedgerCLI
import FleetServe
import FleetTestSupport
import Foundation
import Testing

/// docs/openapi.json describes the API as served: every route, its parameters and
/// representations, and every answer the other suites get, status and body.
@Suite struct OpenAPITests {
    static let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.json").path
    // Read again at each use: a parsed JSON document is no Sendable value to keep in a static.
    static var document: [String: Any] { try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: documentPath))) as! [String: Any] }
    static var paths: [String: [String: Any]] { document["paths"] as! [String: [String: Any]] }
    static let served = ["/healthz", "/metrics", "/openapi.json", "/v1/events/stream"]

    static func operation(_ path: String) -> [String: Any] { paths[path]!["get"] as! [String: Any] }

    @Test func everyRouteIsDocumentedAndNothingElse() {
        #expect(Set(Self.paths.keys) == Set(APIRoutes.all.map(\.path) + Self.served))
        #expect(Self.paths.values.allSatisfy { Set($0.keys).subtracting(["parameters", "summary", "description"]) == ["get"] })
    }

    @Test func parametersAreTheRoutes() throws {
        for route in APIRoutes.all {
            let parameters = (Self.operation(route.path)["parameters"] as? [[String: Any]]) ?? []
            let query = parameters.filter { $0["in"] as? String == "query" }
            let path = parameters.filter { $0["in"] as? String == "path" }
            #expect(Set(query.compactMap { $0["name"] as? String }) == Set(route.parameters), "\(route.path)")
            #expect(Set(query.filter { $0["required"] as? Bool == true }.compactMap { $0["name"] as? String }) == Set(route.required), "\(route.path)")
            #expect(path.compactMap { $0["name"] as? String } == route.pathParameters, "\(route.path)")
            #expect(path.allSatisfy { $0["required"] as? Bool == true })
            let ok = try #require((Self.operation(route.path)["responses"] as? [String: Any])?["200"] as? [String: Any])
            let types = Set(((ok["content"] as? [String: Any]) ?? [:]).keys)
            #expect(types == Set(route.representations.map(\.rawValue)), "\(route.path)")
        }
    }

    @Test func theServedDocumentIsTheCheckedInOne() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            let reply = try await server.get("/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.body == (try String(contentsOfFile: Self.documentPath, encoding: .utf8)))
        }
    }

    /// Requests to every route, right and wrong: each answer's status is one the document gives
    /// the route, in a content type it gives that status, and a JSON body fits its schema.
    @Test func answersFitTheDocument() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let requests: [(template: String, path: String, accept: String?)] =
            RouteTests.cases.map { ($0.route, $0.path, nil) }
            + RouteTests.cases.map { ($0.route, $0.path, "text/csv") }
            + RouteTests.asOfRoutes.map { ($0.route, $0.path + "?asOf=2024-04-15T03:10:00Z", nil) }
            + [("/v1/reports/timeline", "/v1/reports/timeline?since=2024-04-15T03:00:00Z&until=2024-04-15T05:00:00Z", nil),
               ("/v1/hostPools/{pool}/sessionHosts", "/v1/hostPools/nope/sessionHosts", nil),
               ("/v1/hostPools/{pool}/update", "/v1/hostPools/hp-finance/update?asOf=2024-04-15T03:01:00Z", nil),
               ("/v1/hostPools", "/v1/hostPools?staleAfter=15m", nil),
               ("/v1/hostPools", "/v1/hostPools?staleAfter=15m", "text/csv"),
               ("/v1/history", "/v1/history?pool=hp-finance", nil),
               ("/v1/stats", "/v1/stats", "application/xml"),
               ("/v1/events/stream", "/v1/events/stream?lastEventId=200&limit=2", nil),
               ("/v1/events/stream", "/v1/events/stream?lastEventId=x", nil),
               ("/healthz", "/healthz", nil), ("/metrics", "/metrics", nil), ("/openapi.json", "/openapi.json", nil)]
        try await serving(store) { server in
            for request in requests {
                let reply = try await server.get(request.path, headers: request.accept.map { ["Accept": $0] } ?? [:])
                let responses = try #require(Self.operation(request.template)["responses"] as? [String: Any])
                let declared = try #require(responses[String(reply.status)].map(Self.resolve) as? [String: Any],
                                            "\(request.path): \(reply.status) is not in the document")
                let content = try #require(declared["content"] as? [String: Any], "\(request.path)")
                let type = String((reply.header("Content-Type") ?? "").split(separator: ";")[0])
                let media = try #require(content[type] as? [String: Any], "\(request.path): \(type) is not given for \(reply.status)")
                guard type == "application/json", let schema = media["schema"] else { continue }
                let body = try JSONSerialization.jsonObject(with: Data(reply.body.utf8), options: .fragmentsAllowed)
                let problems = Self.check(body, against: schema, at: "$")
                #expect(problems.isEmpty, "\(request.path): \(problems.prefix(5))")
            }
        }
    }

    /// The checker finds what does not fit, or the test above proves nothing.
    @Test func theCheckerFindsMisfits() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let hosts = ((Self.operation("/v1/hostPools/{pool}/sessionHosts")["responses"] as! [String: Any])["200"] as! [String: Any])
        let schema = ((hosts["content"] as! [String: Any])["application/json"] as! [String: Any])["schema"]!
        let answer = await fleetledger(["hosts", "--pool", "hp-finance", "--format", "json", "--db", store]).stdout
        let real = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [[String: Any]])
        #expect(Self.check(real, against: schema, at: "$").isEmpty)
        var renamed = real[0], statusless = real[0], properties = real[0]["properties"] as! [String: Any]
        renamed["name"] = 7
        properties["status"] = nil
        statusless["properties"] = properties
        #expect(Self.check([renamed], against: schema, at: "$") == ["$[0].name: 7 is not [\"string\"]"])
        #expect(Self.check([statusless], against: schema, at: "$") == ["$[0].properties: no status"])
        #expect(!Self.check(real[0], against: schema, at: "$").isEmpty)
    }

    static func resolve(_ value: Any) -> Any {
        guard let object = value as? [String: Any], let reference = object["$ref"] as? String else { return value }
        var found: Any = document
        for part in reference.dropFirst(2).split(separator: "/") { found = (found as? [String: Any])?[String(part)] as Any }
        return resolve(found)
    }

    /// Where `value` does not fit `schema`: types, required properties, enums, items and
    /// properties, following references and any/oneOf (the parts of JSON Schema the document uses).
    static func check(_ value: Any, against schema: Any, at place: String) -> [String] {
        guard let schema = resolve(schema) as? [String: Any] else { return [] }
        for key in ["anyOf", "oneOf"] {
            if let choices = schema[key] as? [Any] {
                return choices.contains { check(value, against: $0, at: place).isEmpty } ? [] : ["\(place): fits none of \(key)"]
            }
        }
        if let allOf = schema["allOf"] as? [Any] { return allOf.flatMap { check(value, against: $0, at: place) } }
        var problems: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }), !types.contains(where: { fits(value, $0) }) {
            return ["\(place): \(value) is not \(types)"]
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) { problems.append("\(place): \(value) is not in the enum") }
        if let object = value as? [String: Any] {
            for name in (schema["required"] as? [String]) ?? [] where object[name] == nil { problems.append("\(place): no \(name)") }
            for (name, property) in (schema["properties"] as? [String: Any]) ?? [:] {
                if let field = object[name] { problems += check(field, against: property, at: place + "." + name) }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { problems += check(item, against: items, at: "\(place)[\(index)]") }
        }
        return problems
    }

    /// Foundation's JSON reader gives numbers and booleans as NSNumber alike, so those two are
    /// told apart only by what Swift can bridge.
    static func fits(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": value is NSNull
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "boolean": value is Bool
        case "integer": (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": value is NSNumber
        default: true
        }
    }
}
