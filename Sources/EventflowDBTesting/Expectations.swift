public import EventflowDB
public import Testing

/// Expects `body` to throw an ``/EventflowDB/EventflowDBError`` with `code` (and `field`, when given).
@discardableResult
public func expectError<T>(
    _ code: EventflowDBError.Code, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> EventflowDBError? {
    do {
        let value = try await body()
        Issue.record("expected \(code), got a result: \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as EventflowDBError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
        return error
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
