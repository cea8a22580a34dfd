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
        // 1, 2, 3, … without a gap: a number taken by a branch is in the list once it is merged.
        #expect(MigrationFiles.all.map(\.version) == Array(1...MigrationFiles.all.count))
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
