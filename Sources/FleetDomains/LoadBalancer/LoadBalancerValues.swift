import FleetEvents


package enum LoadBalancerKind: String, ContractEnum {
    case regional = "Regional"
    case global = "Global"
    case gateway = "Gateway"
}

package enum ProbeProtocol: String, ContractEnum {
    case tcp = "Tcp"
    case http = "Http"
    case https = "Https"
}

package enum NoHealthyBackendsBehavior: String, ContractEnum {
    case allProbedDown = "AllProbedDown"
    case allProbedUp = "AllProbedUp"
}

package enum AdminState: String, ContractEnum {
    case none = "None"
    case up = "Up"
    case down = "Down"
}

package enum ProbeOutcome: String, ContractEnum {
    case success = "Success"
    case tcpTimeout = "TcpTimeout"
    case httpStatusCode = "HttpStatusCode"
    case httpEndpointUnreachable = "HttpEndpointUnreachable"
    case httpNoResponse = "HttpNoResponse"
}

package enum PlatformHealthState: String, ContractEnum {
    case up = "Up"
    case down = "Down"
    case cleared = "Cleared"
}

