import Foundation
import Synchronization

/// A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` in a temporary folder, on
/// 127.0.0.1 at a free port, run as an ordinary user (PostgreSQL refuses root: as root the tools
/// run as the `postgres` user through `runuser`). One cluster serves a test process, started at
/// its first use and stopped when the process exits; each test takes a database of its own.
///
/// Without PostgreSQL's binaries the tests that need it are skipped, saying so; with
/// `FLEETLEDGER_REQUIRE_POSTGRES=1` (as `.ci/run` sets) they fail instead, so CI never skips them.
public final class PostgresCluster: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    /// The folder holding initdb, pg_ctl, createdb, pg_basebackup.
    private let binaries: String
    /// The account the server and its tools run as, when this process is root.
    private let account: String?
    private let counter = NSLock()
    private var databases = 0

    /// The process's cluster, or why there is none: started by the first test that asks.
    public static let shared: Result<PostgresCluster, PostgresUnavailable> = {
        Result { () throws(PostgresUnavailable) in try PostgresCluster(primaryOf: nil) }
    }()

    /// Whether the PostgreSQL tests run (or must: `FLEETLEDGER_REQUIRE_POSTGRES`): PostgreSQL's
    /// binaries are here. Cheap, for test lists: the cluster itself starts at the first test that uses it.
    public static let isAvailable: Bool = {
        if ProcessInfo.processInfo.environment["FLEETLEDGER_SKIP_POSTGRES"] == "1" {
            FileHandle.standardError.write(Data("note: the PostgreSQL tests are skipped: FLEETLEDGER_SKIP_POSTGRES=1.\n".utf8))
            return false
        }
        if ProcessInfo.processInfo.environment["FLEETLEDGER_REQUIRE_POSTGRES"] == "1" { return true }
        guard binaryFolder() != nil, geteuid() != 0 || getpwnam("postgres") != nil else {
            FileHandle.standardError.write(Data("note: the PostgreSQL tests are skipped: PostgreSQL's initdb and pg_ctl were not found, or there is no postgres account to run them as (install Debian's postgresql, or set FLEETLEDGER_PG_BIN).\n".utf8))
            return false
        }
        return true
    }()

    /// The shared cluster, or the reason it is missing as a thrown error.
    public static func require() throws -> PostgresCluster { try shared.get() }

    /// A new cluster: empty (`primaryOf` nil), or a streaming standby of `primary` made by
    /// `pg_basebackup -R`. Extra server settings go in `settings`.
    /// `handOver` names files the server must own (a TLS key) before it starts.
    public init(primaryOf primary: PostgresCluster?, settings: [String] = [], handOver files: [String] = []) throws(PostgresUnavailable) {
        guard let binaries = Self.binaryFolder() else {
            throw PostgresUnavailable("PostgreSQL's initdb and pg_ctl were not found (install Debian's postgresql, or set FLEETLEDGER_PG_BIN)")
        }
        self.binaries = binaries
        account = geteuid() == 0 ? "postgres" : nil
        if let account, getpwnam(account) == nil {
            throw PostgresUnavailable("this process is root and there is no \(account) account to run PostgreSQL as")
        }
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("fleetledger-pg-\(UUID().uuidString)")
        port = Self.freePort()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try handOver(folder.path)
            for file in files { try handOver(file) }
            let data = folder.appendingPathComponent("data").path
            if let primary {
                try run("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "fleet", "-D", data, "-R", "-X", "stream"])
            } else {
                // Passwords over TCP, as a real server asks (SCRAM); the tools get it from $PGPASSWORD.
                let passwordFile = folder.appendingPathComponent("password").path
                try Self.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
                try handOver(passwordFile)
                try run("initdb", ["-D", data, "-U", "fleet", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=\(passwordFile)",
                                   "-E", "UTF8", "--no-sync", "--locale=C"])
            }
            // fsync off: a test cluster need not survive a power loss, and syncing slows every commit.
            let options = (["-p \(port)", "-k \(folder.path)", "-c listen_addresses=127.0.0.1", "-c fsync=off"] + settings.map { "-c \($0)" })
                .joined(separator: " ")
            try run("pg_ctl", ["-D", data, "-o", options, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "60", "start"])
        } catch {
            throw PostgresUnavailable("the test cluster did not start: \(error)")
        }
        let stop: @Sendable () -> Void = { [binaries, account, folder] in
            _ = try? Self.execute(binaries + "/pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "immediate", "stop"], as: account)
            try? FileManager.default.removeItem(at: folder)
        }
        Self.stopAtExit.withLock { $0.append(stop) }
        if Self.stopAtExit.withLock({ $0.count }) == 1 { atexit { PostgresCluster.stopAll() } }
    }

    /// A new, empty database's URL.
    public func createDatabase() throws -> String {
        let name = counter.withLock { () -> String in
            databases += 1
            return "ledger_\(databases)"
        }
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "fleet", name])
        return url(database: name)
    }

    /// The password of the cluster's user `fleet`.
    public static let password = "fleet-test-secret"

    /// The URL of `database`, with the password unless `withPassword` is false.
    public func url(database: String, query: String = "", withPassword: Bool = true, host: String = "127.0.0.1") -> String {
        "postgres://fleet\(withPassword ? ":" + Self.password : "")@\(host):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query)
    }

    /// Runs one of PostgreSQL's tools (`psql`, `createdb`, ...) as the cluster's account.
    @discardableResult
    public func run(_ tool: String, _ arguments: [String]) throws -> String {
        try Self.execute(binaries + "/" + tool, arguments, as: account)
    }

    /// Runs SQL on `database` through psql, returning its unaligned output.
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        try run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "fleet", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", statement])
    }

    /// Makes `path` the cluster account's, so the server can write it.
    public func handOver(_ path: String) throws {
        guard let account, let entry = getpwnam(account) else { return }
        try FileManager.default.setAttributes([.ownerAccountID: entry.pointee.pw_uid, .groupOwnerAccountID: entry.pointee.pw_gid],
                                              ofItemAtPath: path)
    }

    private static let stopAtExit = Mutex<[@Sendable () -> Void]>([])
    private static func stopAll() { for stop in stopAtExit.withLock({ $0 }) { stop() } }

    /// Runs a tool to its end with posix_spawn and waitpid (Foundation's `Process` was seen to
    /// leave `runuser` unreaped here and wait forever), its output in a file: pg_ctl's server
    /// inherits the output and would hold a pipe open for its whole life.
    private static func execute(_ executable: String, _ arguments: [String], as account: String?) throws -> String {
        // Through bash, which first closes every descriptor but 0, 1 and 2: the server pg_ctl starts
        // would otherwise keep whatever this process had open when it forked, such as the pipes of
        // other tests' processes, which then never see their end.
        let closing = #"for fd in $(ls /proc/$$/fd); do if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null; fi; done; exec "$@""#
        let argv = ["/bin/bash", "-c", closing, "bash"] + (account.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [executable]
        let outputPath = NSTemporaryDirectory() + "fleetledger-pg-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = (argv + arguments).map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let variables: [String] = ProcessInfo.processInfo.environment.filter { $0.key != "PGPASSWORD" }.map { "\($0.key)=\($0.value)" }
            + ["PGPASSWORD=\(password)"]
        let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for variable in environment { free(variable) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environment)
        guard spawned == 0 else { throw PostgresUnavailable("cannot start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw PostgresUnavailable("\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// `$FLEETLEDGER_PG_BIN`, else Debian's newest `/usr/lib/postgresql/N/bin`, else initdb's folder on the PATH.
    private static func binaryFolder() -> String? {
        let manager = FileManager.default
        if let given = ProcessInfo.processInfo.environment["FLEETLEDGER_PG_BIN"] { return given }
        let debian = "/usr/lib/postgresql"
        if let versions = try? manager.contentsOfDirectory(atPath: debian),
           let newest = versions.compactMap(Int.init).max(), manager.isExecutableFile(atPath: "\(debian)/\(newest)/bin/initdb") {
            return "\(debian)/\(newest)/bin"
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where manager.isExecutableFile(atPath: "\(folder)/initdb") && manager.isExecutableFile(atPath: "\(folder)/pg_ctl") {
            return String(folder)
        }
        return nil
    }

    /// A port no one listens on now: bound to 0, read, released.
    private static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the PostgreSQL tests cannot run here.
public struct PostgresUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The engines a test of the whole store runs on: SQLite always, PostgreSQL when
/// `PostgresCluster.isAvailable`.
public enum TestEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public static var underTest: [TestEngine] { PostgresCluster.isAvailable ? allCases : [.sqlite] }

    public var description: String { rawValue }

    /// What `--db` takes for a new, empty store on this engine: a file in `directory`, or a new
    /// database of the shared cluster.
    public func newStore(in directory: TemporaryDirectory) throws -> String {
        switch self {
        case .sqlite: directory.path("store-\(UUID().uuidString).sqlite")
        case .postgres: try PostgresCluster.require().createDatabase()
        }
    }
}
