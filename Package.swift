// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "FleetLedger",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fleetledger", targets: ["FleetLedgerMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
        // The event log, its input contract, and everything the commands compute.
        .target(
            name: "FleetLedger",
            dependencies: [
                "FleetSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedMigrations"]
        ),
        // The command line, as a library so tests can run commands in-process.
        .target(
            name: "FleetLedgerCLI",
            dependencies: [
                "FleetLedger",
                "FleetSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "FleetLedgerMain", dependencies: ["FleetLedgerCLI"]),

        // Build tooling: the migration embedder that carries Migrations/*.sql inside the binary.
        .executableTarget(name: "embed-migrations", path: "Tools/EmbedMigrations"),
        // Developer tools: a workload generator and the benchmark.
        .target(name: "FleetWorkload", dependencies: ["FleetLedger"], path: "Tools/FleetWorkload"),
        .executableTarget(name: "fleetledger-workload", dependencies: ["FleetWorkload"], path: "Tools/Workload"),
        .executableTarget(
            name: "fleetledger-bench",
            dependencies: ["FleetWorkload", "FleetLedger", "CFleetSQLite"],
            path: "Tools/Benchmark"
        ),
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["embed-migrations"],
            path: "Tools/EmbedMigrationsPlugin"
        ),

        .target(name: "FleetTestSupport", path: "Tests/FleetTestSupport"),
        .testTarget(name: "FleetSQLiteTests", dependencies: ["FleetSQLite", "FleetTestSupport"]),
        .testTarget(name: "FleetLedgerTests", dependencies: ["FleetLedger", "FleetSQLite", "FleetTestSupport", "FleetWorkload"]),
        .testTarget(name: "FleetLedgerCLITests", dependencies: ["FleetLedgerCLI", "FleetLedger", "FleetSQLite", "FleetTestSupport"]),
    ]
)
