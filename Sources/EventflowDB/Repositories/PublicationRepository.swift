/// Writes a whole ``Publication`` in one transaction.
///
/// Callers use the extension's method; a backend implements the requirement, which takes the
/// checked publication (see ``EventRepository``).
public protocol PublicationRepository: Sendable {
    /// Implements ``publish(_:)-(Publication)``.
    func publish(_ publication: Validated<Publication>) async throws -> String
}

extension PublicationRepository {
    /// Persists the event with its associations, its delivery state and its schedule, all or
    /// nothing. Returns the event's id.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublish`` (a duplicate id has
    ///   ``EventflowDBError/isDuplicate``; an unknown rid or hub
    ///   ``EventflowDBError/isForeignKeyViolation``), ``EventflowDBError/Code/invalidInput``.
    ///   Nothing is written when it throws.
    public func publish(_ publication: Publication) async throws -> String {
        try await publish(Validated(publication))
    }
}
