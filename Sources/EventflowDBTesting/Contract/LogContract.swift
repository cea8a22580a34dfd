import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func logPersistAndRead(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let start = clock.now().truncatedToMilliseconds
            try await db.logs.persistLog(
                NewLogEntry(agent: "hub-1", message: "héllo 😀 日本語", error: ["message": "Error details"]))
            clock.advance(by: 1)
            try await db.logs.persistLog(NewLogEntry(agent: "hub-2", message: "second"))
            clock.advance(by: 1)
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "third"))

            let hubOne = try await db.logs.readLogs(agent: "hub-1", from: nil, to: nil)
            #expect(hubOne.allSatisfy { $0.position != nil })
            #expect(
                hubOne.map(\.content) == [
                    LogEntry(
                        timestamp: start, agent: "hub-1", message: "héllo 😀 日本語", error: ["message": "Error details"]),
                    LogEntry(
                        timestamp: start.addingTimeInterval(2), agent: "hub-1", message: "third", error: .emptyObject),
                ])
            let window = try await db.logs.readLogs(
                agent: nil, from: start.addingTimeInterval(1), to: start.addingTimeInterval(2))
            #expect(window.map(\.message) == ["second", "third"])
        }
    }

    static func logArchive(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let today = clock.now()
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "old"))
            clock.advance(by: 86_400)
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "new"))
            let tomorrow = clock.now()

            #expect(try await db.logs.archiveLog(before: tomorrow))
            #expect(try await db.logs.archiveLog(before: tomorrow) == false)
            #expect(try await db.logs.readLogArchives() == ["p_cold_" + LogArchiveDay.string(for: tomorrow)])
            await expectError(.logArchive) { try await db.logs.archiveLog(before: today) }
            // Archived lines stay readable.
            #expect(try await db.logs.readLogs(agent: "hub-1", from: nil, to: nil).map(\.message) == ["old", "new"])
            #expect(try await db.logs.archiveLog(before: tomorrow.addingTimeInterval(86_400)))
            #expect(try await db.logs.readLogArchives().count == 2)
        }
    }
}

extension EventflowDBContract {
    static func logStream(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let start = clock.now()
            for index in 0..<8 {
                if index % 3 == 0 { clock.advance(by: 0.001) }  // ties, split across pages
                try await db.logs.persistLog(
                    NewLogEntry(agent: index % 2 == 0 ? "hub-1" : "hub-2", message: "m\(index)"))
            }
            var all: [String] = []
            for try await line in db.logs.logLines(pageSize: 3) { all.append(line.message) }
            #expect(all == (0..<8).map { "m\($0)" })
            var hubOne: [String] = []
            for try await line in db.logs.logLines(agent: "hub-1", from: start, to: clock.now(), pageSize: 2) {
                hubOne.append(line.message)
            }
            #expect(hubOne == (try await db.logs.readLogs(agent: "hub-1", from: start, to: clock.now())).map(\.message))
            #expect(hubOne == ["m0", "m2", "m4", "m6"])
        }
    }
}

extension EventflowDBContract {
    /// Log.
    public static let log: [ContractCase] = [
        ContractCase(
            "Log", "log lines keep any Unicode message and their error, and read back by agent and time",
            logPersistAndRead),
        ContractCase(
            "Log", "archiving a day is done once; again is a no-op; a day before an archive fails", logArchive),
        ContractCase("Log", "log lines stream in keyset pages, in the order written, by agent and time", logStream),
    ]
}
