import EventflowDB
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy between the library and MariaDB that makes network faults happen on purpose.
///
/// It reads the MySQL protocol's packet framing from the client, so it can forward one chosen
/// statement to the server and then cut the connection before the reply comes back: the server
/// executes (and commits) the statement, the client only sees a lost connection. That is the
/// "lost reply" a claim or a publish must survive.
///
/// ```swift
/// let proxy = try FaultProxy(targetPort: 33061)
/// proxy.arm(.cut, command: .execute, containing: "event-1")   // the next execute naming event-1
/// // ... the call under test, with its configuration's port set to proxy.port ...
/// #expect(proxy.faultsInjected == 1)
/// ```
///
/// A rule matches a client command packet by its command byte and, optionally, by bytes it
/// contains (a bound value of a prepared statement, or the text of a query). Rules fire a given
/// number of times, or at random with a given probability.
public final class FaultProxy: Sendable {
    /// The MySQL command bytes a rule can match.
    public enum Command: UInt8, Sendable {
        /// `COM_QUERY`: text protocol (`COMMIT`, `START TRANSACTION`, DDL).
        case query = 0x03
        /// `COM_STMT_EXECUTE`: a prepared statement with its bound values.
        case execute = 0x17
        /// `COM_STMT_BULK_EXECUTE`: a prepared statement with many rows of values (array binding).
        case bulkExecute = 0xFA
    }

    /// What happens to a connection whose packet matched.
    public enum Fault: Sendable {
        /// Forward the packet, then close the client's side at once; the server's side is closed
        /// when its reply arrives (so the server finishes the statement).
        case cut
        /// Forward the packet, then forward nothing more in either direction and keep both
        /// sockets open: the client waits until its read timeout, as behind a dead network.
        case blackhole
    }

    private struct Rule {
        var fault: Fault
        var command: Command
        var pattern: [UInt8]
        var remaining: Int?
        var probability: Double
    }

    private struct State {
        var rules: [Rule] = []
        var injected = 0
        var connections = 0
        var sockets: Set<Int32> = []
        var replyDelay: Duration = .zero
        var isClosed = false
        var isHung = false
        var chunksHeld = 0
    }

    /// The loopback port the proxy listens on.
    public let port: Int
    private let targetPort: Int
    private let listener: Int32
    private let state = LockedState(State())

