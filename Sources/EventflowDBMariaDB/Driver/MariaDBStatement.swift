import CMariaDB
import EventflowDB
import Foundation

/// A prepared statement on one connection. Confined to that connection's thread.
final class MariaDBStatement {
    private let handle: UnsafeMutablePointer<MYSQL_STMT>
    private let connection: UnsafeMutablePointer<MYSQL>
    let parameterCount: Int

    /// The initial buffer for each text or binary column; longer values are fetched again.
    private static let inlineBufferSize = 512

    init(connection: UnsafeMutablePointer<MYSQL>, sql: String) throws {
        guard let handle = mysql_stmt_init(connection) else {
            throw DatabaseError(
                kind: .other, number: Int(mysql_errno(connection)), message: "could not allocate a statement")
        }
        self.handle = handle
        self.connection = connection
        let status = sql.withCString { mysql_stmt_prepare(handle, $0, UInt(strlen($0))) }
        if status != 0 {
            let error =
                mysql_stmt_errno(handle) == 0 && mysql_errno(connection) != 0
                ? MariaDBConnection.error(of: connection) : Self.error(of: handle)
            mysql_stmt_close(handle)
            throw error
        }
        parameterCount = Int(mysql_stmt_param_count(handle))
    }

    func close() {
        mysql_stmt_close(handle)
    }

    /// The statement's error; the connection's when the statement has none (an error that
    /// arrives while rows are fetched, such as `max_statement_time`, is reported there).
    private var lastError: DatabaseError {
        if mysql_stmt_errno(handle) == 0 && mysql_errno(connection) != 0 {
            return MariaDBConnection.error(of: connection)
        }
        return Self.error(of: handle)
    }

    static func error(of handle: UnsafeMutablePointer<MYSQL_STMT>) -> DatabaseError {
        let number = Int(mysql_stmt_errno(handle))
        return DatabaseError(
            kind: MariaDBErrorMapping.kind(forNumber: number), number: number,
            sqlState: String(cString: mysql_stmt_sqlstate(handle)), message: String(cString: mysql_stmt_error(handle)))
    }

    /// Runs the statement with `parameters` and reads every row.
    func execute(_ parameters: [MariaDBValue]) throws -> MariaDBResult {
        guard parameters.count == parameterCount else {
            throw DatabaseError(
                kind: .other, message: "the statement takes \(parameterCount) parameters, \(parameters.count) given")
        }
        try withBoundParameters(parameters) {
            if mysql_stmt_execute(handle) != 0 { throw lastError }
        }
        let fieldCount = Int(mysql_stmt_field_count(handle))
        if fieldCount == 0 {
            return MariaDBResult(
                columns: [], rows: [], affectedRows: UInt64(mysql_stmt_affected_rows(handle)),
                lastInsertID: UInt64(mysql_stmt_insert_id(handle)))
        }
        defer { mysql_stmt_free_result(handle) }
        return try fetchRows(fieldCount: fieldCount)
    }

    // MARK: Parameters

    private func withBoundParameters(_ parameters: [MariaDBValue], _ body: () throws -> Void) throws {
        if parameters.isEmpty { return try body() }
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: parameters.count)
        var allocations: [UnsafeMutableRawPointer] = []
        defer { allocations.forEach { $0.deallocate() } }

