package import Foundation

extension NewEvent {
    /// The event as every backend stores it: its id or a new one, its timestamp or `now`, to
    /// the millisecond the `timestamp` column holds. The one place ids are generated and event
    /// times normalised, for the fakes and MariaDB alike.
    package func stored(at now: Date) -> Event {
        Event(
            id: id ?? EventID.generate(at: now), timestamp: (timestamp ?? now).truncatedToMilliseconds, domain: domain,
            rid: rid, pid: pid, name: name, data: data)
    }
}
