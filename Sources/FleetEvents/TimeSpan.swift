/// (Public: the store's report API takes it.)
/// A length of time given on the command line: `90s`, `15m`, `2h`, `1d`, `1h30m`, or ISO 8601's
/// `PT15M` / `P1DT2H`.
public struct TimeSpan: Sendable, Equatable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(seconds: Int64) { nanoseconds = seconds * 1_000_000_000 }

    public init?(_ text: String) {
        var body = Substring(text)
        if body.hasPrefix("P") {
            body = body.dropFirst()
            body = Substring(body.replacingOccurrencesOfT())
        }
        guard !body.isEmpty else { return nil }
        var total: Int64 = 0
        var digits = ""
        for character in body {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int64
            switch character {
            case "s", "S": unit = 1
            case "m", "M": unit = 60
            case "h", "H": unit = 3_600
            case "d", "D": unit = 86_400
            default: return nil
            }
            guard let value = Int64(digits), value <= 10_000_000 else { return nil }
            total += value * unit
            // Longer than about 292 years does not fit in nanoseconds.
            guard total <= Int64.max / 1_000_000_000 else { return nil }
            digits = ""
        }
        guard digits.isEmpty, total > 0 else { return nil }
        nanoseconds = total * 1_000_000_000
    }

    public var description: String {
        var seconds = nanoseconds / 1_000_000_000
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return seconds > 0 || text.isEmpty ? text + "\(seconds)s" : text
    }
}

private extension Substring {
    /// ISO 8601's date and time parts run together once the `T` is gone (`1DT2H` -> `1D2H`).
    func replacingOccurrencesOfT() -> String { String(filter { $0 != "T" }) }
}
