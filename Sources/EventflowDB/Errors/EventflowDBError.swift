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
    /// True when a write was sent but its outcome could not be learned: the connection was lost
    /// before the reply, and reading back could not settle whether it was applied.
    ///
    /// Retry the same operation with the same ids (and, for a claim, the same event and
    /// claimant): EventflowDB recognises a write or claim of the earlier attempt that did commit.
    /// False means the operation is known not to have been applied (or applied nothing more).
    public var isOutcomeUnknown: Bool
    /// Details that may quote stored values (an example row that stops a migration, say): only
    /// in ``debugDescription``, never in ``message`` or ``description``.
    public var detail: String?
    /// The ids of the events a failed write carried, in order, those generated for events
    /// without one included: retry with them after ``isOutcomeUnknown``, in this process or any
    /// other, and an earlier attempt that did commit answers as stored once. Empty for other
    /// operations. Ids are not secrets, but they are values: they are not in ``description``.
    public var eventIDs: [String] = []

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The operation's stable code.
    ///   - message: What failed, free of secrets and values; safe to log.
    ///   - field: The argument at fault, for ``Code/invalidInput`` and ``Code/configuration``.
    ///   - underlying: The cause, such as a ``DatabaseError``.
    ///   - outcomeUnknown: True when a write was sent and whether it was applied could not be learned.
    ///   - detail: What may quote values, shown only by ``debugDescription``.
    public init(
        _ code: Code, _ message: String, field: String? = nil, underlying: (any Error & Sendable)? = nil,
        outcomeUnknown: Bool = false, detail: String? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.underlying = underlying
        self.isOutcomeUnknown = outcomeUnknown
        self.detail = detail
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

    /// True when the server refused the login (a wrong user or password): not a connection
    /// failure, and not worth retrying before the configuration is fixed.
    public var isAuthenticationFailure: Bool { databaseError?.kind == .authentication }
}

extension EventflowDBError: CustomStringConvertible, CustomDebugStringConvertible {
    /// `CODE: message`, plus the field for invalid input and the database error's kind, number
    /// and SQLSTATE. Safe to log: the server's own message, which can quote bound values (a
    /// duplicate key names the key), is only in ``debugDescription``.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let field { text += " (field: \(field))" }
        if isOutcomeUnknown { text += " (outcome unknown)" }
        if let databaseError { text += " [\(databaseError)]" }
        return text
    }

    /// The description plus the ``detail`` and the full underlying error, with the server's
    /// message. May contain bound values: for debugging, not for logs that leave the process.
    public var debugDescription: String {
        var text = description
        if let detail { text += "; detail: \(detail)" }
        if let underlying { text += "; underlying: \(String(reflecting: underlying))" }
        return text
    }
}

extension EventflowDBError {
    /// Input rejected before any I/O.
    static func invalid(_ field: String, _ reason: String) -> EventflowDBError {
        EventflowDBError(.invalidInput, "invalid \(field): \(reason)", field: field)
    }
}

extension EventflowDBError.Code {
    /// Matches an error by its code, so a `catch` reads as what it handles:
    ///
    /// ```swift
    /// do {
    ///     _ = try await db.events.readEvent(id: id)
    /// } catch EventflowDBError.Code.eventNotFound {
    ///     // not there
    /// }
    /// ```
    public static func ~= (code: EventflowDBError.Code, error: any Error) -> Bool {
        (error as? EventflowDBError)?.code == code
    }
}
