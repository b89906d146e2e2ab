import FleetDomains
import FleetEvents

/// Renders `fleetledger report timeline`: one self-contained HTML page (inline SVG and CSS, nothing
/// fetched), a lane per entity with time across.
///
/// Each span is a rectangle carrying its state and interval in `data-state` and `data-span`
/// (`start/end`, RFC 3339) and, on hover, history's words for it in a `<title>`. Spans narrower
/// than a pixel merge with their neighbours into one "many changes" rectangle with the count
/// (`data-changes`), so the page stays light however many changes the window holds.
package enum TimelineOutput {
    static let labelWidth = 190.0
    static let axisHeight = 30.0
    static let stateHeight = 14.0
    static let markHeight = 4.0
    static let laneGap = 8.0
    /// The fewest pixels between two labelled ticks of the axis.
    static let tickSpacing = 110.0
    static let markColours = ["drain": "#000000", "update": "#0072B2"]

    package static func html(_ page: TimelinePage) -> String {
        var out = ""
        out.reserveCapacity(64 * 1024)
        let window = "\(page.since.rfc3339) to \(page.until.rfc3339)"
        out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>FleetLedger timeline, \(window)</title>\n<style>\n\(css)\(paintCSS(fills(usedStates(page))))</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>Fleet timeline</h1>\n"
        let lanes = page.sections.reduce(0) { $0 + $1.laneCount }
        out += "<p>From <time datetime=\"\(page.since.rfc3339)\">\(page.since.rfc3339)</time> to "
        out += "<time datetime=\"\(page.until.rfc3339)\">\(page.until.rfc3339)</time> (UTC, "
        out += "\(Seconds.words(page.until.seconds(after: page.since)))), \(lanes) lane\(lanes == 1 ? "" : "s"). "
        out += "Hover over a span for its state, how long it lasted and what caused it.</p>\n"
        if let end = page.dataEnd {
            out += "<p class=\"note\">The log's newest event is at \(end.rfc3339): the time after it is drawn as no data.</p>\n"
        }
        var body = ""
        if page.sections.isEmpty || lanes == 0 {
            body += "<p class=\"note\">No entity had a known state in this window.</p>\n"
        }
        let scale = Scale(since: page.since, until: page.until, width: Double(page.width))
        for section in page.sections where section.laneCount > 0 {
            body += "<section>\n<h2>\(escape(section.title))</h2>\n"
            for group in groups(of: section) {
                body += "<section class=\"group\">\n<h3>\(escape(section.groupTitle(group.ids)))</h3>\n"
                body += svg(group, scale: scale, dataEnd: page.dataEnd)
                body += "</section>\n"
            }
            body += "</section>\n"
        }
        // The legend explains what the page draws, and only that.
        out += legend(page, merged: body.contains("data-state=\"many changes\""))
        out += "</header>\n<main>\n" + body
        out += "</main>\n<footer><p>Made by fleetledger report timeline from the store's log; the same history and availability "
        out += "code answers <code>fleetledger history --changes</code> and <code>report availability</code>.</p></footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    /// What stderr says beside the page: where the data ends within the window, or that the
    /// window holds no entity.
    package static func note(_ page: TimelinePage) -> String? {
        if page.sections.allSatisfy({ $0.laneCount == 0 }) {
            return "note: no entity had a known state in this window" + (page.dataEnd.map { "; the log's newest event is at \($0.rfc3339)" } ?? "") + "."
        }
        guard let end = page.dataEnd else { return nil }
        return "note: the log's newest event is at \(end.rfc3339); the page draws the window's "
            + "\(Seconds.words(page.until.seconds(after: max(end, page.since)))) after it as no data."
    }

    // MARK: Groups

    /// The lanes under one heading, each with the mark kinds of its set.
    struct Group {
        var ids: [String]
        var lanes: [(lane: Lane, label: String, set: LaneSet)] = []
    }

    static func groups(of section: TimelineSection) -> [Group] {
        var order: [[String]] = []
        var byIDs: [[String]: Group] = [:]
        for set in section.sets {
            for lane in set.lanes {
                let ids = Array(lane.entity.ids.prefix(section.groupColumns))
                if byIDs[ids] == nil {
                    order.append(ids)
                    byIDs[ids] = Group(ids: ids)
                }
                // Under its group's heading a lane is named by the rest of its ids (a pool's update by its subject).
                let rest = lane.entity.ids.dropFirst(section.groupColumns).joined(separator: " ")
                byIDs[ids]!.lanes.append((lane, rest.isEmpty ? lane.subject : section.lanePrefix + rest, set))
            }
        }
        return order.sorted { TrackedEntity(ids: $0) < TrackedEntity(ids: $1) }.map { byIDs[$0]! }
    }

    // MARK: The picture of a group

    struct Scale {
        var since: Timestamp
        var until: Timestamp
        var width: Double

        var seconds: Double { until.seconds(after: since) }

        /// The x of a time, from the chart's left edge.
        func x(_ time: Timestamp) -> Double {
            min(width, max(0, time.seconds(after: since) / seconds * width))
        }
    }

    static func laneHeight(markKinds: Int) -> Double { stateHeight + Double(markKinds) * (markHeight + 1) + laneGap }

    static func svg(_ group: Group, scale: Scale, dataEnd: Timestamp?) -> String {
        let height = axisHeight + group.lanes.reduce(0) { $0 + laneHeight(markKinds: $1.set.markKinds.count) }
        let width = labelWidth + scale.width + 40
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(px(width))\" height=\"\(px(height))\" "
        out += "viewBox=\"0 0 \(px(width)) \(px(height))\" role=\"img\" aria-label=\"\(group.lanes.count) lanes\">\n"
        out += axis(scale, height: height)
        var y = axisHeight
        for (lane, label, set) in group.lanes {
            out += "<g data-entity=\"\(escape(lane.entity.ids.joined(separator: "/")))\" transform=\"translate(\(px(labelWidth)),\(px(y)))\">"
            out += "<text class=\"name\" x=\"-6\" y=\"\(px(stateHeight - 3))\">\(escape(clipped(label)))"
            out += "<title>\(escape(lane.entity.ids.joined(separator: " ")))</title></text>"
            out += "<rect class=\"track\" width=\"\(px(scale.width))\" height=\"\(px(stateHeight))\"/>"
            out += spans(lane, scale: scale, stateName: set.stateName, stripes: set.carriesTraffic)
            out += marks(lane, kinds: set.markKinds, scale: scale)
            out += "</g>\n"
            y += laneHeight(markKinds: set.markKinds.count)
        }
        if let dataEnd, dataEnd < scale.until {
            let x = scale.x(dataEnd)
            out += "<rect class=\"nodata\" x=\"\(px(labelWidth + x))\" y=\"\(px(axisHeight - 4))\" width=\"\(px(scale.width - x))\" "
            out += "height=\"\(px(height - axisHeight + 4))\"><title>no data: the log's newest event is at \(dataEnd.rfc3339)</title></rect>\n"
        }
        return out + "</svg>\n"
    }

    /// The axis: a labelled tick every `tickSpacing` pixels or more, on a round UTC time, the date
    /// on the first tick and on each new day.
    static func axis(_ scale: Scale, height: Double) -> String {
        let steps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
                              172_800, 604_800, 2_592_000, 31_536_000]
        let wanted = scale.seconds * tickSpacing / scale.width
        let step = steps.first { Double($0) >= wanted } ?? steps.last!
        let firstSecond = scale.since.nanoseconds / 1_000_000_000
        var tick = (firstSecond / step + (firstSecond % step == 0 && scale.since.nanoseconds % 1_000_000_000 == 0 ? 0 : 1)) * step
        var grid = "", labels = ""
        var lastDate = ""
        while tick <= scale.until.nanoseconds / 1_000_000_000 {
            let time = Timestamp(nanoseconds: tick * 1_000_000_000)
            let x = px(labelWidth + scale.x(time))
            let text = time.rfc3339
            let date = String(text.prefix(10))
            let clock = String(text.dropFirst(11).prefix(step < 60 ? 8 : 5))
            grid += "M\(x) \(px(axisHeight - 4))V\(px(height))"
            labels += "<text x=\"\(x)\" y=\"\(px(axisHeight - 18))\">\(date == lastDate ? "" : date)</text>"
            labels += "<text x=\"\(x)\" y=\"\(px(axisHeight - 7))\">\(clock)</text>"
            lastDate = date
            tick += step
        }
        return "<path class=\"grid\" d=\"\(grid)\"/>\n<g class=\"axis\">\(labels)</g>\n"
    }

    /// A lane's state spans: wide ones as they are, runs of narrow ones merged; the narrow ones
    /// drawn last, so that a wide neighbour never covers a short outage's pixel.
    static func spans(_ lane: Lane, scale: Scale, stateName: String, stripes: Bool) -> String {
        var wide = "", narrow = ""
        let who = lane.subject.isEmpty ? lane.entity.ids.joined(separator: " ") : lane.subject
        for run in runs(lane.spans.map { (scale.x($0.start), scale.x($0.end)) }) {
            let first = lane.spans[run.lowerBound], last = lane.spans[run.upperBound - 1]
            let x = scale.x(first.start)
            let width = max(1, scale.x(last.end) - x)
            let interval = "\(first.start.rfc3339)/\(last.end.rfc3339)"
            var out = ""
            if run.count == 1 {
                let span = first
                let paint = StatePaint.of(span.baseState)
                // Painted by class (`f-` solid, `h-` striped), a few bytes where a page may hold a million spans.
                let paintClass = (span.takesTraffic || !stripes ? "f-" : "h-") + paint.fill.dropFirst()
                out += "<rect x=\"\(px(x))\" width=\"\(px(width))\" height=\"\(px(stateHeight))\" class=\"\(paintClass)\(span.observedFromAzure ? " azure" : "")\""
                out += " data-state=\"\(escape(span.state))\" data-span=\"\(interval)\"><title>\(escape(title(span, after: run.lowerBound > 0 ? lane.spans[run.lowerBound - 1] : nil, who: who, stateName: stateName, since: scale.since)))</title></rect>"
                let label = span.baseState
                // Labelled where the name fits with room to spare, so that short spans stay quiet.
                if width >= Double(label.count) * 6.3 + 40 {
                    out += "<text class=\"state\" x=\"\(px(x + 4))\" y=\"\(px(stateHeight - 3.5))\" "
                    out += "fill=\"\(paint.ink)\">\(escape(label))</text>"
                }
            } else {
                // Crosshatched over the colour of the state the run spent most time in.
                var seconds: [String: Double] = [:]
                for span in lane.spans[run] { seconds[span.baseState, default: 0] += span.end.seconds(after: span.start) }
                let dominant = seconds.max { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key }!.key
                out += "<rect x=\"\(px(x))\" width=\"\(px(width))\" height=\"\(px(stateHeight))\" class=\"f-\(StatePaint.of(dominant).fill.dropFirst())\"/>"
                out += "<rect x=\"\(px(x))\" width=\"\(px(width))\" height=\"\(px(stateHeight))\" fill=\"url(#many)\" "
                out += "data-state=\"many changes\" data-changes=\"\(run.count)\" data-span=\"\(interval)\">"
                out += "<title>\(escape(manyTitle(lane.spans[run], who: who, stateName: stateName)))</title></rect>"
            }
            if scale.x(last.end) - scale.x(first.start) < 1 { narrow += out } else { wide += out }
        }
        return wide + narrow
    }

    /// A lane's marks, a row per kind under its states.
    static func marks(_ lane: Lane, kinds: [String], scale: Scale) -> String {
        var out = ""
        for (row, kind) in kinds.enumerated() {
            let marks = lane.marks.filter { $0.mark.kind == kind }.sorted { $0.start < $1.start }
            let y = stateHeight + 1 + Double(row) * (markHeight + 1)
            for run in runs(marks.map { (scale.x($0.start), scale.x($0.end)) }) {
                let first = marks[run.lowerBound], last = marks[run.upperBound - 1]
                let x = scale.x(first.start)
                let width = max(1, scale.x(last.end) - x)
                var text = run.count == 1 ? first.mark.label : "\(run.count) × \(first.mark.kind) marks"
                text += ", \(first.start.rfc3339) to \(last.end.rfc3339) (\(Seconds.words(last.end.seconds(after: first.start)))"
                text += (last.ongoing ? ", ongoing)" : last.continues ? ", continues past the window)" : ")")
                text += run.count == 1 ? "\nbegan with: \(first.cause)" : ""
                // A pixel's gap where a mark begins, so that two batches end to end read as two.
                let (x0, w0) = width > 2 ? (x + 1, width - 1) : (x, width)
                out += "<rect class=\"mark\" x=\"\(px(x0))\" y=\"\(px(y))\" width=\"\(px(w0))\" height=\"\(px(markHeight))\" "
                out += "fill=\"\(markColours[kind] ?? "#CC79A7")\" data-mark=\"\(escape(run.count == 1 ? first.mark.label : "many"))\" "
                out += "data-span=\"\(first.start.rfc3339)/\(last.end.rfc3339)\"><title>\(escape(text))</title></rect>"
            }
        }
        return out
    }

    /// Consecutive intervals (in pixels) grouped into what is drawn: an interval a pixel wide or
    /// more alone, and each run of narrower ones that meet end to start together (a lone narrow one
    /// alone, a pixel wide). A gap (the entity absent, or between two marks) ends a run.
    static func runs(_ intervals: [(Double, Double)]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var narrowFrom: Int?
        for (index, (start, end)) in intervals.enumerated() {
            if let from = narrowFrom, start != intervals[index - 1].1 {
                runs.append(from..<index)
                narrowFrom = nil
            }
            if end - start < 1 {
                if narrowFrom == nil { narrowFrom = index }
                continue
            }
            if let from = narrowFrom { runs.append(from..<index) }
            narrowFrom = nil
            runs.append(index..<index + 1)
        }
        if let from = narrowFrom { runs.append(from..<intervals.count) }
        return runs
    }

    /// A span in history's words: `sh-3: status Available -> Unavailable: fatal check failed`,
    /// then when, how long, and where the state came from.
    /// A span in history's words: `sh-3: status Available -> Unavailable: DomainTrustCheck failed`
    /// (or, where only its traffic or source changed, `sh-3: status Available, drain mode on: ...`),
    /// then when, and how long within the window.
    static func title(_ span: StateSpan, after previous: StateSpan?, who: String, stateName: String, since: Timestamp) -> String {
        var text = "\(who): \(stateName) "
        if span.from != span.state {
            text += "\(span.from) -> \(span.state)"
        } else {
            var what: [String] = []
            if let previous, previous.takesTraffic != span.takesTraffic {
                what.append(span.takesTraffic ? "taking traffic again" : span.trafficNote ?? "taking no traffic")
            }
            if let previous, previous.observedFromAzure != span.observedFromAzure {
                what.append(span.observedFromAzure ? "as observed from Azure" : "as the store's rules give it")
            }
            text += ([span.state] + what).joined(separator: ", ")
        }
        text += ": \(span.cause)"
        if span.changedAt < since { text += " (at \(span.changedAt.rfc3339), before the window)" }
        if span.ongoing, span.end == span.start {
            return text + (span.start > since ? "\nat the log's newest event: no data after it" : "\nin force where the log ends, before this window: no data in it")
        }
        text += "\n\(span.start.rfc3339) to \(span.end.rfc3339), \(Seconds.words(span.end.seconds(after: span.start)))"
        return text + (span.ongoing ? " (ongoing)" : span.continues ? " (continues past the window)" : "")
    }

    /// A merged run: how many changes, when, and the time in each state within it.
    static func manyTitle(_ spans: ArraySlice<StateSpan>, who: String, stateName: String) -> String {
        let start = spans.first!.start, end = spans.last!.end
        var seconds: [String: Double] = [:]
        var order: [String] = []
        for span in spans {
            if seconds[span.state] == nil { order.append(span.state) }
            seconds[span.state, default: 0] += span.end.seconds(after: span.start)
        }
        var text = "\(who): many changes, \(spans.count) \(stateName) spans shorter than a pixel\n"
        text += "\(start.rfc3339) to \(end.rfc3339), \(Seconds.words(end.seconds(after: start)))\n"
        let shown = order.sorted { seconds[$0]! > seconds[$1]! }
        text += shown.prefix(6).map { "\($0) \(Seconds.words(seconds[$0]!))" }.joined(separator: ", ")
        if shown.count > 6 { text += ", and \(shown.count - 6) more" }
        return text
    }

    // MARK: Legend and styles

    /// The states some span of the page is in, in the order the kinds list them.
    static func usedStates(_ page: TimelinePage) -> [String] {
        var states: [String] = []
        for section in page.sections {
            for set in section.sets {
                let used = Set(set.lanes.flatMap { $0.spans.map(\.baseState) })
                for state in set.states where used.contains(state) && !states.contains(state) { states.append(state) }
            }
        }
        return states
    }

    /// The colours of `states`, and the green the legend's striped sample shows.
    static func fills(_ states: [String]) -> [String] {
        Set(states.map { StatePaint.of($0).fill } + ["#009E73"]).sorted()
    }

    /// A solid (`f-`) and a striped (`h-`) class per colour the page uses.
    static func paintCSS(_ fills: [String]) -> String {
        fills.map { ".f-\($0.dropFirst()) { fill: \($0); } .h-\($0.dropFirst()) { fill: url(#\(stripeID($0))); }\n" }.joined()
    }

    static func legend(_ page: TimelinePage, merged: Bool) -> String {
        let states = usedStates(page)
        var out = "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>"
        for fill in fills(states) {
            out += "<pattern id=\"\(stripeID(fill))\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            out += "<rect width=\"6\" height=\"6\" fill=\"\(fill)\"/><rect width=\"2\" height=\"6\" fill=\"#fff\" fill-opacity=\"0.55\"/></pattern>"
        }
        out += "<pattern id=\"many\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\">"
        out += "<path d=\"M0 0L4 4M4 0L0 4\" stroke=\"#000\" stroke-width=\"1\"/></pattern>"
        out += "<pattern id=\"nodata\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
        out += "<rect width=\"8\" height=\"8\" fill=\"#fff\" fill-opacity=\"0.7\"/><rect width=\"1.5\" height=\"8\" fill=\"#888\"/></pattern>"
        out += "</defs></svg>\n<ul class=\"legend\">\n"
        func item(_ swatch: String, _ words: String) -> String {
            "<li><svg width=\"26\" height=\"14\" aria-hidden=\"true\">\(swatch)</svg> \(words)</li>\n"
        }
        // One item per colour, naming its states (Available, Up, Healthy share green).
        var colours: [String] = []
        var named: [String: [String]] = [:]
        for state in states {
            let fill = StatePaint.of(state).fill
            if named[fill] == nil { colours.append(fill) }
            named[fill, default: []].append(state)
        }
        for fill in colours {
            out += item("<rect width=\"26\" height=\"14\" fill=\"\(fill)\"/>", escape(named[fill]!.joined(separator: ", ")))
        }
        let sets = page.sections.flatMap(\.sets)
        if sets.contains(where: { $0.carriesTraffic && $0.lanes.contains { $0.spans.contains { !$0.takesTraffic } } }) {
            out += item("<rect width=\"26\" height=\"14\" fill=\"url(#\(stripeID("#009E73")))\"/>", "striped: takes no traffic")
        }
        if sets.contains(where: { $0.lanes.contains { $0.spans.contains(where: \.observedFromAzure) } }) {
            out += item("<rect x=\"1\" y=\"1\" width=\"24\" height=\"12\" fill=\"#009E73\" class=\"azure\"/>", "dashed outline: observed from Azure")
        }
        if merged {
            out += item("<rect width=\"26\" height=\"14\" fill=\"#009E73\"/><rect width=\"26\" height=\"14\" fill=\"url(#many)\"/>",
                        "crosshatched: many changes, each shorter than a pixel, over the colour of the state they spent most time in (hover for the count)")
        }
        out += item("<rect width=\"26\" height=\"14\" class=\"track\"/>", "light grey: no state (not there yet, or removed)")
        if page.dataEnd != nil { out += item("<rect width=\"26\" height=\"14\" fill=\"url(#nodata)\" stroke=\"#888\"/>", "no data: after the log's newest event") }
        let kinds = Set(sets.flatMap { $0.lanes.flatMap { $0.marks.map(\.mark.kind) } })
        if kinds.contains("drain") { out += item("<rect y=\"5\" width=\"26\" height=\"4\" fill=\"\(markColours["drain"]!)\"/>", "under a lane: drain mode on") }
        if kinds.contains("update") {
            out += item("<rect y=\"5\" width=\"26\" height=\"4\" fill=\"\(markColours["update"]!)\"/>", "under a lane: a session host update's batch (hover for which)")
        }
        return out + "</ul>\n"
    }

    static let css = """
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 1.5em; color: #111; }
        h1 { font-size: 1.5em; margin: 0 0 0.3em; }
        h2 { font-size: 1.25em; margin: 1.4em 0 0.3em; border-bottom: 1px solid #ccc; }
        h3 { font-size: 1em; margin: 1em 0 0.2em; }
        .note { color: #6a3d00; }
        .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; }
        .legend li { display: flex; align-items: center; gap: 0.4em; }
        .defs { position: absolute; }
        .group { overflow-x: auto; }
        svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        .axis text { fill: #444; text-anchor: middle; }
        .grid { stroke: #ddd; stroke-width: 1; fill: none; }
        .track { fill: #f2f2f2; }
        .name { text-anchor: end; fill: #111; }
        .state { font-size: 10px; pointer-events: none; }
        .azure { stroke: #222; stroke-width: 0.7; stroke-dasharray: 4 2; }
        .nodata { fill: url(#nodata); }
        rect:hover { stroke: #000; stroke-width: 1.5; }
        footer { margin-top: 2em; color: #555; font-size: 0.9em; }

        """

    // MARK: Text

    static func stripeID(_ fill: String) -> String { "stripe-" + fill.dropFirst() }

    /// At most 28 characters of a lane's name, the rest in its hover text.
    static func clipped(_ name: String) -> String {
        name.count > 28 ? String(name.prefix(27)) + "…" : name
    }

    /// A coordinate to a tenth of a pixel, without a trailing `.0`.
    static func px(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let (whole, tenth) = abs(tenths).quotientAndRemainder(dividingBy: 10)
        return (tenths < 0 ? "-" : "") + (tenth == 0 ? String(whole) : "\(whole).\(tenth)")
    }

    /// Text for HTML and SVG content and attribute values.
    package static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(character)
            // Control characters are not allowed in an HTML document: shown as the replacement character.
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
