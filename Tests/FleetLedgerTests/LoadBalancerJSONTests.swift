@testable import FleetDomains
@testable import FleetLedger
@testable import FleetStore
import Foundation
import Testing

@Suite("Load balancer JSON")
struct LoadBalancerJSONTests {
    /// Azure's example response of `loadBalancingRules/{rule}/health` (LoadBalancerHealthPerRule),
    /// as Azure documents it.
    static let azureExample = #"""
        {"up": 1, "down": 0, "loadBalancerBackendAddresses": [
          {"ipAddress": "10.1.0.4",
           "networkInterfaceIPConfigurationId": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/NIC1/ipConfigurations/ipConfig",
           "state": "Up", "reason": "Up_Probe_Success"}]}
        """#

    /// The JSON shape of a value: object keys with their shapes, array element shapes, scalar kinds.
    static func shape(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0):\(shape(object[$0]!))" }.joined(separator: ",") + "}"
        case let array as [Any]:
            return "[" + Set(array.map(shape)).sorted().joined(separator: "|") + "]"
        case let number as NSNumber:
            // The shape has no booleans; integers are what Azure's counts are.
            return number.doubleValue == number.doubleValue.rounded() ? "integer" : "number"
        case is String: return "string"
        default: return "null"
        }
    }

    @Test("one rule's JSON has exactly the keys and types of Azure's example, and the same values for the same backend")
    func matchesAzureExample() throws {
        var lb = LoadBalancerEvents()
        lb.configure()
        lb.add("BackendAddressAdded", #""backendPool":"pool","ipAddress":"10.1.0.4","networkInterfaceIPConfigurationId":"/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/NIC1/ipConfigurations/ipConfig""#)
        lb.result("10.1.0.4", "Success")
        let fixture = try StoreFixture()
        try fixture.append(lb.lines)
        let ours = try fixture.store.loadBalancerHealthReport(loadBalancer: "lb", rule: "web", asOf: nil, format: .json)
        let parsed = try JSONSerialization.jsonObject(with: Data(ours.utf8))
        let azure = try JSONSerialization.jsonObject(with: Data(Self.azureExample.utf8))
        #expect(Self.shape(parsed) == Self.shape(azure))
        #expect(NSDictionary(dictionary: parsed as! [String: Any]).isEqual(to: azure as! [String: Any]))
    }

    @Test("an address without a network interface leaves the id out; a powered-off one has empty state and reason")
    func optionalFields() throws {
        var lb = LoadBalancerEvents()
        lb.configure()
        lb.address("10.0.0.4", interface: false)
        lb.address("10.0.0.5")
        lb.result("10.0.0.4", "Success")
        lb.power("10.0.0.5", on: false)
        let fixture = try StoreFixture()
        try fixture.append(lb.lines)
        let json = try fixture.store.loadBalancerHealthReport(loadBalancer: "lb", rule: "web", asOf: nil, format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let addresses = try #require(object["loadBalancerBackendAddresses"] as? [[String: Any]])
        #expect(Set(addresses[0].keys) == ["ipAddress", "state", "reason"])
        #expect(addresses[1]["state"] as? String == "" && addresses[1]["reason"] as? String == "")
        #expect(object["up"] as? Int == 1 && object["down"] as? Int == 0)
    }
}
