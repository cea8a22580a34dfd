/// An operation a fault plan can strike, by the name users know it by.
///
/// Several methods share one operation where they run the same statement: `persistEvent` and
/// `persistEvents` are both ``persistEvents``; every event read is ``readEvents``.
public struct FaultOperation: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: FaultOperation, b: FaultOperation) -> Bool { a.rawValue < b.rawValue }

    public static let persistEvents = FaultOperation(rawValue: "persistEvents")
    public static let readEvents = FaultOperation(rawValue: "readEvents")
    public static let deleteEvents = FaultOperation(rawValue: "deleteEvents")
    public static let persistAssociation = FaultOperation(rawValue: "persistAssociation")
    public static let deleteAssociation = FaultOperation(rawValue: "deleteAssociation")
    public static let readAssociations = FaultOperation(rawValue: "readAssociations")
    public static let persistHub = FaultOperation(rawValue: "persistHub")
    public static let readHubs = FaultOperation(rawValue: "readHubs")
    public static let updateHubToQuit = FaultOperation(rawValue: "updateHubToQuit")
    public static let heartbeat = FaultOperation(rawValue: "heartbeat")
    public static let persistCertificate = FaultOperation(rawValue: "persistCertificate")
    public static let readCertificate = FaultOperation(rawValue: "readCertificate")
    public static let revokeCertificate = FaultOperation(rawValue: "revokeCertificate")
    public static let persistLog = FaultOperation(rawValue: "persistLog")
    public static let readLogs = FaultOperation(rawValue: "readLogs")
    public static let archiveLog = FaultOperation(rawValue: "archiveLog")
    public static let withLock = FaultOperation(rawValue: "withLock")
    public static let publish = FaultOperation(rawValue: "publish")
    public static let persistPublished = FaultOperation(rawValue: "persistPublished")
    /// Reading delivery state: one delivery, pending ones, dead letters, a hub's claims.
    public static let readDeliveries = FaultOperation(rawValue: "readDeliveries")
    /// Claiming a delivery (with a lease or the original's consumed stamp) or renewing its lease.
    public static let claim = FaultOperation(rawValue: "claim")
    /// A delivery's success, failure, release or stamp, or an operator's requeue or discard.
    public static let finishDelivery = FaultOperation(rawValue: "finishDelivery")
    public static let deletePublished = FaultOperation(rawValue: "deletePublished")
    public static let persistScheduled = FaultOperation(rawValue: "persistScheduled")
    public static let readScheduled = FaultOperation(rawValue: "readScheduled")
    /// Claiming a scheduled run (with a lease or the original's executed stamp) or renewing it.
    public static let claimScheduled = FaultOperation(rawValue: "claimScheduled")
    /// A scheduled run's success, failure or stamp, or an operator's requeue or discard.
    public static let finishScheduled = FaultOperation(rawValue: "finishScheduled")
    public static let deleteScheduled = FaultOperation(rawValue: "deleteScheduled")
}

/// One scripted fault: the `occurrence`-th call (from 1) of `operation` fails with `kind` at
/// `point`.
///
/// ```swift
/// // The 3rd persist loses its reply after it applied, then nothing else fails.
/// let plan = FaultPlan.script([Fault(.lostReply, at: .afterApply, on: .persistEvents, occurrence: 3)])
/// ```
public struct Fault: Sendable, Hashable, CustomStringConvertible {
    public var kind: FaultKind
    public var point: FaultPoint
    public var operation: FaultOperation
    public var occurrence: Int

    public init(_ kind: FaultKind, at point: FaultPoint, on operation: FaultOperation, occurrence: Int = 1) {
        self.kind = kind
        self.point = point
        self.operation = operation
        self.occurrence = occurrence
    }

    public var description: String { "\(operation)#\(occurrence) \(kind) at \(point)" }
}
