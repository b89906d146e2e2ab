@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test("reads RFC 3339 with Z, offsets and fractions, and writes UTC", arguments: [
        ("2024-04-15T17:16:07Z", "2024-04-15T17:16:07Z"),
        ("2024-04-15T17:16:07.250Z", "2024-04-15T17:16:07.250Z"),
        ("2024-04-15T17:16:07.25Z", "2024-04-15T17:16:07.250Z"),
        ("2024-04-15T19:16:07+02:00", "2024-04-15T17:16:07Z"),
        ("2024-04-15T12:46:07.000001-04:30", "2024-04-15T17:16:07.000001Z"),
        ("2024-04-15t17:16:07.123456789z", "2024-04-15T17:16:07.123456789Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500Z"),
        ("2000-01-01T00:30:00+01:00", "1999-12-31T23:30:00Z"),
    ])
    func roundTrip(input: String, output: String) throws {
        let time = try #require(Timestamp(rfc3339: input))
        #expect(time.rfc3339 == output)
        #expect(Timestamp(rfc3339: output) == time)
    }

    @Test("knows the epoch")
    func epoch() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z")?.nanoseconds == 0)
        #expect(Timestamp(rfc3339: "1970-01-02T00:00:01.5Z")?.nanoseconds == 86_401_500_000_000)
    }

    @Test("refuses what is not an RFC 3339 time, saying why", arguments: [
        ("2024-13-01T00:00:00Z", "month 13"),
        ("2023-02-29T00:00:00Z", "day 29 does not exist"),
        ("2024-04-31T00:00:00Z", "day 31 does not exist"),
        ("2024-04-15T24:00:00Z", "hour 24"),
        ("2024-04-15T17:60:00Z", "minute 60"),
        ("2024-04-15T17:16:60Z", "second 60"),
        ("2024-04-15T17:16:07", "time zone"),
        ("2024-04-15 17:16:07Z", "'T'"),
        ("2024-04-15T17:16:07.Z", "no digits after the decimal point"),
        ("2024-04-15T17:16:07.1234567891Z", "more than 9 fractional digits"),
        ("2024-04-15", "'T'"),
        ("yesterday", "year needs 4 digits"),
        ("2024-04-15T17:16:07Zjunk", "unexpected text"),
        ("2300-01-01T00:00:00Z", "outside the range"),
    ])
    func invalid(text: String, reason: String) throws {
        guard case .failure(let error) = Timestamp.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.reason.contains(reason), "\(error.reason)")
    }
}
