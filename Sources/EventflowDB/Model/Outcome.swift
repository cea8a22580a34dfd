/// How the delivery of a published event ended: its terminal stamps, each set once.
public enum PublishedOutcome: String, Sendable, Hashable, CaseIterable {
    /// Delivered.
    case success
    /// Delivery failed.
    case failed
    /// Set aside: no consumer will take it (also how a dead letter is discarded).
    case orphan

    /// The error code of a failed stamp.
    package var errorCode: EventflowDBError.Code {
        switch self {
        case .success: .eventPublishedUpdateSuccess
        case .failed: .eventPublishedUpdateFailed
        case .orphan: .eventPublishedUpdateOrphan
        }
    }
}

/// How the run of a scheduled event ended: its stamps after the executed claim, each set once.
public enum ScheduledOutcome: String, Sendable, Hashable, CaseIterable {
    /// The run succeeded.
    case success
    /// The run failed.
    case failed

    /// The error code of a failed stamp.
    package var errorCode: EventflowDBError.Code {
        switch self {
        case .success: .scheduledEventUpdateSuccess
        case .failed: .scheduledEventUpdateFailed
        }
    }
}
