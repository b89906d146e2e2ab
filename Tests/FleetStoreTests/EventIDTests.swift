@testable import FleetStore
import Testing

@Suite("Producer ids")
struct EventIDTests {
    @Test("the 8-4-4-4-12 form is read in either case, and anything else is refused")
    func parsing() throws {
        let id = try #require(EventID("0B7C6F0E-2F55-4D3C-9A43-5F0F3C1F8A21"))
        #expect(id.description == "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a21")
        #expect(id.high == 0x0B7C_6F0E_2F55_4D3C && id.low == 0x9A43_5F0F_3C1F_8A21)
        for bad in ["", "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a2", "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a210",
                    "0b7c6f0e2f55-4d3c-9a43-5f0f3c1f8a21-", "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a2g",
                    "0b7c6f0e-2f55-4d3c-9a43_5f0f3c1f8a21", "0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a2é"] {
            #expect(EventID(bad) == nil, "\(bad)")
        }
    }

    @Test("the bytes SQLite stores are the UUID's, in order, and ids sort as those bytes do")
    func bytesAndOrder() throws {
        let id = try #require(EventID("00112233-4455-6677-8899-aabbccddeeff"))
        #expect(id.bytes == [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF])
        #expect(EventID(bytes: id.bytes) == id)
        let ids = [EventID(high: 1, low: 0), EventID(high: 0, low: .max), EventID(high: 0, low: 2), EventID(high: .max, low: 0)]
        #expect(ids.sorted().map(\.bytes) == ids.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }
}
