import EventflowDB
import Foundation
import Testing

/// `ManualClock.swiftClock`: a Swift `Clock` for users' own waits, moved by the manual clock.
@Suite("Manual clock as a Swift Clock")
struct ManualSwiftClockTests {
    @Test("Task.sleep on the Swift clock ends when the manual clock is advanced, not before")
    func sleepEndsOnAdvance() async throws {
        let manual = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let clock = manual.swiftClock
        let start = clock.now
        let woke = LockedFlag()
        let sleeper = Task {
            try await Task.sleep(for: .seconds(30), tolerance: nil, clock: clock)
            woke.set()
        }
        await manual.advance(untilSleepers: 1)
        manual.advance(by: 29)
        try await Task.sleep(for: .milliseconds(50))
        #expect(!woke.value, "29 of 30 seconds")
        manual.advance(by: 1)
        try await sleeper.value
        #expect(woke.value)
        #expect(start.duration(to: clock.now) == .seconds(30))
        #expect(start.advanced(by: .seconds(30)) == clock.now)
    }
}

/// A flag set once, read from any task.
final class LockedFlag: Sendable {
    private let state = LockedState(false)
    func set() { state.withLock { $0 = true } }
    var value: Bool { state.withLock { $0 } }
}
