import EventflowDBMariaDB
import Foundation

/// The C floor (`eventflow-db-floor`) in a process of its own, driven one command per slice over
/// a pipe. Its answers carry the time of the work alone, measured in C; while the Swift side runs,
/// it is blocked on its pipe, and while it runs, the Swift side waits on a thread of its own.
final class Floor: @unchecked Sendable {
    // Written to and read from by one command at a time (the workloads await each answer).
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []

    /// Starts the floor beside this executable, on `database`, with `connections` connections.
    init(configuration: MariaDBConfiguration, connections: Int) throws {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        process.executableURL = beside.appendingPathComponent("eventflow-db-floor")
        process.arguments = [configuration.database, String(connections)]
        var environment = ProcessInfo.processInfo.environment
        environment["EVENTFLOW_MYSQL_HOST"] = configuration.host
        environment["EVENTFLOW_MYSQL_PORT"] = String(configuration.port)
        environment["EVENTFLOW_MYSQL_USER"] = configuration.user
        environment["EVENTFLOW_MYSQL_PASS"] = configuration.password
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let ready = readLine()
        guard ready == "ready" else { throw BenchError("the floor did not start: \(ready ?? "no answer")") }
    }

    deinit {
        try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        process.waitUntilExit()
    }

    /// Sends `command` and returns its value and the seconds the work took in C.
    func run(_ command: String) async throws -> (value: Int64, seconds: Double) {
        let answer = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            Thread.detachNewThread { [self] in
                try? input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8))
                continuation.resume(returning: readLine())
            }
        }
        let parts = (answer ?? "").split(separator: " ")
        guard parts.count == 3, parts[0] == "ok", let value = Int64(parts[1]), let nanoseconds = Double(parts[2]) else {
            throw BenchError("the floor answered \(answer ?? "nothing") to \(command)")
        }
        return (value, nanoseconds / 1e9)
    }

    /// One line of the floor's output, without its newline; nil at the end.
    private func readLine() -> String? {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(contentsOf: chunk)
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
