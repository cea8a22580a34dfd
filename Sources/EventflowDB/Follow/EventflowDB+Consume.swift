extension EventflowDB {
    /// Follows a domain as a named consumer, pinned to one connection: resumes after the
    /// consumer's stored position, hands each event to `handle`, and stores the event's position
    /// once `handle` returns, so a restarted consumer resumes exactly after the last event it
    /// handled (an event whose handling was cut short is handed over again).
    ///
    /// ```swift
    /// try await db.consume(domain: "orders", as: "hub-1") { followed in
    ///     try await handle(followed.event)
    /// }
    /// ```
    ///
    /// Runs until its task is cancelled (then it returns) or a read, a store or `handle` throws.
    /// The reads and stores use one pooled connection the whole time, idle or not
    /// (``withPinnedConnection(_:)``); a write through this object wakes it at once, writes of
    /// other processes are found by a read at least every `poll`.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `domain`, `name` or `limit`;
    ///   ``EventflowDBError/Code/eventFollow``, ``EventflowDBError/Code/consumerPosition``, and
    ///   what `handle` throws.
    public func consume(
        domain: String, as consumer: String, pageSize: Int = 500, poll: Duration = .seconds(1),
        _ handle: (FollowedEvent) async throws -> Void
    ) async throws {
        try await withPinnedConnection {
            let start = try await follow.readConsumerPosition(name: consumer, domain: domain)
            for try await followed in follow.follow(domain: domain, after: start, pageSize: pageSize, poll: poll) {
                try await handle(followed)
                try await follow.updateConsumerPosition(name: consumer, domain: domain, position: followed.position)
            }
        }
    }
}
