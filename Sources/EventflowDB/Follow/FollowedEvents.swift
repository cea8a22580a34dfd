/// A domain's feed as an asynchronous sequence: ``FollowRepository/follow(domain:after:pageSize:poll:)``.
///
/// It reads pages after the last position it returned; when a page is empty it waits for a
/// write of this process or for `poll`, whichever comes first, and reads again. It ends when its
/// task is cancelled.
public struct FollowedEvents: AsyncSequence, Sendable {
    public typealias Element = FollowedEvent
    public typealias Failure = any Error

    let repository: any FollowRepository
    let domain: String
    let after: UInt64
    let pageSize: Int
    let poll: Duration

    /// Reads the next page when the one before is used up, waiting while there is none.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let repository: any FollowRepository
        let domain: String
        let pageSize: Int
        let poll: Duration
        var position: UInt64
        var page: [FollowedEvent] = []
        var index = 0

        /// The next event of the feed; nil once the task is cancelled.
        public mutating func next() async throws -> FollowedEvent? {
            while index == page.count {
                if Task.isCancelled { return nil }
                // The count is read before the page: a write committed after the read wakes the wait.
                let seen = await repository.fetchWriteCount()
                page = try await repository.readFollowed(domain: domain, after: position, limit: pageSize)
                index = 0
                if page.isEmpty { await repository.awaitWrite(after: seen, timeout: poll) }
            }
            let followed = page[index]
            index += 1
            position = followed.position
            return followed
        }
    }

    /// An iterator that starts after the sequence's position.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(repository: repository, domain: domain, pageSize: pageSize, poll: poll, position: after)
    }
}
