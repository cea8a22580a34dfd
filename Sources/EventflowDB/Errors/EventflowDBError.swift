/// The one error type every EventflowDB operation throws.
///
/// `code` is stable and carries the original JavaScript library's code string, so services can
/// branch on it the same way in Swift and Node.js. `message` says what failed; `underlying` is the
/// cause (a ``DatabaseError`` for failures reported by the database).
///
/// `description` is safe to log: it never contains bound values or secrets.
///
/// ```swift
/// do {
///     _ = try await db.events.readEvent(id: id)
/// } catch let error as EventflowDBError where error.code == .eventNotFound {
///     // handle the missing event
/// }
/// ```
public struct EventflowDBError: Error, Sendable {
    /// What failed. Compare with the static members of ``Code``.
    public var code: Code
    /// A human-readable explanation, free of secrets and bound values.
    public var message: String
    /// For ``Code/invalidInput``: the name of the rejected field (for example `"event.domain"`).
    public var field: String?
    /// The cause, when there is one.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.underlying = underlying
    }

    /// The database failure behind this error, if the database reported one.
    public var databaseError: DatabaseError? {
        underlying as? DatabaseError
    }

    /// True when the database refused a write because the key already exists.
    public var isDuplicate: Bool { databaseError?.kind == .duplicateKey }

    /// True when the database refused a write because a referenced row does not exist (or a
    /// referencing row still does).
    public var isForeignKeyViolation: Bool { databaseError?.kind == .foreignKey }

    /// True when the failure was the connection to the database, not the operation itself.
    public var isConnectionFailure: Bool {
        guard let kind = databaseError?.kind else { return false }
        return kind == .connectionLost || kind == .poolTimeout || kind == .closed
    }
}

extension EventflowDBError: CustomStringConvertible, CustomDebugStringConvertible {
    /// `CODE: message`, plus the field for invalid input. Safe to log.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let field { text += " (field: \(field))" }
        if let databaseError { text += " [\(databaseError)]" }
        return text
    }

    /// The description plus the full underlying error.
    public var debugDescription: String {
        guard let underlying else { return description }
        return "\(description); underlying: \(String(reflecting: underlying))"
    }
}

extension EventflowDBError {
    /// Input rejected before any I/O.
    static func invalid(_ field: String, _ reason: String) -> EventflowDBError {
        EventflowDBError(.invalidInput, "invalid \(field): \(reason)", field: field)
    }
}
