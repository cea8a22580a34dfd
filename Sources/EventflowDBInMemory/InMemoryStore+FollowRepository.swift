public import EventflowDB

/// ``/EventflowDB/FollowRepository`` in memory: follow positions granted to stored events only,
/// so a write held open (``openWrite(_:)``) is followed after it commits, above every position
/// granted meanwhile, as on MariaDB.
extension InMemoryStore: FollowRepository {
    public func fetchFollowed(domain: Identifier, after page: Page) throws -> [FollowedEvent] {
        try ensureOpen(.eventFollow)
        grantFollowPositions()
        let grants = feed.grants[domain.value] ?? []
        var page = (start: Self.firstIndex(after: page.after, in: grants), limit: page.limit)
        var followed: [FollowedEvent] = []
        while page.start < grants.count && followed.count < page.limit {
            let grant = grants[page.start]
            if isLive(grant), let stored = events[grant.id] {
                followed.append(FollowedEvent(position: grant.position, event: stored.event))
            }
            page.start += 1
        }
        return followed
    }

    public nonisolated func fetchWriteCount() async -> UInt64 { writeSignal.count }

    public nonisolated func awaitWrite(after count: UInt64, timeout: Duration) async {
        await writeSignal.wait(after: count, timeout: timeout)
    }

    public func fetchConsumers(_ query: ConsumerQuery) throws -> [ConsumerPosition] {
        try ensureOpen(.consumerPosition)
        let keys: [Feed.ConsumerKey]
        switch query {
        case .one(let name, let domain):
            let key = Feed.ConsumerKey(name: name.value, domain: domain.value)
            keys = feed.consumers[key] == nil ? [] : [key]
        case .all:
            keys = feed.consumers.keys.sorted()
        }
        return keys.map { key in
            let position = feed.consumers[key] ?? 0
            return ConsumerPosition(
                name: key.name, domain: key.domain, position: position,
                behind: behind(domain: key.domain, position: position))
        }
    }

    public func changeConsumer(name: Identifier, domain: Identifier, position: UInt64) throws {
        try ensureOpen(.consumerPosition)
        feed.consumers[Feed.ConsumerKey(name: name.value, domain: domain.value)] = position
    }

    public func removeConsumer(name: Identifier, domain: Identifier) throws -> Bool {
        try ensureOpen(.consumerPosition)
        return feed.consumers.removeValue(forKey: Feed.ConsumerKey(name: name.value, domain: domain.value)) != nil
    }
}
