public import Foundation

/// A log line to write with ``LogRepository/persistLog(_:)``.
public struct NewLogEntry: Sendable, Equatable, Codable {
    /// Who writes it (a hub or spoke id).
    public var agent: String
    /// Any Unicode text, up to 65,535 UTF-8 bytes.
    public var message: String
    /// Error details; `{}` when there are none.
    public var error: JSONValue

    public init(agent: String, message: String, error: JSONValue = .emptyObject) {
        self.agent = agent
        self.message = message
        self.error = error
    }
}

/// A stored log line.
public struct LogEntry: Sendable, Equatable, Codable {
    /// When it was written, millisecond precision, UTC.
    public var timestamp: Date
    public var agent: String
    public var message: String
    public var error: JSONValue
    /// The line's place in the order lines were written (the log's counter); nil for a line not
    /// read from a database.
    public var position: UInt64?

    public init(timestamp: Date, agent: String, message: String, error: JSONValue, position: UInt64? = nil) {
        self.timestamp = timestamp
        self.agent = agent
        self.message = message
        self.error = error
        self.position = position
    }

    /// The cursor that starts the page after this line; nil for a line not read from a database.
    public var cursor: EventCursor? {
        position.map { EventCursor(timestamp: timestamp, position: $0) }
    }

    /// The line without its position: what was written.
    package var content: LogEntry {
        var entry = self
        entry.position = nil
        return entry
    }
}
