import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger update, pools")
struct UpdateCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    init() throws {
        let lines = (1...4).map {
            #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:0\#($0)Z","data":{"hostPool":"hp","sessionHost":"sh-\#($0)"}}"#
        }
        _ = fleetledger("append", "--db", db, directory.write("hosts.ndjson", lines.joined(separator: "\n")))
    }

    @Test("schedule, start and status: Azure's status shape with the plan; refusals exit 1")
    func scheduleAndStatus() throws {
        let scheduled = fleetledger("update", "schedule", "--pool", "hp", "--max-vms-removed", "2", "--log-off-delay-minutes", "5",
                                    "--log-off-message", "Save your work", "--at", "2024-04-15T04:00:00Z", "--db", db)
        #expect(scheduled.exitCode == 0 && scheduled.stdout.hasPrefix("update scheduled for host pool hp"))
        let again = fleetledger("update", "schedule", "--pool", "hp", "--max-vms-removed", "2", "--log-off-delay-minutes", "5",
                                "--log-off-message", "x", "--at", "2024-04-15T04:00:01Z", "--db", db)
        #expect(again.exitCode == 1 && again.stderr.contains("Azure allows one update scheduled or running per host pool"))
        #expect(fleetledger("update", "start", "--pool", "hp", "--at", "2024-04-15T04:00:02Z", "--db", db).exitCode == 0)
        let json = fleetledger("update", "status", "--pool", "hp", "--format", "json", "--db", db)
        let status = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(Set(status.keys) == ["id", "name", "status", "startTime", "endTime", "percentComplete", "error", "properties", "plan"])
        #expect(status["status"] as? String == "ValidatingSessionHostUpdate")
        #expect(status["endTime"] is NSNull && status["error"] is NSNull, "absent values are null, as Azure writes them")
        #expect((status["id"] as? String)?.hasSuffix("/hostPools/hp/sessionHostManagements/default/sessionHostUpdateStatuses/default") == true)
        let plan = try #require(status["plan"] as? [[String: Any]])
        #expect(plan.map { ($0["sessionHosts"] as? [[String: Any]])?.map { $0["name"] as? String } } == [["sh-1"], ["sh-2", "sh-3"], ["sh-4"]])
        let progress = try #require((status["properties"] as? [String: Any])?["progress"] as? [String: Any])
        #expect(progress["totalSessionHosts"] as? Int == 4)
        let asOf = fleetledger("update", "status", "--pool", "hp", "--format", "csv", "--as-of", "2024-04-15T04:00:01Z", "--db", db)
        #expect(asOf.stdout == "hostPool,updateId,status,percentComplete,batch,sessionHost,step,vmName\r\n")
        let resume = fleetledger("update", "resume", "--pool", "hp", "--at", "2024-04-15T04:00:03Z", "--db", db)
        // Told in the command's words: the command, and the rule, with no NDJSON field or line.
        #expect(resume.exitCode == 1 && resume.stderr.hasPrefix("Error: update resume: "))
        #expect(resume.stderr.contains("Resume applies to a paused or pausing update") && !resume.stderr.contains("line 1"))
        let cancel = fleetledger("update", "cancel", "--pool", "hp", "--message", "not today", "--at", "2024-04-15T04:00:04Z", "--db", db)
        #expect(cancel.exitCode == 0)
        #expect(fleetledger("update", "status", "--pool", "hp", "--db", db).stdout.contains("is Cancelled"))
    }

    @Test("drain and the update actions store --actor and --reason on their events; without them, neither field")
    func actorAndReason() throws {
        #expect(fleetledger("update", "schedule", "--pool", "hp", "--max-vms-removed", "2", "--log-off-delay-minutes", "5",
                            "--log-off-message", "m", "--at", "2024-04-15T04:00:00Z", "--actor", "ops-bot", "--db", db).exitCode == 0)
        #expect(fleetledger("update", "cancel", "--pool", "hp", "--actor", "alice", "--reason", "change freeze, \"Q4\"",
                            "--at", "2024-04-15T04:00:01Z", "--db", db).exitCode == 0)
        #expect(fleetledger("drain", "on", "--pool", "hp", "--host", "sh-1", "--reason", "disk full",
                            "--at", "2024-04-15T04:00:02Z", "--db", db).exitCode == 0)
        #expect(fleetledger("drain", "off", "--pool", "hp", "--host", "sh-1", "--at", "2024-04-15T04:00:03Z", "--db", db).exitCode == 0)
        let lines = fleetledger("events", "--after-seq", "4", "--db", db).stdout.split(separator: "\n")
        let data = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["data"] as? [String: Any] }
        #expect(data.map { $0?["actor"] as? String } == ["ops-bot", "alice", nil, nil])
        #expect(data.map { $0?["reason"] as? String } == [nil, "change freeze, \"Q4\"", "disk full", nil])
        #expect(data.map { $0?.keys.contains("actor") } == [true, true, false, false], "absent is left out, not null")
    }

    @Test("pools lists each pool with its hosts and its update; a pool without an update has no status")
    func pools() {
        #expect(fleetledger("pools", "--db", db, "--format", "csv").stdout
            == "hostPool,loadBalancerType,maxSessionLimit,hosts,available,notAvailable,sessions,drainedHosts,updateStatus\r\nhp,BreadthFirst,,4,4,0,0,0,\r\n")
        let status = fleetledger("update", "status", "--pool", "hp", "--db", db)
        #expect(status.exitCode == 1 && status.stderr.contains("host pool hp has no session host update"))
    }
}
