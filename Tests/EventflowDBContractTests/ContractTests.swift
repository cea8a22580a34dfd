import EventflowDBTestSupport
import EventflowDBTesting
import Testing

/// The contract (the `EventflowDBTesting` product), run on every backend of this project: each
/// case once per backend, reported as "area: behaviour" with the backend's name.
@Suite("Contract")
struct ContractTests {
    @Test("every behaviour of the contract, on every backend", arguments: EventflowDBContract.all, TestBackend.all)
    func contract(_ behaviour: ContractCase, backend: TestBackend) async throws {
        try await behaviour.run(on: backend)
    }

    @Test("the contract lists every case once")
    func everyCaseListedOnce() {
        let names = EventflowDBContract.all.map(\.testDescription)
        #expect(Set(names).count == names.count)
        #expect(names.count > 100)
    }
}
