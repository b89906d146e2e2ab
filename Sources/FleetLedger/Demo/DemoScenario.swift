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
    public static let loadBalancingRules = [(loadBalancer: "lb-web", rule: "rule-http"), (loadBalancer: "lb-web", rule: "rule-api")]
    /// When the scenario's first event happens, and its last.
    public static let window = (since: Timestamp(rfc3339: "2024-04-15T03:00:00Z")!, until: Timestamp(rfc3339: "2024-04-15T05:15:00Z")!)

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

        // Added with the audit commands: checks recover and fail, two drains with who and why, the
        // update run to the end through a failure and a retry, the load balancer flapping across its
        // thresholds with an admin override and an AllProbedUp rule, a third instance through its
        // grace period.
        func host(_ name: String, _ fields: String) -> String { #"\#(pool),"sessionHost":"\#(name)",\#(fields)"# }
        event("HealthCheckCompleted", host("sh-finance-7", #""healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckSucceeded""#), after: 60)
        event("HealthCheckCompleted", host("sh-finance-3", #""healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"The trust relationship between this workstation and the primary domain failed""#), after: 30)
        event("HealthCheckCompleted", host("sh-finance-4", #""healthCheckName":"UrlsAccessibleCheck","healthCheckResult":"HealthCheckSucceeded""#), after: 30)
        event("PowerStateChanged", host("sh-finance-9", #""powerState":"Running""#), after: 60)
        event("AgentHeartbeatReceived", #"\#(pool),"sessionHost":"sh-finance-9""#, after: 20)
        event("HealthCheckCompleted", host("sh-finance-3", #""healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckSucceeded""#), after: 240)
        event("DrainModeChanged", host("sh-finance-1", #""allowNewSession":true,"actor":"dana@contoso.com","reason":"disk cleanup done""#), after: 30)
        event("DrainModeChanged", host("sh-finance-5", #""allowNewSession":false,"actor":"ops-oncall","reason":"investigating slow sign-ins, ticket \"INC-4411\"""#), after: 20)
        event("DrainModeChanged", host("sh-finance-5", #""allowNewSession":true,"actor":"ops-oncall","reason":"INC-4411 resolved""#), after: 300)

        // The update: the initial host, then batches of 3; sh-finance-2 fails to register and is retried.
        event("SessionHostUpdateControlled", #"\#(pool),"action":"Start","actor":"alice@contoso.com","reason":"April image (24H2), change CHG-2291""#, after: 60)
        func steps(_ names: [String], _ steps: [String]) {
            for step in steps {
                for (index, name) in names.enumerated() {
                    // Users get logOffDelayMinutes (10) to sign out.
                    let wait: Int64 = index > 0 ? 2 : (step == "UsersSignedOut" ? 600 : 60)
                    let vm = step == "VmCreated" ? #","vmName":"\#(name)-\#(clock.adding(seconds: wait).rfc3339.prefix(19).replacingColons())""# : ""
                    event("SessionHostUpdateStepRecorded", host(name, #""step":"\#(step)""# + vm), after: wait)
                }
            }
        }
        let allSteps = ["UsersNotified", "UsersSignedOut", "Drained", "Removed", "VmCreated", "Joined", "DrainDisabled", "OriginalDeallocated", "Succeeded"]
        steps(["sh-finance-0"], allSteps)
        steps(["sh-finance-1", "sh-finance-2", "sh-finance-3"], Array(allSteps.prefix(4)))
        event("SessionHostUpdateStepRecorded", host("sh-finance-2", #""step":"Failed","errorCode":"AgentRegistrationFailureGeneric","message":"The agent could not register with the broker""#), after: 90)
        event("SessionHostUpdateControlled", #"\#(pool),"action":"Retry","actor":"alice@contoso.com","reason":"transient registration failure""#, after: 300)
        steps(["sh-finance-1", "sh-finance-3"], Array(allSteps.dropFirst(4)))
        steps(["sh-finance-2"], allSteps)
        steps(["sh-finance-4", "sh-finance-5", "sh-finance-6"], allSteps)
        steps(["sh-finance-7", "sh-finance-8", "sh-finance-9"], allSteps)

        // The load balancer: 10.0.2.5 goes Down after its 2nd failure and comes back; an admin
        // override holds 10.0.2.4 Up through failures; rule-api's probe treats all-down as all-up.
        func probe(_ ip: String, _ outcome: String, probe name: String = "http-80", after seconds: Int64 = 5) {
            let status = outcome == "HttpStatusCode" ? #","statusCode":503"# : ""
            event("ProbeResultRecorded", #"\#(lb),"probe":"\#(name)","ipAddress":"\#(ip)","outcome":"\#(outcome)"\#(status)"#, after: seconds)
        }
        probe("10.0.2.5", "HttpNoResponse")
        probe("10.0.2.5", "Success", after: 30)
        probe("10.0.2.5", "Success")
        event("BackendAdminStateChanged", #"\#(lb),"backendPool":"web-pool","ipAddress":"10.0.2.4","adminState":"Up""#, after: 60)
        probe("10.0.2.4", "HttpStatusCode")
        probe("10.0.2.4", "HttpStatusCode")
        event("BackendAdminStateChanged", #"\#(lb),"backendPool":"web-pool","ipAddress":"10.0.2.4","adminState":"None""#, after: 120)
        probe("10.0.2.4", "Success", after: 60)
        probe("10.0.2.4", "Success")
        event("BackendAdminStateChanged", #"\#(lb),"backendPool":"web-pool","ipAddress":"10.0.2.6","adminState":"None""#, after: 30)
        probe("10.0.2.6", "Success")
        probe("10.0.2.6", "Success")
        event("HealthProbeConfigured", #"\#(lb),"probe":"tcp-443","protocol":"Tcp","port":443,"intervalInSeconds":5,"probeThreshold":1,"noHealthyBackendsBehavior":"AllProbedUp""#, after: 60)
        event("LoadBalancingRuleConfigured", #"\#(lb),"rule":"rule-api","backendPool":"api-pool","probe":"tcp-443""#, after: 1)
        for (index, ip) in ["10.0.3.4", "10.0.3.5"].enumerated() {
            let nic = "/subscriptions/subid/resourceGroups/rg-web/providers/Microsoft.Network/networkInterfaces/api-nic-\(index)/ipConfigurations/ipconfig1"
            event("BackendAddressAdded", #"\#(lb),"backendPool":"api-pool","ipAddress":"\#(ip)","networkInterfaceIPConfigurationId":"\#(nic)""#, after: 1)
        }
        for ip in ["10.0.3.4", "10.0.3.5"] { probe(ip, "Success", probe: "tcp-443", after: 2) }
        probe("10.0.3.4", "TcpTimeout", probe: "tcp-443", after: 300)
        probe("10.0.3.5", "TcpTimeout", probe: "tcp-443", after: 1)
        probe("10.0.3.5", "Success", probe: "tcp-443", after: 240)
        probe("10.0.3.4", "TcpTimeout", probe: "tcp-443", after: 1)

        // The scale set: instance 2 starts with an app that is not ready, so its grace period
        // (10 s) expires to Unknown before it turns Healthy; instance 1 recovers; instance 0 fails.
        event("ScaleSetInstanceCreated", #"\#(vmss),"instanceId":"2""#, after: 60)
        let degraded = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Degraded\"}""#
        for (instance, result) in [("2", degraded), ("1", healthy), ("0", unhealthy), ("2", degraded), ("1", healthy), ("0", unhealthy),
                                   ("2", healthy), ("2", healthy)] {
            event("ApplicationHealthProbed", #"\#(vmss),"instanceId":"\#(instance)",\#(result)"#, after: instance == "2" ? 5 : 0)
        }
        // The pool as the operator finds it: one host needing assistance, one drained.
        event("HealthCheckCompleted", host("sh-finance-6", #""healthCheckName":"MonitoringAgentCheck","healthCheckResult":"HealthCheckFailed","errorCode":-2147023174,"message":"Geneva Monitoring Agent is not running""#), after: 30)
        event("DrainModeChanged", host("sh-finance-8", #""allowNewSession":false,"actor":"bo@contoso.com","reason":"reserved for the load test""#), after: 20)
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }
}

private extension Substring {
    /// `2024-04-15T03-20-07`: a time as Azure writes it in a new VM's name.
    func replacingColons() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}
