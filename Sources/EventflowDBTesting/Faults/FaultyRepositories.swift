public import EventflowDB
import Foundation

/// The repositories of a database, each call run under a ``FaultPlan``.
struct FaultyRepositories: Sendable {
    let base: EventflowDB
    let plan: FaultPlan
}

extension FaultyRepositories: EventRepository {
    func insertEvents(_ events: [Validated<NewEvent>]) async throws -> [String] {
        // Ids are fixed before the first attempt, as the backends do, so a fault's error carries
        // the ids a retry must use.
        let events = try events.map { event -> Validated<NewEvent> in
            guard event.id == nil else { return event }
            var identified = event.input
            identified.id = EventID.generate()
            return try Validated(identified)
        }
        return try await plan.run(.persistEvents, .eventPersist, eventIDs: events.compactMap(\.id)) {
            try await base.events.insertEvents(events)
        }
    }

    func fetchEvents(_ query: EventQuery) async throws -> [Event] {
        try await plan.run(.readEvents, query.failureCode) { try await base.events.fetchEvents(query) }
    }

    func fetchDistinctPids(domain: Identifier) async throws -> [String] {
        try await plan.run(.readEvents, .eventReadDistinctPidByDomain) {
            try await base.events.fetchDistinctPids(domain: domain)
        }
    }

    func removeEvents(_ selection: EventSelection) async throws -> Bool {
        try await plan.run(.deleteEvents, selection.failureCode) { try await base.events.removeEvents(selection) }
    }

    func insertAssociation(_ association: EventAssociation) async throws -> Bool {
        try await plan.run(.persistAssociation, association.persistCode) {
            try await base.events.insertAssociation(association)
        }
    }

    func removeAssociation(_ association: EventAssociation) async throws -> Bool {
        try await plan.run(.deleteAssociation, association.deleteCode) {
            try await base.events.removeAssociation(association)
        }
    }

    func fetchCpids(eventID: Identifier) async throws -> [EventCpid] {
        try await plan.run(.readAssociations, .eventCpidReadByEventID) {
            try await base.events.fetchCpids(eventID: eventID)
        }
    }

    func fetchEids(eventID: Identifier) async throws -> [String] {
        try await plan.run(.readAssociations, .eventEidReadByEventID) {
            try await base.events.fetchEids(eventID: eventID)
        }
    }
}

extension FaultyRepositories: HubRepository {
    func insertHub(_ hub: Validated<NewHub>) async throws -> Bool {
        try await plan.run(.persistHub, .hubPersist) { try await base.hubs.insertHub(hub) }
    }

    func readOnlineHubs() async throws -> [Hub] {
        try await plan.run(.readHubs, .hubsRead) { try await base.hubs.readOnlineHubs() }
    }

    func readHubs() async throws -> [Hub] {
        try await plan.run(.readHubs, .hubsRead) { try await base.hubs.readHubs() }
    }

    func changeHubToQuit(id: Identifier) async throws -> Bool {
        try await plan.run(.updateHubToQuit, .hubUpdateToQuit) { try await base.hubs.changeHubToQuit(id: id) }
    }

    func fetchHubQuit(id: Identifier) async throws -> Bool {
        try await plan.run(.readHubs, .hubHasQuit) { try await base.hubs.fetchHubQuit(id: id) }
    }

    func changeHubSeen(id: Identifier) async throws -> Bool {
        try await plan.run(.heartbeat, .hubHeartbeat) { try await base.hubs.changeHubSeen(id: id) }
    }

    func fetchLiveHubs(seenWithin window: Timeout) async throws -> [Hub] {
        try await plan.run(.readHubs, .hubsRead) { try await base.hubs.fetchLiveHubs(seenWithin: window) }
    }
}

extension FaultyRepositories: CertificateRepository {
    func insertCertificate(_ certificate: Validated<Certificate>) async throws -> Bool {
        try await plan.run(.persistCertificate, .certificatePersist) {
            try await base.certificates.insertCertificate(certificate)
        }
    }

    func fetchActiveCertificate(id: Identifier) async throws -> Certificate {
        try await plan.run(.readCertificate, .certificateRead) {
            try await base.certificates.fetchActiveCertificate(id: id)
        }
    }

    func revokeActiveCertificate(id: Identifier) async throws -> Bool {
        try await plan.run(.revokeCertificate, .certificateRevoke) {
            try await base.certificates.revokeActiveCertificate(id: id)
        }
    }

    func revokeCertificatesPastValidityPeriod() async throws -> Int {
        try await plan.run(.revokeCertificate, .certificateRevoke) {
            try await base.certificates.revokeCertificatesPastValidityPeriod()
        }
    }
}

extension FaultyRepositories: LogRepository {
    func insertLog(_ entry: Validated<NewLogEntry>) async throws {
        try await plan.run(.persistLog, .logPersist) { try await base.logs.insertLog(entry) }
    }

    func archiveLogPartition(before cutoff: Cutoff) async throws -> Bool {
        try await plan.run(.archiveLog, .logArchive) { try await base.logs.archiveLogPartition(before: cutoff) }
    }

    func readLogArchives() async throws -> [String] {
        try await plan.run(.readLogs, .logRead) { try await base.logs.readLogArchives() }
    }

    func fetchLogs(agent: Identifier?, range: TimeRange) async throws -> [LogEntry] {
        try await plan.run(.readLogs, .logRead) { try await base.logs.fetchLogs(agent: agent, range: range) }
    }

