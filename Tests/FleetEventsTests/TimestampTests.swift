@testable import FleetEvents
import Foundation
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

    @Test("writes times across the whole range it holds as a formatter does, with 3, 6 or 9 digits of fraction as needed")
    func writesLikeAFormatter() {
        var state: UInt64 = 13
        // Nanoseconds in an Int64 reach from 1677 to 2262.
        let first: Int64 = -9_223_372_035, last: Int64 = 9_223_372_035
        for index in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let second = first + Int64((state >> 11) % UInt64(last - first + 1))
            // Each kind of fraction in turn: none, milliseconds, microseconds, nanoseconds.
            let fraction = [0, Int64(state % 1_000) * 1_000_000, Int64(state % 1_000_000) * 1_000, Int64(state % 1_000_000_000)][index % 4]
            let time = Timestamp(nanoseconds: second * 1_000_000_000 + fraction)
            let days = Int64((Double(second) / 86_400).rounded(.down))
            let (year, month, day) = Timestamp.civilDate(fromDaysSinceEpoch: days)
            let secondOfDay = second - days * 86_400
            var expected = String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", year, month, day,
                                  secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
            if fraction % 1_000_000_000 == 0 {
            } else if fraction % 1_000_000 == 0 {
                expected += String(format: ".%03lld", fraction / 1_000_000)
            } else if fraction % 1_000 == 0 {
                expected += String(format: ".%06lld", fraction / 1_000)
            } else {
                expected += String(format: ".%09lld", fraction)
            }
            expected += "Z"
            if time.rfc3339 != expected {
                Issue.record("\(time.nanoseconds): \(time.rfc3339), not \(expected)")
                return
            }
        }
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
