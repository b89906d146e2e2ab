@testable import FleetOutput
import FleetTestSupport
import Testing

@Suite("JSON output")
struct OutputJSONTests {
    struct Shape: Encodable {
        var name: String
        var id: String
        var count: Int
        var big: Int64
        var flag: Bool
        var ratio: Double
        var missing: String?
        @Nullable var absent: Double?
        @Nullable var present: String?
        var seconds: [String: Double]
        var rows: [[Int]]
        var nested: [Shape]
    }

    @Test("output is the bytes JSONEncoder writes with sorted keys and unescaped slashes, doubles included",
          arguments: [0, 1, -1, 12.5, 0.1, 0.1 + 0.2, 1e-7, 1e21, 1e22, 123_456_789_012_345_680_000, 5e-324,
                      1.7976931348623157e308, 100, 3600, 99.99, 1e16, 1e15, 12_345_678.9, -0.0])
    func sameBytesAsFoundation(ratio: Double) throws {
        let inner = Shape(name: "in", id: "/subscriptions/x", count: 0, big: .min, flag: false, ratio: ratio, missing: "m",
                          absent: ratio, present: nil, seconds: [:], rows: [], nested: [])
        let shape = Shape(name: #"sh-0 "quoted" \ é/ü"# + "\n\t\u{1}", id: "/subscriptions/1/resourceGroups/rg", count: 42,
                          big: .max, flag: true, ratio: ratio, missing: nil, absent: nil, present: "p",
                          seconds: ["Up": ratio, "Down": 2, "Zeta": 0.5, "alpha": 1], rows: [[1, 2], [], [3]], nested: [inner])
        #expect(OutputJSON.encode(shape) == (try foundationJSON(shape)))
        #expect(OutputJSON.encode([shape, inner]) == (try foundationJSON([shape, inner])))
    }
}
