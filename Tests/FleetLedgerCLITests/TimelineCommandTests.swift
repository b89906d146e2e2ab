import FleetEvents
import FleetTestSupport
import Foundation
import Testing

/// One drawn rectangle of a timeline page, read back from its SVG.
struct DrawnSpan: Equatable, CustomStringConvertible {
    var entity: String
    /// `data-state` (history's state text, or `many changes`), or `data-mark` for a mark.
    var state: String
    var start: String
    var end: String
    /// `data-changes`: how many spans a "many changes" rectangle stands for.
    var changes = 1
    var observed = false
    /// Painted solid (`f-`): taking traffic; striped (`h-`): not.
    var traffic = true

    var description: String { "\(entity) \(state) \(start)/\(end)" + (changes > 1 ? " x\(changes)" : "") }

    /// Every span (`marks` false) or mark (`marks` true) of the page, lane by lane.
    static func read(_ html: String, marks: Bool = false) -> [DrawnSpan] {
        var spans: [DrawnSpan] = []
        for lane in html.matches(of: /<g data-entity="([^"]*)"[^>]*>(.*?)<\/g>/.dotMatchesNewlines()) {
            let entity = String(lane.output.1)
            for rect in lane.output.2.matches(of: /<rect ([^>]*)>/) {
                let attributes = Dictionary(rect.output.1.matches(of: /([a-z-]+)="([^"]*)"/).map { (String($0.output.1), String($0.output.2)) },
                                            uniquingKeysWith: { first, _ in first })
                guard let state = attributes[marks ? "data-mark" : "data-state"], let interval = attributes["data-span"] else { continue }
                let ends = interval.split(separator: "/").map(String.init)
                spans.append(DrawnSpan(entity: entity, state: state, start: ends[0], end: ends[1], changes: Int(attributes["data-changes"] ?? "1")!,
                                       observed: attributes["class"]?.hasSuffix(" azure") == true, traffic: attributes["class"]?.hasPrefix("h-") != true))
            }
        }
        // Narrow spans are drawn after the wide ones of their lane: in time order again.
        return spans.enumerated().sorted { ($0.element.entity, $0.element.start, $0.element.end, $0.offset) < ($1.element.entity, $1.element.start, $1.element.end, $1.offset) }
            .map(\.element)
    }

    /// Neighbouring spans of one entity in the same state as one: a span also ends where the state
    /// only changed source or traffic (a drain), which history's state rows do not show.
    static func joined(_ spans: [DrawnSpan]) -> [DrawnSpan] {
        var joined: [DrawnSpan] = []
        for span in spans {
            if let last = joined.last, last.entity == span.entity, last.state == span.state, last.end == span.start {
                joined[joined.count - 1].end = span.end
            } else {
                joined.append(span)
            }
        }
        return joined.map { DrawnSpan(entity: $0.entity, state: $0.state, start: $0.start, end: $0.end, changes: $0.changes) }
    }
}

