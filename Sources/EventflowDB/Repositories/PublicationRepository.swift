/// Writes a whole ``Publication`` in one transaction.
public protocol PublicationRepository: Sendable {
    /// Persists the event with its associations, its delivery state and its schedule, all or
    /// nothing. Returns the event's id.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublish`` (a duplicate id has
    ///   ``EventflowDBError/isDuplicate``; an unknown rid or hub
    ///   ``EventflowDBError/isForeignKeyViolation``), ``EventflowDBError/Code/invalidInput``.
    ///   Nothing is written when it throws.
    func publish(_ publication: Publication) async throws -> String
}
