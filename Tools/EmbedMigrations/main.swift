// Writes a Swift source file holding the given SQL migration files, in the order given.
// Usage: embed-migrations OUTPUT.swift FILE.sql ...
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
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift FILE.sql ...\n".utf8))
    exit(64)
}

var source = """
// Generated at build time by Tools/EmbedMigrations from Migrations/*.sql. Do not edit.

/// Every migration shipped with this binary, as (file name, SQL text), in file-name order.
let embeddedMigrations: [(fileName: String, sql: String)] = [

"""
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let sql = try String(contentsOf: url, encoding: .utf8)
    source += "    (\(swiftLiteral(url.lastPathComponent)), \(swiftLiteral(sql))),\n"
}
source += "]\n"

let outputURL = URL(fileURLWithPath: outputPath)
// Rewrite only on change, so an unchanged migration set does not recompile the module.
if (try? String(contentsOf: outputURL, encoding: .utf8)) != source {
    try source.write(to: outputURL, atomically: true, encoding: .utf8)
}
