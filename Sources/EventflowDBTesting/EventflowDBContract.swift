/// The behaviour every EventflowDB backend must have (SPEC §4–§7), as cases a test runs
/// against a ``ContractBackend``: EventflowDB holds its in-memory fakes and its MariaDB
/// implementation to exactly these, and a backend or wrapper of yours can be held to them too.
public enum EventflowDBContract {
    /// Every case of the contract, area by area.
    public static var all: [ContractCase] {
        event + eventBatch + association + associationStream + published + scheduled + dueTime + publish + redelivery
            + pendingDelivery + deadLetter + delivery + claimNext
            + retention + hub
            + certificate
            + log + lock + pinned
            + migrator + badInput + fault + follow
    }
}
