import EventflowDB
import Foundation

/// W1 and W3 on a Galera cluster beside the single server, in the same run: the project's
/// repositories on each, slice by slice in turn, so both meet the same machine. The ratio is
/// cluster / single server: what synchronous replication to three nodes costs (or gains, for
/// concurrent writers spread over three servers).
struct ClusterComparison {
    let single: EventflowDB
    let cluster: EventflowDB
    let events: Int
    let rounds: Int

    /// W1: one persistEvent per event at `concurrency`, alternating single and cluster slices.
    func persist(concurrency: Int) async throws -> Rates {
        let slices = Workloads.slices
        let perWorker = max(1, events / 4 / concurrency / slices)
        var rates = Rates()
        for _ in 0..<rounds {
            var singleSeconds = 0.0
            var clusterSeconds = 0.0
            for slice in 0..<slices {
                singleSeconds += try await Measure.seconds {
                    try await Self.write(single, slice: slice, concurrency: concurrency, perWorker: perWorker)
                }
                clusterSeconds += try await Measure.seconds {
                    try await Self.write(cluster, slice: slice, concurrency: concurrency, perWorker: perWorker)
                }
            }
            let items = Double(perWorker * concurrency * slices)
            rates.add(project: items / clusterSeconds, baseline: items / singleSeconds)
        }
        return rates
    }

    private static func write(_ db: EventflowDB, slice: Int, concurrency: Int, perWorker: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    let first = (slice * concurrency + worker) * perWorker
                    for index in first..<(first + perWorker) {
                        _ = try await db.events.persistEvent(Workloads.event(index))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// W3: 8 hubs each try to claim each of `count` published events, on the single server and
    /// on the cluster in turn; every event must be won exactly once on both.
    func claim(hubs: Int = 8, count: Int = 500) async throws -> Rates {
        for db in [single, cluster] { try await db.seedHubs(hubs, prefix: "cmp-hub-") }
        var rates = Rates()
        for round in 0..<rounds {
            var seconds: [Double] = []
            for (side, db) in [("s", single), ("c", cluster)] {
                let ids = (0..<count).map { "cmp-\(round)-\(side)-\($0)" }
                try await db.seedClaimable(ids)
                let wins = Wins()
                seconds.append(
                    try await Measure.seconds {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for hub in 0..<hubs {
                                group.addTask {
                                    var won = 0
                                    for id in ids
                                    where try await db.published.updateEventPublishedToConsumedByHub(
                                        eventID: id, hubID: "cmp-hub-\(hub)")
                                    {
                                        won += 1
                                    }
                                    wins.add(won)
                                }
                            }
                            try await group.waitForAll()
                        }
                    })
                if wins.total != count {
                    throw BenchError("claims were not exact on \(side == "s" ? "the server" : "the cluster")")
                }
            }
            let attempts = Double(hubs * count)
            rates.add(project: attempts / seconds[1], baseline: attempts / seconds[0])
        }
        return rates
    }
}
