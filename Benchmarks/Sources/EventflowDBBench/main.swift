import EventflowDB
import EventflowDBMariaDB
import Foundation
import Logging

// eventflow-db-bench [--events N] [--rounds R] [--only W1,W2,…]
// Runs each workload on the project's repositories and, interleaved slice by slice, on the C floor
// in a process of its own (eventflow-db-floor, beside this executable), against the MariaDB of the
// EVENTFLOW_MYSQL_* variables (make bench sets them), in a fresh database dropped at the end.
// Reports the median of the rounds and the spread of the ratio. With EVENTFLOW_BENCH_CLUSTER_HOSTS
// (make bench sets it when it starts the cluster), W1 and W3 also run on the Galera cluster beside
// the single server, reported as BENCH cluster-W1 / cluster-W3 with ratio cluster/single.

/// The command line: --events N, --rounds R, --only W1,W2,…
struct Options {
    var events = 20_000
    var rounds = 7
    var only: Set<String>?

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--events": options.events = Int(iterator.next() ?? "") ?? options.events
            case "--rounds": options.rounds = Int(iterator.next() ?? "") ?? options.rounds
            case "--only": options.only = Set((iterator.next() ?? "").split(separator: ",").map(String.init))
            default:
                print("usage: eventflow-db-bench [--events N] [--rounds R] [--only W1,W2,W3,W4,W5]")
                exit(2)
            }
        }
        return options
    }

    /// W6 (streaming 200,000 events) runs only when asked for: it measures this process's peak
    /// memory, so it runs in a process of its own (`make bench` starts one).
    func wants(_ workload: String) -> Bool { only?.contains(workload) ?? (workload != "W6") }
    // SCALE (the concurrency and row-count sweep) also runs only when asked for: --only SCALE.
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let events = options.events
let rounds = options.rounds

var logger = Logger(label: "eventflow.db.bench")
logger.logLevel = .error
var configuration = try await MariaDBConfiguration.load(configFile: nil)
configuration.poolSize = 8
let admin = MariaDBConnectionPool(configuration: configuration, logger: logger)
// DDL cannot bind a name: it is checked and backquoted instead.
let database = try MariaDBIdentifier("eventflow_bench_" + String(UUID().uuidString.prefix(8)).lowercased())
try await admin.withConnection { _ = try await $0.execute("CREATE DATABASE \(database)") }
configuration.database = database.name

let variables = try await admin.withConnection {
    try await $0.execute("SELECT @@version, @@innodb_flush_log_at_trx_commit").rows[0]
}
print(
    """
    EventflowDB benchmarks: \(events) events, median of \(rounds) interleaved \
    rounds, MariaDB \(try variables.string(0)), innodb_flush_log_at_trx_commit=\(try variables.int(1)), \
    \(ProcessInfo.processInfo.activeProcessorCount) cores
    """
)

