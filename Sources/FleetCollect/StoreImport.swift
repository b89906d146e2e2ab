import FleetEvents
import FleetImport
import FleetLedger
import FleetStore
import Foundation

/// An import of Azure's bodies into a store: `import` and `collect` both go through it.
package struct StoreImport {
    /// What an import did.
    package struct Outcome: Sendable {
        package var events: [ImportedEvent]
        /// Observations not made, equal to Azure's last report.
        package var unchanged: Int
        package var summary: AppendSummary
    }

    /// Reads `bodies` with `request` (its view and spellings taken from `store`), then appends
    /// what they make in one transaction (or `options.commitEvery`), skipping events older than
    /// their stream when `options.skipsOlderThanStream`.
    package static func run(_ bodies: [(name: String, body: JSONValue)], into store: any LedgerStore, request: ImportRequest,
                            options: AppendOptions, checkingOptions: Bool = true) throws -> Outcome {
        var request = request
        let names = try StoreNames(store)
        request.view = try store.projections(asOf: nil)
        request.canonical = names.canonical
        let batch = AzureImport(request)
        for (name, body) in bodies {
            do { try batch.add(body) } catch { throw ImportError("\(name): \(error)") }
        }
        if checkingOptions { try batch.checkOptionsUsed() }
        let events = batch.events
        let lines = Array(events.map(\.line).joined(separator: "\n").utf8)
        let summary = try store.append(from: [.bytes(name: "import", lines)], options: options)
        return Outcome(events: events, unchanged: batch.unchanged, summary: summary)
    }
}

/// The names the store already holds, to spell an imported name as the store does: Azure's names
/// are case-insensitive, and Log Analytics lower-cases the resource ids the host pool comes from.
package final class StoreNames {
    private let store: (any LedgerStore)?
    private let pools: [String: String]
    private var hosts: [String: [String: String]] = [:]

    package init(_ store: (any LedgerStore)?) throws {
        self.store = store
        pools = Self.byLowercase(try store?.knownNames(.hostPool) ?? [])
    }

    package func canonical(_ name: KnownName) -> String {
        switch name.kind {
        case .hostPool:
            return pools[name.name.lowercased()] ?? name.name
        case .sessionHost:
            let pool = name.hostPool ?? ""
            if hosts[pool] == nil { hosts[pool] = Self.byLowercase((try? store?.knownNames(.sessionHost, pool: pool)) ?? []) }
            return hosts[pool]?[name.name.lowercased()] ?? name.name
        }
    }

    private static func byLowercase(_ names: [String]) -> [String: String] {
        Dictionary(names.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }
}
