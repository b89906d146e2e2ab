import Foundation
import Testing

/// Unsafe code lives only in the files the README names, under the lifetime contract it states.
@Suite("the unsafe-code fence")
struct UnsafeFenceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let constructs = [
        "Unmanaged", "unowned(unsafe)", "_withUnsafeGuaranteedRef", "UnsafeMutable", "UnsafeRaw", "UnsafePointer",
        "UnsafeBufferPointer", "withUnsafe", "unsafeBitCast", "unsafeDowncast", "bindMemory", "assumingMemoryBound",
        "unsafeUninitializedCapacity", "@unchecked", "nonisolated(unsafe)", "@exclusivity(unchecked)",
        "withMemoryRebound", "[unchecked:", "unsafeLoad", "withBlob(", "OpaquePointer", "cString",
    ]

    /// The `Sources/` files that use any of `constructs`.
    static func filesUsingUnsafeCode() throws -> Set<String> {
        let sources = repository.appendingPathComponent("Sources")
        var found: Set<String> = []
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            if constructs.contains(where: text.contains) {
                found.insert(String(file.path.dropFirst(repository.path.count + 1)))
            }
        }
        return found
    }

    /// The files the README's list names.
    static func fencedFiles() throws -> Set<String> {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- unsafe-files:start -->")), end = try #require(readme.range(of: "<!-- unsafe-files:end -->"))
        let list = readme[start.upperBound..<end.lowerBound]
        // Every `Sources/...swift` path in backquotes.
        return Set(list.split(separator: "`").filter { $0.hasPrefix("Sources/") && $0.hasSuffix(".swift") }.map(String.init))
    }

    @Test("every file with unsafe code is one the README names, and every file it names has some")
    func fence() throws {
        let using = try Self.filesUsingUnsafeCode(), fenced = try Self.fencedFiles()
        #expect(fenced.count > 5, "the README's list is found")
        for file in using.subtracting(fenced).sorted() {
            Issue.record("\(file) uses unsafe code but is not among the README's fenced files: write the safe form, or measure and list it")
        }
        for file in fenced.subtracting(using).sorted() {
            Issue.record("\(file) is listed as fenced but uses no unsafe code: take it off the README's list")
        }
    }

    @Test("the domains use no unsafe code, and the projection engine only in its three engine files")
    func plainContract() throws {
        let using = try Self.filesUsingUnsafeCode()
        #expect(using.filter { $0.hasPrefix("Sources/FleetDomains/") }.isEmpty)
        #expect(using.filter { $0.hasPrefix("Sources/FleetProjection/") }.sorted() == [
            "Sources/FleetProjection/ProjectedEvent.swift", "Sources/FleetProjection/ProjectionPass.swift",
            "Sources/FleetProjection/ProjectorSlot.swift",
        ])
    }
}
