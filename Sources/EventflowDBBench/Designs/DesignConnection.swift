import CMariaDB
import Foundation

/// A bare Connector/C connection for the design prototypes: no pool, no checks, no library code,
/// only what each transport design costs. Used by one thread at a time.
final class DesignConnection: @unchecked Sendable {
    let mysql: UnsafeMutablePointer<MYSQL>
    let socket: Int32
    private let insert: UnsafeMutablePointer<MYSQL_STMT>
    private let claim: UnsafeMutablePointer<MYSQL_STMT>

    /// Connects and prepares W1's INSERT and W3's claim (the library's statements); `nonBlocking`
    /// enables Connector/C's non-blocking calls.
    init(_ shape: DesignShape, nonBlocking: Bool) throws {
        mysql = mysql_init(nil)!
        if nonBlocking { mysql_options(mysql, MYSQL_OPT_NONBLOCK, nil) }
        var tcp = MYSQL_PROTOCOL_TCP.rawValue
        mysql_options(mysql, MYSQL_OPT_PROTOCOL, &tcp)
        mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        guard
            mysql_real_connect(
                mysql, shape.host, shape.user, shape.password, shape.database, UInt32(shape.port), nil, 0) != nil
        else { throw BenchError("design prototype: \(String(cString: mysql_error(mysql)))") }
        socket = Int32(mysql_get_socket(mysql))
        let mysql = self.mysql
        func prepare(_ sql: String) throws -> UnsafeMutablePointer<MYSQL_STMT> {
            let statement = mysql_stmt_init(mysql)!
            guard mysql_stmt_prepare(statement, sql, UInt(sql.utf8.count)) == 0 else {
                throw BenchError("design prototype: \(String(cString: mysql_stmt_error(statement)))")
            }
            return statement
        }
        insert = try prepare(
            "INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES (?, ?, ?, ?, ?, ?, ?)")
        claim = try prepare(
            """
            UPDATE event_published SET consumed_hub = ?, consumed_hub_claim = ?, hub = ? \
            WHERE event_id = ? AND consumed_hub IS NULL
            """)
    }

    /// Binds W1's event `index` (text values, NULL rid) to the INSERT; the returned buffers
    /// must live until the statement has run.
    private func bindInsert(_ index: Int) -> Bound {
        let id = String((0..<20).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        let data = "{\"qux\":\"foobar\",\"n\":\(index),\"payload\":\"" + String(repeating: "x", count: 150) + "\"}"
        let bound = Bound(count: 7)
        bound.text(0, id)
        bound.datetime(1)
        bound.text(2, "bench")
        bound.null(3)
        bound.text(4, "p\(index % 200)")
        bound.text(5, "created")
        bound.text(6, data)
        bound.bind(to: insert)
        return bound
    }

    /// W1's insert of event `index`, blocking; the rows it wrote.
    func insertBlocking(_ index: Int) -> Int {
        let bound = bindInsert(index)
        defer { withExtendedLifetime(bound) {} }
        return mysql_stmt_execute(insert) == 0 ? Int(mysql_stmt_affected_rows(insert)) : -1
    }

    /// W1's insert of event `index` through the non-blocking calls, on `loop`'s thread; `done`
    /// gets the rows written.
    func insertNonBlocking(_ index: Int, on loop: DesignLoop, done: @escaping (Int) -> Void) {
        let bound = bindInsert(index)
        var result: Int32 = 0
        func step(_ status: Int32) {
            guard status == 0 else {
                return loop.wait(for: socket, status) { [self] events in
                    step(mysql_stmt_execute_cont(&result, insert, events))
                }
            }
            withExtendedLifetime(bound) {}
            done(result == 0 ? Int(mysql_stmt_affected_rows(insert)) : -1)
        }
        step(mysql_stmt_execute_start(&result, insert))
    }

    /// W3's claim of `eventID` for `hub` with a random token, blocking; the rows it changed.
    func claimBlocking(_ eventID: String, hub: String) -> Int {
        let bound = Bound(count: 4)
        bound.datetime(0)
        bound.text(1, String((0..<32).map { _ in "0123456789abcdef".randomElement()! }))
        bound.text(2, hub)
        bound.text(3, eventID)
        bound.bind(to: claim)
        defer { withExtendedLifetime(bound) {} }
        return mysql_stmt_execute(claim) == 0 ? Int(mysql_stmt_affected_rows(claim)) : -1
    }
}

/// Parameter buffers of one execution.
final class Bound {
    private var binds: [MYSQL_BIND]
    private var buffers: [UnsafeMutableRawPointer] = []

    init(count: Int) { binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: count) }
    deinit { buffers.forEach { $0.deallocate() } }

    func text(_ index: Int, _ value: String) {
        let bytes = Array(value.utf8)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        buffer.copyMemory(from: bytes, byteCount: bytes.count)
        buffers.append(buffer)
        binds[index].buffer_type = MYSQL_TYPE_STRING
        binds[index].buffer = buffer
        binds[index].buffer_length = UInt(bytes.count)
    }

    func null(_ index: Int) { binds[index].buffer_type = MYSQL_TYPE_NULL }

    /// Now, to the second, in UTC.
    func datetime(_ index: Int) {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var value = MYSQL_TIME()
        value.year = UInt32(parts.tm_year + 1900)
        value.month = UInt32(parts.tm_mon + 1)
        value.day = UInt32(parts.tm_mday)
        value.hour = UInt32(parts.tm_hour)
        value.minute = UInt32(parts.tm_min)
        value.second = UInt32(parts.tm_sec)
        value.time_type = MYSQL_TIMESTAMP_DATETIME
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<MYSQL_TIME>.size, alignment: 8)
        buffer.storeBytes(of: value, as: MYSQL_TIME.self)
        buffers.append(buffer)
        binds[index].buffer_type = MYSQL_TYPE_DATETIME
        binds[index].buffer = buffer
        binds[index].buffer_length = UInt(MemoryLayout<MYSQL_TIME>.size)
    }

    func bind(to statement: UnsafeMutablePointer<MYSQL_STMT>) {
        _ = binds.withUnsafeMutableBufferPointer { mysql_stmt_bind_param(statement, $0.baseAddress) }
    }
}

/// Where the prototypes connect.
struct DesignShape: Sendable {
    let host: String
    let port: Int
    let user: String
    let password: String
    let database: String
}
