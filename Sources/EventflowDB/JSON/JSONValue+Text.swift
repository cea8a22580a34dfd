extension JSONValue {
    /// Parses JSON text.
    ///
    /// - Throws: ``EventflowDBError`` with ``EventflowDBError/Code/invalidInput`` when the text is
    ///   not valid JSON or nests deeper than ``maximumDepth``.
    public init(parsing text: String) throws {
        var text = text
        self = try text.withUTF8 { buffer in
            var parser = JSONParser(buffer, isValidUTF8: true)
            return try parser.parseDocument()
        }
    }

    /// Parses JSON text given as UTF-8 bytes.
    public init(parsing bytes: some Collection<UInt8>) throws {
        if let value = try bytes.withContiguousStorageIfAvailable({ try JSONValue(parsing: $0) }) {
            self = value
        } else {
            self = try Array(bytes).withUnsafeBufferPointer { try JSONValue(parsing: $0) }
        }
    }

    /// Parses JSON text in a buffer of UTF-8 bytes.
    public init(parsing buffer: UnsafeBufferPointer<UInt8>) throws {
        var parser = JSONParser(buffer)
        self = try parser.parseDocument()
    }

    /// The deepest nesting of arrays and objects that can be stored; MariaDB's JSON functions
    /// refuse deeper documents.
    public static let maximumDepth = 32

    /// Compact JSON text. Object members are written with their keys sorted, so equal values give
    /// equal text.
    public var jsonText: String {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        JSONWriter.write(self, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Compact JSON text as UTF-8 bytes.
    public var jsonBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        JSONWriter.write(self, into: &output)
        return output
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { jsonText }
}
