import FleetEvents

/// Azure's reason codes for a backend's health on one load-balancing rule (docs/domain-rules.md, "Reason codes"), with the
/// sentence the portal's health status window displays for each.
package enum HealthReason: String, ContractEnum {
    case upProbeSuccess = "Up_Probe_Success"
    case upProbeAllDownIsUp = "Up_Probe_AllDownIsUp"
    case upProbeApproachingUnhealthyThreshold = "Up_Probe_ApproachingUnhealthyThreshold"
    case upAdmin = "Up_Admin"
    case upPlatform = "Up_Platform"
    case downProbeApproachingHealthyThreshold = "Down_Probe_ApproachingHealthyThreshold"
    case downProbeHttpStatusCodeError = "Down_Probe_HttpStatusCodeError"
    case downProbeHttpEndpointUnreachable = "Down_Probe_HttpEndpointUnreachable"
    case downProbeTcpProbeTimeout = "Down_Probe_TcpProbeTimeout"
    case downProbeNoHealthyBackend = "Down_Probe_NoHealthyBackend"
    case downAdmin = "Down_Admin"
    case downProbeHttpNoResponse = "Down_Probe_HttpNoResponse"
    case downPlatform = "Down_Platform"
    /// Not probed yet.
    case notApplicable = "NA"

    /// The reason a Down backend gets from the outcome of its failing probe.
    package init?(failing outcome: ProbeOutcome) {
        switch outcome {
        case .success: return nil
        case .tcpTimeout: self = .downProbeTcpProbeTimeout
        case .httpStatusCode: self = .downProbeHttpStatusCodeError
        case .httpEndpointUnreachable: self = .downProbeHttpEndpointUnreachable
        case .httpNoResponse: self = .downProbeHttpNoResponse
        }
    }

    /// The portal's displayed reason (docs/domain-rules.md, "Reason codes").
    package var portalText: String {
        switch self {
        case .upProbeSuccess: "The backend instance is responding to health probe successfully."
        case .upProbeAllDownIsUp: "The backend instance is considered healthy due to enablement of NoHealthyBackendsBehavior."
        case .upProbeApproachingUnhealthyThreshold:
            "Health probe is approaching an unhealthy threshold but backend instance remains healthy based on last response."
        case .upAdmin: "The backend instance is healthy due to Admin State set to Up."
        case .upPlatform:
            "The backend instance is responding to the health probe successfully, but there may be an infrastructure related issue. The Azure service team is alerted and will resolve the issue."
        case .downProbeApproachingHealthyThreshold:
            "Health probe is approaching a healthy threshold but backend instance remains unhealthy based on last response."
        case .downProbeHttpStatusCodeError:
            "A non-200 HTTP status code received; meaning there's an issue with the application listening on the port."
        case .downProbeHttpEndpointUnreachable:
            "HTTP endpoint unreachable; meaning either an NSG rule blocking port or unhealthy app listening on port."
        case .downProbeTcpProbeTimeout:
            "TCP probe timeout; meaning either unhealthy backend instance, blocked health probe port, or unhealthy app listening on port."
        case .downProbeNoHealthyBackend: "No healthy backend instances behind the regional load balancer."
        case .downAdmin: "The backend instance is unhealthy due to Admin State set to Down."
        case .downProbeHttpNoResponse: "Application isn't returning a response."
        case .downPlatform:
            "The backend instance is unhealthy due to an infrastructure related issue. The Azure service team is alerted and will resolve the issue."
        case .notApplicable: "The health probe has not probed the backend instance yet."
        }
    }
}

/// A backend's state on a rule: Azure's `Up` and `Down`, or no value for a powered-off backend.
package enum BackendHealthState: String, ContractEnum {
    case up = "Up"
    case down = "Down"
    /// A turned-off VM: Azure returns empty health values, counted in neither `up` nor `down`.
    case unknown = ""
}
