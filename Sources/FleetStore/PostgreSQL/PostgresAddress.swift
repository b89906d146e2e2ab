import FleetEvents
import Foundation

/// Where a PostgreSQL store is: `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]`
/// (or `postgresql://`), read as PostgreSQL's own clients read such a URL.
///
/// The password comes from the URL, else `$PGPASSWORD`, else the first matching line of
/// `$PGPASSFILE` or `~/.pgpass`; it is never part of `description`.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection; the server's certificate is not checked.
        case require
        /// TLS, with a certificate signed by `sslrootcert` for the host named in the URL.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The CA certificate (PEM) that `verify-full` checks the server's certificate against.
    public var rootCertificate: String?

    /// Whether `text` names a PostgreSQL store rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `url`; the environment supplies `$PGPASSWORD`, `$PGPASSFILE`, `$HOME` and `$USER`.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(url), let parts = URLComponents(string: url) else {
            throw StoreError("\(Self.redacted(url)) is not a PostgreSQL URL; write postgres://user@host:port/database, "
                + "with any of / # ? @ : % or a space in the password percent-encoded (%2F %23 %3F %40 %3A %25 %20).")
        }
        guard var host = parts.host, !host.isEmpty else {
            throw StoreError("\(Self.redacted(url)) names no host; write postgres://user@host:port/database.")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        port = parts.port ?? 5432
        // URLComponents hands user, password and path back already decoded.
        user = parts.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = path.isEmpty ? user : path
        tls = .prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw StoreError("\(Self.redacted(url)): sslmode is \"\(item.value ?? "")\"; it must be "
                        + TLSMode.allCases.map(\.rawValue).joined(separator: ", ") + ".")
                }
                tls = mode
            case "sslrootcert":
                rootCertificate = item.value
            default:
                throw StoreError("\(Self.redacted(url)): the parameter \(item.name) is not one FleetLedger reads (sslmode, sslrootcert).")
            }
        }
        if tls == .verifyFull, rootCertificate == nil {
            throw StoreError("\(Self.redacted(url)): sslmode=verify-full needs sslrootcert=<the CA certificate's PEM file>.")
        }
        if let file = rootCertificate, !FileManager.default.fileExists(atPath: file) {
            throw StoreError("\(Self.redacted(url)): sslrootcert \(file) does not exist; give the CA certificate's PEM file.")
        }
        if tls == .verifyFull, host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy({ $0.isNumber || $0 == "." }) {
            throw StoreError("\(Self.redacted(url)): sslmode=verify-full checks the certificate against a host name, not an IP address; "
                + "name the host as its certificate does.")
        }
        password = parts.password ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if password == nil {
            let file = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
            // As libpq: a password file others can read is not used.
            let mode = file.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.posixPermissions] as? Int } ?? 0
            if let file, mode & 0o077 == 0, let text = try? String(contentsOfFile: file, encoding: .utf8) {
                password = Self.passwordFile(text, host: host, port: port, database: database, user: user)
            }
        }
    }

    /// The URL for PostgreSQL's own tools (`pg_dump`), with its TLS settings and without its password.
    public var urlForTools: String {
        var query: [String] = []
        if tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
        if let rootCertificate { query.append("sslrootcert=\(rootCertificate)") }
        return description + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// The URL with its password left out, for messages.
    public var description: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// The password of the first `hostname:port:database:username:password` line that matches
    /// (`*` matches anything; `\:` and `\\` escape), as libpq reads `~/.pgpass`.
    static func passwordFile(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [], field = "", escaped = false
            for character in line {
                if escaped {
                    field.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":", fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(character)
                }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// `url` with any password replaced by `***`, found by the URL's shape alone (`scheme://user:password@`),
    /// so a URL that does not parse never shows its password either.
    package static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<rest.index(after: colon)]) + "***" + String(rest[at...])
    }
}
