import FleetEvents


/// `1.0` reports binary states (Healthy, Unhealthy); `2.0` reports rich states.
package enum TypeHandlerVersion: String, ContractEnum {
    case binary = "1.0"
    case rich = "2.0"
}

package enum ExtensionProtocol: String, ContractEnum {
    case tcp
    case http
    case https
}
