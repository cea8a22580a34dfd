/// Events read page by page as they are iterated: at most one page is held at a time, so an
/// event log of any length streams in bounded memory. Each page starts after the last event of
/// the one before (a keyset, never an offset), so events written meanwhile after that point are
/// read, and none is read twice.
///
/// ```swift
/// for try await event in db.events.eventLog(domain: "orders", pid: "order-1", pageSize: 1_000) {
///     try await replay(event)
/// }
/// ```
public struct PagedEvents: AsyncSequence, Sendable {
    public typealias Element = Event
    public typealias Failure = any Error

    /// Reads the page after the given event (the first page for nil).
    let nextPage: @Sendable (Event?) async throws -> [Event]

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextPage: @Sendable (Event?) async throws -> [Event]
        var page: [Event] = []
        var index = 0
        var last: Event?
        var finished = false

        public mutating func next() async throws -> Event? {
            if index == page.count {
                guard !finished else { return nil }
                page = try await nextPage(last)
                index = 0
                if page.isEmpty {
                    finished = true
                    return nil
                }
            }
            let event = page[index]
            index += 1
            last = event
            return event
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextPage: nextPage)
    }
}
