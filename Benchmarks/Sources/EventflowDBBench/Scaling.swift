import EventflowDB
import EventflowDBMariaDB
import Logging

/// How cost grows (`--only SCALE`): W1 at concurrency 1 to 32, each with a pool of that size
/// and as many floor connections, and W2 with 10, 100 and 1,000 rows per read; each against the
/// out-of-process floor, interleaved slice by slice as the other workloads are.
struct Scaling {
    let configuration: MariaDBConfiguration
    let logger: Logger
    let events: Int
    let rounds: Int

    func run() async throws {
        let floor = try Floor(configuration: configuration, connections: 32)
        for concurrency in [1, 2, 4, 8, 16, 32] {
            var sized = configuration
            sized.poolSize = concurrency
            let db = EventflowDB.mariaDB(configuration: sized, logger: logger)
            let workloads = Workloads(db: db, floor: floor, events: events, rounds: rounds)
            Measure.report("SCALE-W1", concurrency, try await workloads.persist(concurrency: concurrency))
            try await db.close()
        }
        let db = EventflowDB.mariaDB(configuration: configuration, logger: logger)
        let workloads = Workloads(db: db, floor: floor, events: events, rounds: rounds)
        for rows in [10, 100, 1_000] {
            Measure.report("SCALE-W2-rows", rows, try await workloads.read(rowsPerRead: rows, passes: 2))
        }
        try await db.close()
    }
}
