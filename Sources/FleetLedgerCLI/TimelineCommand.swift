import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import Foundation

struct TimelineCommand: StoreQuery {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "The window's history as a picture: one self-contained HTML page, a lane per entity.",
        discussion: """
            Session hosts (--pool, with the pool's session host update above them), backends of \
            load-balancing rules (--lb, with --rule for one rule) or scale set instances (--scale-set); \
            with none of them, every entity of every kind. Each lane is coloured by state, striped where \
            the entity takes no traffic, outlined dashed where the state is Azure's observed one; marks \
            under a host's lane show drain mode and the update batch it was in. Hovering over a span \
            shows its state, cause and duration in history's words. Spans narrower than a pixel merge \
            into one crosshatched span marked "many changes" with their count; a wider --width shows \
            them apart. The page fetches nothing: inline SVG and CSS, no script, so it can be mailed or \
            attached to a ticket. Without --output the page goes to standard output, unless that is a \
            terminal.

            Example: fleetledger report timeline --pool hp-finance --since -12h --until now --output night.html
            """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var selection: ReportSelection

    @Option(help: ArgumentHelp("Write the page to this file (default: standard output).", valueName: "file"), completion: .file(extensions: ["html"]))
    var output: String?
    @Option(help: ArgumentHelp("Pixels across the window, 200 to 20000.", valueName: "pixels"))
    var width = 1000

    var scopes: [AvailabilityScope]? {
        switch (selection.pool, selection.loadBalancer, selection.scaleSet) {
        case (nil, nil, nil): [.hosts(pool: nil), .backends(loadBalancer: nil, rule: nil), .instances(scaleSet: nil)]
        case (let pool?, nil, nil): [.hosts(pool: pool)]
        case (nil, let lb?, nil): [.backends(loadBalancer: lb, rule: selection.rule)]
        case (nil, nil, let scaleSet?): [.instances(scaleSet: scaleSet)]
        default: nil
        }
    }

    func validate() throws {
        try selection.check()
        guard scopes != nil else {
            throw ValidationError("name at most one kind of entity: --pool P, --lb LB [--rule R] or --scale-set S (none: every entity).")
        }
        if !(200...20_000).contains(width) { throw ValidationError("--width must be from 200 to 20000 pixels.") }
        if let output, output.isEmpty { throw ValidationError("--output needs a file name.") }
        if output == nil, Console.current.writesToTerminal {
            throw ValidationError("the timeline is an HTML page: give --output FILE, or redirect standard output to a file.")
        }
    }

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        guard let scopes else { return QueryAnswer(report: "") }
        let console = Console.current
        let (page, note) = try store.timelineReport(scopes, since: selection.since, until: selection.until, width: width) {
            console.progress("read \($0.formatted()) events")
        }
        console.endProgress()
        return QueryAnswer(report: page, note: note)
    }

    func run() throws {
        let console = Console.current
        let answer = try store.openStore().snapshot { try self.answer(on: $0) }
        let (page, note) = (answer.report, answer.note)
        guard let output else {
            console.write(page)
            if let note { console.error(note) }
            return
        }
        let folder = (output as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw StoreError("--output \(output): there is no folder \(folder).")
        }
        // Written beside the target and renamed over it: a failed run never leaves half a page.
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((output as NSString).lastPathComponent).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(page.utf8)) else {
            throw StoreError("--output \(output): cannot write in \(folder.isEmpty ? "this folder" : folder).")
        }
        guard rename(temporary, output) == 0 else {
            let code = POSIXErrorCode(rawValue: errno).map { "\($0)" } ?? "errno \(errno)"
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError(code == "EISDIR" ? "--output \(output): is a folder; give a file name." : "--output \(output): cannot replace it with the page (\(code)).")
        }
        console.error("wrote \(output) (\(page.utf8.count.formatted()) bytes)")
        if let note { console.error(note) }
    }
}
