import FleetEvents
import FleetStore
import NIOCore

/// How `fleetledger serve` runs: where it listens, which store it reads, and its limits.
package struct ServerSettings: Sendable {
    package var listen: ListenAddress
    /// The store as `--db` gives it (an SQLite file, which must exist, or a PostgreSQL URL).
    package var storePath: String
    /// The bearer token every request but `/healthz` must carry; nil for none (loopback only).
    package var token: String?
    /// Threads answering queries, each with its own connection.
    package var workers = 4
    /// Queries that may wait for a worker before the next is refused with 503.
    package var queueLimit = 256
    /// How long a query may take before its request is answered 503.
    package var requestTimeout = TimeAmount.seconds(60)
    /// How long a connection may sit without a request (or a partial request) before it is closed.
    package var idleTimeout = TimeAmount.seconds(30)
    /// Connections open at once; more wait in the listen backlog.
    package var maxConnections = 512
    /// How often an event stream looks for new events.
    package var streamPollInterval = TimeAmount.milliseconds(500)
    /// How often an idle event stream sends a comment, so proxies keep it open.
    package var streamKeepAlive = TimeAmount.seconds(15)
    /// The clock `/metrics` measures the newest events' ages against.
    package var now: @Sendable () throws -> Timestamp = { try Clock.now() }

    package init(listen: ListenAddress, storePath: String, token: String? = nil) {
        self.listen = listen
        self.storePath = storePath
        self.token = token
    }
}
