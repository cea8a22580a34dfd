import EventflowDB
import Testing

/// The wake-up of followers in one process: a hint that returns early, never one that hangs.
@Suite("Write signal")
struct WriteSignalTests {
    @Test("a wait returns at once when a write came after the count it saw")
    func passedCount() async {
        let signal = WriteSignal()
        let seen = signal.count
        signal.signal()
        let started = ContinuousClock.now
        await signal.wait(after: seen, timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a waiting follower wakes on a write, long before its timeout")
    func wakesOnWrite() async {
        let signal = WriteSignal()
        let started = ContinuousClock.now
        let waiter = Task { await signal.wait(after: signal.count, timeout: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(100))
        signal.signal()
        await waiter.value
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(signal.count == 1)
    }

    @Test("without a write a wait ends after its timeout, and a cancelled wait ends at once")
    func timeoutAndCancellation() async {
        let signal = WriteSignal()
        let started = ContinuousClock.now
        await signal.wait(after: 0, timeout: .milliseconds(200))
        #expect(ContinuousClock.now - started >= .milliseconds(200))

        let cancelled = Task { await signal.wait(after: 0, timeout: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        cancelled.cancel()
        await cancelled.value
        #expect(ContinuousClock.now - cancelledAt < .seconds(10))
    }

    @Test("many waiters all wake on one write")
    func manyWaiters() async {
        let signal = WriteSignal()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { await signal.wait(after: 0, timeout: .seconds(60)) } }
            try? await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            signal.signal()
            await group.waitForAll()
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
