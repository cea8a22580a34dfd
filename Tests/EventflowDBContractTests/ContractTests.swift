import EventflowDBTestSupport
import EventflowDBTesting
import Testing

/// The contract (the `EventflowDBTesting` product), run on every backend of this project: each
/// case once per backend, reported with both names.
@Suite("Contract")
struct ContractTests {
    @Test("events", arguments: EventflowDBContract.event + EventflowDBContract.eventBatch, TestBackend.all)
    func events(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("associations", arguments: EventflowDBContract.association, TestBackend.all)
    func associations(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("delivery state, schedules, atomic publish and redelivery", arguments: deliveryCases, TestBackend.all)
    func delivery(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("hubs, certificates and the log", arguments: registryCases, TestBackend.all)
    func registry(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("locks and migrations", arguments: EventflowDBContract.lock + EventflowDBContract.migrator, TestBackend.all)
    func locksAndMigrations(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("bad input", arguments: EventflowDBContract.badInput, TestBackend.all)
    func badInput(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("the contract lists every case once, and every case is run above")
    func everyCaseListed() {
        let names = EventflowDBContract.all.map(\.testDescription)
        #expect(Set(names).count == names.count)
        let runHere =
            EventflowDBContract.event + EventflowDBContract.eventBatch + EventflowDBContract.association
            + deliveryCases + registryCases + EventflowDBContract.lock + EventflowDBContract.migrator
            + EventflowDBContract.badInput
        #expect(Set(runHere.map(\.testDescription)) == Set(names))
    }
}

private let deliveryCases =
    EventflowDBContract.published + EventflowDBContract.scheduled + EventflowDBContract.publish
    + EventflowDBContract.redelivery
private let registryCases = EventflowDBContract.hub + EventflowDBContract.certificate + EventflowDBContract.log
