@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore

/// Builds one NDJSON event line for tests.
func eventLine(
    _ type: String, _ data: String, at: String = "2024-04-15T17:16:07Z", id: String? = nil,
    expectedVersion: Int? = nil
) -> String {
    var line = #"{"type":"\#(type)","at":"\#(at)","data":{\#(data)}"#
    if let id { line += #","id":"\#(id)""# }
    if let expectedVersion { line += #","expectedVersion":\#(expectedVersion)"# }
    return line + "}"
}

/// Decodes one line as `append` does (which shares keys through `keys`).
func decode(_ line: String, keys: StreamKeyInterner? = nil) throws(InputError) -> IncomingEvent {
    var bytes = Array(line.utf8)
    do {
        return try bytes.withUnsafeMutableBufferPointer {
            try IncomingEvent.decode(line: UnsafeBufferPointer($0), catalog: Fleet.schema.catalog, keys: keys)
        }
    } catch let error as InputError {
        throw error
    } catch {
        fatalError("IncomingEvent throws only InputError")
    }
}

func decode(_ type: String, _ data: String) throws(InputError) -> IncomingEvent {
    try decode(eventLine(type, data))
}

/// The error a line is refused with, as the user reads it.
func rejection(_ line: String) -> String? {
    do {
        _ = try decode(line)
        return nil
    } catch {
        return error.description
    }
}

func rejection(_ type: String, _ data: String) -> String? {
    rejection(eventLine(type, data))
}

/// A valid `data` object for every event type, with the stream EVENTS.md derives for it.
let validSamples: [(type: EventType, data: String, stream: String)] = [
    (.hostPoolConfigured, #""hostPool":"hp1","loadBalancerType":"DepthFirst","maxSessionLimit":4"#, "hostpool/hp1"),
    (.sessionHostRegistered, #""hostPool":"hp1","sessionHost":"sh-0","agentVersion":"1.0","virtualMachineId":"vm-guid""#, "sessionhost/hp1/sh-0"),
    (.sessionHostRemoved, #""hostPool":"hp1","sessionHost":"sh-0""#, "sessionhost/hp1/sh-0"),
    (.healthCheckCompleted, #""hostPool":"hp1","sessionHost":"sh-0","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":-2147467259,"message":"no domain""#, "sessionhost/hp1/sh-0"),
    (.agentHeartbeatReceived, #""hostPool":"hp1","sessionHost":"sh-0""#, "sessionhost/hp1/sh-0"),
    (.powerStateChanged, #""hostPool":"hp1","sessionHost":"sh-0","powerState":"Deallocated","reportedByAgent":true"#, "sessionhost/hp1/sh-0"),
    (.agentUpgradeStarted, #""hostPool":"hp1","sessionHost":"sh-0","targetVersion":"1.1""#, "sessionhost/hp1/sh-0"),
    (.agentUpgradeCompleted, #""hostPool":"hp1","sessionHost":"sh-0","agentVersion":"1.1""#, "sessionhost/hp1/sh-0"),
    (.agentUpgradeFailed, #""hostPool":"hp1","sessionHost":"sh-0","message":"timeout""#, "sessionhost/hp1/sh-0"),
    (.drainModeChanged, #""hostPool":"hp1","sessionHost":"sh-0","allowNewSession":false"#, "sessionhost/hp1/sh-0"),
    (.userSessionStarted, #""hostPool":"hp1","sessionHost":"sh-0","user":"ana@contoso.com""#, "sessionhost/hp1/sh-0"),
    (.userSessionEnded, #""hostPool":"hp1","sessionHost":"sh-0","user":"ana@contoso.com""#, "sessionhost/hp1/sh-0"),
    (.sessionHostUpdateScheduled, #""hostPool":"hp1","maxVmsRemoved":3,"deleteOriginalVm":false,"logOffDelayMinutes":10,"logOffMessage":"Save your work","scheduledDateTime":"2024-04-16T01:00:00Z","scheduledDateTimeZone":"UTC""#, "hostpool/hp1"),
    (.sessionHostUpdateControlled, #""hostPool":"hp1","action":"Cancel","cancelMessage":"not today""#, "hostpool/hp1"),
    (.sessionHostUpdateStepRecorded, #""hostPool":"hp1","sessionHost":"sh-0","step":"VmCreated","vmName":"sh-0-2024-04-15T17-16-07""#, "hostpool/hp1"),
    (.loadBalancerConfigured, #""loadBalancer":"lb-web","kind":"Global""#, "lb/lb-web"),
    (.healthProbeConfigured, #""loadBalancer":"lb-web","probe":"http-80","protocol":"Http","port":80,"intervalInSeconds":5,"probeThreshold":2,"requestPath":"/","noHealthyBackendsBehavior":"AllProbedUp""#, "lb/lb-web"),
    (.loadBalancingRuleConfigured, #""loadBalancer":"lb-web","rule":"r1","backendPool":"pool","probe":"http-80""#, "lb/lb-web"),
    (.backendAddressAdded, #""loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","networkInterfaceIPConfigurationId":"/subscriptions/s/nic","regionalLoadBalancer":"lb-east""#, "lb/lb-web/pool/10.0.0.4"),
    (.backendAddressRemoved, #""loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4""#, "lb/lb-web/pool/10.0.0.4"),
    (.backendAdminStateChanged, #""loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","adminState":"Down""#, "lb/lb-web/pool/10.0.0.4"),
    (.backendPowerStateChanged, #""loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","poweredOn":false"#, "lb/lb-web/pool/10.0.0.4"),
    (.probeResultRecorded, #""loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"HttpStatusCode","statusCode":503,"latencyMs":12.5"#, "lb/lb-web/10.0.0.4"),
    (.platformHealthReported, #""loadBalancer":"lb-web","ipAddress":"10.0.0.4","state":"Down""#, "lb/lb-web/10.0.0.4"),
    (.applicationHealthExtensionConfigured, #""scaleSet":"vmss1","typeHandlerVersion":"2.0","protocol":"https","port":443,"requestPath":"/health","intervalInSeconds":10,"numberOfProbes":3,"gracePeriod":600"#, "vmss/vmss1"),
    (.scaleSetInstanceCreated, #""scaleSet":"vmss1","instanceId":"0""#, "vmss/vmss1/0"),
    (.scaleSetInstanceDeleted, #""scaleSet":"vmss1","instanceId":"0""#, "vmss/vmss1/0"),
    (.applicationHealthProbed, #""scaleSet":"vmss1","instanceId":"0","statusCode":200,"body":"{\"ApplicationHealthState\":\"Healthy\"}""#, "vmss/vmss1/0"),
    (.scaleSetHealthProbeConfigured, #""scaleSet":"vmss1","loadBalancer":"lb-web","probe":"http-80""#, "vmss/vmss1"),
    (.scaleSetHealthSourceRemoved, #""scaleSet":"vmss1""#, "vmss/vmss1"),
]
