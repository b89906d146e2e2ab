@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import Testing

/// Rules that hold within one event: Azure's probe settings, the Application Health extension's
/// settings, the update settings, and fields that only go with certain values.
@Suite("Settings validation")
struct SettingsValidationTests {
    static let lbProbe = #""loadBalancer":"lb","probe":"p""#
    static let vmss = #""scaleSet":"s""#

    @Test("Load Balancer probe settings follow Azure's Probe resource", arguments: [
        (#""protocol":"Http","port":80"#, #"field "data.requestPath" is missing; an Http probe requires it"#),
        (#""protocol":"Https","port":443"#, #"field "data.requestPath" is missing; an Https probe requires it"#),
        (#""protocol":"Tcp","port":80,"requestPath":"/""#, #"field "data.requestPath" is not allowed for a Tcp probe"#),
        (#""protocol":"Tcp","port":0"#, #"field "data.port" is 0; it must be between 1 and 65535"#),
        (#""protocol":"Tcp","port":65536"#, #"field "data.port" is 65536; it must be between 1 and 65535"#),
        (#""protocol":"Tcp""#, #"field "data.port" is missing; HealthProbeConfigured requires it"#),
        (#""protocol":"Tcp","port":80,"intervalInSeconds":4"#, #"field "data.intervalInSeconds" is 4; it must be between 5 and 2147483647"#),
        (#""protocol":"Tcp","port":80,"probeThreshold":0"#, #"field "data.probeThreshold" is 0; it must be between 1 and 2147483647"#),
    ])
    func probeSettings(fields: String, message: String) {
        #expect(rejection("HealthProbeConfigured", "\(Self.lbProbe),\(fields)") == message)
    }

    @Test("the smallest valid probe settings are accepted")
    func probeBoundaries() throws {
        _ = try decode("HealthProbeConfigured", #"\#(Self.lbProbe),"protocol":"Tcp","port":1,"intervalInSeconds":5,"probeThreshold":1"#)
        _ = try decode("HealthProbeConfigured", #"\#(Self.lbProbe),"protocol":"Https","port":65535,"requestPath":"/health""#)
    }

    @Test("the Application Health extension's settings are validated as the extension does", arguments: [
        (#""typeHandlerVersion":"2.0","protocol":"tcp""#, "port\" is missing; the extension requires a port for tcp"),
        (#""typeHandlerVersion":"2.0","protocol":"tcp","port":80,"requestPath":"/h""#, "requestPath\" is not allowed for tcp"),
        (#""typeHandlerVersion":"2.0","protocol":"http","port":70000"#, "port\" is 70000; it must be between 1 and 65535"),
        (#""typeHandlerVersion":"2.0","protocol":"http","port":0"#, "port\" is 0; it must be between 1 and 65535"),
        (#""typeHandlerVersion":"2.0","protocol":"udp","port":53"#, "protocol\" is \"udp\", which is not one of tcp, http, https"),
        (#""typeHandlerVersion":"2.0","protocol":"http","intervalInSeconds":4"#, "intervalInSeconds\" is 4; it must be between 5 and 60"),
        (#""typeHandlerVersion":"2.0","protocol":"http","intervalInSeconds":61"#, "intervalInSeconds\" is 61; it must be between 5 and 60"),
        (#""typeHandlerVersion":"2.0","protocol":"http","numberOfProbes":0"#, "numberOfProbes\" is 0; it must be between 1 and 24"),
        (#""typeHandlerVersion":"2.0","protocol":"http","numberOfProbes":25"#, "numberOfProbes\" is 25; it must be between 1 and 24"),
        (#""typeHandlerVersion":"2.0","protocol":"http","intervalInSeconds":60,"numberOfProbes":5"#, "numberOfProbes\" times intervalInSeconds is 300 seconds; the extension allows at most 240"),
        (#""typeHandlerVersion":"2.0","protocol":"http","gracePeriod":4"#, "gracePeriod\" is 4; it must be between 5 and 14400"),
        (#""typeHandlerVersion":"2.0","protocol":"http","gracePeriod":14401"#, "gracePeriod\" is 14401; it must be between 5 and 14400"),
        (#""typeHandlerVersion":"1.0","protocol":"http","gracePeriod":60"#, "gracePeriod\" is not allowed with typeHandlerVersion 1.0"),
        (#""typeHandlerVersion":2.0,"protocol":"http""#, "typeHandlerVersion\" must be a string, not a number"),
    ])
    func extensionSettings(fields: String, message: String) throws {
        let refused = try #require(rejection("ApplicationHealthExtensionConfigured", "\(Self.vmss),\(fields)"))
        #expect(refused.contains(message), "\(refused)")
    }

    @Test("the extension's limits themselves are accepted")
    func extensionBoundaries() throws {
        _ = try decode("ApplicationHealthExtensionConfigured", #"\#(Self.vmss),"typeHandlerVersion":"2.0","protocol":"http","intervalInSeconds":60,"numberOfProbes":4,"gracePeriod":14400"#)
        _ = try decode("ApplicationHealthExtensionConfigured", #"\#(Self.vmss),"typeHandlerVersion":"2.0","protocol":"http","intervalInSeconds":10,"numberOfProbes":24,"gracePeriod":5"#)
    }

    @Test("update settings follow sessionHostManagements' limits", arguments: [
        (#""maxVmsRemoved":0,"deleteOriginalVm":true,"logOffDelayMinutes":0,"logOffMessage":"""#, #"field "data.maxVmsRemoved" is 0; it must be at least 1"#),
        (#""maxVmsRemoved":1,"deleteOriginalVm":true,"logOffDelayMinutes":-1,"logOffMessage":"""#, #"field "data.logOffDelayMinutes" is -1; it must be at least 0"#),
        (#""maxVmsRemoved":1,"deleteOriginalVm":true,"logOffDelayMinutes":0"#, #"field "data.logOffMessage" is missing; SessionHostUpdateScheduled requires it"#),
        (#""maxVmsRemoved":1,"logOffDelayMinutes":0,"logOffMessage":"""#, #"field "data.deleteOriginalVm" is missing; SessionHostUpdateScheduled requires it"#),
    ])
    func updateSettings(fields: String, message: String) {
        #expect(rejection("SessionHostUpdateScheduled", #""hostPool":"hp",\#(fields)"#) == message)
    }

    @Test("the log-off message may be 260 characters, not 261")
    func logOffMessageLength() throws {
        let base = #""hostPool":"hp","maxVmsRemoved":1,"deleteOriginalVm":true,"logOffDelayMinutes":0,"logOffMessage":"#
        _ = try decode("SessionHostUpdateScheduled", base + "\"\(String(repeating: "é", count: 260))\"")
        #expect(rejection("SessionHostUpdateScheduled", base + "\"\(String(repeating: "x", count: 261))\"")
            == #"field "data.logOffMessage" is 261 characters long; at most 260 are allowed"#)
    }

    @Test("fields that belong to one value are refused with another", arguments: [
        ("SessionHostUpdateStepRecorded", #""hostPool":"a","sessionHost":"b","step":"Joined","vmName":"x""#, #"field "data.vmName" is not allowed unless step is VmCreated"#),
        ("SessionHostUpdateStepRecorded", #""hostPool":"a","sessionHost":"b","step":"Drained","errorCode":"E""#, #"field "data.errorCode" is not allowed unless step is Failed"#),
        ("SessionHostUpdateStepRecorded", #""hostPool":"a","sessionHost":"b","step":"Succeeded","message":"m""#, #"field "data.message" is not allowed unless step is Failed"#),
        ("SessionHostUpdateControlled", #""hostPool":"a","action":"Pause","cancelMessage":"m""#, #"field "data.cancelMessage" is not allowed unless action is Cancel"#),
        ("ProbeResultRecorded", #""loadBalancer":"lb","probe":"p","ipAddress":"1.2.3.4","outcome":"Success","statusCode":200"#, #"field "data.statusCode" is not allowed unless outcome is HttpStatusCode"#),
        ("ProbeResultRecorded", #""loadBalancer":"lb","probe":"p","ipAddress":"1.2.3.4","outcome":"HttpStatusCode","statusCode":99"#, #"field "data.statusCode" is 99; it must be between 100 and 599"#),
        ("ApplicationHealthProbed", #""scaleSet":"s","instanceId":"0","connected":true,"statusCode":200"#, #"field "data.statusCode" is not allowed with connected; connected is a tcp result, statusCode an http one"#),
        ("ApplicationHealthProbed", #""scaleSet":"s","instanceId":"0","timedOut":true,"statusCode":200"#, #"field "data.statusCode" is not allowed when timedOut is true"#),
        ("PowerStateChanged", #""hostPool":"a","sessionHost":"b","powerState":"Running","reportedByAgent":true"#, #"field "data.reportedByAgent" is not allowed when powerState is Running; it says how a host went down"#),
    ])
    func valueDependentFields(type: String, data: String, message: String) {
        #expect(rejection(type, data) == message)
    }

    @Test("the failure details go with a Failed step")
    func failedStep() throws {
        let event = try decode("SessionHostUpdateStepRecorded", #""hostPool":"a","sessionHost":"b","step":"Failed","errorCode":"AgentRegistrationFailureGeneric","message":"retry""#)
        guard let step = event.payload as? SessionHostUpdateStepRecorded else { Issue.record("wrong payload"); return }
        #expect(step.errorCode == "AgentRegistrationFailureGeneric")
        #expect(step.host == SessionHostID(hostPool: "a", sessionHost: "b"))
    }
}
