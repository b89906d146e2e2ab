@testable import FleetEvents
import Testing

@Suite("TimeSpan: a length of time on the command line")
struct TimeSpanTests {
    @Test("reads units and ISO 8601 durations, and writes the shortest form")
    func readsAndWrites() {
        #expect(TimeSpan("90s")?.nanoseconds == 90_000_000_000)
        #expect(TimeSpan("1h30m")?.description == "1h30m")
        #expect(TimeSpan("PT15M")?.description == "15m")
        #expect(TimeSpan("P1DT2H")?.description == "1d2h")
        #expect(TimeSpan(seconds: 300).description == "5m")
    }

    @Test("refuses what is no length, nothing, and lengths nanoseconds cannot hold")
    func refuses() {
        for text in ["", "15", "0m", "5x", "-5m", "P", "10000001s"] { #expect(TimeSpan(text) == nil, "\(text)") }
        #expect(TimeSpan("106751d") != nil)
        #expect(TimeSpan("106752d") == nil)
        #expect(TimeSpan("10000000d") == nil)
    }
}
