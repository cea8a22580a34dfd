extension OriginalSchema {
    /// This project's model of the reads a service of this generation of the original makes:
    /// v4.1.0 (the seed's release) for `.v4_1`; the v4.2.1-v4.4.0 services for `.v4_2` (ascii
    /// tables, associations read under the event's own domain); v4.4.1 and later for `.v4_8`.
    /// Each is written from the original's documented behaviour (the seed's API and schema,
    /// SPEC §3, §4 and §8, the README's "Mixed fleets"), not taken from the original's source.
    ///
    /// Not modelled: `readEventsByDomainAndPidAndNames`, whose statement depends on how many
    /// names it is given.
    public var reads: [OriginalRead] {
        let models =
            switch self {
            case .v4_1: OriginalReadModels.v4_1
            case .v4_2: OriginalReadModels.v4_2
            case .v4_8: OriginalReadModels.v4_8
            }
        return OriginalRead.Operation.allCases.compactMap { operation in
            models[operation].map { OriginalRead(operation: operation, sql: $0) }
        }
    }
}

/// Our models of each generation's read statements: the tables, joins, filters and bind order
/// (`OriginalRead.Operation.arguments`) the generation uses, and what the matrix tests about them.
///
/// How the models name columns: a filter names a column without its table exactly when, in that
/// generation's own schema, only one table of the statement has it. That is what makes v4.1.0's
/// "events by domain and cpid" break: it filters on `domain` without a table, which was
/// unambiguous while only `event` had one, and is ambiguous (error 1052) wherever `event_cpid`
/// has a `domain` too. Selected columns are listed (the ones the seed documents), so rows read
/// the same whether or not EventflowDB added columns of its own.
enum OriginalReadModels {
    /// The event's columns as the seed documents them.
    private static let event = "event.id, event.timestamp, event.domain, event.rid, event.pid, event.name, event.data"
    private static let scheduled = "event_id, timestamp, scheduled, executed, success, failed"
    private static let hub = "id, timestamp, external_ip, external_port, internal_ip, internal_port, quit"
    private static let certificate =
        "created, updated, version, id, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv, pass_salt, pass_tag, validity, revoked"

    /// A bound text as v4.2 and later compare it with their ascii columns: converted to ascii and
    /// compared byte for byte (ids are ASCII and case-sensitive, SPEC §3 and §4). v4.1.0 binds it plainly.
    private static let text = "CONVERT(? USING ascii) COLLATE ascii_bin"

    /// v4.1.0: no character set of its own, no ordering, and `event_cpid` without a domain.
    static let v4_1: [OriginalRead.Operation: String] = [
        .readEvent: "SELECT \(event) FROM event WHERE id = ?",
        .readEventsByDomainAndPid: "SELECT \(event) FROM event WHERE pid = ? AND domain = ?",
        .readEventCpidByEventId: "SELECT cpid FROM event_cpid WHERE event_id = ?",
        // The property under test: `domain` without a table, in a join of event_cpid and event.
        .readEventsByDomainAndCpid:
            "SELECT \(event) FROM event_cpid INNER JOIN event ON event.id = event_cpid.event_id WHERE cpid = ? AND domain = ?",
        .readEventEidByEventId: "SELECT eid FROM event_eid WHERE event_id = ?",
        .readEventsByEid:
            "SELECT \(event) FROM event_eid INNER JOIN event ON event.id = event_eid.event_id WHERE eid = ?",
        .readEventsByDomainAndEid:
            "SELECT \(event) FROM event_eid INNER JOIN event ON event.id = event_eid.event_id WHERE eid = ? AND domain = ?",
        // Scheduled events not executed yet whose time is still to come (SPEC §8's defect).
        .readEventsScheduled:
            "SELECT \(scheduled) FROM event_scheduled WHERE executed IS NULL AND scheduled >= UTC_TIMESTAMP()",
        .readOnlineHubs: "SELECT \(hub) FROM hub WHERE quit IS NULL",
        // The active certificate: version 0 and not revoked (the seed's certificate table).
        .readCertificate: "SELECT \(certificate) FROM certificate WHERE id = ? AND version = 0 AND revoked IS NULL",
    ]

    /// v4.2.1-v4.4.0: ascii comparisons, reads in time order, a time-range read and the hub's
    /// quit check; associations carry a domain, and the cpid read joins on the event's own one.
    static let v4_2: [OriginalRead.Operation: String] = [
        .readEvent: "SELECT \(event) FROM event WHERE id = \(text)",
        .readEventsByDomainAndPid:
            "SELECT \(event) FROM event WHERE pid = \(text) AND domain = \(text) ORDER BY event.timestamp",
        .readEventsByDomainAndPidBetweenTimestamps:
            "SELECT \(event) FROM event WHERE pid = \(text) AND domain = \(text) AND timestamp >= ? AND timestamp <= ? ORDER BY event.timestamp",
        .readEventCpidByEventId: "SELECT domain, cpid FROM event_cpid WHERE event_id = \(text)",
        // Both tables have `domain` now, so the read names each; it finds an association only
        // when it is stored under its event's domain.
        .readEventsByDomainAndCpid:
            "SELECT \(event) FROM event_cpid INNER JOIN event ON event.id = event_cpid.event_id AND event_cpid.domain = event.domain WHERE event_cpid.cpid = \(text) AND event_cpid.domain = \(text) ORDER BY event.timestamp",
        .readEventEidByEventId: "SELECT eid FROM event_eid WHERE event_id = \(text)",
        .readEventsByEid:
            "SELECT \(event) FROM event_eid INNER JOIN event ON event.id = event_eid.event_id WHERE eid = \(text) ORDER BY event.timestamp",
        .readEventsByDomainAndEid:
            "SELECT \(event) FROM event_eid INNER JOIN event ON event.id = event_eid.event_id WHERE eid = \(text) AND domain = \(text) ORDER BY event.timestamp",
        .readEventsScheduled:
            "SELECT \(scheduled) FROM event_scheduled WHERE executed IS NULL AND scheduled >= UTC_TIMESTAMP() ORDER BY timestamp",
        .readOnlineHubs: "SELECT \(hub) FROM hub WHERE quit IS NULL ORDER BY timestamp",
        .hasHubQuit: "SELECT \(hub) FROM hub WHERE id = \(text) AND quit IS NOT NULL",
        .readCertificate:
            "SELECT \(certificate) FROM certificate WHERE id = \(text) AND version = 0 AND revoked IS NULL",
    ]

    /// v4.4.1 and later: v4.2's reads, but an association is read under its own domain whatever
    /// its event's, and the distinct process ids of a domain can be listed.
    static let v4_8: [OriginalRead.Operation: String] = v4_2.merging([
        .readEventsByDomainAndCpid:
            "SELECT \(event) FROM event_cpid INNER JOIN event ON event.id = event_cpid.event_id WHERE event_cpid.cpid = \(text) AND event_cpid.domain = \(text) ORDER BY event.timestamp",
        .readDistinctPidByDomain: "SELECT DISTINCT pid FROM event WHERE domain = \(text) ORDER BY pid",
    ]) { _, newer in newer }
}
