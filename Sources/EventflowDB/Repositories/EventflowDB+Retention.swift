public import Foundation

/// What one retention run removed.
public struct RetentionReport: Sendable, Equatable, CustomStringConvertible {
    /// Delivery rows (`event_published`) of finished deliveries deleted.
    public var deliveries: Int
    /// Schedule rows (`event_scheduled`) of finished runs deleted.
    public var schedules: Int
    /// Log archive partitions dropped, oldest first.
    public var logArchives: [String]

    public init(deliveries: Int = 0, schedules: Int = 0, logArchives: [String] = []) {
        self.deliveries = deliveries
        self.schedules = schedules
        self.logArchives = logArchives
    }

    public var description: String {
        "\(deliveries) deliveries, \(schedules) schedules, \(logArchives.count) log archives"
            + (logArchives.isEmpty ? "" : " (\(logArchives.joined(separator: ", ")))")
    }
}

extension EventflowDB {
    /// The name of the lock retention runs take, so that several hosts can run it at once.
    public static let retentionLockName = "eventflow_retention"

    /// Removes what finished before `before`: delivery rows of finished deliveries, schedule
    /// rows of finished runs, and log archive partitions older than its day. Safe to run from
    /// several hosts at once: it holds the ``retentionLockName`` lock, and deletes in batches of
    /// `batchSize` (1–10,000) so no statement holds its row locks for long. When the lock is lost
    /// (its body is cancelled), the run starts no further batch.
    ///
    /// ```swift
    /// let report = try await db.applyRetention(before: Date().addingTimeInterval(-30 * 86_400))
    /// logger.info("retention", metadata: ["removed": "\(report)"])
    /// ```
    ///
    /// - Throws: ``EventflowDBError/Code/lockTimeout`` when another host holds the lock longer
    ///   than `lockTimeout`; ``EventflowDBError/Code/lockLost`` when the lock was lost meanwhile
    ///   (`CancellationError` when the caller was cancelled); the errors of the deletes.
    public func applyRetention(
        before: Date, batchSize: Int = 1_000, lockTimeout: Duration = .seconds(60)
    ) async throws -> RetentionReport {
        try Validator.limit(batchSize, field: "batchSize")
        try Validator.date(before, field: "before")
        try Validator.timeout(lockTimeout, field: "lockTimeout")
        return try await locks.withLock(Self.retentionLockName, timeout: lockTimeout) { [self] in
            // Each step first checks for cancellation: a body whose lock was lost is cancelled,
            // and then starts no further batch.
            var report = RetentionReport()
            while true {
                try Task.checkCancellation()
                let deleted = try await published.deleteEventsPublishedFinished(before: before, limit: batchSize)
                report.deliveries += deleted
                if deleted < batchSize { break }
            }
            while true {
                try Task.checkCancellation()
                let deleted = try await scheduled.deleteEventsScheduledFinished(before: before, limit: batchSize)
                report.schedules += deleted
                if deleted < batchSize { break }
            }
            try Task.checkCancellation()
            report.logArchives = try await logs.dropLogArchives(before: before)
            return report
        }
    }
}
