import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import InMemoryTracing
import MetricsTestKit
import Testing
import Tracing

/// Metrics and spans reach the backends given to ``MariaDBInstruments`` (here in-memory ones;
/// in an application, the process-wide swift-metrics and swift-distributed-tracing backends).
@Suite("MariaDB: metrics and traces")
struct InstrumentationTests {
    @Test(
        "operations are timed and traced with database attributes and no bound values; claims, retries and the pool are counted"
    )
    func metricsAndSpans() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_instr", poolSize: 2)
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        let db = EventflowDB.mariaDB(
            configuration: configuration, logger: TestServer.logger,
            instruments: MariaDBInstruments(metrics: metrics, tracer: tracer))
        try await db.setupTableSchemas()
        try await db.hubs.persistHub(
            NewHub(id: "hub-1", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 2))
        let secret = "secret-bound-value-7f3a"
        let id = try await db.publish(NewEvent(id: secret, domain: "d", pid: "p", name: "n"), publisher: "spoke")
        #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1"))
        #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1") == false)
        _ = try await db.events.readEvent(id: id)

        let persists = metrics.timers(
            label: "eventflow_db_operation_duration", dimensions: [("operation", "event_publish")])
        #expect(persists.count == 1 && persists[0].values.count == 1)
        #expect(persists.first?.values.first.map { $0 > 0 } == true)
        #expect(
            metrics.counterTotal(
                label: "eventflow_db_claims_total", dimensions: [("claim", "published_hub"), ("result", "won")]) == 1)
        #expect(
            metrics.counterTotal(
                label: "eventflow_db_claims_total", dimensions: [("claim", "published_hub"), ("result", "lost")]) == 1)
        #expect(try metrics.expectGauge("eventflow_db_pool_connections").lastValue.map { $0 >= 1 } == true)
        #expect(try metrics.expectTimer("eventflow_db_pool_acquire_duration").values.isEmpty == false)

        let spans = tracer.finishedSpans
        let read = try #require(spans.first { $0.operationName == "eventflow_db event_read" })
        #expect(read.kind == .client)
        #expect(read.attributes.get("db.system") == .string("mariadb"))
        #expect(read.attributes.get("db.operation") == .string("event_read"))
        #expect(read.attributes.get("db.name") == .string(configuration.database))
        var everyAttribute: [String] = []
        for span in spans { span.attributes.forEach { key, value in everyAttribute.append("\(key)=\(value)") } }
        #expect(!everyAttribute.contains { $0.contains(secret) }, "a bound value reached a span")

        // A failure (the id stored with other content) is timed as one, and its span carries the error.
        await expectError(.eventPersist) {
            try await db.events.persistEvent(NewEvent(id: id, domain: "d", pid: "p", name: "other content"))
        }
        #expect(
            metrics.timers(
                label: "eventflow_db_operation_duration",
                dimensions: [("operation", "event_persist"), ("outcome", "failure")]
            ).first?.values.count == 1)
        #expect(
            tracer.finishedSpans.contains { $0.operationName == "eventflow_db event_persist" && !$0.errors.isEmpty })
        try await db.close()

        // A read whose connection is cut is attempted again: one retry counted.
        let proxy = try FaultProxy(targetPort: configuration.port)
        var proxied = configuration
        proxied.port = proxy.port
        let retrying = EventflowDB.mariaDB(
            configuration: proxied, logger: TestServer.logger,
            instruments: MariaDBInstruments(metrics: metrics, tracer: tracer))
        proxy.arm(.cut, command: .execute, containing: secret, times: 1)
        #expect(try await retrying.events.readEvent(id: secret).id == secret)
        #expect(
            metrics.counterTotal(label: "eventflow_db_retries_total", dimensions: [("operation", "event_read")]) == 1)
        #expect(metrics.counterTotal(label: "eventflow_db_connections_lost_total") >= 1)
        try await retrying.close()
        proxy.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}
