public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and captures its output, with `posix_spawn` and `waitpid`
/// (Foundation's `Process.waitUntilExit` did not always return in these tests).
public enum CommandRunner {
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        /// The program's own peak resident set size in KiB, when measured
        /// (``CommandRunner/runMeasuringPeak(_:_:environment:)``).
        public var peakResidentKiB: Int?
    }

    /// A program started with ``start(_:_:environment:)``, still running.
    public struct Running: Sendable {
        public let pid: pid_t
        let outPath: String
        let errPath: String
        let directory: URL

        /// What it has written to standard output so far.
        public var standardOutputSoFar: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

        /// Sends a signal (SIGKILL by default).
        public func kill(_ signal: Int32 = SIGKILL) {
            _ = Glibc.kill(pid, signal)
        }

        /// Waits, on a thread of its own, for it to end and returns its status and output.
        public func finished() async -> Result {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: wait()) }
            }
        }

        /// Waits for it to end, sampling its peak resident set size (`VmHWM` of
        /// `/proc/<pid>/status`) every 10 ms while it runs (blocking the calling thread).
        func waitMeasuringPeak() -> Result {
            var peak: Int?
            // Until it has exited: a zombie (not yet reaped by wait() below) has no VmHWM.
            while let sample = Self.highWaterMarkKiB(of: pid) {
                peak = max(peak ?? 0, sample)
                usleep(10_000)
            }
            var result = wait()
            result.peakResidentKiB = peak
            return result
        }

        /// `VmHWM` of a running process, in KiB.
        static func highWaterMarkKiB(of pid: pid_t) -> Int? {
            // /proc files report a size of 0: read them to the end rather than by their size.
            guard let file = FileHandle(forReadingAtPath: "/proc/\(pid)/status"),
                let data = try? file.readToEnd()
            else { return nil }
            try? file.close()
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
                // "VmHWM:\t  161536 kB"
                return line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            }
            return nil
        }

        /// Waits for it to end and returns its status and output (blocking the calling thread).
        public func wait() -> Result {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            defer { try? FileManager.default.removeItem(at: directory) }
            let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            return Result(
                status: exitStatus, standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
    }

    /// Runs `executable` with `arguments`; `environment` is added to this process's environment.
    /// Waits on a thread of its own, so the cooperative pool that every other test shares is
    /// never blocked while the program runs.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) async throws -> Result {
        let running = try start(executable, arguments, environment: environment)
        return await running.finished()
    }

    /// Runs `executable` like ``run(_:_:environment:)`` and measures its own peak resident set
    /// size, in ``Result/peakResidentKiB``.
    ///
    /// It is started and sampled on one thread of its own, so sampling begins at once. The
    /// high-water mark only grows, so the last sample is the peak of all but the program's last
    /// few milliseconds. (`wait4`'s `ru_maxrss` cannot be used: a process spawned with
    /// `posix_spawn` inherits this one's peak.)
    public static func runMeasuringPeak(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let running = try start(executable, arguments, environment: environment)
                    continuation.resume(returning: running.waitMeasuringPeak())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Starts `executable` and returns at once.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> Running {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eventflow-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        var cArguments: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else {
            throw NSError(
                domain: "CommandRunner", code: Int(spawned),
                userInfo: [NSLocalizedDescriptionKey: "cannot run \(executable)"])
        }
        return Running(pid: pid, outPath: outPath, errPath: errPath, directory: directory)
    }
}
