/// An instant, as nanoseconds since 1970-01-01T00:00:00Z, read from and written as RFC 3339.
///
/// Events keep their time as given, normalised to UTC: `2024-04-15T19:16:07+02:00` is stored and
/// shown as `2024-04-15T17:16:07Z`. Nanosecond precision covers the years 1678 to 2261.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Nanoseconds from `start` to this time, held at Int64's bounds where the difference is past
    /// them: two accepted times can be 583 years apart, more than Int64 nanoseconds hold (292).
    package func nanoseconds(since start: Timestamp) -> Int64 {
        let (difference, overflows) = nanoseconds.subtractingReportingOverflow(start.nanoseconds)
        guard overflows else { return difference }
        return nanoseconds > start.nanoseconds ? .max : .min
    }

    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(nanoseconds: nanoseconds + seconds * 1_000_000_000)
    }

    /// The time cut to whole milliseconds (towards the past), as the command line writes times it makes.
    public var truncatedToMilliseconds: Timestamp {
        Timestamp(nanoseconds: nanoseconds.floorDivided(by: 1_000_000).0 * 1_000_000)
    }

    /// RFC 3339 in UTC, with as many fractional digits as needed (none, 3, 6 or 9).
    public var description: String { rfc3339 }

    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(30)
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the RFC 3339 text to `bytes` without building a String: this runs for every event
    /// written or exported.
    package func appendRFC3339(to bytes: inout [UInt8]) {
        let (seconds, fraction) = nanoseconds.floorDivided(by: 1_000_000_000)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = Self.civilDate(fromDaysSinceEpoch: days)
        // Written into room on the stack, each field's digits from its last, and appended once,
        // with constant divisors: this runs for every event (Tools/Benchmark/HISTORY.md, item 32).
        var room: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes; the longest time is 30
        withUnsafeMutableBytes(of: &room) { text in
            var end = 0
            func digits(_ value: Int64, _ width: Int) {
                var rest = value.magnitude
                for position in stride(from: end + width - 1, through: end, by: -1) {
                    text[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                end += width
            }
            func character(_ byte: UInt8) {
                text[end] = byte
                end += 1
            }
            digits(year, 4)
            character(UInt8(ascii: "-"))
            digits(month, 2)
            character(UInt8(ascii: "-"))
            digits(day, 2)
            character(UInt8(ascii: "T"))
            digits(secondOfDay / 3600, 2)
            character(UInt8(ascii: ":"))
            digits(secondOfDay / 60 % 60, 2)
            character(UInt8(ascii: ":"))
            digits(secondOfDay % 60, 2)
            if fraction != 0 {
                character(UInt8(ascii: "."))
                if fraction % 1_000_000 == 0 {
                    digits(fraction / 1_000_000, 3)
                } else if fraction % 1_000 == 0 {
                    digits(fraction / 1_000, 6)
                } else {
                    digits(fraction, 9)
                }
            }
            character(UInt8(ascii: "Z"))
            bytes.append(contentsOf: text[..<end])
        }
    }

    /// Parses RFC 3339 (`2024-04-15T17:16:07.25Z`, `...+02:00`), or says in a phrase what is wrong.
    public static func parse(_ text: String) -> Result<Timestamp, TimestampError> {
        // Read in place: copying the text into an array first cost an allocation per event.
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// The same for text held as UTF-8 bytes.
    public static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, TimestampError> {
        var scanner = Scanner(bytes: utf8)
        return scanner.timestamp()
    }

    /// Parses RFC 3339, or returns nil.
    public init?(rfc3339 text: String) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's civil-date algorithms)

    package static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func civilDate(fromDaysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    package static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Why a text is not an RFC 3339 time, as a phrase ("month 13 is out of range").
public struct TimestampError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

private func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    /// Quotient rounded towards negative infinity, and a remainder that is never negative.
    package func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func timestamp() -> Result<Timestamp, TimestampError> {
        do {
            let year = try number(digits: 4, "year")
            try expect("-")
            let month = try number(digits: 2, "month")
            try expect("-")
            let day = try number(digits: 2, "day")
            guard (1...12).contains(month) else { throw TimestampError(reason: "month \(month) is out of range") }
            guard (1...Timestamp.daysInMonth(year: year, month: month)).contains(day) else {
                throw TimestampError(reason: "day \(day) does not exist in \(year)-\(pad(month, 2))")
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t") else {
                throw TimestampError(reason: "expected 'T' between the date and the time")
            }
            index += 1
            let hour = try number(digits: 2, "hour")
            try expect(":")
            let minute = try number(digits: 2, "minute")
            try expect(":")
            let second = try number(digits: 2, "second")
            guard hour < 24 else { throw TimestampError(reason: "hour \(hour) is out of range") }
            guard minute < 60 else { throw TimestampError(reason: "minute \(minute) is out of range") }
            guard second < 60 else { throw TimestampError(reason: "second \(second) is out of range (leap seconds are not accepted)") }
            var nanos: Int64 = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < bytes.count, let digit = digitValue(bytes[index]) {
                    guard digits < 9 else { throw TimestampError(reason: "more than 9 fractional digits") }
                    nanos = nanos * 10 + digit
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { throw TimestampError(reason: "no digits after the decimal point") }
                for _ in digits..<9 { nanos *= 10 }
            }
            let offsetSeconds = try zoneOffset()
            guard index == bytes.count else { throw TimestampError(reason: "unexpected text after the time zone") }
            let days = Timestamp.daysSinceEpoch(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
            // Int64 nanoseconds reach from 1677-09-21 to 2262-04-11.
            guard (-9_223_372_035...9_223_372_035).contains(seconds) else {
                throw TimestampError(reason: "the year \(year) is outside the range 1678 to 2261")
            }
            return .success(Timestamp(nanoseconds: seconds * 1_000_000_000 + nanos))
        } catch let error as TimestampError {
            return .failure(error)
        } catch {
            return .failure(TimestampError(reason: "\(error)"))
        }
    }

    private mutating func zoneOffset() throws -> Int64 {
        guard index < bytes.count else { throw TimestampError(reason: "missing the time zone ('Z' or an offset such as +02:00)") }
        let sign = bytes[index]
        index += 1
        switch sign {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"): return 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let hours = try number(digits: 2, "offset hour")
            try expect(":")
            let minutes = try number(digits: 2, "offset minute")
            guard hours < 24, minutes < 60 else { throw TimestampError(reason: "the time zone offset is out of range") }
            let offset = hours * 3600 + minutes * 60
            return sign == UInt8(ascii: "-") ? -offset : offset
        default:
            throw TimestampError(reason: "missing the time zone ('Z' or an offset such as +02:00)")
        }
    }

    private mutating func number(digits: Int, _ name: String) throws -> Int64 {
        var value: Int64 = 0
        for _ in 0..<digits {
            guard index < bytes.count, let digit = digitValue(bytes[index]) else {
                throw TimestampError(reason: "the \(name) needs \(digits) digits")
            }
            value = value * 10 + digit
            index += 1
        }
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
            throw TimestampError(reason: "expected '\(character)' at character \(index + 1)")
        }
        index += 1
    }

    private func digitValue(_ byte: UInt8) -> Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int64(byte - UInt8(ascii: "0")) : nil
    }
}

/// Times in stored read-model states are nanoseconds since the epoch.
extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(nanoseconds: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nanoseconds)
    }
}