@Suite("fleetledger report timeline")
struct TimelineCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("demo.sqlite") }
    static let window = ["--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:15:00Z"]

    init() { _ = fleetledger("demo", "--db", db) }

    func run(_ arguments: [String]) -> CLIResult { fleetledger(arguments + ["--db", db]) }

    /// History's state change rows of one entity as spans: from the change to the next (`lastedSeconds`).
    func historySpans(_ entity: String, aspect: String = "status", to value: String? = nil) throws -> [DrawnSpan] {
        let ids = entity.split(separator: "/").map(String.init)
        let subject: [String]
        var rule: String?
        switch ids.count {
        case 3: (subject, rule) = (["--lb", ids[0], "--ip", ids[2]], ids[1])
        case 1: subject = ["--pool", ids[0], "--update"]
        default: subject = ids[0].hasPrefix("vmss") ? ["--scale-set", ids[0], "--instance", ids[1]] : ["--pool", ids[0], "--host", ids[1]]
        }
        let output = run(["history", "--changes", "--format", "json"] + subject)
        #expect(output.exitCode == 0, "\(output.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        return rows.compactMap { row in
            guard let at = row["at"] as? String, let to = row["to"] as? String, to != "none", value == nil || to == value,
                  let lasted = row["lastedSeconds"] as? Double, (row["aspect"] as? String).map({ $0 == aspect || aspect == "state" && $0 == "update status" }) == true,
                  rule.map({ row["subject"] as? String == "rule \($0)" }) ?? true else { return nil }
            let start = Timestamp(rfc3339: at)!
            return DrawnSpan(entity: entity, state: value.map { _ in aspect } ?? to, start: at,
                             end: start.adding(seconds: Int64(lasted.rounded())).rfc3339)
        }
    }

    @Test("the demo's timeline, wide enough to draw every span apart: each span read back from the SVG is one of history --changes' rows")
    func spansAreHistory() throws {
        let page = run(["report", "timeline", "--width", "20000"] + Self.window)
        #expect(page.exitCode == 0, "\(page.stderr)")
        let drawn = DrawnSpan.read(page.stdout)
        let entities = drawn.reduce(into: [String]()) { if !$0.contains($1.entity) { $0.append($1.entity) } }
        // Every entity of the demo: the update, 10 hosts, 5 backends on their rules, 3 instances.
        #expect(entities.count == 19 && entities.contains("hp-finance") && entities.contains("lb-web/rule-http/10.0.2.4") && entities.contains("vmss-api/2"))
        #expect(!drawn.contains { $0.state == "many changes" })
        for entity in entities {
            let aspect = entity.contains("/") ? (entity.hasPrefix("hp-") ? "status" : entity.hasPrefix("vmss") ? "health" : "state") : "update status"
            let expected = try historySpans(entity, aspect: aspect)
            #expect(DrawnSpan.joined(drawn.filter { $0.entity == entity }) == expected, "\(entity)")
        }
    }

    @Test("drain periods and the update's batches are marked on the host lanes they touch, as history's drain mode rows and update steps say")
    func marks() throws {
        let page = run(["report", "timeline", "--pool", "hp-finance"] + Self.window).stdout
        let marks = DrawnSpan.read(page, marks: true)
        let drains = marks.filter { $0.entity == "hp-finance/sh-finance-5" && $0.state == "drain mode on" }
        #expect(drains == (try historySpans("hp-finance/sh-finance-5", aspect: "drain mode", to: "on")).map {
            DrawnSpan(entity: $0.entity, state: "drain mode on", start: $0.start, end: $0.end)
        })
        #expect(drains.count == 2)
        // Drained, the host's span says so in history's words, and is striped (taking no traffic).
        #expect(page.contains("<title>sh-finance-5: status Available, drain mode on: drain mode on by ops-oncall"))
        #expect(page.contains("under a lane: drain mode on") && page.contains("under a lane: a session host update's batch"))
        // sh-finance-2 was in batch 1 twice: before its failure and after the retry.
        #expect(marks.filter { $0.entity == "hp-finance/sh-finance-2" && $0.state.hasPrefix("update") }.map(\.state) == ["update batch 1", "update batch 1"])
        #expect(marks.contains { $0.entity == "hp-finance/sh-finance-0" && $0.state == "update, initial host" })
        // The update's own lane marks each batch while it ran: the initial host, then 1, 2 and 3.
        let batches = marks.filter { $0.entity == "hp-finance" }.map(\.state)
        #expect(batches.first == "update, initial host" && Set(batches) == ["update, initial host", "update batch 1", "update batch 2", "update batch 3"])
    }

    @Test("spans narrower than a pixel merge into one 'many changes' span with their count; together the page still accounts for every change")
    func manyChanges() throws {
        let page = run(["report", "timeline", "--lb", "lb-web", "--rule", "rule-http"] + Self.window)
        let drawn = DrawnSpan.read(page.stdout).filter { $0.entity == "lb-web/rule-http/10.0.2.4" }
        let history = try historySpans("lb-web/rule-http/10.0.2.4", aspect: "state")
        let merged = try #require(drawn.first { $0.state == "many changes" }, "\(drawn)")
        // At 1000 pixels for 2h 15m, a pixel is 8.1 s: the first changes, 5 and 6 s apart, merge.
        #expect(merged.changes >= 2 && merged.start == history[0].start)
        #expect(drawn.reduce(0) { $0 + $1.changes } == history.count)
        #expect(drawn.last?.end == history.last?.end)
        #expect(page.stdout.contains("many changes, \(merged.changes) state spans shorter than a pixel"))
    }

    @Test("the picture and the availability report never disagree: the seconds drawn in each state, and taking traffic, are the report's",
          arguments: [Self.window, ["--since", "2024-04-15T03:30:00Z", "--until", "2024-04-15T04:30:00Z"]])
    func agreesWithAvailability(window: [String]) throws {
        let wide = run(["report", "timeline", "--width", "20000"] + window).stdout
        var drawn: [String: [String: Double]] = [:]
        var traffic: [String: Double] = [:]
        for span in DrawnSpan.read(wide) where span.entity.contains("/") {
            let state = String(span.state.prefix { $0 != " " })
            let seconds = Double(Timestamp(rfc3339: span.end)!.nanoseconds(since: Timestamp(rfc3339: span.start)!)) / 1e9
            drawn[span.entity, default: [:]][state, default: 0] += seconds
            if span.traffic { traffic[span.entity, default: 0] += seconds }
        }
        var compared = 0
        for kind in [["--pool", "hp-finance"], ["--lb", "lb-web"], ["--scale-set", "vmss-api"]] {
            let report = run(["report", "availability", "--format", "json"] + kind + window)
            let rows = try #require((try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["rows"] as? [[String: Any]])
            for row in rows {
                let ids = ["hostPool", "sessionHost", "loadBalancer", "rule", "ipAddress", "scaleSet", "instanceId"].compactMap { row[$0] as? String }
                let seconds = (row["seconds"] as? [String: Double] ?? [:]).filter { $0.value > 0 }
                #expect(drawn[ids.joined(separator: "/")] ?? [:] == seconds, "\(ids)")
                // Solid where it takes traffic, striped where not (a drained host): the report's traffic seconds.
                #expect(traffic[ids.joined(separator: "/")] ?? 0 == row["trafficSeconds"] as? Double, "\(ids)")
                compared += 1
            }
        }
        #expect(compared >= 15, "the demo's hosts, backends and instances (rule-api's come after 04:30)")
    }

    @Test("a window inside the data: spans begun before it say when, spans still in force at its end continue past it, not ongoing")
    func windowInsideTheData() {
        let page = run(["report", "timeline", "--pool", "hp-finance", "--since", "2024-04-15T03:30:00Z", "--until", "2024-04-15T04:30:00Z"]).stdout
        #expect(page.contains("sh-finance-3: status Unavailable -&gt; Available: DomainTrustCheck passed (at 2024-04-15T03:10:39Z, before the window)\n2024-04-15T03:30:00Z to"))
        #expect(page.contains("(continues past the window)") && !page.contains("(ongoing)") && !page.contains("class=\"nodata\""))
    }

    @Test("the page is self-contained: no script, nothing fetched, every id and class it uses defined in it")
    func selfContained() throws {
        let page = run(["report", "timeline"] + Self.window).stdout
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">") && page.hasSuffix("</html>\n"))
        for forbidden in ["<script", "<link", "<img", "@import", "src=", "href="] { #expect(!page.contains(forbidden), "\(forbidden)") }
        let links = page.matches(of: /https?:\/\/[^" ]+/).map { String($0.output) }
        #expect(Set(links) == ["http://www.w3.org/2000/svg"], "only the SVG namespace, which is never fetched")
        let references = Set(page.matches(of: /url\(#([A-Za-z0-9-]+)\)/).map { String($0.output.1) })
        #expect(references.contains("stripe-D55E00") && references.contains("many"))
        for reference in references { #expect(page.contains("<pattern id=\"\(reference)\""), "\(reference)") }
        // Every class a span is painted with is defined in the page's style.
        for paint in Set(page.matches(of: /class="([fh]-[0-9A-F]{6})/).map { String($0.output.1) }) {
            #expect(page.contains(".\(paint) { fill: "), "\(paint)")
        }
        #expect(page.contains("<h3>host pool hp-finance</h3>") && page.contains("<h3>load balancer lb-web, rule rule-api</h3>")
            && page.contains("<h3>scale set vmss-api</h3>"))
        // The window reaches past the log's newest event: said, and drawn as no data.
        #expect(page.contains("The log's newest event is at 2024-04-15T05:13:31Z") && page.contains("class=\"nodata\""))
        // A span's hover text is history's words for it.
        #expect(page.contains("<title>sh-finance-3: status Unavailable -&gt; Available: "))
    }

    @Test("usage: one kind of entity at most, --rule with --lb, a window, a sane width; an unknown name is refused with the known ones")
    func usage() {
        #expect(run(["report", "timeline", "--rule", "rule-http"] + Self.window).exitCode == 64)
        let two = run(["report", "timeline", "--pool", "hp-finance", "--scale-set", "vmss-api"] + Self.window)
        #expect(two.exitCode == 64 && two.stderr.contains("name at most one kind of entity"))
        #expect(run(["report", "timeline", "--width", "50"] + Self.window).stderr.contains("--width must be from 200 to 20000 pixels."))
        #expect(run(["report", "timeline", "--since", "2024-04-15T05:00:00Z", "--until", "2024-04-15T04:00:00Z"]).exitCode == 64)
        let unknown = run(["report", "timeline", "--pool", "hp-nope"] + Self.window)
        #expect(unknown.exitCode == 1 && unknown.stderr.contains("there is no host pool hp-nope") && unknown.stderr.contains("hp-finance"))
        let empty = run(["report", "timeline", "--since", "2020-01-01T00:00:00Z", "--until", "2020-01-02T00:00:00Z"])
        #expect(empty.exitCode == 0 && empty.stdout.contains("No entity had a known state in this window."))
        #expect(empty.stderr == "note: no entity had a known state in this window.\n")
        let late = run(["report", "timeline", "--since", "2024-04-16T00:00:00Z", "--until", "2024-04-17T00:00:00Z"])
        #expect(late.stderr == "note: the log's newest event is at 2024-04-15T05:13:31Z; the page draws the window's 1d 00h 00m after it as no data.\n")
        #expect(late.stdout.contains("(at 2024-04-15T05:00:32Z, before the window)\nin force where the log ends, before this window: no data in it"))
        #expect(!late.stdout.contains("(ongoing)"))
    }

    @Test("--output writes the page whole and says so; an unwritable one is one sentence and no file")
    func output() throws {
        let file = directory.path("incident.html")
        let written = run(["report", "timeline", "--pool", "hp-finance", "--output", file] + Self.window)
        #expect(written.exitCode == 0 && written.stdout.isEmpty && written.stderr.hasPrefix("wrote \(file) ("))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == run(["report", "timeline", "--pool", "hp-finance"] + Self.window).stdout)
        let missing = directory.path("no/such/folder/page.html")
        let refused = run(["report", "timeline", "--output", missing] + Self.window)
        #expect(refused.exitCode == 1 && refused.stderr == "Error: --output \(missing): there is no folder \(directory.path("no/such/folder")).\n")
        let folder = run(["report", "timeline", "--output", directory.path("")] + Self.window)
        #expect(folder.exitCode == 1 && folder.stderr.contains("is a folder; give a file name."), "\(folder.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("")).sorted() == ["demo.sqlite", "incident.html"])
    }

    @Test("an observed-from-Azure span is outlined apart from a derived one")
    func observedFromAzure() throws {
        let store = directory.path("azure.sqlite")
        let body = ImportRESTTests.fixtures.appendingPathComponent("lb-rule-health.json").path
        #expect(fleetledger("import", body, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:00:00Z", "--db", store).exitCode == 0)
        let down = try String(contentsOfFile: body, encoding: .utf8).replacingOccurrences(of: "\"Up_Probe_Success\"", with: "\"Down_Probe_HttpStatusCodeError\"")
            .replacingOccurrences(of: "\"state\": \"Up\"", with: "\"state\": \"Down\"")
        #expect(fleetledger("import", directory.write("down.json", down), "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:30:00Z", "--db", store).exitCode == 0)
        let page = fleetledger("report", "timeline", "--since", "2026-01-10T09:00:00Z", "--until", "2026-01-10T11:00:00Z", "--db", store).stdout
        // Up from the first report to the second; Down from then to the log's end, a pixel wide.
        #expect(DrawnSpan.read(page) == [
            DrawnSpan(entity: "lb1/rulelb/10.1.0.4", state: "Up (Up_Probe_Success)", start: "2026-01-10T10:00:00Z", end: "2026-01-10T10:30:00Z", observed: true),
            DrawnSpan(entity: "lb1/rulelb/10.1.0.4", state: "Down (Down_Probe_HttpStatusCodeError)", start: "2026-01-10T10:30:00Z",
                      end: "2026-01-10T10:30:00Z", observed: true, traffic: false),
        ])
        #expect(page.contains("observed from Azure"))
        #expect(!DrawnSpan.read(run(["report", "timeline"] + Self.window).stdout).contains { $0.observed })
    }
}
