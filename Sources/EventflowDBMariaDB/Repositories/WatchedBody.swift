/// A lock's body run beside a watcher of the lock: whichever ends first decides. The watcher
/// returns when the lock is lost; the body is then cancelled and awaited, so it never outlives
/// the call, and the caller learns the lock was lost.
enum WatchedBody<T: Sendable>: Sendable {
    case finished(Result<T, any Error>)
    case lost

    static func run(
        _ body: @Sendable () async throws -> T, watch: @escaping @Sendable () async throws -> Void
    ) async throws -> WatchedBody<T> {
        // The group awaits its child tasks before it returns: the body does not outlive this call.
        try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: WatchedBody<T>.self) { group in
                group.addTask {
                    do {
                        return .finished(.success(try await body()))
                    } catch {
                        return .finished(.failure(error))
                    }
                }
                group.addTask {
                    try await watch()
                    return .lost
                }
                let first = try await group.next()!
                group.cancelAll()
                if case .lost = first {
                    _ = try? await group.next()  // the body, cancelled: wait for it to end
                    return .lost
                }
                return first
            }
        }
    }
}
