// swift-tools-version:6.2
import PackageDescription

// The layers, each a target, with arrows one way (a target imports only those above it here):
//
//   CFleetSQLite -> FleetSQLite -> FleetStore -------------------\
//   FleetEvents -> FleetProjection -> FleetStore -> FleetOutput -+-> FleetLedger -> FleetLedgerCLI -> fleetledger
//                        \-> FleetDomains -> FleetOutput -------/                   /
//                                          \-> FleetImport ------------------------/
//   FleetImport + FleetLedger -> FleetCollect (the collector) -> FleetLedgerCLI
//   FleetLedger -> FleetServe (the HTTP server, on Hummingbird) -> FleetLedgerCLI (which hands it the routes)
//
// FleetStore holds both engines, SQLite and PostgreSQL (postgres-nio), behind one protocol, LedgerStore.
// SQL lives only in FleetSQLite and FleetStore; the domains know no store, the store no domain
// (it is handed their event declarations and projectors); FleetLedger assembles them.
let package = Package(
    name: "FleetLedger",
    // Spans, InlineArray, Mutex and Atomic: the standard library of Swift 6.2 and macOS 26.
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "fleetledger", targets: ["FleetLedgerMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Test only: an independent CSV parser reads our CSV back.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        // `serve`'s HTTP server; in tests and Tools also the fake Resource Manager the collector polls on 127.0.0.1.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // `serve`: graceful shutdown of event streams (Hummingbird runs on it already).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // `serve`: header names beyond the few Hummingbird re-exports (Hummingbird builds on it already).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // `serve`'s /metrics in Prometheus' text format.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The PostgreSQL engine's client (`--db postgres://…`): the wire protocol, SCRAM and TLS.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The event loops postgres-nio runs on, and its logger (both come with it already).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // TLS for PostgreSQL (`sslmode=require|verify-full`); postgres-nio builds on it already.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The system SQLite3 library (Debian: libsqlite3-dev).
        .systemLibrary(
            name: "CFleetSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // A small Swift layer over the C API: connections, cached statements, transactions.
        .target(name: "FleetSQLite", dependencies: ["CFleetSQLite"]),
        // The contract's vocabulary: times, JSON, stream keys, event declarations, field validation.
        .target(name: "FleetEvents"),
        // The projection engine: entity-keyed projectors and the pass that folds events into them.
        .target(name: "FleetProjection", dependencies: ["FleetEvents"]),
        // The log on SQLite: codec, append, ingest, migrations, verification, read-model storage, as-of.
        .target(
            name: "FleetStore",
            dependencies: [
                "FleetSQLite", "FleetEvents", "FleetProjection",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedMigrations"]
        ),
        // The domains: each one's event declarations, projectors and queries (typed values).
        .target(name: "FleetDomains", dependencies: ["FleetEvents", "FleetProjection"]),
        // Import: what Azure reports (REST responses, Log Analytics rows) as the store's own events and observations.
        .target(
            name: "FleetImport",
            dependencies: ["FleetEvents", "FleetProjection", "FleetDomains", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The collector: Azure Resource Manager polled on a schedule, each answer imported.
        .target(name: "FleetCollect", dependencies: ["FleetEvents", "FleetImport", "FleetLedger", "FleetStore"]),
        // The store over HTTP: the JSON API, /metrics, the event stream (`fleetledger serve`).
        .target(
            name: "FleetServe",
            dependencies: [
                "FleetEvents", "FleetProjection", "FleetStore", "FleetDomains", "FleetOutput", "FleetLedger", "FleetSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedMigrations"]
        ),
        // Rendering: JSON, CSV and tables for every query.
        .target(name: "FleetOutput", dependencies: ["FleetEvents", "FleetDomains", "FleetStore"]),
        // The assembly: a store with every domain, the reports the commands print, the demo.
        .target(
            name: "FleetLedger",
            dependencies: ["FleetEvents", "FleetProjection", "FleetStore", "FleetDomains", "FleetOutput"]
        ),
        // The command line, as a library so tests can run commands in-process.
        .target(
            name: "FleetLedgerCLI",
            dependencies: [
                "FleetLedger", "FleetStore", "FleetEvents", "FleetDomains", "FleetOutput", "FleetImport", "FleetCollect", "FleetServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "FleetLedgerMain", dependencies: ["FleetLedgerCLI"]),

        // Build tooling: the migration embedder that carries Migrations/*.sql inside the binary.
        .executableTarget(name: "embed-migrations", path: "Tools/EmbedMigrations"),
        // Developer tools: a workload generator and the benchmark.
        .target(name: "FleetWorkload", dependencies: ["FleetEvents", "FleetDomains"], path: "Tools/FleetWorkload"),
        // The collector's soak run: a fake Azure Resource Manager on 127.0.0.1 (Tools/collect-soak.sh).
        .executableTarget(
            name: "fleetledger-fake-arm",
            dependencies: ["FleetWorkload", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tools/FakeResourceManager"
        ),
        .executableTarget(
            name: "fleetledger-workload",
            dependencies: ["FleetWorkload", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/Workload"
        ),
        .executableTarget(
            name: "fleetledger-bench",
            dependencies: [
                "FleetWorkload", "FleetLedger", "FleetStore", "FleetEvents", "CFleetSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/Benchmark",
            // The committed results the README quotes, and the history of the measurements: not sources.
            exclude: ["results", "HISTORY.md", "README.md"]
        ),
        // The decoders' fuzz entry points, kept out of the production targets; the fuzz target and
        // the regression tests call them.
        .target(name: "FleetFuzzing", dependencies: ["FleetEvents", "FleetStore"], path: "Tools/FleetFuzzing"),
        // The decoders' fuzz target: a corpus replayer here; Tools/fuzz.sh builds it with libFuzzer.
        .executableTarget(
            name: "fleetledger-fuzz",
            dependencies: ["FleetLedger", "FleetStore", "FleetFuzzing"],
            path: "Tools/Fuzz"
        ),
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["embed-migrations"],
            path: "Tools/EmbedMigrationsPlugin"
        ),

        .target(name: "FleetTestSupport", path: "Tests/FleetTestSupport"),
        .testTarget(name: "FleetSQLiteTests", dependencies: ["FleetSQLite", "FleetTestSupport"]),
        // One test target per layer, each with that layer's own tests.
        .testTarget(name: "FleetEventsTests", dependencies: ["FleetEvents"]),
        // The domains' rules and contract, without a store.
        .testTarget(name: "FleetDomainsTests", dependencies: ["FleetDomains", "FleetProjection", "FleetEvents", "FleetDomainFixtures"]),
        // Events of the domains built without a store, for the domains' tests and the store's.
        .target(name: "FleetDomainFixtures", dependencies: ["FleetDomains", "FleetProjection", "FleetEvents"], path: "Tests/FleetDomainFixtures"),
        // The projection engine: slots, passes and typed event data, without a store.
        .testTarget(name: "FleetProjectionTests", dependencies: ["FleetProjection", "FleetEvents", "FleetDomains", "FleetDomainFixtures"]),
        .testTarget(name: "FleetStoreTests", dependencies: ["FleetStore"]),
        .testTarget(name: "FleetOutputTests", dependencies: ["FleetOutput", "FleetDomains", "FleetEvents", "FleetTestSupport"]),
        .testTarget(name: "FleetImportTests", dependencies: ["FleetImport", "FleetEvents", "FleetDomains"]),
        // The collector against a fake Resource Manager served on 127.0.0.1 by Hummingbird.
        .testTarget(
            name: "FleetCollectTests",
            dependencies: [
                "FleetCollect", "FleetLedgerCLI", "FleetLedger", "FleetStore", "FleetEvents", "FleetDomains", "FleetTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The server over real HTTP on 127.0.0.1, with the command line's routes.
        .testTarget(
            name: "FleetServeTests",
            dependencies: [
                "FleetServe", "FleetLedgerCLI", "FleetLedger", "FleetStore", "FleetEvents", "FleetTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "FleetLedgerTests",
            dependencies: [
                "FleetLedger", "FleetEvents", "FleetProjection", "FleetStore", "FleetDomains", "FleetOutput",
                "FleetSQLite", "FleetTestSupport", "FleetWorkload", "FleetFuzzing", "FleetDomainFixtures",
            ],
            // Read from the source tree by path (#filePath), not bundled as resources.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "FleetLedgerCLITests",
            dependencies: [
                "FleetLedgerCLI", "FleetLedger", "FleetStore", "FleetEvents", "FleetDomains", "FleetOutput", "FleetProjection",
                "FleetSQLite", "FleetTestSupport", .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            // Azure's example responses, read from the source tree by path (#filePath).
            exclude: ["Fixtures"]
        ),
    ]
)
