// Writes a Swift source file holding the given files' texts, in the order given: the SQL
// migrations for FleetStore, the OpenAPI document for FleetServe.
// Usage: embed-migrations OUTPUT.swift VARIABLE FILE ...
// Run by the EmbedMigrations build plugin; not meant to be called by hand.
import Foundation

/// Escapes text as the body of an ordinary Swift string literal.
func swiftLiteral(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2, let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift VARIABLE FILE ...\n".utf8))
    exit(64)
}
let variable = arguments.dropFirst().first!

var source = """
// Generated at build time by Tools/EmbedMigrations. Do not edit.

/// Files shipped inside this binary, as (file name, text), in the order the build gave them.
let \(variable): [(fileName: String, text: String)] = [

"""
for path in arguments.dropFirst(2) {
    let url = URL(fileURLWithPath: path)
    let text = try String(contentsOf: url, encoding: .utf8)
    source += "    (\(swiftLiteral(url.lastPathComponent)), \(swiftLiteral(text))),\n"
}
source += "]\n"

let outputURL = URL(fileURLWithPath: outputPath)
// Rewrite only on change, so an unchanged migration set does not recompile the module.
if (try? String(contentsOf: outputURL, encoding: .utf8)) != source {
    try source.write(to: outputURL, atomically: true, encoding: .utf8)
}
