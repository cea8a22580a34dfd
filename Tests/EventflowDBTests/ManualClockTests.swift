import EventflowDB
import Foundation
import Testing

@Suite("ManualClock: virtual time")
struct ManualClockTests {
    @Test("a sleeper wakes when the time is advanced to its deadline, not before, and in deadline order")
    func wakesOnAdvance() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let woken = Woken()
        let long = Task {
            try await clock.sleep(for: .seconds(3_600))
            await woken.append("hour")
        }
        let short = Task {
            try await clock.sleep(for: .seconds(60))
            await woken.append("minute")
        }
        await clock.advance(untilSleepers: 2)
        clock.advance(by: 59)
        try await Task.sleep(for: .milliseconds(20))
        #expect(await woken.names.isEmpty)
        clock.advance(by: 1)
        try await short.value
        #expect(await woken.names == ["minute"])
        #expect(clock.sleeperCount == 1)
        clock.advance(by: 3_540)
        try await long.value
        #expect(await woken.names == ["minute", "hour"])
        #expect(clock.sleeperCount == 0)
    }

    @Test("a zero sleep returns at once; a cancelled sleeper throws CancellationError and leaves no sleeper behind")
    func zeroAndCancel() async throws {
        let clock = ManualClock()
        try await clock.sleep(for: .zero)
        let sleeper = Task { try await clock.sleep(for: .seconds(10)) }
        await clock.advance(untilSleepers: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }
}

private actor Woken {
    var names: [String] = []
    func append(_ name: String) { names.append(name) }
}
