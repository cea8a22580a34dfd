import EventflowDB

/// The nodes a pool connects to, and what it knows of each: how many of its connections are
/// open there, and whether the node was found down or not ready.
///
/// A node found down is left out of new connections for ``backoff`` (unless every node is
/// down) and its *generation* moves on: every connection made to it before then is stale, and the
/// pool closes a stale connection instead of lending it. So once a node was found gone, no
/// caller is handed a connection to it that was made while it was still healthy.
final class MariaDBNodes: Sendable {
    /// How long a node found down is passed over.
    static let backoff: Duration = .seconds(2)

    /// Which node a connection went to, and that node's generation then.
    struct Ticket: Sendable, Equatable {
        let index: Int
        let generation: UInt64
    }

    private struct Node {
        let host: MariaDBConfiguration.Host
        var open = 0
        var downUntil: ContinuousClock.Instant?
        var generation: UInt64 = 0
    }

    private let nodes: LockedState<[Node]>
    let count: Int

    init(_ hosts: [MariaDBConfiguration.Host]) {
        nodes = LockedState(hosts.map { Node(host: $0) })
        count = hosts.count
    }

    /// Picks the node for a new connection and counts the connection there at once (so
    /// connections opened together spread): among nodes not in `tried`, those not known down
    /// first, fewest connections first; then nodes known down, soonest back first. Nil when every
    /// node was tried. A failed connect gives the count back with ``closed(_:)``.
    func reserve(excluding tried: Set<Int>) -> (host: MariaDBConfiguration.Host, ticket: Ticket)? {
        let now = ContinuousClock.now
        return nodes.withLock { nodes in
            let best = nodes.indices.filter { !tried.contains($0) }.min { a, b in
                let (downA, downB) = (
                    nodes[a].downUntil.map { $0 > now } ?? false, nodes[b].downUntil.map { $0 > now } ?? false
                )
                if downA != downB { return !downA }
                if downA { return nodes[a].downUntil! < nodes[b].downUntil! }
                return (nodes[a].open, a) < (nodes[b].open, b)
            }
            guard let index = best else { return nil }
            nodes[index].open += 1
            return (nodes[index].host, Ticket(index: index, generation: nodes[index].generation))
        }
    }

    /// A connection was made with `ticket`: its node answered, so it is up again.
    func opened(_ ticket: Ticket) {
        nodes.withLock { nodes in
            if nodes[ticket.index].generation == ticket.generation { nodes[ticket.index].downUntil = nil }
        }
    }

    /// A connection made with `ticket` was closed.
    func closed(_ ticket: Ticket) {
        nodes.withLock { $0[ticket.index].open -= 1 }
    }

    /// The node of `ticket` was found down or not ready: pass it over for a while and make
    /// every connection to it made so far stale. Returns whether this call changed its state
    /// (for logging once).
    @discardableResult
    func markDown(_ ticket: Ticket) -> Bool {
        nodes.withLock { nodes in
            guard nodes[ticket.index].generation == ticket.generation else { return false }
            nodes[ticket.index].generation += 1
            nodes[ticket.index].downUntil = ContinuousClock.now + Self.backoff
            return true
        }
    }

    /// Whether a connection made with `ticket` may still be lent: its node was not found down
    /// since.
    func isCurrent(_ ticket: Ticket) -> Bool {
        nodes.withLock { $0[ticket.index].generation == ticket.generation }
    }

    /// The host of a ticket, for logs.
    func host(_ ticket: Ticket) -> MariaDBConfiguration.Host {
        nodes.withLock { $0[ticket.index].host }
    }

    /// Open connections per node, in configuration order.
    var openCounts: [Int] {
        nodes.withLock { $0.map(\.open) }
    }
}
