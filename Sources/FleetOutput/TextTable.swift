import FleetEvents
import FleetStore

/// A plain-text table with aligned columns, as a terminal user reads it.
///
/// Rendered within `TextTable.width` when one is set (the CLI sets the terminal's): the columns
/// that hold long text wrap, at spaces where they can, so every line fits and nothing is lost;
/// csv and json keep each value on one line.
public struct TextTable: Sendable {
    public private(set) var headers: [String]
    public private(set) var rows: [[String]] = []
    /// The columns that may wrap to fit the width, by index.
    private let wrapping: Set<Int>

    /// The width tables are rendered within; nil: as wide as their text.
    @TaskLocal public static var width: Int?

    /// A header for a field or a state named in camel case, in the words every table spells it
    /// with: `hostPool` is HOST POOL, `loadBalancer` LOAD BALANCER, `instanceId` INSTANCE (as
    /// `vmss health` heads it), `NeedsAssistance` NEEDS ASSISTANCE.
    public static func header(forField field: String) -> String {
        if field == "instanceId" { return "INSTANCE" }
        var words = ""
        for character in field {
            if character.isUppercase, !words.isEmpty { words.append(" ") }
            words.append(character)
        }
        return words.uppercased()
    }

    /// The narrowest a wrapping column is made: its longest word, so that words break only at
    /// spaces, but within these bounds whatever the words.
    static let narrowestWrap = 12...24

    /// `wrapping` names the columns of long text (reasons, messages) that may wrap; names,
    /// states, numbers and times never do.
    public init(headers: [String], wrapping: [String] = []) {
        self.headers = headers
        self.wrapping = Set(headers.indices.filter { wrapping.contains(headers[$0]) })
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "a row needs one cell per column")
        rows.append(row)
    }

    /// The table with a header row and a rule under it, within `TextTable.width`; no line ends
    /// in spaces.
    public var rendered: String { rendered(width: Self.width) }

    func rendered(width: Int?) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        if let width { narrow(&widths, toFit: width) }
        func lines(_ cells: [String]) -> String {
            let wrapped = cells.enumerated().map { column, cell in
                cell.count > widths[column] ? Self.wrap(cell, width: widths[column]) : [cell]
            }
            var text = ""
            for line in 0..<(wrapped.map(\.count).max() ?? 1) {
                var physical = ""
                for (column, pieces) in wrapped.enumerated() {
                    let piece = line < pieces.count ? pieces[line] : ""
                    physical += column == wrapped.count - 1 ? piece : piece + String(repeating: " ", count: widths[column] - piece.count + 2)
                }
                while physical.last == " " { physical.removeLast() }
                text += physical + "\n"
            }
            return text
        }
        var output = lines(headers)
        output += lines(widths.map { String(repeating: "-", count: $0) })
        for row in rows { output += lines(row) }
        return output
    }

    /// Takes the excess over `width` from the widest wrapping columns, none below its floor
    /// (`narrowestWrap`, or its header). A table whose other columns alone are too wide stays wider.
    private func narrow(_ widths: inout [Int], toFit width: Int) {
        var excess = widths.reduce(0, +) + 2 * (widths.count - 1) - width
        guard excess > 0 else { return }
        var floors: [Int: Int] = [:]
        for column in wrapping {
            let longestWord = rows.map { $0[column].split(separator: " ").map(\.count).max() ?? 0 }.max() ?? 0
            floors[column] = max(headers[column].count, min(max(longestWord, Self.narrowestWrap.lowerBound), Self.narrowestWrap.upperBound))
        }
        while excess > 0 {
            let narrowable = wrapping.filter { widths[$0] > floors[$0]! }
            guard let widest = narrowable.max(by: { widths[$0] < widths[$1] }) else { return }
            widths[widest] -= 1
            excess -= 1
        }
    }

    /// `text` in lines of at most `width` characters, broken at spaces where a word fits, else
    /// within the word. Text that starts indented (history's changes) stays indented on every line.
    static func wrap(_ text: String, width: Int) -> [String] {
        precondition(width > 0, "a column is at least one character wide")
        let indent = String(text.prefix { $0 == " " })
        if !indent.isEmpty, indent.count < width / 2 {
            return wrap(String(text.dropFirst(indent.count)), width: width - indent.count).map { indent + $0 }
        }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            if !line.isEmpty, line.count + 1 + word.count <= width {
                line += " " + word
                continue
            }
            if !line.isEmpty { lines.append(line); line = "" }
            while word.count > width {
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            line = String(word)
        }
        lines.append(line)
        return lines
    }
}
