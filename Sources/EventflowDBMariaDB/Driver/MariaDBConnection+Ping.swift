import EventflowDB

extension MariaDBConnection {
    /// Whether the server answers a ping within `timeout`, however long the connection's read
    /// timeout is. A connection that does not answer in time is cut (see ``cut()``): broken, its
    /// node failed.
    ///
    /// For the pool's idle health check: a node that hangs (frozen, partitioned) answers nothing
    /// and closes nothing, and without this bound each ping would wait the full read timeout.
    nonisolated func ping(within timeout: Duration) async -> Bool {
        let timer = Task { [self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            cut()
        }
        let answered = await ping()
        timer.cancel()
        // The timer is done before the connection can be closed and its socket number reused.
        await timer.value
        return answered && !isBroken
    }
}
