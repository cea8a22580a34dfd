/// Events (or other rows) read page by page as they are iterated: at most one page is held at a time, so an
/// event log of any length streams in bounded memory. Each page starts after the last event of
/// the one before (a keyset, never an offset), so none is read twice, and events written
/// meanwhile are read when they sort after that point. One that commits after a later event
/// was read (a slow transaction; a client clock behind another's) sorts before the point and is
/// not read: ``FollowRepository/follow(domain:after:pageSize:poll:)`` reads every committed event.
///
/// ```swift
/// for try await event in db.events.eventLog(domain: "orders", pid: "order-1", pageSize: 1_000) {
///     try await replay(event)
/// }
/// ```
public struct Pages<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = any Error

    /// Reads the page after the given element (the first page for nil).
    let nextPage: @Sendable (Element?) async throws -> [Element]

    /// A sequence of the pages `nextPage` reads, each after the last element of the one before,
    /// until one is empty.
    public init(nextPage: @escaping @Sendable (Element?) async throws -> [Element]) {
        self.nextPage = nextPage
    }

    /// Reads a page when the one before is used up; ends at the first empty page.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextPage: @Sendable (Element?) async throws -> [Element]
        var page: [Element] = []
        var index = 0
        var last: Element?
        var finished = false

        /// The next element, reading the next page when needed; nil after the last.
        public mutating func next() async throws -> Element? {
            if index == page.count {
                guard !finished else { return nil }
                page = try await nextPage(last)
                index = 0
                if page.isEmpty {
                    finished = true
                    return nil
                }
            }
            let element = page[index]
            index += 1
            last = element
            return element
        }
    }

    /// An iterator that starts at the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextPage: nextPage)
    }
}

/// Events read page by page: ``EventRepository/eventLog(domain:pid:from:to:names:pageSize:)`` and the
/// other streaming reads.
public typealias PagedEvents = Pages<Event>
