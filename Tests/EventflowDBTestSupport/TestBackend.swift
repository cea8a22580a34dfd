public import EventflowDBTesting

/// The project's name for a contract backend.
public typealias TestBackend = ContractBackend
/// The project's name for a contract database.
public typealias TestDatabase = ContractDatabase

extension ContractBackend {
    /// Every backend of this project: the contract runs once per element.
    public static let all: [ContractBackend] = [.memory, .mariadb]
}
