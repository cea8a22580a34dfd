public import Foundation

/// A hub to register with ``HubRepository/persistHub(_:)``.
public struct NewHub: Sendable, Equatable, Codable {
    public var id: String
    /// IPv4 dotted-quad or IPv6 text.
    public var externalIP: String
    /// 0–65535.
    public var externalPort: Int
    public var internalIP: String
    public var internalPort: Int

    public init(id: String, externalIP: String, externalPort: Int, internalIP: String, internalPort: Int) {
        self.id = id
        self.externalIP = externalIP
        self.externalPort = externalPort
        self.internalIP = internalIP
        self.internalPort = internalPort
    }
}

/// A registered hub. Times are UTC with second precision.
public struct Hub: Sendable, Equatable, Codable {
    public var id: String
    /// When it registered.
    public var timestamp: Date
    public var externalIP: String
    public var externalPort: Int
    public var internalIP: String
    public var internalPort: Int
    /// When it quit; nil while online.
    public var quit: Date?
    /// Its last heartbeat (``HubRepository/recordHeartbeat(hubID:)``), to the millisecond; nil
    /// for a hub that never sent one (registered by the original library, for one).
    public var lastSeen: Date?

    public init(
        id: String, timestamp: Date, externalIP: String, externalPort: Int, internalIP: String, internalPort: Int,
        quit: Date? = nil, lastSeen: Date? = nil
    ) {
        self.id = id
        self.timestamp = timestamp
        self.externalIP = externalIP
        self.externalPort = externalPort
        self.internalIP = internalIP
        self.internalPort = internalPort
        self.quit = quit
        self.lastSeen = lastSeen
    }
}
