import EventflowDB
import EventflowDBInMemory
import EventflowDBMariaDB
import Foundation
import Metrics
import Tracing

/// The names README examples use without defining them, as a reader's own code would have them.
/// `ReadmeBlocks.swift` (generated) compiles each README block as a method of this type; the
/// methods are compiled, not run (the top-level blocks' tests run).
struct ReadmeContext {
    var db: EventflowDB
    var configFile: String
    var configuration: MariaDBConfiguration
    var event: Event
    var hubID: String
    /// Where a consumer keeps its progress.
    var savedPosition: UInt64?
    /// A hub's incoming deliveries.
    var incoming: AsyncThrowingStream<Event, any Error>
    var metricsFactory: any MetricsFactory
    var tracer: any Tracer

    /// Delivers a claimed event to its consumer.
    func deliver<Delivery>(_ delivery: Delivery, attempt: Int) async throws {}
    /// Applies an event of a process's log again.
    func replay(_ event: Event) async throws {}
    /// Runs a claimed scheduled event.
    func runScheduled(_ run: ScheduledEvent) async throws {}
    /// Handles an event of a domain.
    func handle(_ event: Event) async throws {}
}

/// Stands in for a reader's own wrapper of a repository (with caching, metrics, …).
func CachingEventRepository(_ inner: any EventRepository) -> any EventRepository { inner }
