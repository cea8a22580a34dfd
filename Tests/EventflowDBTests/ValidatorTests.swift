import EventflowDB
import Foundation
import Testing

@Suite("Validator")
struct ValidatorTests {
    @Test(
        "identifiers of 1 to 64 printable ASCII characters pass",
        arguments: ["a", String(repeating: "z", count: 64), "' OR 1=1 --", "a b", "~!@#$%^&*()"])
    func validIdentifiers(value: String) throws {
        try Validator.identifier(value, field: "id")
    }

    @Test(
        "bad identifiers fail naming the field",
        arguments: [
            "", String(repeating: "z", count: 65), "é", "a\u{0}b", "tab\there", "trailing ",
            String(repeating: "x", count: 10_000),
        ])
    func invalidIdentifiers(value: String) {
        do {
            try Validator.identifier(value, field: "event.pid")
            Issue.record("accepted \(value.debugDescription)")
        } catch let error as EventflowDBError {
            #expect(error.code == .invalidInput)
            #expect(error.field == "event.pid")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test(
        "IPv4 and IPv6 addresses pass",
        arguments: ["0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::8a2e:370:7334", "::ffff:192.168.100.200"])
    func validIPs(value: String) throws {
        try Validator.ipAddress(value, field: "ip")
    }

    @Test(
        "malformed addresses fail",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4x", "example.com", "2001:db8:::1", "fe80::1%eth0",
            " 1.2.3.4",
        ])
    func invalidIPs(value: String) {
        #expect(throws: EventflowDBError.self) { try Validator.ipAddress(value, field: "ip") }
    }

    @Test("dates outside the years 1000 to 9999 fail")
    func dates() throws {
        try Validator.date(Date(timeIntervalSince1970: 0), field: "d")
        #expect(throws: EventflowDBError.self) {
            try Validator.date(Date(timeIntervalSince1970: -40_000_000_000), field: "d")
        }
        #expect(throws: EventflowDBError.self) {
            try Validator.date(Date(timeIntervalSince1970: 300_000_000_000), field: "d")
        }
        #expect(throws: EventflowDBError.self) { try Validator.date(Date(timeIntervalSince1970: .nan), field: "d") }
    }

    @Test("JSON over the size limit fails")
    func jsonSize() {
        let big = JSONValue.string(String(repeating: "x", count: Validator.maximumJSONBytes))
        #expect(throws: EventflowDBError.self) { try Validator.json(big, field: "data") }
    }
}

@Suite("Event ids and time")
struct EventIDTests {
    @Test("generated ids are 26 ASCII characters, unique, and sort by time")
    func ids() {
        let early = EventID.generate(at: Date(timeIntervalSince1970: 1_000))
        let late = EventID.generate(at: Date(timeIntervalSince1970: 1_000.001))
        #expect(early.utf8.count == 26 && late.utf8.count == 26)
        #expect(early < late)
        let many = Set((0..<10_000).map { _ in EventID.generate() })
        #expect(many.count == 10_000)
    }

    @Test("truncation keeps whole milliseconds and whole seconds")
    func truncation() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.987_654)
        #expect(date.truncatedToMilliseconds == Date(timeIntervalSince1970: 1_700_000_000.987))
        #expect(date.truncatedToSeconds == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(LogArchiveDay.string(for: date) == "20231114")
        #expect(LogArchiveDay.isoString(for: date) == "2023-11-14")
    }

    @Test("error descriptions carry the code and never the underlying bound values")
    func errorDescription() {
        let error = EventflowDBError(
            .eventPersist, "could not persist event",
            underlying: DatabaseError(kind: .duplicateKey, number: 1062, sqlState: "23000", message: "Duplicate entry"))
        #expect(error.description.hasPrefix("E_EVENTFLOW_DB_EVENT_PERSIST: could not persist event"))
        #expect(error.isDuplicate)
        #expect(!error.isForeignKeyViolation)
    }
}

@Suite("Errors at the call site")
struct ErrorMatchingTests {
    @Test("a catch clause matches an error by its code")
    func catchByCode() async {
        func read() throws -> Int { throw EventflowDBError(.eventNotFound, "event not found by id") }
        var caught = ""
        do {
            _ = try read()
        } catch EventflowDBError.Code.certificateNotFound {
            caught = "certificate"
        } catch EventflowDBError.Code.eventNotFound {
            caught = "event"
        } catch {
            caught = "other"
        }
        #expect(caught == "event")
        #expect(!(EventflowDBError.Code.eventNotFound ~= CancellationError()))
    }
}
