import EventflowDB
import EventflowDBMigrations
import Foundation
import Testing

@Suite("Migration files")
struct MigrationFilesTests {
    @Test("the embedded list holds every .sql file of Migrations/, in version order, unchanged")
    func listMatchesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Migrations"
        ).standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        #expect(MigrationFiles.all.map(\.fileName) == files)
        // Strictly increasing from 1: numbers are handed out to parallel branches, so one branch
        // alone may skip a number that another branch's migration takes.
        let versions = MigrationFiles.all.map(\.version)
        #expect(versions.first == 1)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
        for file in MigrationFiles.all {
            let text = try String(contentsOf: folder.appendingPathComponent(file.fileName), encoding: .utf8)
            #expect(file.sql == text)
        }
    }

    @Test("statements split at semicolons that end a line, without comments")
    func statements() {
        let baseline = MigrationFiles.all[0]
        #expect(baseline.statements.count == 8)
        #expect(baseline.statements.allSatisfy { !$0.hasSuffix(";") && !$0.hasPrefix("--") })
        #expect(baseline.statements.allSatisfy { $0.hasPrefix("CREATE TABLE IF NOT EXISTS") })
    }
}
