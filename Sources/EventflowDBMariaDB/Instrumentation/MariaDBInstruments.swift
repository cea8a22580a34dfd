import CoreMetrics
import EventflowDB
import Foundation
public import Metrics
public import Tracing

/// Where the MariaDB backend reports its metrics (swift-metrics) and spans
/// (swift-distributed-tracing). By default the process-wide `MetricsSystem.factory` and
/// `InstrumentationSystem.tracer`: both do nothing until the application bootstraps a backend
/// (Prometheus, OpenTelemetry, …), so instrumentation costs next to nothing when unused.
///
/// Metrics (labels, dimensions):
/// - `eventflow_db_operation_duration` (timer, `operation`, `outcome` = success or failure): each
///   repository operation, retries included.
/// - `eventflow_db_retries_total` (counter, `operation`): attempts made again after a lost
///   connection, a deadlock or a node that refused.
/// - `eventflow_db_claims_total` (counter, `claim` = published_hub, published_spoke or scheduled;
///   `result` = won or lost).
/// - `eventflow_db_connections_lost_total` (counter): connections closed because they failed.
/// - `eventflow_db_pool_connections`, `eventflow_db_pool_in_use`, `eventflow_db_pool_waiters`
///   (gauges) and `eventflow_db_pool_acquire_duration` (timer): the pool.
///
/// Spans: one per operation, kind client, named `eventflow_db <operation>`, with `db.system` =
/// `mariadb`, `db.operation` and `db.name`. Never a bound value.
public struct MariaDBInstruments: Sendable {
    /// Where metrics go.
    public let metrics: any MetricsFactory
    /// Where spans go.
    public let tracer: any Tracer

    /// False for the no-op backends (nothing bootstrapped): operations then skip the span and
    /// the timer altogether, and cost no task-local binding, allocation or clock read for them.
    private let spans: Bool
    private let timers: Bool

    public init(
        metrics: any MetricsFactory = MetricsSystem.factory, tracer: any Tracer = InstrumentationSystem.tracer
    ) {
        self.metrics = metrics
        self.tracer = tracer
        self.spans = !(tracer is NoOpTracer)
        self.timers = !(metrics is NOOPMetricsHandler)
    }

    /// Runs one repository operation in a span, timing it.
    func operation<T>(
        _ code: EventflowDBError.Code, database: String, _ body: () async throws -> T
    ) async throws -> T {
        if !spans && !timers { return try await body() }
        let name = code.operationName
        let started = ContinuousClock.now
        guard spans else {
            do {
                let result = try await body()
                record(name, "success", since: started)
                return result
            } catch {
                record(name, "failure", since: started)
                throw error
            }
        }
        do {
            let result = try await tracer.withSpan("eventflow_db " + name, ofKind: .client) { span in
                span.attributes["db.system"] = "mariadb"
                span.attributes["db.operation"] = name
                span.attributes["db.name"] = database
                return try await body()
            }
            record(name, "success", since: started)
            return result
        } catch {
            record(name, "failure", since: started)
            throw error
        }
    }

    private func record(_ name: String, _ outcome: String, since started: ContinuousClock.Instant) {
        guard timers else { return }
        let elapsed = ContinuousClock.now - started
        let (seconds, attoseconds) = elapsed.components
        Timer(
            label: "eventflow_db_operation_duration", dimensions: [("operation", name), ("outcome", outcome)],
            factory: metrics
        ).recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func retried(_ code: EventflowDBError.Code) {
        Counter(label: "eventflow_db_retries_total", dimensions: [("operation", code.operationName)], factory: metrics)
            .increment()
    }

    func claimed(_ claim: String, won: Bool) {
        Counter(
            label: "eventflow_db_claims_total", dimensions: [("claim", claim), ("result", won ? "won" : "lost")],
            factory: metrics
        ).increment()
    }
}

extension EventflowDBError.Code {
    /// The operation's name for metrics and spans: `E_EVENTFLOW_DB_EVENT_PERSIST` → `event_persist`.
    var operationName: String {
        rawValue.hasPrefix("E_EVENTFLOW_DB_") ? String(rawValue.dropFirst(15)).lowercased() : rawValue.lowercased()
    }
}
