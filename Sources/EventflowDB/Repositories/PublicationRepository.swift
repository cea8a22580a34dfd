/// Writes a whole ``Publication`` in one transaction.
///
/// A publication with a schedule (``Publication/scheduled``) is delivered by its scheduled run:
/// its published delivery is not pending before the run is due, and the run's claim
/// (``EventScheduledRepository/claimScheduledRun(eventID:policy:)``) takes the delivery's hub
/// claim in the same atomic step, so a published claim after it is refused (and a published
/// claim won first refuses the run's claims). It runs once.
///
/// Callers use the extension's method; a backend implements the requirement, which takes the
/// checked publication.
public protocol PublicationRepository: Sendable {
    /// Must store the publication's event, its associations, its delivery state (published now,
    /// second precision) and its schedule, all or nothing, and return the event's id; a
    /// duplicate id fails with ``EventflowDBError/isDuplicate``, an unknown rid or hub with
    /// ``EventflowDBError/isForeignKeyViolation``, both with ``EventflowDBError/Code/eventPublish``.
    func insertPublication(_ publication: Validated<Publication>) async throws -> String
}

extension PublicationRepository {
    /// Persists the event with its associations, its delivery state and its schedule, all or
    /// nothing. Returns the event's id. With a schedule, the event is delivered once, by its
    /// scheduled run (see ``PublicationRepository``).
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublish`` (a duplicate id has
    ///   ``EventflowDBError/isDuplicate``; an unknown rid or hub
    ///   ``EventflowDBError/isForeignKeyViolation``), ``EventflowDBError/Code/invalidInput``.
    ///   Nothing is written when it throws.
    public func publish(_ publication: Publication) async throws -> String {
        try await insertPublication(Validated(publication))
    }
}
