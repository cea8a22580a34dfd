import EventflowDB

/// A value set once, by whichever of several racers comes first, and awaited by one waiter.
///
/// The wait does not end when the waiting task is cancelled: the waiter learns who came first,
/// never "cancelled" instead (a lock's watch must outlive a cancelled caller while its body runs).
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case set(Value)
    }

    private let state = LockedState<State>(.empty)

    init() {}

    /// Sets the value unless one was set; returns whether this call set it.
    @discardableResult
    func set(_ value: Value) -> Bool {
        let (won, waiter): (Bool, CheckedContinuation<Value, Never>?) = state.withLock { state in
            switch state {
            case .set: return (false, nil)
            case .empty:
                state = .set(value)
                return (true, nil)
            case .waiting(let continuation):
                state = .set(value)
                return (true, continuation)
            }
        }
        waiter?.resume(returning: value)
        return won
    }

    /// The value, once set. One waiter at a time.
    func value() async -> Value {
        await state.withContinuation { continuation in
            let ready: Value? = state.withLock { state in
                switch state {
                case .set(let value): return value
                case .empty:
                    state = .waiting(continuation)
                    return nil
                case .waiting: preconditionFailure("OneShot has one waiter")
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
