/// A lock's body run beside a watch of the lock: whichever ends first decides. The watch returns
/// when the lock is lost; the body is then cancelled and awaited, so it never outlives the call,
/// and the caller learns the lock was lost.
///
/// The watch runs in a task of its own, outside the caller's: a cancelled caller cancels the
/// body, but the watch (a lease's renewals and its deadline) goes on until the body has ended.
/// It is not awaited either: a watch stuck in a statement to a hung server cannot hold up the
/// call once the body has ended or the lock is known lost.
enum WatchedBody<T: Sendable>: Sendable {
    case finished(Result<T, any Error>)
    case lost

    static func run(
        _ body: @Sendable () async throws -> T, watch: @escaping @Sendable () async -> Void
    ) async -> WatchedBody<T> {
        // true: the watch returned (the lock is lost); false: the body ended first.
        let watchEnded = OneShot<Bool>()
        let watcher = Task {
            await watch()
            watchEnded.set(true)
        }
        defer { watcher.cancel() }
        // The group awaits its child tasks before it returns: the body does not outlive this call.
        return await withoutActuallyEscaping(body) { body in
            await withTaskGroup(of: WatchedBody<T>?.self) { group in
                group.addTask {
                    do {
                        return .finished(.success(try await body()))
                    } catch {
                        return .finished(.failure(error))
                    }
                }
                group.addTask { await watchEnded.value() ? .lost : nil }
                let first = await group.next()!
                if case .finished = first {
                    watchEnded.set(false)
                    return first!
                }
                group.cancelAll()
                _ = await group.next()  // the body, cancelled: wait for it to end
                return .lost
            }
        }
    }
}