        func store<T>(_ value: T) -> UnsafeMutableRawPointer {
            let pointer = UnsafeMutableRawPointer.allocate(
                byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
            pointer.storeBytes(of: value, as: T.self)
            allocations.append(pointer)
            return pointer
        }
        func storeBytes(_ bytes: UnsafeRawBufferPointer) -> (UnsafeMutableRawPointer, UInt) {
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            if let base = bytes.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
            allocations.append(pointer)
            return (pointer, UInt(bytes.count))
        }
        func storeText(_ text: String) -> (UnsafeMutableRawPointer, UInt) {
            var text = text
            return text.withUTF8 { storeBytes(UnsafeRawBufferPointer($0)) }  // one copy, no per-byte walk
        }

        for (index, parameter) in parameters.enumerated() {
            switch parameter {
            case .null:
                binds[index].buffer_type = MYSQL_TYPE_NULL
            case .int(let value):
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = store(value)
            case .uint(let value):
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = store(value)
                binds[index].is_unsigned = 1
            case .double(let value):
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = store(value)
            case .string(let text):
                let (pointer, length) = storeText(text)
                binds[index].buffer_type = MYSQL_TYPE_STRING
                binds[index].buffer = pointer
                binds[index].buffer_length = length
            case .bytes(let bytes):
                let (pointer, length) = bytes.withUnsafeBytes { storeBytes($0) }
                binds[index].buffer_type = MYSQL_TYPE_BLOB
                binds[index].buffer = pointer
                binds[index].buffer_length = length
            case .text(let bytes):
                let (pointer, length) = bytes.withUnsafeBytes { storeBytes($0) }
                binds[index].buffer_type = MYSQL_TYPE_STRING
                binds[index].buffer = pointer
                binds[index].buffer_length = length
            case .datetime(let date):
                binds[index].buffer_type = MYSQL_TYPE_DATETIME
                binds[index].buffer = store(try MariaDBTime.checkedTime(from: date))
                binds[index].buffer_length = UInt(MemoryLayout<MYSQL_TIME>.size)
            }
        }
        // With `length` left nil, Connector/C takes each value's length from `buffer_length`.
        try binds.withUnsafeMutableBufferPointer { buffer in
            if mysql_stmt_bind_param(handle, buffer.baseAddress) != 0 { throw lastError }
            try body()
        }
    }

    // MARK: Array binding

    /// Runs the statement once for every row of `rows` in one round trip, through MariaDB's
    /// array binding (`STMT_ATTR_ARRAY_SIZE`): the server executes it as one statement, so in
    /// autocommit the rows are written all or none. Returns the rows affected.
    ///
    /// Each column takes one type for all rows (from its first non-NULL value); NULLs go through
    /// the column's indicator array.
    func executeBatch(_ rows: [[MariaDBValue]]) throws -> MariaDBResult {
        guard let width = rows.first?.count, width == parameterCount, rows.allSatisfy({ $0.count == width }) else {
            throw DatabaseError(kind: .other, message: "every row must have the statement's \(parameterCount) values")
        }
        var allocations: [UnsafeMutableRawPointer] = []
        defer { allocations.forEach { $0.deallocate() } }
        func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            allocations.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }
        func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer {
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            if let base = bytes.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
            allocations.append(pointer)
            return pointer
        }

