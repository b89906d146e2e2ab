import FleetEvents
import FleetStore
import Foundation

/// Where a FleetLedger store is, as `--db` names it: an SQLite file's path, or a PostgreSQL
/// server's `postgres://` (or `postgresql://`) URL.
package enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresAddress)

    /// Reads `--db`'s value: a PostgreSQL URL, else a file's path.
    package init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if PostgresAddress.isURL(text) {
            self = .postgres(try PostgresAddress(url: text, environment: environment))
        } else if let scheme = text.range(of: "://"), !text[..<scheme.lowerBound].contains("/") {
            throw StoreError("--db \(PostgresAddress.redacted(text)) names neither a file nor a PostgreSQL URL (postgres:// or postgresql://).")
        } else {
            self = .file(text)
        }
    }

    /// The path, or the URL without its password (with its TLS settings: for commands to paste).
    package var forCommands: String {
        switch self {
        case .file(let path): path
        case .postgres(let address): "'\(address.urlForTools)'"
        }
    }

    /// The path, or the URL without its password.
    package var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let address): address.description
        }
    }

    /// Opens the store, creating it when `creating` (else a missing one is refused).
    package func open(creating: Bool, durability: StoreDurability = .normal) throws -> any LedgerStore {
        switch self {
        case .file(let path):
            guard creating || FileManager.default.fileExists(atPath: path) else { throw MissingStore(path: path) }
            return try EventStore(path: path, durability: durability)
        case .postgres(let address):
            return try PostgresStore(address: address, schema: Fleet.schema, creating: creating, durability: durability)
        }
    }

    /// Opens the store to read only: nothing created, migrated or written.
    package func openReadingOnly() throws -> any LedgerStore {
        switch self {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw MissingStore(path: path) }
            return try EventStore(readingOnly: path)
        case .postgres(let address):
            return try PostgresStore(readingOnly: address, schema: Fleet.schema)
        }
    }
}

/// A command that reads or checks a store was pointed at a path with none.
package struct MissingStore: Error, CustomStringConvertible {
    package var path: String

    package init(path: String) { self.path = path }

    package var description: String {
        "there is no store at \(path); give --db (or $FLEETLEDGER_DB) the path of an existing store, "
            + "or create one with fleetledger append, import, collect, copy or demo."
    }
}
