@testable import FleetEvents
import Testing

@Suite("IP addresses as Azure accepts them for a backend address")
struct IPAddressTests {
    @Test("IPv4 in dotted decimal and IPv6 in its full, compressed and mixed forms are accepted",
          arguments: ["10.0.0.4", "0.0.0.0", "255.255.255.255", "fd00::4", "::1", "::", "2001:db8:0:0:0:0:2:1",
                      "2001:DB8::2:1", "::ffff:10.0.0.4", "fe80::1:2:3:4:5:6"])
    func accepted(text: String) {
        #expect(IPAddress.isValid(text))
    }

    @Test("anything else is refused", arguments: [
        "not-an-ip", "10.1.0.4.5", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.-1", "10..0.1", "", " 10.0.0.4",
        "2001:db8::2::1", "2001:db8:0:0:0:0:2:1:5", "12345::1", "fe80::1%eth0", "::ffff:10.0.0.256", "1:2:3:4:5:6:7", ":::",
    ])
    func refused(text: String) {
        #expect(!IPAddress.isValid(text))
    }
}
