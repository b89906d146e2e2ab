import FleetLedger
@testable import FleetStore
import FleetTestSupport
import Foundation
import Testing

/// The commands against a PostgreSQL store on a throwaway cluster (`PostgresCluster`): the same
/// answers as on SQLite, and one sentence for every way a server can refuse or fail.
@Suite("PostgreSQL stores through the command line", .enabled(if: PostgresCluster.isAvailable, "PostgreSQL's binaries are not on this machine"))
struct PostgresCommandTests {
    let directory = TemporaryDirectory()

    /// Output that depends on when or where the store was written, not on what it holds.
    private func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: #""recordedAt":"[^"]*""#, with: #""recordedAt":"-""#, options: .regularExpression)
            .replacingOccurrences(of: #""fileBytes":[0-9]+"#, with: #""fileBytes":0"#, options: .regularExpression)
    }

    @Test("the demo gives every command the same answer on PostgreSQL as on SQLite")
    func sameAnswers() throws {
        let sqlite = directory.path("demo.sqlite"), postgres = try PostgresCluster.require().createDatabase()
        #expect(fleetledger("demo", "--db", sqlite).exitCode == 0)
        let demo = fleetledger("demo", "--db", postgres)
        #expect(demo.exitCode == 0)
        #expect(!demo.stdout.contains(PostgresCluster.password), "the password is never printed")
        let window = ["--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T06:00:00Z"]
        let commands: [[String]] = [
            ["hosts"], ["hosts", "--as-of", "2024-04-15T03:10:00Z", "--format", "json"], ["host", "--pool", "hp-finance", "--host", "sh-finance-3"],
            ["pools", "--format", "csv"], ["route", "--pool", "hp-finance"],
            ["update", "status", "--pool", "hp-finance", "--as-of", "2024-04-15T03:30:00Z", "--format", "json"],
            ["lb", "list"], ["lb", "health", "--lb", "lb-web", "--rule", "rule-http", "--format", "json"],
            ["vmss", "list"], ["vmss", "health", "--scale-set", "vmss-api", "--as-of", "2024-04-15T05:12:35Z"],
            ["history", "--pool", "hp-finance", "--host", "sh-finance-2", "--changes"], ["history", "--lb", "lb-web", "--ip", "10.0.2.4"],
            ["availability", "--pool", "hp-finance"] + window, ["report"] + window, ["timeline", "--format", "json"] + window,
            ["staleness", "--stale-after", "10m"], ["events", "--format", "json"], ["events", "--stream", "lb/*", "--limit", "7"],
            ["stats", "--format", "json"], ["hosts", "--pool", "hp-nope"], ["rebuild"],
        ]
        for command in commands {
            let onSQLite = fleetledger(command + ["--db", sqlite]), onPostgres = fleetledger(command + ["--db", postgres])
            #expect(onPostgres.exitCode == onSQLite.exitCode, "\(command)")
            #expect(normalized(onPostgres.stdout) == normalized(onSQLite.stdout), "\(command)")
            #expect(onPostgres.stderr == onSQLite.stderr, "\(command)")
        }
        let verified = fleetledger("verify", "--db", postgres, "--format", "json")
        #expect(verified.exitCode == 0 && verified.stdout.contains(#""valid":true"#), "\(verified.stderr)")
    }

