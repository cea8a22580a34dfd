/// A checked keyset page: the rows after a position, at most `limit` (1–10,000) of them.
///
/// Keyset pages never use `OFFSET`: each page starts after the last position of the one before,
/// so a reader resumes where it stopped and reads no row twice. A row written meanwhile is read
/// only when its position is above the page's: an insertion position is taken when a write
/// starts and becomes visible when it commits, so a write that commits after a higher position
/// was read is passed for good. ``FollowRepository`` reads every committed event of a domain.
public struct Page: Sendable, Hashable {
    /// The last position already read; the page starts after it (0 for the start).
    public let after: UInt64
    /// The most rows in the page.
    public let limit: Int

    /// Checks a page.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `limit`.
    public init(after: UInt64, limit: Int) throws {
        try Validator.limit(limit)
        self.after = after
        self.limit = limit
    }
}
