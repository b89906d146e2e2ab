@testable import FleetDomains
import FleetEvents
@testable import FleetOutput
import Testing

@Suite("the timeline page: merging, axis, escaping, weight")
struct TimelineOutputTests {
    static let start = Timestamp(rfc3339: "2024-04-15T22:00:00Z")!

    func at(_ seconds: Int64) -> Timestamp { Self.start.adding(seconds: seconds) }

    func span(_ state: String, _ from: Int64, _ to: Int64, traffic: Bool = true) -> StateSpan {
        StateSpan(state: state, baseState: state, takesTraffic: traffic, observedFromAzure: false, start: at(from), end: at(to),
                  from: "none", cause: "because", changedAt: at(from))
    }

    func page(_ lanes: [Lane], seconds: Int64 = 3_600, width: Int = 1_000) -> String {
        let set = LaneSet(stateName: "status", states: ["Available", "Unavailable"],
                          markKinds: ["drain"], carriesTraffic: true, lanes: lanes)
        let section = TimelineSection(title: "Session hosts", groupColumns: 1, sets: [set]) { "host pool \($0[0])" }
        return TimelineOutput.html(TimelinePage(since: Self.start, until: at(seconds), dataEnd: nil, sections: [section], width: width))
    }

    @Test("runs: a span a pixel wide or more alone; neighbours narrower than a pixel together; a lone narrow one alone")
    func runs() {
        let runs = TimelineOutput.runs([(0, 5), (5, 5.5), (5.5, 5.8), (5.8, 10), (10, 10.2), (10.2, 30), (30, 30.9)])
        #expect(runs == [0..<1, 1..<3, 3..<4, 4..<5, 5..<6, 6..<7])
        #expect(TimelineOutput.runs([(0, 0.2), (0.2, 0.4), (0.4, 0.6)]) == [0..<3])
        #expect(TimelineOutput.runs([]) == [])
        // A gap (the entity absent, two marks apart) ends a run: nothing is painted over it.
        #expect(TimelineOutput.runs([(0, 0.2), (0.2, 0.4), (5, 5.3), (5.3, 5.5)]) == [0..<2, 2..<4])
    }

    @Test("a lane of 10,000 one-second changes over 10,000 s at 1,000 pixels: one 'many changes' span with the count and the time in each state")
    func manyChangesStayLight() {
        let spans: [StateSpan] = (0..<Int64(10_000)).map { second in
            let down = second % 10 == 0
            return span(down ? "Unavailable" : "Available", second, second + 1, traffic: !down)
        }
        let html = page([Lane(entity: TrackedEntity("hp", "sh-1"), subject: "sh-1", spans: spans)], seconds: 10_000)
        #expect(html.components(separatedBy: "data-state=").count - 1 == 1)
        #expect(html.contains("data-state=\"many changes\" data-changes=\"10000\" data-span=\"2024-04-15T22:00:00Z/2024-04-16T00:46:40Z\""))
        #expect(html.contains("sh-1: many changes, 10000 status spans shorter than a pixel\n2024-04-15T22:00:00Z to 2024-04-16T00:46:40Z, 2h 46m 40s\nAvailable 2h 30m 00s, Unavailable 16m 40s"))
        // Painted by the state it spent most time in, crosshatched.
        #expect(html.contains("class=\"f-009E73\"/><rect x=\"0\" width=\"1000\" height=\"14\" fill=\"url(#many)\""))
        #expect(html.utf8.count < 20_000)
    }

    @Test("the axis: round UTC times, the date on the first tick and on a new day, times of day between")
    func axis() {
        let html = page([Lane(entity: TrackedEntity("hp", "sh-1"), subject: "sh-1", spans: [span("Available", 0, 14_400)])], seconds: 14_400)
        let labels = html.matches(of: /<text x="[0-9.]+" y="[0-9]+">([^<]*)<\/text>/).map { String($0.output.1) }.filter { !$0.isEmpty }
        // 4 hours at 1,000 pixels: a tick every 30 minutes (the first step giving 110 pixels or more).
        #expect(labels.prefix(6) == ["2024-04-15", "22:00", "22:30", "23:00", "23:30", "2024-04-16"], "\(labels)")
        #expect(labels.contains("00:00") && labels.last == "02:00")
    }

    @Test("names and words are escaped in text and attributes; a span's hover text is its state, cause and duration")
    func escaping() {
        var tricky = span("Available", 0, 90)
        tricky.cause = "drain mode on by \"eve\" <ops> & co's"
        let html = page([Lane(entity: TrackedEntity("hp<1>", "sh&1"), subject: "sh&1", spans: [tricky])])
        #expect(html.contains("data-entity=\"hp&lt;1&gt;/sh&amp;1\""))
        #expect(html.contains("<h3>host pool hp&lt;1&gt;</h3>"))
        #expect(html.contains("<title>sh&amp;1: status none -&gt; Available: drain mode on by &quot;eve&quot; &lt;ops&gt; &amp; co&#39;s\n2024-04-15T22:00:00Z to 2024-04-15T22:01:30Z, 1m 30s</title>"))
        #expect(!html.contains("<ops>"))
        #expect(TimelineOutput.escape("bell\u{7}here\u{85}, kept: line\nbreak") == "bell\u{FFFD}here\u{FFFD}, kept: line\nbreak")
    }

    @Test("a state that takes no traffic is striped, one that does solid; the legend names each colour's states once")
    func paint() {
        let html = page([Lane(entity: TrackedEntity("hp", "sh-1"), subject: "sh-1",
                              spans: [span("Available", 0, 1_800), span("Unavailable", 1_800, 3_600, traffic: false)])])
        #expect(html.contains("class=\"f-009E73\" data-state=\"Available\""))
        #expect(html.contains("class=\"h-D55E00\" data-state=\"Unavailable\""))
        #expect(html.contains(".h-D55E00 { fill: url(#stripe-D55E00); }") && html.contains("<pattern id=\"stripe-D55E00\""))
        #expect(html.contains("</svg> Available</li>") && html.contains("</svg> Unavailable</li>"))
        #expect(TimelineOutput.px(12.34) == "12.3" && TimelineOutput.px(7) == "7" && TimelineOutput.px(0.96) == "1")
    }
}
