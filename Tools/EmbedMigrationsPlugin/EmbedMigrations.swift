import Foundation
import PackagePlugin

/// Carries files into the target that uses this plugin, as a generated Swift array: the top-level
/// `Migrations/*.sql` (SQLite's) and `Migrations/postgres/*.sql` into FleetStore, so the `fleetledger` binary migrates a store from any
/// working directory, and `docs/openapi.json` into FleetServe, which serves it.
///
/// The file list is read at every build, so adding a migration needs no change here.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let sets: [(files: [URL], variable: String)]
        if target.name == "FleetServe" {
            sets = [([context.package.directoryURL.appending(path: "docs/openapi.json")], "embeddedDocuments")]
        } else {
            let folder = context.package.directoryURL.appending(path: "Migrations")
            sets = [(try Self.sqlFiles(in: folder), "embeddedMigrations"),
                    (try Self.sqlFiles(in: folder.appending(path: "postgres")), "embeddedPostgresMigrations")]
        }
        return try sets.map { files, variable in
            let output = context.pluginWorkDirectoryURL.appending(path: "\(variable).swift")
            return .buildCommand(
                displayName: "Embedding \(files.count) file(s) into \(target.name)",
                executable: try context.tool(named: "embed-migrations").url,
                arguments: [output.path, variable] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        }
    }

    /// The `.sql` files directly in `folder`, by name.
    private static func sqlFiles(in folder: URL) throws -> [URL] {
        try FileManager.default
            .contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