    @Test("a read command never creates a store in an empty database, and says so")
    func missingStore() throws {
        let empty = try PostgresCluster.require().createDatabase()
        let result = fleetledger("hosts", "--db", empty)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("there is no FleetLedger store in the database at postgres://fleet@127.0.0.1:"))
        #expect(!result.stderr.contains(PostgresCluster.password))
    }

    @Test("an unreachable server, a wrong password, a missing database: one sentence each, no password")
    func connectionFailures() throws {
        let cluster = try PostgresCluster.require()
        let nobody = fleetledger("hosts", "--db", "postgres://fleet:\(PostgresCluster.password)@127.0.0.1:1/ledger")
        #expect(nobody.exitCode == 1)
        #expect(nobody.stderr.contains("cannot reach the PostgreSQL server at 127.0.0.1:1"), "\(nobody.stderr)")
        let wrong = fleetledger("hosts", "--db", "postgres://fleet:not-the-password@127.0.0.1:\(cluster.port)/postgres")
        #expect(wrong.exitCode == 1)
        #expect(wrong.stderr.contains("refused user fleet"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("$PGPASSWORD or ~/.pgpass"))
        #expect(!wrong.stderr.contains("not-the-password"))
        let missing = fleetledger("hosts", "--db", cluster.url(database: "no_such_database"))
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("has no database no_such_database; create it"), "\(missing.stderr)")
        let bad = fleetledger("hosts", "--db", "postgres://fleet@127.0.0.1:\(cluster.port)/x?sslmode=sometimes")
        #expect(bad.stderr.contains(#"sslmode is "sometimes"; it must be disable, prefer, require, verify-full"#), "\(bad.stderr)")
    }

    @Test("the password comes from the URL, else $PGPASSWORD, else the first matching line of the password file")
    func passwordSources() throws {
        let cluster = try PostgresCluster.require()
        let bare = cluster.url(database: "postgres", withPassword: false)
        let passfile = directory.write("pgpass", "# comment\nother:5432:*:fleet:wrong\n127.0.0.1:\(cluster.port):*:fleet:\(PostgresCluster.password)\n")
        // As libpq: a file others can read is not used.
        #expect(try PostgresAddress(url: bare, environment: ["PGPASSFILE": passfile]).password == nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile)
        #expect(try PostgresAddress(url: bare, environment: ["PGPASSFILE": passfile]).password == PostgresCluster.password)
        #expect(try PostgresAddress(url: bare, environment: ["PGPASSWORD": "from-env", "PGPASSFILE": passfile]).password == "from-env")
        #expect(try PostgresAddress(url: cluster.url(database: "postgres"), environment: ["PGPASSWORD": "from-env"]).password == PostgresCluster.password)
        #expect(PostgresAddress.passwordFile(#"h\:x:1:d:u:p\:w"#, host: "h:x", port: 1, database: "d", user: "u") == "p:w")
        // A password is never shown, even in a URL that does not parse.
        #expect(PostgresAddress.redacted("postgres://fleet:p/a#ss@db:5432/x") == "postgres://fleet:***@db:5432/x")
        let unparsed = fleetledger("hosts", "--db", "postgres://fleet:se cret/#@127.0.0.1:\(cluster.port)/x")
        #expect(unparsed.exitCode == 1 && !unparsed.stderr.contains("se cret"), "\(unparsed.stderr)")
        let address = try PostgresAddress(url: bare, environment: ["PGPASSFILE": passfile])
        #expect(!address.description.contains(PostgresCluster.password))
        #expect(try PostgresStore(address: address, schema: Fleet.schema, creating: true).eventCount() == 0)
    }

    @Test("a store written by a newer binary is refused with a sentence, nothing changed")
    func newerSchema() throws {
        let cluster = try PostgresCluster.require()
        let db = try cluster.createDatabase()
        #expect(fleetledger("demo", "--db", db).exitCode == 0)
        let name = String(db.split(separator: "/").last!)
        try cluster.sql("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'from_the_future', 'x')", database: name)
        let result = fleetledger("hosts", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("was written by a newer FleetLedger: it has PostgreSQL schema migration 999 (from_the_future)"), "\(result.stderr)")
    }

    @Test("the log is append-only on the server itself, and verify finds an event altered behind its back")
    func tamperedLog() throws {
        let cluster = try PostgresCluster.require()
        let db = try cluster.createDatabase()
        #expect(fleetledger("demo", "--db", db).exitCode == 0)
        let name = String(db.split(separator: "/").last!)
        #expect(throws: PostgresUnavailable.self) { try cluster.sql("UPDATE events SET at = at + 1 WHERE seq = 7", database: name) }
        try cluster.sql("ALTER TABLE events DISABLE TRIGGER events_are_append_only; UPDATE events SET at = at + 1000000000 WHERE seq = 7", database: name)
        let result = fleetledger("verify", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("Error: verification failed: seq 7 was altered"), "\(result.stderr)")
    }

    @Test("four writer processes at once: no gap, no duplicate, one chain, each batch whole")
    func fourWriters() throws {
        let db = try PostgresCluster.require().createDatabase()
        // The writers share some ids: each of those lands once, whichever writer gets there first.
        let writers = try (0..<4).map { writer in
            let own = heartbeats(3_000, pool: "hp-\(writer)", idPrefix: writer + 20)
            let shared = heartbeats(200, pool: "hp-shared", idPrefix: 99)
            let file = directory.write("writer-\(writer).ndjson", own + shared)
            return try FleetLedgerProcess.start(["append", "--commit-every", "250", file, "--db", db])
        }
        var appended = 0, duplicates = 0
        for writer in writers {
            let result = writer.wait()
            #expect(result.exitCode == 0, "\(result.stderr)")
            let numbers = result.stdout.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            appended += numbers.first ?? 0
            duplicates += numbers.dropFirst().first ?? 0
        }
        #expect(appended == 12_200 && duplicates == 600)
        let events = fleetledger("events", "--db", db, "--format", "json").stdout
        let seqs = events.split(separator: "\n").compactMap { line in line.firstRange(of: #"{"seq":"#).map { Int(line[$0.upperBound...].prefix { $0.isNumber })! } }
        #expect(seqs == Array(1...12_200))
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("a server that drops the writer mid-batch: a sentence, nothing half-written, and the retry lands exactly the rest")
    func connectionLostMidBatch() throws {
        let cluster = try PostgresCluster.require()
        let db = try cluster.createDatabase()
        let name = String(db.split(separator: "/").last!)
        let file = directory.write("events.ndjson", heartbeats(60_000, idPrefix: 7))
        let writer = try FleetLedgerProcess.start(["append", "--commit-every", "1000", file, "--db", db])
        // Wait for some commits, then end the writer's connection from the server's side.
        var committed = 0
        for _ in 0..<200 where committed < 3_000 {
            Thread.sleep(forTimeInterval: 0.05)
            committed = Int((try? cluster.sql("SELECT count(*) FROM events", database: name))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        try cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()")
        let result = writer.wait()
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("was lost") && result.stderr.contains("nothing of the open batch was committed"), "\(result.stderr)")
        let kept = try StoreLocation(db).openReadingOnly().eventCount()
        #expect(kept % 1000 == 0 && kept < 60_000, "whole batches only: \(kept)")
        let again = fleetledger("append", file, "--db", db)
        #expect(again.stdout == "appended \(60_000 - kept) events, skipped \(kept) duplicates\n", "\(again.stderr)")
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("a standby made by pg_basebackup -R answers the read commands; the write commands refuse there")
    func readReplica() throws {
        let primary = try PostgresCluster.require()
        let db = try primary.createDatabase()
        #expect(fleetledger("demo", "--db", db).exitCode == 0)
        let standby = try PostgresCluster(primaryOf: primary)
        let name = String(db.split(separator: "/").last!)
        let replica = standby.url(database: name)
        // The standby starts from the primary's state when copied: the demo is already there.
        #expect(fleetledger("hosts", "--db", replica).stdout == fleetledger("hosts", "--db", db).stdout)
        #expect(fleetledger("verify", "--db", replica).exitCode == 0)
        // A later append reaches it by streaming replication.
        #expect(fleetledger("drain", "on", "--pool", "hp-finance", "--host", "sh-finance-5", "--db", db).exitCode == 0)
        var caughtUp = false
        for _ in 0..<100 where !caughtUp {
            caughtUp = fleetledger("hosts", "--db", replica).stdout == fleetledger("hosts", "--db", db).stdout
            if !caughtUp { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(caughtUp)
        for command in [["drain", "off", "--pool", "hp-finance", "--host", "sh-finance-5"], ["rebuild"]] {
            let refused = fleetledger(command + ["--db", replica])
            #expect(refused.exitCode == 1)
            #expect(refused.stderr.contains("is a read-only standby"), "\(refused.stderr)")
        }
    }

    @Test("TLS: sslmode=require encrypts, verify-full checks the certificate against its CA for a host name, and each refusal is a sentence")
    func tls() throws {
        let certificates = directory.url.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        let key = certificates.appendingPathComponent("server.key").path, certificate = certificates.appendingPathComponent("server.crt").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                             "-keyout", key, "-out", certificate]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl made the test certificate")
        let other = directory.url.appendingPathComponent("other.crt").path
        let otherKey = directory.url.appendingPathComponent("other.key").path
        let second = Process()
        second.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        second.arguments = ["req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost", "-keyout", otherKey, "-out", other]
        second.standardError = FileHandle.nullDevice
        try second.run()
        second.waitUntilExit()
        // The server reads its key only when the key is its own and private.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let server = try PostgresCluster(primaryOf: nil, settings: ["ssl=on", "ssl_cert_file=\(certificate)", "ssl_key_file=\(key)"],
                                         handOver: [certificates.path, key, certificate])
        let db = try server.createDatabase()
        let required = server.url(database: String(db.split(separator: "/").last!), query: "sslmode=require")
        #expect(fleetledger("demo", "--db", required).exitCode == 0)
        let verified = server.url(database: String(db.split(separator: "/").last!), query: "sslmode=verify-full&sslrootcert=\(certificate)", host: "localhost")
        let hosts = fleetledger("hosts", "--db", verified)
        #expect(hosts.exitCode == 0, "\(hosts.stderr)")
        let untrusted = fleetledger("hosts", "--db", server.url(database: "postgres", query: "sslmode=verify-full&sslrootcert=\(other)", host: "localhost"))
        #expect(untrusted.exitCode == 1)
        #expect(untrusted.stderr.contains("cannot reach the PostgreSQL server at localhost:\(server.port)"), "\(untrusted.stderr)")
        let byAddress = fleetledger("hosts", "--db", server.url(database: "postgres", query: "sslmode=verify-full&sslrootcert=\(certificate)"))
        #expect(byAddress.stderr.contains("checks the certificate against a host name, not an IP address"), "\(byAddress.stderr)")
        let plain = try PostgresCluster.require()
        let refused = fleetledger("hosts", "--db", plain.url(database: "postgres", query: "sslmode=require"))
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("does not offer TLS"), "\(refused.stderr)")
    }

    @Test("copy: SQLite to PostgreSQL and back gives the same events, times and chain; each copy verifies with the source's head")
    func copyBothWays() throws {
        let source = directory.path("source.sqlite"), postgres = try PostgresCluster.require().createDatabase(), back = directory.path("back.sqlite")
        #expect(fleetledger("demo", "--db", source).exitCode == 0)
        #expect(fleetledger("drain", "on", "--pool", "hp-finance", "--host", "sh-finance-5", "--db", source).exitCode == 0)
        let verified = fleetledger("verify", "--db", source)
        let head = try #require(verified.stdout.split(separator: "\n").first { $0.hasPrefix("head: ") }?.dropFirst(6).split(separator: " ").first)
        let there = fleetledger("copy", "--db", source, "--to", postgres)
        #expect(there.exitCode == 0, "\(there.stderr)")
        #expect(there.stdout.contains("copied 243 events in 2 batches") && there.stdout.contains("head: \(head) "), "\(there.stdout)")
        #expect(!there.stdout.contains(PostgresCluster.password))
        #expect(fleetledger("verify", "--db", postgres, "--expect-head", String(head)).exitCode == 0)
        #expect(fleetledger("copy", "--db", postgres, "--to", back).exitCode == 0)
        #expect(fleetledger("verify", "--db", back, "--expect-head", String(head)).exitCode == 0)
        let events = [source, postgres, back].map { fleetledger("events", "--format", "json", "--db", $0).stdout }
        #expect(events[0].contains("recordedAt") && events[1] == events[0] && events[2] == events[0])
        let again = fleetledger("copy", "--db", source, "--to", postgres)
        #expect(again.exitCode == 1)
        #expect(again.stderr.contains("already holds 243 events; copy fills an empty store only"), "\(again.stderr)")
    }

    @Test("a connection the server ends between statements is made again, and the sessions are named fleetledger")
    func reconnects() throws {
        let cluster = try PostgresCluster.require()
        let db = try cluster.createDatabase()
        #expect(fleetledger("demo", "--db", db).exitCode == 0)
        let name = String(db.split(separator: "/").last!)
        let store = try StoreLocation(db).openReadingOnly()
        #expect(try store.eventCount() == 242)
        try cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try store.eventCount() == 242)
        let sessions = try cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fleetledger' AND datname = '\(name)'")
        #expect(sessions.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test("backup refuses a PostgreSQL store, pointing to pg_dump and copy with the URL's TLS settings and no password")
    func backupRefused() throws {
        let cluster = try PostgresCluster.require()
        let db = try cluster.createDatabase()
        #expect(fleetledger("demo", "--db", db).exitCode == 0)
        let result = fleetledger("backup", directory.path("copy.sqlite"), "--db", db + "?sslmode=disable")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("back it up with pg_dump (pg_dump -Fc -f fleetledger.dump 'postgres://fleet@127.0.0.1:"), "\(result.stderr)")
        #expect(result.stderr.contains("?sslmode=disable'") && result.stderr.contains("fleetledger copy --db '"))
        #expect(!result.stderr.contains(PostgresCluster.password))
        #expect(!FileManager.default.fileExists(atPath: directory.path("copy.sqlite")))
    }

    @Test("a reader following the log by seq while four writers commit never skips a position")
    func followerNeverSkips() throws {
        let db = try PostgresCluster.require().createDatabase()
        #expect(fleetledger("append", "--db", db, directory.write("empty.ndjson", "")).exitCode == 0)
        let writers = try (0..<4).map { writer in
            try FleetLedgerProcess.start(["append", "--commit-every", "50", directory.write("w-\(writer).ndjson", heartbeats(1_500, pool: "hp-\(writer)", idPrefix: writer + 40)), "--db", db])
        }
        let reader = try StoreLocation(db).openReadingOnly()
        var last: Int64 = 0, reads = 0
        while last < 6_000, reads < 20_000 {
            reads += 1
            var seen: [Int64] = []
            try reader.events(matching: EventQuery(afterSeq: last)) { seen.append($0.seq) }
            // Whatever has committed is read from the next position on, without a hole.
            #expect(seen == Array((last + 1)..<(last + 1 + Int64(seen.count))), "after \(last): \(seen.prefix(3))...")
            last = seen.last ?? last
            if seen.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
        }
        for writer in writers { #expect(writer.wait().exitCode == 0) }
        #expect(last == 6_000)
        #expect(reads > 2, "the reader followed the writers, not only the finished log")
    }
}
