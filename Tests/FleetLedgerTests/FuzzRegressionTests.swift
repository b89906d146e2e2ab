@testable import FleetEvents
import FleetFuzzing
@testable import FleetLedger
@testable import FleetStore
import Foundation
import Testing

/// Every input the fuzzer (Tools/fuzz.sh) found a crash with, kept and replayed: each must now be
/// refused cleanly. A crash here ends the test run, which is the point.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz-regressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test("each kept crash input decodes or is refused, without a crash", arguments: inputs)
    func replay(name: String) throws {
        let bytes = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        bytes.withUnsafeBytes { DecoderFuzzing.run($0, schema: Fleet.schema) }
    }

    @Test("a stored string whose length exceeds what an Int holds is refused, not trapped on")
    func hugeLength() throws {
        // Field 5 (virtualMachineId) of SessionHostRegistered, tag string, a 10-byte varint length of 2^64 - 1.
        let type = try #require(Fleet.schema.catalog[name: "SessionHostRegistered"])
        let bytes: [UInt8] = [3, 5] + [UInt8](repeating: 0xFF, count: 9) + [0x01] + Array("vm".utf8)
        #expect(throws: StoreError.self) {
            try bytes.withUnsafeBytes { try PayloadCodec.decode(type: type, stream: StreamKey(rawValue: "sessionhost/hp/sh"), bytes: $0) }
        }
        #expect(!Self.inputs.isEmpty, "the kept inputs are found")
    }

    @Test("the fuzzer's seeds, written from the declarations, are one accepted line and one readable row per type")
    func seeds() throws {
        let seeds = DecoderFuzzing.seeds(schema: Fleet.schema)
        #expect(seeds.count == 2 * Fleet.schema.catalog.declarations.count)
        for seed in seeds {
            let rest = Array(seed.bytes.dropFirst())
            let decoded = seed.bytes[0] == 0
                ? rest.withUnsafeBufferPointer { DecoderFuzzing.decodeLine($0, schema: Fleet.schema) }
                : rest.withUnsafeBytes { DecoderFuzzing.decodeStoredRow($0, schema: Fleet.schema) }
            #expect(decoded != nil, "seed \(seed.name) is refused")
        }
    }
}
