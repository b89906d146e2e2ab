import FleetLedgerCLI
import FleetServe
import FleetTestSupport
import Foundation
import Testing

/// Every refusal is Azure's error JSON with the status that says what went wrong, and the
/// sentence the command line would print.
@Suite struct ErrorTests {
    @Test func refusalsHaveTheirStatusCodeAndSentence() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        // (request, status, code, words the message holds, target)
        let cases: [(String, Int, String, String, String?)] = [
            ("/v1/hostPools/hp-financ/sessionHosts", 404, "ResourceNotFound", "did you mean hp-finance?", nil),
            ("/v1/hostPools/hp-finance/sessionHosts/sh-finance-33", 404, "ResourceNotFound", "There is no session host sh-finance-33 in host pool hp-finance", nil),
            ("/v1/loadBalancers/lb-web/rules/rule-htp/health", 404, "ResourceNotFound", "did you mean rule-http?", nil),
            ("/v1/scaleSets/vmss-ap/instances", 404, "ResourceNotFound", "did you mean vmss-api?", nil),
            ("/v1/history?scaleSet=vmss-api&instance=7", 404, "ResourceNotFound", "There is no instance 7 in scale set vmss-api", nil),
            ("/v1/hostPools?staleAfter=15m", 400, "InvalidParameter", "json keeps Azure's shape", "staleAfter"),
            ("/v1/hostPools?asOf=yesterday", 400, "InvalidParameter", "\"yesterday\" is not a time", "asOf"),
            ("/v1/hostPools?asOf=", 400, "InvalidParameter", "asOf is empty; give it a value.", "asOf"),
            ("/v1/hostPools/hp-finance/update?asOf=2024-04-15T03:01:00Z", 404, "ResourceNotFound", "Host pool hp-finance has no session host update", nil),
            ("/v1/hostPools?asof=2024-04-15", 400, "InvalidParameter", "/v1/hostPools has no query parameter asof; it takes asOf, staleAfter.", "asof"),
            ("/v1/hostPools?asOf=2024-04-15&asOf=2024-04-16", 400, "InvalidParameter", "asOf is given twice", "asOf"),
            ("/v1/reports/availability?since=2024-04-15T03:00:00Z", 400, "InvalidParameter", "needs the query parameter until", "until"),
            ("/v1/reports/availability?since=2024-04-15T05:00:00Z&until=2024-04-15T03:00:00Z&pool=hp-finance", 400, "InvalidParameter",
             "--since must be before --until.", "since"),
            ("/v1/history?pool=hp-finance", 400, "InvalidParameter", "name one entity", nil),
            ("/v1/history?pool=hp-finance&host=sh-finance-3&changes=maybe", 400, "InvalidParameter", "changes is \"maybe\"; it is true or false.", "changes"),
            ("/v1/reports/timeline?since=2024-04-15T03:00:00Z&until=2024-04-15T05:00:00Z&width=5", 400, "InvalidParameter", "--width must be from 200", "width"),
            ("/v1/nowhere", 404, "NotFound", "No route serves /v1/nowhere", nil),
            ("/v1/events/stream?lastEventId=x", 400, "InvalidParameter", "lastEventId is \"x\"; it must be an event's sequence number", "lastEventId"),
            ("/v1/events/stream?follow=1", 400, "InvalidParameter", "no query parameter follow", "follow"),
        ]
        try await serving(store) { server in
            for (path, status, code, words, target) in cases {
                let reply = try await server.get(path)
                #expect(reply.status == status, "\(path): \(reply.body)")
                #expect(reply.header("Content-Type") == "application/json", "\(path)")
                let error = try #require(reply.error, "\(path): \(reply.body)")
                #expect(error.code == code, "\(path)")
                #expect(error.message.contains(words), "\(path): \(error.message)")
                #expect(error.target == target, "\(path)")
            }
        }
    }

    @Test func aBadParameterIsRefusedInTheCommandsSentence() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let cli = await fleetledger(["lb", "list", "--stale-after", "15m", "--format", "json", "--db", store])
        #expect(cli.exitCode == 64)
        try await serving(store) { server in
            let reply = try await server.get("/v1/loadBalancers?staleAfter=15m")
            let message = try #require(reply.error?.message)
            #expect(message == cli.stderr.split(separator: "\n")[0].dropFirst("Error: ".count) + " Over HTTP, send Accept: text/csv.")
        }
    }

    @Test func questionsAnEntityCannotAnswerAre400() async throws {
        let folder = TemporaryDirectory()
        let store = folder.path("edge.sqlite")
        let events = folder.write("edge.ndjson", """
            {"type":"LoadBalancerConfigured","at":"2024-04-15T03:00:00Z","data":{"loadBalancer":"lb-gw","kind":"Gateway"}}
            {"type":"HealthProbeConfigured","at":"2024-04-15T03:00:01Z","data":{"loadBalancer":"lb-gw","probe":"p1","protocol":"Tcp","port":80}}
            {"type":"LoadBalancingRuleConfigured","at":"2024-04-15T03:00:02Z","data":{"loadBalancer":"lb-gw","rule":"r1","backendPool":"bp","probe":"p1"}}
            {"type":"LoadBalancerConfigured","at":"2024-04-15T03:00:00Z","data":{"loadBalancer":"lb-np","kind":"Regional"}}
            {"type":"LoadBalancingRuleConfigured","at":"2024-04-15T03:00:02Z","data":{"loadBalancer":"lb-np","rule":"r1","backendPool":"bp"}}
            {"type":"ScaleSetHealthProbeConfigured","at":"2024-04-15T03:00:03Z","data":{"scaleSet":"vmss-lb","loadBalancer":"lb-gw","probe":"p1"}}

            """)
        #expect(await fleetledger(["append", events, "--db", store]).exitCode == 0)
        try await serving(store) { server in
            for (path, words) in [("/v1/loadBalancers/lb-gw/rules/r1/health", "is a Gateway load balancer"),
                                  ("/v1/loadBalancers/lb-np/rules/r1/health", "has no health probe"),
                                  ("/v1/scaleSets/vmss-lb/instances", "lb-gw")] {
                let reply = try await server.get(path)
                #expect(reply.status == 400, "\(path): \(reply.body)")
                #expect(reply.error?.code == "BadRequest")
                #expect(reply.error?.message.contains(words) == true, "\(path): \(reply.body)")
            }
        }
    }

    @Test func theAcceptHeaderChoosesByQuality() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            for (accept, type) in [("text/csv", "text/csv"), ("text/csv;q=0, */*", "application/json"), ("text/csv, application/json;q=0.1", "text/csv"),
                                   ("application/json;q=0.5, text/*;q=0.9", "text/csv"), ("*/*", "application/json")] {
                let reply = try await server.get("/v1/stats", headers: ["Accept": accept])
                #expect(reply.status == 200, "\(accept)")
                #expect(reply.header("Content-Type") == type + "; charset=utf-8", "\(accept)")
            }
            for accept in ["application/xml", "text/csv;q=0"] {
                let refused = try await server.get("/v1/stats", headers: ["Accept": accept])
                #expect(refused.status == 406, "\(accept)")
                #expect(refused.error?.code == "NotAcceptable")
            }
            let page = try await server.get("/v1/reports/timeline?since=2024-04-15T03:00:00Z&until=2024-04-15T04:00:00Z", headers: ["Accept": "application/json"])
            #expect(page.status == 406)
        }
    }

    @Test func onlyBodilessReadsAreServed() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            for method in ["POST", "HEAD", "DELETE"] {
                let reply = try await server.get("/v1/hostPools", method: method)
                #expect(reply.status == 405, "\(method)")
                #expect(reply.header("Allow") == "GET")
                if method != "HEAD" { #expect(reply.error?.code == "MethodNotAllowed") }
            }
            let long = try await server.get("/v1/hostPools?asOf=" + String(repeating: "9", count: 9_000))
            #expect(long.status == 414)
            #expect(long.error?.code == "RequestUriTooLong")
        }
    }

    /// A store that fails under the server (here: replaced by a file that is no database before
    /// the workers open it) is the operator's problem: 500, not the client's 400 nor "try again".
    @Test func aFailingStoreIs500() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            try Data(repeating: 0x2A, count: 65_536).write(to: URL(fileURLWithPath: store))
            try? FileManager.default.removeItem(atPath: store + "-wal")
            try? FileManager.default.removeItem(atPath: store + "-shm")
            let reply = try await server.get("/v1/hostPools")
            #expect(reply.status == 500)
            #expect(reply.error?.code == "InternalServerError")
            #expect(reply.error?.message.contains("not a FleetLedger store") == true, "\(reply.body)")
            #expect(!reply.body.contains(folder.url.path))
        }
    }

    @Test func aMissingStoreIsRefusedBeforeListening() throws {
        let folder = TemporaryDirectory()
        let settings = ServerSettings(listen: ListenAddress(host: "127.0.0.1", port: 0), storePath: folder.path("none.sqlite"))
        #expect(throws: FleetServer.Refusal.self) { try FleetServer(settings: settings, routes: []) }
        let cli = fleetledger(["serve", "--db", folder.path("none.sqlite"), "--listen", "127.0.0.1:0"])
        #expect(cli.exitCode == 1)
        #expect(cli.stderr.contains("there is no store at \(folder.path("none.sqlite"))"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }
}
