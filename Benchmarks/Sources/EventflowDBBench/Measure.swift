import Foundation

/// Timing and reporting.
enum Measure {
    /// Seconds taken by `body`.
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The process's peak resident memory (VmHWM), in MiB.
    static var peakMemoryMiB: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    /// `BENCH <workload> <concurrency> <median project/s> <median floor/s> <median ratio>
    /// spread=<lowest ratio>-<highest ratio> rounds=<n>[ extra]`: medians of the interleaved rounds.
    static func report(_ workload: String, _ concurrency: Int, _ rates: Rates, extra: String = "") {
        let ratios = rates.ratios
        let line = String(
            format: "BENCH %@ %d %.0f %.0f %.3f spread=%.3f-%.3f rounds=%d", workload, concurrency,
            Rates.median(rates.project), Rates.median(rates.baseline), Rates.median(ratios), ratios.min() ?? 0,
            ratios.max() ?? 0, ratios.count)
        print(extra.isEmpty ? line : line + " " + extra)
        fflushStandardOutput()
    }

    /// `BENCH <workload> <concurrency> <project/s> <baseline/s> <ratio>[ extra]`
    static func report(_ workload: String, _ concurrency: Int, project: Double, baseline: Double, extra: String = "") {
        let line = String(
            format: "BENCH %@ %d %.0f %.0f %.3f", workload, concurrency, project, baseline, project / baseline)
        print(extra.isEmpty ? line : line + " " + extra)
        fflushStandardOutput()
    }

    static func fflushStandardOutput() {
        FileHandle.standardOutput.synchronizeFile()
    }
}
