import FleetEvents
import FleetStore

/// RFC 4180 CSV: comma separated, fields quoted when they hold a comma, quote or line break,
/// quotes doubled, and every record ended by CRLF as the RFC specifies.
public enum CSV {
    public static let lineEnd = "\r\n"

    /// One record, with its line end.
    public static func record(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + lineEnd
    }

    public static func escape(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    package func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var remainder = self[...]
        while let range = remainder.firstRange(of: target) {
            result += remainder[..<range.lowerBound]
            result += replacement
            remainder = remainder[range.upperBound...]
        }
        return result + remainder
    }
}
