import EventflowDB

/// A writer that persists events one after another until stopped, for the tests that take a
/// node away under load: what was acknowledged, what failed, how long each call took, and which
/// acknowledged writes a reader cannot find afterwards.
final class ClusterWriter: Sendable {
    let acknowledged = Tally<String>()
    let failures = Counter()
    /// Writes acknowledged while ``mark(_:)`` was on (a node frozen, say).
    let acknowledgedWhileMarked = Counter()
    private let stalls = Tally<Duration>()
    private let marking = Counter()
    private let stopping = Counter()
    private let loop: Task<Void, Never>

    /// Starts writing through `db`.
    init(_ db: EventflowDB) {
        let (acknowledged, failures, marked, stalls, marking, stopping) = (
            acknowledged, failures, acknowledgedWhileMarked, stalls, marking, stopping
        )
        loop = Task {
            var index = 0
            while stopping.value == 0 {
                let started = ContinuousClock.now
                do {
                    let id = try await db.events.persistEvent(
                        NewEvent(id: "w-\(index)", domain: "writer", pid: "w", name: "n"))
                    acknowledged.add(id)
                    if marking.value == 1 { marked.add(1) }
                } catch {
                    failures.add(1)
                }
                stalls.add(ContinuousClock.now - started)
                index += 1
            }
        }
    }

    /// Starts (then ends) the window whose acknowledged writes are counted apart.
    func mark(_ on: Bool) { if on == (marking.value == 0) { marking.add(1) } }

    /// Stops writing, after the call under way.
    func stop() async {
        stopping.add(1)
        await loop.value
    }

    /// The longest any one call took.
    var longestStall: Duration { stalls.all.max() ?? .zero }

    /// How many acknowledged writes `reader` does not find.
    func lost(reading reader: EventflowDB) async -> Int {
        var lost = 0
        for id in acknowledged.all where (try? await reader.events.readEvent(id: id)) == nil { lost += 1 }
        return lost
    }
}
