import FleetEvents
import FleetLedgerCLI
import FleetServe
import FleetTestSupport
import Foundation
import Testing

/// `/metrics`: the store's state in Prometheus' text format, equal to what the queries answer.
@Suite struct MetricsTests {
    /// The page's samples: `name{labels}` to value.
    static func samples(_ page: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in page.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func theStoreAsTheQueriesSeeIt() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let now = try #require(try? Timestamp.parse("2024-04-15T05:20:00Z").get())
        try await serving(store, { settings in settings.now = { now } }) { server in
            let reply = try await server.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let samples = Self.samples(reply.body)

            // Hosts per status add up to the hosts the hosts command lists, per status.
            let hosts = try #require(try JSONSerialization.jsonObject(with: Data(await fleetledger(["hosts", "--format", "json", "--db", store]).stdout.utf8)) as? [[String: Any]])
            let statuses = hosts.compactMap { ($0["properties"] as? [String: Any])?["status"] as? String }
            #expect(statuses.count == 10)
            for status in Set(statuses) {
                #expect(samples["fleetledger_session_hosts{host_pool=\"hp-finance\",status=\"\(status)\"}"] == Double(statuses.count { $0 == status }))
            }
            #expect(samples["fleetledger_session_hosts{host_pool=\"hp-finance\",status=\"Unavailable\"}"] == 0)
            #expect(samples["fleetledger_session_host_status{host_pool=\"hp-finance\",session_host=\"sh-finance-6\",status=\"NeedsAssistance\"}"] == 1)
            #expect(samples["fleetledger_session_host_drain_mode{host_pool=\"hp-finance\",session_host=\"sh-finance-8\"}"] == 1)
            #expect(samples["fleetledger_session_host_drain_mode{host_pool=\"hp-finance\",session_host=\"sh-finance-1\"}"] == 0)

            // Backends as lb health counts them, with Azure's reason codes.
            #expect(samples["fleetledger_load_balancer_rule_backends_up{load_balancer=\"lb-web\",rule=\"rule-http\"}"] == 3)
            #expect(samples["fleetledger_load_balancer_rule_backends_up{load_balancer=\"lb-web\",rule=\"rule-api\"}"] == 1)
            #expect(samples["fleetledger_load_balancer_backends{load_balancer=\"lb-web\",rule=\"rule-api\",state=\"Down\",reason=\"Down_Probe_TcpProbeTimeout\"}"] == 1)

            #expect(samples["fleetledger_scale_set_instances{scale_set=\"vmss-api\",health_state=\"Healthy\"}"] == 2)
            #expect(samples["fleetledger_scale_set_instances{scale_set=\"vmss-api\",health_state=\"Unhealthy\"}"] == 1)
            #expect(samples["fleetledger_session_host_update_status{host_pool=\"hp-finance\",status=\"Succeeded\"}"] == 1)
            #expect(samples["fleetledger_session_host_update_progress_ratio{host_pool=\"hp-finance\"}"] == 1)

            // The newest session host event is the drain at 05:13:31: 389 s before the clock's 05:20:00.
            #expect(samples["fleetledger_last_event_age_seconds{kind=\"sessionhost\"}"] == 389)
            #expect(samples["fleetledger_last_event_timestamp_seconds{kind=\"sessionhost\"}"] == 1_713_158_011)
            #expect(samples["fleetledger_log_events_total"] == 242)
            #expect((samples["fleetledger_store_size_bytes"] ?? 0) > 0)
        }
    }

    /// The entities' part is kept per log head: an append changes the page at the next scrape.
    @Test func anAppendShowsAtTheNextScrape() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let drain = folder.write("drain.ndjson", """
            {"type":"DrainModeChanged","at":"2024-04-15T05:20:00Z","data":{"hostPool":"hp-finance","sessionHost":"sh-finance-1","allowNewSession":false}}

            """)
        try await serving(store) { server in
            let series = "fleetledger_session_host_drain_mode{host_pool=\"hp-finance\",session_host=\"sh-finance-1\"}"
            #expect(Self.samples(try await server.get("/metrics").body)[series] == 0)
            #expect(Self.samples(try await server.get("/metrics").body)["fleetledger_log_events_total"] == 242)
            #expect(await fleetledger(["append", drain, "--db", store]).exitCode == 0)
            let after = Self.samples(try await server.get("/metrics").body)
            #expect(after[series] == 1)
            #expect(after["fleetledger_log_events_total"] == 243)
        }
    }

    @Test func requestsAreCountedByRouteTemplate() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            _ = try await server.get("/v1/hostPools/hp-finance/sessionHosts")
            _ = try await server.get("/v1/hostPools/hp-finance/sessionHosts?status=Available")
            _ = try await server.get("/v1/hostPools/nope/sessionHosts")
            // A request is counted once its response's last byte is handed over, which may be a moment
            // after the client has it.
            var samples = Self.samples(try await server.get("/metrics").body)
            for _ in 0..<1_000 where samples["fleetledger_http_request_duration_seconds_count{route=\"/v1/hostPools/{pool}/sessionHosts\"}"] != 3 {
                try await Task.sleep(for: .milliseconds(20))
                samples = Self.samples(try await server.get("/metrics").body)
            }
            #expect(samples["fleetledger_http_requests_total{route=\"/v1/hostPools/{pool}/sessionHosts\",code=\"200\"}"] == 2)
            #expect(samples["fleetledger_http_requests_total{route=\"/v1/hostPools/{pool}/sessionHosts\",code=\"404\"}"] == 1)
            #expect(samples["fleetledger_http_request_duration_seconds_count{route=\"/v1/hostPools/{pool}/sessionHosts\"}"] == 3)
            // No series names a pool or a host: the routes' templates only.
            #expect(!samples.keys.contains { $0.hasPrefix("fleetledger_http") && $0.contains("hp-finance") })
        }
    }
}

@Suite struct ListenAddressTests {
    @Test func readsHostAndPort() {
        #expect(ListenAddress("127.0.0.1:9464") == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(ListenAddress("[::1]:80") == ListenAddress(host: "::1", port: 80))
        #expect(ListenAddress("localhost:0") == ListenAddress(host: "localhost", port: 0))
        for wrong in ["127.0.0.1", ":9464", "127.0.0.1:x", "127.0.0.1:70000", "::1:80", "[::1]80"] {
            #expect(ListenAddress(wrong) == nil, "\(wrong)")
        }
        #expect(ListenAddress(host: "::1", port: 80).description == "[::1]:80")
    }

    @Test func knowsLoopback() {
        for loopback in ["127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST"] {
            #expect(ListenAddress(host: loopback, port: 1).isLoopback, "\(loopback)")
        }
        for open in ["0.0.0.0", "10.0.0.4", "::", "128.0.0.1", "127.0.0.1.example.com", "example.com"] {
            #expect(!ListenAddress(host: open, port: 1).isLoopback, "\(open)")
        }
    }
}
