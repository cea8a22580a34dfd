public import EventflowDB
public import EventflowDBMariaDB
public import EventflowDBTesting

extension TestServer {
    /// Inserts `events` in a transaction on a connection of its own and leaves it open: the
    /// rows took their `seq` and are invisible to other sessions until the returned write
    /// commits (or never, when it rolls back). The connection closes with either.
    public static func holdWrite(
        _ events: [NewEvent], configuration: MariaDBConfiguration, clock: any EventflowClock
    ) async throws -> HeldWrite {
        let connection = try await MariaDBConnection.connect(configuration: configuration, logger: logger)
        do {
            _ = try await connection.query("START TRANSACTION")
            let now = clock.now()
            for new in events {
                let event = new.stored(at: now)
                let insert: MariaDBQuery =
                    """
                    INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES (\(event.id), \
                    \(event.timestamp), \(event.domain), \(event.rid), \(event.pid), \(event.name), \(event.data.jsonText))
                    """
                _ = try await connection.execute(insert)
            }
        } catch {
            await connection.close()
            throw error
        }
        return HeldWrite(
            commit: {
                do {
                    _ = try await connection.query("COMMIT")
                } catch {
                    await connection.close()
                    throw error
                }
                await connection.close()
            },
            rollBack: {
                _ = try? await connection.query("ROLLBACK")
                await connection.close()
            })
    }
}