    /// Starts a proxy on a free loopback port that forwards to `127.0.0.1:targetPort`.
    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ProxyError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socket, 128) == 0 else {
            Glibc.close(socket)
            throw ProxyError("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        listener = socket
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { close() }

    /// Adds a rule: the next `times` command packets of `command` that contain `containing`
    /// get `fault`.
    public func arm(_ fault: Fault, command: Command, containing: String? = nil, times: Int = 1) {
        state.withLock {
            $0.rules.append(
                Rule(
                    fault: fault, command: command, pattern: Array((containing ?? "").utf8), remaining: times,
                    probability: 1))
        }
    }

    /// Adds a rule that gives each matching packet `fault` with `probability`, until ``disarm()``.
    public func arm(_ fault: Fault, command: Command, containing: String? = nil, probability: Double) {
        state.withLock {
            $0.rules.append(
                Rule(
                    fault: fault, command: command, pattern: Array((containing ?? "").utf8), remaining: nil,
                    probability: probability))
        }
    }

    /// Removes every rule.
    public func disarm() {
        state.withLock { $0.rules.removeAll() }
    }

    /// Delays every chunk of the server's replies by `delay`.
    public func delayReplies(by delay: Duration) {
        state.withLock { $0.replyDelay = delay }
    }

    /// Makes the peer hang, as a frozen or partitioned server does: from now on nothing is
    /// forwarded in either direction, on the connections carried and on new ones, and no socket
    /// is closed. A client waits until its own timeouts. It lasts until ``close()``.
    public func hang() {
        state.withLock { $0.isHung = true }
    }

    /// How many chunks of bytes arrived from either side while hung, and were held back.
    public var chunksHeld: Int { state.withLock { $0.chunksHeld } }

    /// Whether the peer hangs; counts a chunk held back when it does.
    private func holdWhenHung() -> Bool {
        state.withLock { state in
            if state.isHung { state.chunksHeld += 1 }
            return state.isHung
        }
    }

    /// How many packets got a fault so far.
    public var faultsInjected: Int { state.withLock { $0.injected } }

    /// How many client connections the proxy accepted so far.
    public var connectionsAccepted: Int { state.withLock { $0.connections } }

    /// Closes every connection the proxy carries (as a network outage would), and keeps listening.
    public func dropAllConnections() {
        let sockets = state.withLock { $0.sockets }
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Stops listening and closes every connection.
    public func close() {
        let sockets = state.withLock { state -> Set<Int32>? in
            if state.isClosed { return nil }
            state.isClosed = true
            return state.sockets
        }
        guard let sockets else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    // MARK: Forwarding

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let server = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            let registered = state.withLock { state -> Bool in
                guard !state.isClosed, connected == 0 else { return false }
                state.connections += 1
                state.sockets.insert(client)
                state.sockets.insert(server)
                return true
            }
            guard registered else {
                Glibc.close(client)
                Glibc.close(server)
                continue
            }
            let link = Link(client: client, server: server)
            Thread.detachNewThread { [self] in pumpClientToServer(link) }
            Thread.detachNewThread { [self] in pumpServerToClient(link) }
        }
    }

    /// One proxied connection. Its mode only moves forward: open → cut or blackholed.
    private final class Link: Sendable {
        let client: Int32
        let server: Int32
        let mode = Atomic<Int>(0)  // 0 open, 1 cut, 2 blackholed
        let finished = Atomic<Int>(0)
        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }
    }

    private func pumpClientToServer(_ link: Link) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        loop: while true {
            let count = chunk.withUnsafeMutableBytes { read(link.client, $0.baseAddress, $0.count) }
            if count <= 0 || link.mode.load(ordering: .acquiring) != 0 { break }
            if holdWhenHung() { continue }
            pending.append(contentsOf: chunk[0..<count])
            // Forward whole packets only, deciding on each as it completes.
            while pending.count >= 4 {
                let length = Int(pending[0]) | Int(pending[1]) << 8 | Int(pending[2]) << 16
                guard pending.count >= 4 + length else { break }
                let packet = Array(pending[0..<(4 + length)])
                pending.removeFirst(4 + length)
                let fault = match(packet)
                // The mode changes before the packet goes out: the reply must never reach the
                // client, however fast the server answers.
                switch fault {
                case .cut?: link.mode.store(1, ordering: .releasing)
                case .blackhole?: link.mode.store(2, ordering: .releasing)
                case nil: break
                }
                guard Self.writeAll(link.server, packet) else { break loop }
                if let fault {
                    if case .cut = fault { shutdown(link.client, Int32(SHUT_RDWR)) }
                    break loop
                }
            }
        }
        if link.mode.load(ordering: .acquiring) == 0 {
            shutdown(link.server, Int32(SHUT_RDWR))
            shutdown(link.client, Int32(SHUT_RDWR))
        }
        finish(link)
    }

    private func pumpServerToClient(_ link: Link) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(link.server, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            if holdWhenHung() { continue }
            switch link.mode.load(ordering: .acquiring) {
            case 1:
                // The reply to the statement that was let through: the server has finished it.
                shutdown(link.server, Int32(SHUT_RDWR))
            case 2:
                continue  // swallowed
            default:
                let delay = state.withLock { $0.replyDelay }
                if delay > .zero {
                    Thread.sleep(
                        forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                }
                if !Self.writeAll(link.client, Array(chunk[0..<count])) { break }
                continue
            }
            break
        }
        if link.mode.load(ordering: .acquiring) != 2 {
            shutdown(link.client, Int32(SHUT_RDWR))
            shutdown(link.server, Int32(SHUT_RDWR))
        }
        finish(link)
    }

    /// Closes the link's sockets once both pumps are done.
    private func finish(_ link: Link) {
        guard link.finished.add(1, ordering: .acquiringAndReleasing).newValue == 2 else { return }
        state.withLock {
            $0.sockets.remove(link.client)
            $0.sockets.remove(link.server)
        }
        Glibc.close(link.client)
        Glibc.close(link.server)
    }

    /// The fault for a client packet, if a rule matches it (and consumes one of its shots).
    private func match(_ packet: [UInt8]) -> Fault? {
        // A command packet starts a new sequence (sequence id 0); its first payload byte is the command.
        guard packet.count > 4, packet[3] == 0 else { return nil }
        return state.withLock { state -> Fault? in
            for index in state.rules.indices {
                let rule = state.rules[index]
                guard rule.command.rawValue == packet[4], Self.contains(packet, rule.pattern) else { continue }
                if rule.probability < 1, Double.random(in: 0..<1) >= rule.probability { continue }
                if let remaining = rule.remaining {
                    if remaining <= 1 {
                        state.rules.remove(at: index)
                    } else {
                        state.rules[index].remaining = remaining - 1
                    }
                }
                state.injected += 1
                return rule.fault
            }
            return nil
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    private static func writeAll(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                send(socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private struct ProxyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = "fault proxy: " + description }
    }
}
