import FleetEvents

/// The built-in fleet that `fleetledger demo` plays: a host pool with health checks and a drain,
/// a load balancer whose probes flap, and a scale set with rich health states.
///
/// Events carry fixed ids, so playing the demo twice into one store appends nothing new.
public enum DemoScenario {
    /// The host pools the scenario creates.
    public static let hostPools = ["hp-finance"]
    /// The scale sets the scenario creates.
    public static let scaleSets = ["vmss-api"]
    /// The load-balancing rules the scenario creates, by load balancer.
    public static let loadBalancingRules = [(loadBalancer: "lb-web", rule: "rule-http")]

    /// The scenario as NDJSON, one event per line, in time order.
    public static var ndjson: [UInt8] {
        var lines: [String] = []
        var clock = Timestamp(rfc3339: "2024-04-15T03:00:00Z")!
        var counter = 0
        func event(_ type: String, _ data: String, after seconds: Int64 = 5) {
            clock = clock.adding(seconds: seconds)
            counter += 1
            let suffix = String(counter)
            let id = "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - suffix.count) + suffix
            lines.append(#"{"type":"\#(type)","at":"\#(clock.rfc3339)","id":"\#(id)","data":{\#(data)}}"#)
        }

        // Azure Virtual Desktop: a pool of ten session hosts.
        let pool = #""hostPool":"hp-finance""#
        event("HostPoolConfigured", #"\#(pool),"loadBalancerType":"BreadthFirst","maxSessionLimit":8"#)
        let hosts = (0..<10).map { "sh-finance-\($0)" }
        for host in hosts {
            event("SessionHostRegistered", #"\#(pool),"sessionHost":"\#(host)","agentVersion":"1.0.8431.2300""#, after: 1)
            for check in ["DomainJoinedCheck", "SxSStackListenerCheck", "UrlsAccessibleCheck", "MonitoringAgentCheck"] {
                event("HealthCheckCompleted", #"\#(pool),"sessionHost":"\#(host)","healthCheckName":"\#(check)","healthCheckResult":"HealthCheckSucceeded""#, after: 1)
            }
            event("AgentHeartbeatReceived", #"\#(pool),"sessionHost":"\#(host)""#, after: 1)
        }
        for (index, user) in ["amira", "bo", "chen", "dara", "eli", "fen"].enumerated() {
            event("UserSessionStarted", #"\#(pool),"sessionHost":"\#(hosts[index % 3])","user":"\#(user)@contoso.com""#)
        }
        event("HealthCheckCompleted", #"\#(pool),"sessionHost":"sh-finance-4","healthCheckName":"UrlsAccessibleCheck","healthCheckResult":"HealthCheckFailed","errorCode":-2147467259,"message":"Required URLs are not accessible: rdbroker.wvd.microsoft.com""#)
        event("HealthCheckCompleted", #"\#(pool),"sessionHost":"sh-finance-7","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"The specified domain either does not exist or could not be contacted""#)
        event("DrainModeChanged", #"\#(pool),"sessionHost":"sh-finance-1","allowNewSession":false"#)
        event("PowerStateChanged", #"\#(pool),"sessionHost":"sh-finance-9","powerState":"Stopped","reportedByAgent":true"#)
        event("SessionHostUpdateScheduled", #"\#(pool),"maxVmsRemoved":3,"deleteOriginalVm":false,"logOffDelayMinutes":10,"logOffMessage":"This host is being updated. Please save your work and sign out.""#)

        // Load Balancer: two backends behind an HTTP probe with a threshold of 2.
        let lb = #""loadBalancer":"lb-web""#
        event("LoadBalancerConfigured", #"\#(lb),"kind":"Regional""#)
        event("HealthProbeConfigured", #"\#(lb),"probe":"http-80","protocol":"Http","port":80,"requestPath":"/healthz","intervalInSeconds":5,"probeThreshold":2"#)
        event("LoadBalancingRuleConfigured", #"\#(lb),"rule":"rule-http","backendPool":"web-pool","probe":"http-80""#)
        for (index, ip) in ["10.0.2.4", "10.0.2.5"].enumerated() {
            let nic = "/subscriptions/subid/resourceGroups/rg-web/providers/Microsoft.Network/networkInterfaces/web-nic-\(index)/ipConfigurations/ipconfig1"
            event("BackendAddressAdded", #"\#(lb),"backendPool":"web-pool","ipAddress":"\#(ip)","networkInterfaceIPConfigurationId":"\#(nic)""#, after: 1)
        }
        let flaps = [("Success", "Success"), ("Success", "HttpStatusCode"), ("Success", "HttpStatusCode"),
                     ("Success", "Success"), ("TcpTimeout", "Success"), ("Success", "Success")]
        for (first, second) in flaps {
            event("ProbeResultRecorded", #"\#(lb),"probe":"http-80","ipAddress":"10.0.2.4","outcome":"\#(first)","latencyMs":3.2"#)
            let status = second == "HttpStatusCode" ? #","statusCode":503"# : ""
            event("ProbeResultRecorded", #"\#(lb),"probe":"http-80","ipAddress":"10.0.2.5","outcome":"\#(second)"\#(status)"#, after: 0)
        }

        // VM Scale Set: the Application Health extension with rich states over http.
        let vmss = #""scaleSet":"vmss-api""#
        event("ApplicationHealthExtensionConfigured", #"\#(vmss),"typeHandlerVersion":"2.0","protocol":"http","port":8080,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#)
        for instance in ["0", "1"] { event("ScaleSetInstanceCreated", #"\#(vmss),"instanceId":"\#(instance)""#, after: 0) }
        let healthy = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Healthy\"}""#
        let unhealthy = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Unhealthy\"}""#
        for (zero, one) in [(healthy, healthy), (healthy, unhealthy), (healthy, unhealthy), (healthy, #""timedOut":true"#)] {
            event("ApplicationHealthProbed", #"\#(vmss),"instanceId":"0",\#(zero)"#)
            event("ApplicationHealthProbed", #"\#(vmss),"instanceId":"1",\#(one)"#, after: 0)
        }

        // Added after the first release of the scenario, at its end, so earlier events keep their ids:
        // a third backend, taken out by its admin state, and one failure on the way to the threshold.
        let nic = "/subscriptions/subid/resourceGroups/rg-web/providers/Microsoft.Network/networkInterfaces/web-nic-2/ipConfigurations/ipconfig1"
        event("BackendAddressAdded", #"\#(lb),"backendPool":"web-pool","ipAddress":"10.0.2.6","networkInterfaceIPConfigurationId":"\#(nic)""#, after: 1)
        event("BackendAdminStateChanged", #"\#(lb),"backendPool":"web-pool","ipAddress":"10.0.2.6","adminState":"Down""#, after: 1)
        event("ProbeResultRecorded", #"\#(lb),"probe":"http-80","ipAddress":"10.0.2.5","outcome":"HttpNoResponse""#)
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }
}
