import CEventflowBaseline
import EventflowDB
import EventflowDBMariaDB
import Foundation

/// The C baseline's connections, each driven from a thread of its own (never the cooperative pool).
final class Baseline: @unchecked Sendable {
    // Each connection is used by one thread at a time: `onThreads` gives thread i connection i.
    private let connections: [OpaquePointer]

    init(configuration: MariaDBConfiguration, count: Int) throws {
        var opened: [OpaquePointer] = []
        for _ in 0..<count {
            var error = [CChar](repeating: 0, count: 256)
            guard
                let connection = baseline_connect(
                    configuration.host, UInt32(configuration.port), configuration.user, configuration.password,
                    configuration.database, &error)
            else {
                opened.forEach { baseline_close($0) }
                let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw BenchError("baseline could not connect: \(message)")
            }
            opened.append(connection)
        }
        connections = opened
    }

    deinit { connections.forEach { baseline_close($0) } }

    /// Runs `body(index, connection)` on `count` threads at once; returns when all are done.
    func onThreads(_ count: Int, _ body: @escaping @Sendable (Int, OpaquePointer) -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for index in 0..<count {
                group.enter()
                let connection = Handle(pointer: connections[index])
                let thread = Thread {
                    body(index, connection.pointer)
                    group.leave()
                }
                thread.start()
            }
            group.notify(queue: .global()) { continuation.resume() }
        }
    }
}

/// A connection handed to the one thread that uses it.
private struct Handle: @unchecked Sendable {
    let pointer: OpaquePointer
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