do {
    let db = EventflowDB.mariaDB(configuration: configuration, logger: logger)
    try await db.setupTableSchemas()
    let floor = try Floor(configuration: configuration, connections: 8)
    let workloads = Workloads(db: db, floor: floor, events: events, rounds: rounds)

    var w1Baseline = 0.0
    // --only W1C1: W1 at concurrency 1 alone (for profiling one writer).
    if options.wants("W1") || options.wants("W1C1") || options.wants("W4") || options.wants("W5") {
        let rates = try await workloads.persist(concurrency: 1)
        w1Baseline = Rates.median(rates.baseline)
        if options.wants("W1") || options.wants("W1C1") { Measure.report("W1", 1, rates) }
    }
    // --only W1C8: W1 at concurrency 8 alone.
    if options.wants("W1") || options.wants("W1C8") {
        Measure.report("W1", 8, try await workloads.persist(concurrency: 8))
    }
    // The same through EventflowDB.withPinnedConnection: each writer on its connection's thread.
    // --only W1P8: this alone.
    if options.wants("W1") || options.wants("W1C8") || options.wants("W1P8") {
        Measure.report("W1-pinned", 8, try await workloads.persist(concurrency: 8, pinned: true))
    }
    if options.wants("W2") {
        Measure.report("W2", 1, try await workloads.read())
    }
    if options.wants("W3") {
        let result = try await workloads.claim()
        Measure.report("W3", 8, result.rates, extra: "wins=\(result.projectWins) baseline_wins=\(result.baselineWins)")
        let pinned = try await workloads.claim(pinned: true)
        Measure.report(
            "W3-pinned", 8, pinned.rates, extra: "wins=\(pinned.projectWins) baseline_wins=\(pinned.baselineWins)")
    }
    if options.wants("W7") {
        Measure.report(
            "W7-deliveries", 8, try await workloads.deliver(), extra: "unit=deliveries/s baseline=W3-floor-claims/s")
    }
    if options.wants("W4") {
        Measure.report("W4", 500, try await workloads.batch(), extra: "rows_per_call=500 floor=array-binding")
    }
    if options.wants("W5") {
        let fakes = try await Workloads.fakes(events: events, rounds: rounds)
        Measure.report("W5-persist", 1, project: fakes.persist, baseline: w1Baseline)
        Measure.report("W5-read", 1, project: fakes.read, baseline: w1Baseline)
    }
    // The follow figures (W1 with a follower running, commit-to-read latency, an idle
    // follower's reads): --only FOLLOW.
    if options.wants("FOLLOW") {
        try await FollowBench(workloads: workloads, configuration: configuration, logger: logger).run()
    }
    if options.only?.contains("SCALE") == true {
        try await Scaling(configuration: configuration, logger: logger, events: events, rounds: rounds).run()
    }
    if options.wants("W6") {
        let (count, seconds) = try await workloads.stream()
        print(
            String(
                format: "BENCH W6-stream 1 %.0f events/s streamed=%d peak_memory=%.1fMiB (target < 64)",
                Double(count) / seconds, count, Measure.peakMemoryMiB))
    }
    // The cluster lines run with the whole bench, or alone with --only CLUSTER.
    if let hosts = ProcessInfo.processInfo.environment["EVENTFLOW_BENCH_CLUSTER_HOSTS"], !hosts.isEmpty,
        options.only == nil || options.only?.contains("CLUSTER") == true
    {
        try await compareWithCluster(hosts: hosts, single: db)
    }
    print(String(format: "peak memory: %.1f MiB", Measure.peakMemoryMiB))
    try await db.close()
} catch {
    print("benchmark failed: \(error)")
    try? await admin.withConnection { _ = try await $0.execute("DROP DATABASE IF EXISTS \(database)") }
    await admin.close()
    exit(1)
}
try await admin.withConnection { _ = try await $0.execute("DROP DATABASE IF EXISTS \(database)") }
await admin.close()

/// W1 and W3 on the cluster of `hosts` beside the single server, in a database of its own there.
@MainActor
func compareWithCluster(hosts: String, single: EventflowDB) async throws {
    var clustered = admin.configuration  // on the server's default database, to create the bench's
    clustered.hosts = hosts.split(separator: ",").compactMap { MariaDBConfiguration.Host(String($0)) }
    let clusterAdmin = MariaDBConnectionPool(configuration: clustered, logger: logger)
    clustered.database = database.name
    let create: MariaDBQuery = "CREATE DATABASE IF NOT EXISTS \(database)"
    let drop: MariaDBQuery = "DROP DATABASE IF EXISTS \(database)"
    try await clusterAdmin.withConnection { @Sendable in _ = try await $0.execute(create) }
    let cluster = EventflowDB.mariaDB(configuration: clustered, logger: logger)
    do {
        try await cluster.setupTableSchemas()
        let comparison = ClusterComparison(single: single, cluster: cluster, events: events, rounds: min(rounds, 5))
        Measure.report("cluster-W1", 1, try await comparison.persist(concurrency: 1), extra: "ratio=cluster/single")
        Measure.report("cluster-W1", 8, try await comparison.persist(concurrency: 8), extra: "ratio=cluster/single")
        Measure.report("cluster-W3", 8, try await comparison.claim(), extra: "ratio=cluster/single")
    } catch {
        print("cluster comparison failed: \(error)")
    }
    try await cluster.close()
    try? await clusterAdmin.withConnection { @Sendable in _ = try await $0.execute(drop) }
    await clusterAdmin.close()
}