        let count = rows.count
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: width)
        for column in 0..<width {
            let sample = rows.lazy.map { $0[column] }.first { $0 != .null } ?? .null
            if rows.contains(where: { $0[column] == .null }), sample != .null {
                let indicators = allocate(CChar.self, count)
                for row in 0..<count {
                    indicators[row] = CChar(
                        rows[row][column] == .null ? STMT_INDICATOR_NULL.rawValue : STMT_INDICATOR_NONE.rawValue)
                }
                binds[column].u.indicator = indicators
            }
            switch sample {
            case .null:
                binds[column].buffer_type = MYSQL_TYPE_NULL
            case .int, .uint:
                let values = allocate(Int64.self, count)
                for row in 0..<count {
                    switch rows[row][column] {
                    case .int(let value): values[row] = value
                    case .uint(let value): values[row] = Int64(bitPattern: value)
                    case .null: values[row] = 0
                    default: throw DatabaseError(kind: .other, message: "column \(column) mixes types")
                    }
                }
                binds[column].buffer_type = MYSQL_TYPE_LONGLONG
                binds[column].buffer = UnsafeMutableRawPointer(values)
                if case .uint = sample { binds[column].is_unsigned = 1 }
            case .double:
                let values = allocate(Double.self, count)
                for row in 0..<count {
                    guard case .double(let value) = rows[row][column] else {
                        values[row] = 0
                        continue
                    }
                    values[row] = value
                }
                binds[column].buffer_type = MYSQL_TYPE_DOUBLE
                binds[column].buffer = UnsafeMutableRawPointer(values)
            case .datetime:
                // Like text, a pointer per row: Connector/C reads every type that is not a number so.
                let times = allocate(MYSQL_TIME.self, count)
                let pointers = allocate(UnsafeMutableRawPointer?.self, count)
                for row in 0..<count {
                    if case .datetime(let date) = rows[row][column] { times[row] = try MariaDBTime.checkedTime(from: date) }
                    pointers[row] = UnsafeMutableRawPointer(times + row)
                }
                binds[column].buffer_type = MYSQL_TYPE_DATETIME
                binds[column].buffer = UnsafeMutableRawPointer(pointers)
            case .string, .text, .bytes:
                let pointers = allocate(UnsafeMutableRawPointer?.self, count)
                let lengths = allocate(UInt.self, count)
                for row in 0..<count {
                    var length = 0
                    switch rows[row][column] {
                    case .string(var text):
                        text.withUTF8 { bytes in
                            pointers[row] = copy(UnsafeRawBufferPointer(bytes))
                            length = bytes.count
                        }
                    case .text(let bytes), .bytes(let bytes):
                        bytes.withUnsafeBytes { pointers[row] = copy($0) }
                        length = bytes.count
                    case .null: pointers[row] = nil
                    default: throw DatabaseError(kind: .other, message: "column \(column) mixes types")
                    }
                    lengths[row] = UInt(length)
                }
                if case .bytes = sample {
                    binds[column].buffer_type = MYSQL_TYPE_BLOB
                } else {
                    binds[column].buffer_type = MYSQL_TYPE_STRING
                }
                binds[column].buffer = UnsafeMutableRawPointer(pointers)
                binds[column].length = lengths
            }
        }
        var size = UInt32(count)
        defer {
            // The statement is cached and may run again with one row of ordinary binds.
            var none: UInt32 = 0
            mysql_stmt_attr_set(handle, STMT_ATTR_ARRAY_SIZE, &none)
        }
        if mysql_stmt_attr_set(handle, STMT_ATTR_ARRAY_SIZE, &size) != 0 { throw lastError }
        try binds.withUnsafeMutableBufferPointer { buffer in
            if mysql_stmt_bind_param(handle, buffer.baseAddress) != 0 { throw lastError }
            if mysql_stmt_execute(handle) != 0 { throw lastError }
        }
        return MariaDBResult(
            columns: [], rows: [], affectedRows: UInt64(mysql_stmt_affected_rows(handle)),
            lastInsertID: UInt64(mysql_stmt_insert_id(handle)))
    }

    // MARK: Results

    private enum ColumnKind { case integer, double, datetime, text, binary }

    private func fetchRows(fieldCount: Int) throws -> MariaDBResult {
        guard let metadata = mysql_stmt_result_metadata(handle) else { throw lastError }
        defer { mysql_free_result(metadata) }
        let fields = mysql_fetch_fields(metadata)!
        var kinds: [ColumnKind] = []
        var columns: [String] = []
        for index in 0..<fieldCount {
            let field = fields[index]
            columns.append(String(cString: field.name))
            switch field.type {
            case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24,
                MYSQL_TYPE_YEAR:
                kinds.append(.integer)
            case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
                kinds.append(.double)
            case MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_DATE:
                kinds.append(.datetime)
            default:
                // Character set 63 is "binary": BLOB and VARBINARY. Everything else (VARCHAR,
                // TEXT, JSON) is text, read straight into a String.
                kinds.append(field.charsetnr == 63 ? .binary : .text)
            }
        }
        let unsigned = (0..<fieldCount).map { fields[$0].flags & UInt32(UNSIGNED_FLAG) != 0 }

        // One block per column, big enough for its kind; lengths, null and error flags alongside.
        let slotSize = max(Self.inlineBufferSize, MemoryLayout<MYSQL_TIME>.size, 8)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: slotSize * fieldCount, alignment: 16)
        defer { storage.deallocate() }
        var lengths = [UInt](repeating: 0, count: fieldCount)
        var nulls = [my_bool](repeating: 0, count: fieldCount)
        var errors = [my_bool](repeating: 0, count: fieldCount)
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: fieldCount)
        var rows: [MariaDBRow] = []

        try lengths.withUnsafeMutableBufferPointer { lengths in
            try nulls.withUnsafeMutableBufferPointer { nulls in
                try errors.withUnsafeMutableBufferPointer { errors in
                    try binds.withUnsafeMutableBufferPointer { binds in
                        for index in 0..<fieldCount {
                            binds[index].buffer = storage + index * slotSize
                            binds[index].length = lengths.baseAddress! + index
                            binds[index].is_null = nulls.baseAddress! + index
                            binds[index].error = errors.baseAddress! + index
                            switch kinds[index] {
                            case .integer:
                                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                                binds[index].buffer_length = 8
                                binds[index].is_unsigned = unsigned[index] ? 1 : 0
                            case .double:
                                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                                binds[index].buffer_length = 8
                            case .datetime:
                                binds[index].buffer_type = MYSQL_TYPE_DATETIME
                                binds[index].buffer_length = UInt(MemoryLayout<MYSQL_TIME>.size)
                            case .text, .binary:
                                binds[index].buffer_type = MYSQL_TYPE_BLOB
                                binds[index].buffer_length = UInt(Self.inlineBufferSize)
                            }
                        }
                        if mysql_stmt_bind_result(handle, binds.baseAddress) != 0 { throw lastError }

                        while true {
                            let status = mysql_stmt_fetch(handle)
                            if status == MYSQL_NO_DATA { break }
                            if status != 0 && status != MYSQL_DATA_TRUNCATED { throw lastError }
                            var values: [MariaDBValue] = []
                            values.reserveCapacity(fieldCount)
                            for index in 0..<fieldCount {
                                if nulls[index] != 0 {
                                    values.append(.null)
                                    continue
                                }
                                let slot = storage + index * slotSize
                                switch kinds[index] {
                                case .integer:
                                    values.append(
                                        unsigned[index]
                                            ? .uint(slot.load(as: UInt64.self)) : .int(slot.load(as: Int64.self)))
                                case .double:
                                    values.append(.double(slot.load(as: Double.self)))
                                case .datetime:
                                    values.append(.datetime(MariaDBTime.date(from: slot.load(as: MYSQL_TIME.self))))
                                case .text:
                                    let length = Int(lengths[index])
                                    if length <= Self.inlineBufferSize {
                                        values.append(
                                            .string(
                                                String(
                                                    decoding: UnsafeRawBufferPointer(start: slot, count: length),
                                                    as: UTF8.self)))
                                    } else {
                                        values.append(
                                            .string(
                                                String(
                                                    decoding: try fetchLongColumn(index, length: length), as: UTF8.self)
                                            ))
                                    }
                                case .binary:
                                    let length = Int(lengths[index])
                                    if length <= Self.inlineBufferSize {
                                        values.append(.bytes(Array(UnsafeRawBufferPointer(start: slot, count: length))))
                                    } else {
                                        values.append(.bytes(try fetchLongColumn(index, length: length)))
                                    }
                                }
                            }
                            rows.append(MariaDBRow(values: values))
                        }
                    }
                }
            }
        }
        return MariaDBResult(columns: columns, rows: rows, affectedRows: 0, lastInsertID: 0)
    }

    /// Reads a column longer than its inline buffer in full.
    private func fetchLongColumn(_ index: Int, length: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        var actual: UInt = 0
        try bytes.withUnsafeMutableBytes { buffer in
            var bind = MYSQL_BIND()
            bind.buffer_type = MYSQL_TYPE_BLOB
            bind.buffer = buffer.baseAddress
            bind.buffer_length = UInt(length)
            try withUnsafeMutablePointer(to: &actual) { actual in
                bind.length = actual
                if mysql_stmt_fetch_column(handle, &bind, UInt32(index), 0) != 0 { throw lastError }
            }
        }
        return bytes
    }
}
