import EventflowDB
import EventflowDBInMemory
import EventflowDBMariaDB
import Foundation
import Metrics
import Testing
import Tracing

/// README blocks marked `<!-- readme-test: run NAME -->` run as written, on the fakes.
@Suite("README runs")
struct ReadmeRunTests {
    @Test("the README's usage flow runs as written, on the in-memory driver its config file names")
    func usageFlow() async throws {
        let configFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "readme-\(UUID().uuidString).json"
        ).path
        try #"{"eventflow":{"db":{"driver":"memory"}}}"#.write(toFile: configFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: configFile) }
        var context = ReadmeContext.onFakes(configFile: configFile)
        try await context.usageFlow()
    }

    @Test("the README's hub loop delivers each published event once, as written, on the fakes")
    func hubLoop() async throws {
        var context = ReadmeContext.onFakes(configFile: "")
        try await context.hubLoop()
        let rows = try await context.db.published.readClaims(hubID: "hub-id", limit: 10)
        #expect(rows.isEmpty, "every claim got its outcome")
        let pending = try await context.db.published.readEventsPublishedNotConsumed(publishedBefore: Date(), limit: 10)
        #expect(pending.isEmpty)
        #expect(try await context.db.published.readDeadLetters(limit: 10).isEmpty)
    }
}

extension ReadmeContext {
    /// A context whose names are backed by the fakes and no-op instruments.
    static func onFakes(configFile: String) -> ReadmeContext {
        ReadmeContext(
            db: EventflowDB.inMemory(), configFile: configFile, configuration: MariaDBConfiguration(),
            event: Event(
                id: "readme-event", timestamp: Date(), domain: "example", rid: nil, pid: "process-id",
                name: "event-name",
                data: [:]),
            hubID: "hub-id", savedPosition: nil, incoming: AsyncThrowingStream { $0.finish() },
            metricsFactory: NOOPMetricsHandler.instance, tracer: NoOpTracer())
    }
}
