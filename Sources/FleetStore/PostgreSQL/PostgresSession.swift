import FleetEvents
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// One connection to a PostgreSQL server, used synchronously: the store's API is synchronous, so
/// each call waits on the connection's event loop, never on Swift's cooperative pool. Closed in
/// `deinit`.
///
/// Every failure leaves as a `StoreError` of one sentence naming the server (never the password)
/// and what to do.
final class PostgresSession {
    let address: PostgresAddress
    private var connection: PostgresConnection
    private let logger = Logger(label: "fleetledger.postgres")
    /// Whether a transaction is open on the connection: a snapshot inside another runs in it.
    private(set) var inTransaction = false
    /// The statement being waited for, failed by the connection's closing: a statement caught
    /// by the server's ending of the connection was seen to wait forever otherwise.
    private let pending = PendingStatement()

    init(address: PostgresAddress) throws {
        self.address = address
        connection = try Self.connect(address)
        watchClosing()
    }

    private static func connect(_ address: PostgresAddress) throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: try Self.tls(for: address))
        configuration.options.connectTimeout = .seconds(10)
        // So that pg_stat_activity names these sessions.
        configuration.options.additionalStartupParameters = [("application_name", "fleetledger")]
        if address.tls == .verifyFull { configuration.options.tlsServerName = address.host }
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: Logger(label: "fleetledger.postgres")
            ).wait()
        } catch {
            throw Self.failure(error, address: address, connecting: true)
        }
    }

    /// Fails the statement waiting when the connection closes, and marks it closed.
    private func watchClosing() {
        connection.closeFuture.whenComplete { [pending] _ in
            let waiting = pending.withLock { state in
                state.closed = true
                defer { state.promise = nil }
                return state.promise
            }
            waiting?.fail(ConnectionLost())
        }
    }

    /// Session settings (`SET …`), applied now and again on every new connection.
    private var settings: [String] = []

    func configure(_ setting: String) throws {
        try execute(setting)
        settings.append(setting)
    }

    /// A connection lost between transactions (a server restarted, a failover) is made again,
    /// so a long-running reader (`serve`, `collect`) goes on once the server is back; inside a
    /// transaction the loss is the statement's failure.
    private func reconnectIfLost() throws {
        guard !inTransaction, pending.withLock({ $0.closed }) else { return }
        connection = try Self.connect(address)
        pending.withLock { $0 = (nil, false) }
        watchClosing()
        for setting in settings { try execute(setting) }
    }

    deinit {
        try? connection.close().wait()
    }

    private static func tls(for address: PostgresAddress) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch address.tls {
        case .disable:
            return .disable
        case .prefer, .require:
            // As libpq: these encrypt but check no certificate; verify-full does.
            configuration.certificateVerification = .none
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .file(address.rootCertificate ?? "")
        }
        do {
            let context = try NIOSSLContext(configuration: configuration)
            return address.tls == .prefer ? .prefer(context) : .require(context)
        } catch {
            throw StoreError("cannot set up TLS for \(address): \(error); check sslrootcert.")
        }
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try reconnectIfLost()
        do {
            let promise = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
            let closed = pending.withLock { state in
                state.promise = promise
                return state.closed
            }
            if closed { promise.fail(ConnectionLost()) }
            connection.query(query, logger: logger).whenComplete { [pending] result in
                let waiting = pending.withLock { state in
                    defer { if state.promise?.futureResult === promise.futureResult { state.promise = nil } }
                    return state.promise?.futureResult === promise.futureResult ? state.promise : nil
                }
                waiting?.completeWith(result)
            }
            return try promise.futureResult.wait()
        } catch {
            throw Self.failure(error, address: address, connecting: false)
        }
    }

    /// Runs statements that take no parameters, one after the other.
    func execute(_ statements: String...) throws {
        for statement in statements { try query(PostgresQuery(unsafeSQL: statement)) }
    }

    /// The first column of the first row, as an integer (nil when there is no row or it is NULL).
    func scalarInt64(_ query: PostgresQuery) throws -> Int64? {
        guard let row = try self.query(query).first else { return nil }
        return try row.decode(Int64?.self)
    }

    /// Runs `body` in a transaction (`BEGIN` + `mode`), committed when it returns and rolled back
    /// when it throws; inside an open transaction, `body` simply runs in it.
    func transaction<T>(_ mode: String = "", _ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        try begin(mode)
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollBack()
            throw error
        }
    }

    func begin(_ mode: String = "") throws {
        try execute("BEGIN" + (mode.isEmpty ? "" : " " + mode))
        inTransaction = true
    }

    func commit() throws {
        defer { inTransaction = false }
        try execute("COMMIT")
    }

    /// Rolls back the open transaction; a connection already lost has nothing to roll back.
    func rollBack() {
        guard inTransaction else { return }
        inTransaction = false
        try? execute("ROLLBACK")
    }

    /// The sentence for a failure of the connection or of a statement.
    static func failure(_ error: any Error, address: PostgresAddress, connecting: Bool) -> any Error {
        if error is StoreError || error is StoreUnavailable { return error }
        if error is ConnectionLost {
            return StoreUnavailable("the connection to PostgreSQL at \(address) was lost; "
                + "nothing of the open batch was committed, so run the command again once the server is back.")
        }
        guard let psql = error as? PSQLError else {
            let text = "\(error)"
            if text.localizedCaseInsensitiveContains("refused") || text.localizedCaseInsensitiveContains("connect") {
                return StoreUnavailable("cannot reach the PostgreSQL server at \(address.host):\(address.port) (\(text)); "
                    + "check that it runs and that the URL's host and port are right.")
            }
            return StoreError("PostgreSQL at \(address): \(text).")
        }
        let state = psql.serverInfo?[.sqlState]
        let message = psql.serverInfo?[.message] ?? ""
        switch (psql.code, state) {
        case (.server, "28P01"?), (.server, "28000"?):
            return StoreError("the PostgreSQL server at \(address.host):\(address.port) refused user \(address.user) (\(message)); "
                + "give the right password in the URL, $PGPASSWORD or ~/.pgpass.")
        case (.authMechanismRequiresPassword, _):
            return StoreError("the PostgreSQL server at \(address.host):\(address.port) asks user \(address.user) for a password; "
                + "give it in the URL, $PGPASSWORD or ~/.pgpass ($PGPASSFILE), readable by you alone.")
        case (.server, "3D000"?):
            return StoreError("the PostgreSQL server at \(address.host):\(address.port) has no database \(address.database); "
                + "create it (createdb \(address.database)) or name another in the URL.")
        case (.server, "25006"?):
            return StoreError("the PostgreSQL server at \(address.host):\(address.port) refused a write: it or this database is read-only "
                + "(a standby, or default_transaction_read_only); run the commands that write against the primary.")
        case (.server, "55P03"?):
            return StoreUnavailable("another writer has held the store at \(address) for over a minute (its batch is still open), "
                + "so this one gave up waiting for its turn; nothing of this batch was committed, so run it again later.")
        case (.server, "57P01"?), (.server, "57P02"?), (.server, "57P03"?), (.serverClosedConnection, _), (.uncleanShutdown, _):
            return StoreUnavailable("the connection to PostgreSQL at \(address) was lost\(message.isEmpty ? "" : " (\(message))"); "
                + "nothing of the open batch was committed, so run the command again once the server is back.")
        case (.sslUnsupported, _):
            return StoreError("the PostgreSQL server at \(address.host):\(address.port) does not offer TLS, which sslmode=\(address.tls.rawValue) requires; "
                + "enable ssl on the server or choose another sslmode.")
        case (.connectionError, _), (.failedToAddSSLHandler, _):
            let cause = Self.cause(psql.underlying.map { "\($0)" } ?? "\(psql.code)")
            return StoreUnavailable("cannot reach the PostgreSQL server at \(address.host):\(address.port) (\(cause)); "
                + (connecting ? "check that it runs, that the URL's host and port are right, and its TLS settings."
                    : "nothing of the open batch was committed, so run the command again once the server is back."))
        case (.server, _):
            return StoreError("PostgreSQL at \(address) refused a statement: \(message)\(state.map { " (SQLSTATE \($0))" } ?? "").")
        default:
            return StoreError("PostgreSQL at \(address): \(psql.code)\(psql.underlying.map { " (\($0))" } ?? "").")
        }
    }
}

extension PostgresSession {
    /// What a connection failure's underlying error comes to, in a few words rather than NIO's nesting.
    static func cause(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.contains("connection refused") { return "connection refused" }
        if lower.contains("dns") || lower.contains("name or service not known") || lower.contains("no such host") { return "unknown host" }
        if lower.contains("timed out") || lower.contains("timeout") { return "timed out" }
        if lower.contains("certificate") || lower.contains("handshake") || lower.contains("ssl") { return "TLS: \(text)" }
        return text
    }
}

/// The promise of the statement being waited for, and whether the connection has closed: shared
/// with the connection's callbacks, which run on its event loop.
private final class PendingStatement: Sendable {
    private let state = Mutex<(promise: EventLoopPromise<PostgresQueryResult>?, closed: Bool)>((nil, false))

    func withLock<T>(_ body: (inout (promise: EventLoopPromise<PostgresQueryResult>?, closed: Bool)) -> T) -> T {
        state.withLock { body(&$0) }
    }
}

/// The connection closed while a statement waited for its answer.
private struct ConnectionLost: Error {}
