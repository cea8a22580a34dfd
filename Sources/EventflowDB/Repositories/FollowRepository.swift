/// A domain's feed for followers (a hub, a projection): every committed event exactly once, in
/// one order all followers agree on, with named consumer positions stored beside it.
///
/// ``EventRepository/readEvents(domain:after:limit:)-(String,_,_)`` pages by the insertion
/// counter, which a write takes when it starts and which becomes visible when it commits: a
/// write that took position 7 and commits after one that took 8 was already read past, and its
/// event is never seen by a follower paging by position. The feed closes that gap: a follow
/// position is granted only to events already committed, by a short sequencing step that any
/// follower runs when it finds committed events without one. Writers do not change, so a write
/// costs what it did, and writers of other versions are covered too.
///
/// Callers use the methods of the extension, which take plain values, check them once and
/// forward to the requirements; a backend implements the requirements.
public protocol FollowRepository: Sendable {
    /// A backend must first grant follow positions to the committed events that have none,
    /// above every position granted before and in insertion order among themselves (events of
    /// writes not yet committed are left for a later step), then return the domain's events
    /// with a follow position above `page.after`, ascending, at most `page.limit`.
    func fetchFollowed(domain: Identifier, after page: Page) async throws -> [FollowedEvent]
    /// A backend must return how many of its own writes of events have committed so far in
    /// this process (any increasing count; 0 when it cannot tell).
    func fetchWriteCount() async -> UInt64
    /// A backend must return once its write count is above `count`, after `timeout`, or when
    /// the task is cancelled; it never throws, as a wake-up is only a hint.
    func awaitWrite(after count: UInt64, timeout: Duration) async
    /// A backend must return the stored positions the query asks for, with how many events of
    /// the domain each has not handled.
    func fetchConsumers(_ query: ConsumerQuery) async throws -> [ConsumerPosition]
    /// A backend must store `position` as the consumer's position in the domain, replacing
    /// any earlier one.
    func changeConsumer(name: Identifier, domain: Identifier, position: UInt64) async throws
    /// A backend must delete the consumer's position in the domain and return whether there
    /// was one.
    func removeConsumer(name: Identifier, domain: Identifier) async throws -> Bool
}

extension FollowRepository {
    /// The events of a domain's feed after a follow position, ascending, at most `limit`
    /// (1–10,000): every committed event is read exactly once by a follower that resumes after
    /// the last ``FollowedEvent/position`` it handled, also when writers commit out of order.
    ///
    /// ```swift
    /// var position: UInt64 = 0
    /// while true {
    ///     let page = try await db.follow.readFollowed(domain: "orders", after: position, limit: 500)
    ///     if page.isEmpty { break }
    ///     for followed in page { try await handle(followed.event) }
    ///     position = page.last!.position
    /// }
    /// ```
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `domain` or `limit`;
    ///   ``EventflowDBError/Code/eventFollow``.
    public func readFollowed(domain: String, after position: UInt64, limit: Int) async throws -> [FollowedEvent] {
        try await fetchFollowed(domain: Identifier(domain, field: "domain"), after: Page(after: position, limit: limit))
    }

    /// Follows a domain: an asynchronous sequence that reads every committed event after
    /// `position` (0 from the start), then waits for more and never ends until its task is
    /// cancelled (then it ends) or a read fails (then it throws).
    ///
    /// It wakes when a write through the same database object commits; on MariaDB, also when
    /// another process commits a write of events (through the server's binary log, when it can
    /// be read). It reads again at least every `poll` (1 s by default) whatever happens to
    /// those wake-ups: they are hints, the feed is the truth. Each event arrives once, in the
    /// order every follower sees.
    ///
    /// ```swift
    /// for try await followed in db.follow.follow(domain: "orders", after: 0) {
    ///     try await handle(followed.event)
    /// }
    /// ```
    public func follow(
        domain: String, after position: UInt64 = 0, pageSize: Int = 500, poll: Duration = .seconds(1)
    ) -> FollowedEvents {
        FollowedEvents(repository: self, domain: domain, after: position, pageSize: pageSize, poll: poll)
    }

    /// The stored position of a named consumer in a domain's feed (0 when it has none).
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `name` or `domain`;
    ///   ``EventflowDBError/Code/consumerPosition``.
    public func readConsumerPosition(name: String, domain: String) async throws -> UInt64 {
        let query = ConsumerQuery.one(
            name: try Identifier(name, field: "name"), domain: try Identifier(domain, field: "domain"))
        return try await fetchConsumers(query).first?.position ?? 0
    }

    /// Every stored consumer position with how far behind it is, by name then domain.
    ///
    /// - Throws: ``EventflowDBError/Code/consumerPosition``.
    public func readConsumers() async throws -> [ConsumerPosition] {
        try await fetchConsumers(.all)
    }

    /// Stores a named consumer's position: call it after the consumer has handled the event at
    /// `position`, so a restart resumes after it. A smaller position than the stored one moves
    /// the consumer back (to read again).
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `name` or `domain`;
    ///   ``EventflowDBError/Code/consumerPosition``.
    public func updateConsumerPosition(name: String, domain: String, position: UInt64) async throws {
        try await changeConsumer(
            name: Identifier(name, field: "name"), domain: Identifier(domain, field: "domain"), position: position)
    }

    /// Forgets a named consumer's position in a domain; returns whether it had one.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `name` or `domain`;
    ///   ``EventflowDBError/Code/consumerPosition``.
    @discardableResult
    public func deleteConsumer(name: String, domain: String) async throws -> Bool {
        try await removeConsumer(name: Identifier(name, field: "name"), domain: Identifier(domain, field: "domain"))
    }
}
