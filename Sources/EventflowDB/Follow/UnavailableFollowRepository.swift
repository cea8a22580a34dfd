/// The feed of a facade assembled without one: every read and write fails, saying so.
struct UnavailableFollowRepository: FollowRepository {
    private func unavailable(_ code: EventflowDBError.Code) -> EventflowDBError {
        EventflowDBError(code, "this database was assembled without a follow repository")
    }

    func fetchFollowed(domain: Identifier, after page: Page) async throws -> [FollowedEvent] {
        throw unavailable(.eventFollow)
    }

    func fetchWriteCount() async -> UInt64 { 0 }

    func awaitWrite(after count: UInt64, timeout: Duration) async {
        try? await Task.sleep(for: timeout)
    }

    func fetchConsumers(_ query: ConsumerQuery) async throws -> [ConsumerPosition] {
        throw unavailable(.consumerPosition)
    }

    func changeConsumer(name: Identifier, domain: Identifier, position: UInt64) async throws {
        throw unavailable(.consumerPosition)
    }

    func removeConsumer(name: Identifier, domain: Identifier) async throws -> Bool {
        throw unavailable(.consumerPosition)
    }
}
