import EventflowDB
public import Testing

/// One behaviour of the EventflowDB contract, runnable against any backend.
///
/// Hold a backend of your own (or a repository you wrap) to the same contract as EventflowDB's
/// in-memory fakes and its MariaDB implementation:
///
/// ```swift
/// import EventflowDBTesting
/// import Testing
///
/// let mine = ContractBackend(name: "mine") { clock in
///     let db = EventflowDB(/* your repositories, reading time from clock */)
///     try await db.setupTableSchemas()
///     return ContractDatabase(db: db, teardown: { try await db.close() })
/// }
///
/// @Test(arguments: EventflowDBContract.all)
/// func contract(_ behaviour: ContractCase) async throws {
///     try await behaviour.run(on: mine)
/// }
/// ```
public struct ContractCase: Sendable, CustomTestStringConvertible {
    /// The area of the contract (`"Events"`, `"Locks"`, …).
    public let area: String
    /// The behaviour, as a sentence.
    public let name: String
    private let body: @Sendable (ContractBackend) async throws -> Void

    public init(_ area: String, _ name: String, _ body: @escaping @Sendable (ContractBackend) async throws -> Void) {
        self.area = area
        self.name = name
        self.body = body
    }

    /// Runs the behaviour on a fresh database of `backend`; failed expectations are recorded
    /// as issues of the running test.
    public func run(on backend: ContractBackend) async throws {
        try await body(backend)
    }

    public var testDescription: String { "\(area): \(name)" }
}
