/// A checked wait: not negative, at most a year.
public struct Timeout: Sendable, Hashable {
    /// The wait.
    public let duration: Duration

    /// Checks a wait.
    ///
    /// - Parameters:
    ///   - duration: The wait: not negative, at most a year.
    ///   - field: The argument's name, for the error.
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `field`.
    public init(_ duration: Duration, field: String) throws {
        try Validator.timeout(duration, field: field)
        self.duration = duration
    }

    /// The wait in seconds.
    public var seconds: Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
