/// An association of an event with a child process: the child's domain and process id.
public struct EventCpid: Sendable, Hashable, Codable {
    /// The child process's domain (not necessarily the event's own).
    public var domain: String
    /// The child process's id.
    public var cpid: String

    public init(domain: String, cpid: String) {
        self.domain = domain
        self.cpid = cpid
    }
}