    func fetchLogPage(agent: Identifier?, page: LogPage) async throws -> [LogEntry] {
        try await plan.run(.readLogs, .logRead) { try await base.logs.fetchLogPage(agent: agent, page: page) }
    }

    func removeLogArchives(before cutoff: Cutoff) async throws -> [String] {
        try await plan.run(.archiveLog, .logArchive) { try await base.logs.removeLogArchives(before: cutoff) }
    }
}

extension FaultyRepositories: LockRepository {
    func holdLock<T: Sendable>(
        _ reference: Identifier, timeout: Timeout, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await plan.run(.withLock, .lockTimeout) { try await base.locks.holdLock(reference, timeout: timeout, body) }
    }
}

extension FaultyRepositories: EventPublishedRepository {
    func insertPublished(_ published: Validated<NewEventPublished>) async throws -> Bool {
        try await plan.run(.persistPublished, .eventPublishedPersist) {
            try await base.published.insertPublished(published)
        }
    }

    func fetchPublished(eventID: Identifier) async throws -> EventPublished {
        try await plan.run(.readDeliveries, .eventPublishedRead) {
            try await base.published.fetchPublished(eventID: eventID)
        }
    }

    func fetchDeliveries(_ query: DeliveryQuery) async throws -> [EventPublished] {
        try await plan.run(.readDeliveries, .eventPublishedRead) { try await base.published.fetchDeliveries(query) }
    }

    func fetchPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) async throws -> [PendingDelivery] {
        try await plan.run(.readDeliveries, .eventPublishedRead) {
            try await base.published.fetchPendingDeliveries(cutoff, after: after)
        }
    }

    func changeConsumed(eventID: Identifier, by consumer: Consumer) async throws -> Bool {
        try await plan.run(.claim, .eventPublishedCreate) {
            try await base.published.changeConsumed(eventID: eventID, by: consumer)
        }
    }

    func changeStamp(eventID: Identifier, to outcome: PublishedOutcome) async throws -> Bool {
        try await plan.run(.finishDelivery, outcome.errorCode) {
            try await base.published.changeStamp(eventID: eventID, to: outcome)
        }
    }

    func changeDelivery(_ change: DeliveryChange) async throws -> Bool {
        let operation: FaultOperation =
            switch change {
            case .claim, .renew: .claim
            default: .finishDelivery
            }
        return try await plan.run(operation, change.errorCode) { try await base.published.changeDelivery(change) }
    }

    func claimNextDelivery(hub: Identifier, lease: Timeout, maxAttempts: Int) async throws -> PendingDelivery? {
        try await plan.run(.claim, .eventPublishedCreate) {
            try await base.published.claimNextDelivery(hub: hub, lease: lease, maxAttempts: maxAttempts)
        }
    }

    func removeFinished(_ cutoff: Cutoff) async throws -> Int {
        try await plan.run(.deletePublished, .retentionDelete) { try await base.published.removeFinished(cutoff) }
    }
}

extension FaultyRepositories: EventScheduledRepository {
    func insertScheduledEvent(_ scheduled: Validated<NewEventScheduled>) async throws -> Bool {
        try await plan.run(.persistScheduled, .scheduledEventPersist) {
            try await base.scheduled.insertScheduledEvent(scheduled)
        }
    }

    func fetchScheduledEvents(_ query: ScheduledQuery) async throws -> [ScheduledEvent] {
        try await plan.run(.readScheduled, query.failureCode) { try await base.scheduled.fetchScheduledEvents(query) }
    }

    func fetchNextScheduledTime() async throws -> Date? {
        try await plan.run(.readScheduled, .scheduledEventRead) { try await base.scheduled.fetchNextScheduledTime() }
    }

    func changeScheduledRun(_ change: ScheduledRunChange) async throws -> ScheduledEvent? {
        let operation: FaultOperation =
            switch change {
            case .claim, .claimWithoutLease, .renew: .claimScheduled
            default: .finishScheduled
            }
        return try await plan.run(operation, change.failureCode) { try await base.scheduled.changeScheduledRun(change) }
    }

    func removeScheduledEventsFinished(_ cutoff: Cutoff) async throws -> Int {
        try await plan.run(.deleteScheduled, .retentionDelete) {
            try await base.scheduled.removeScheduledEventsFinished(cutoff)
        }
    }
}

extension FaultyRepositories: PublicationRepository {
    func insertPublication(_ publication: Validated<Publication>) async throws -> String {
        // The id is fixed before the first attempt, as the backends do, so a fault's error
        // carries the id a retry must use.
        var publication = publication
        if publication.event.id == nil {
            var identified = publication.input
            identified.event.id = EventID.generate()
            publication = try Validated(identified)
        }
        let id = publication.event.id!
        return try await plan.run(.publish, .eventPublish, eventIDs: [id]) {
            try await base.publications.insertPublication(publication)
        }
    }
}

extension FaultPlan {
    /// `db` with its events, hubs, certificates, log and locks under this plan: each call may
    /// fail as the plan says, with the error a real failure of that operation carries. Closing
    /// and pinning go to `db`.
    public func wrap(_ db: EventflowDB) -> EventflowDB {
        let faulty = FaultyRepositories(base: db, plan: self)
        return EventflowDB(
            events: faulty, published: faulty, scheduled: faulty, hubs: faulty, certificates: faulty,
            logs: faulty, locks: faulty, migrator: db.migrator, publications: faulty, follow: db.follow,
            clock: db.clock, onClose: { try await db.close() },
            pinning: { body in try await db.withPinnedConnection(body) })
    }
}
