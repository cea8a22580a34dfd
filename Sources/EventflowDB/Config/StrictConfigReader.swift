package import Configuration

/// The keys under one scope of a configuration (`eventflow.db`), read strictly: a key that is
/// set but does not parse as the type asked for (`"writeTimeout": "abc"`) is an error naming
/// the key, never silently the default as `ConfigReader`'s defaulted reads make it. A key that
/// is not set reads as nil.
package struct StrictConfigReader: Sendable {
    private let reader: ConfigReader
    /// The scope's dotted path, for errors.
    private let scope: String
    /// Where the configuration came from, for errors.
    private let source: String

    /// Reads the keys under `scope` of `config`.
    package init(_ config: ConfigReader, scope: String, source: String) {
        reader = config.scoped(to: ConfigKey(scope))
        self.scope = scope
        self.source = source
    }

    /// A string.
    package func string(_ key: String, isSecret: Bool = false) throws -> String? {
        try read(key, "a string", isSecret: isSecret) { try reader.requiredString(forKey: $0, isSecret: isSecret) }
    }

    /// An integer.
    package func int(_ key: String) throws -> Int? {
        try read(key, "an integer") { try reader.requiredInt(forKey: $0) }
    }

    /// A number (an integer reads as one too).
    package func double(_ key: String) throws -> Double? {
        try read(key, "a number") { key in
            do {
                return try reader.requiredDouble(forKey: key)
            } catch {
                guard let integer = reader.int(forKey: key) else { throw error }
                return Double(integer)
            }
        }
    }

    /// A Boolean.
    package func bool(_ key: String) throws -> Bool? {
        try read(key, "true or false") { try reader.requiredBool(forKey: $0) }
    }

    /// A list of strings.
    package func stringArray(_ key: String) throws -> [String]? {
        try read(key, "a list of strings") { try reader.requiredStringArray(forKey: $0) }
    }

    /// The error for a key that is set but unusable: names the key and the source, never the value.
    package func invalid(_ key: String, _ reason: String) -> EventflowDBError {
        EventflowDBError(.configuration, "\(source): key \(scope).\(key) \(reason)", field: "\(scope).\(key)")
    }

    private func read<Value>(
        _ key: String, _ expected: String, isSecret: Bool = false, _ body: (ConfigKey) throws -> Value
    ) throws -> Value? {
        let configKey = ConfigKey(key)
        do {
            return try body(configKey)
        } catch {
            guard isSet(configKey, isSecret: isSecret) else { return nil }
            throw invalid(key, "must be \(expected)")
        }
    }

    /// Whether the key has a value of any type: a read of the wrong type and a missing key both
    /// fail alike, so this asks for each type the providers hold.
    private func isSet(_ key: ConfigKey, isSecret: Bool) -> Bool {
        reader.string(forKey: key, isSecret: isSecret) != nil || reader.int(forKey: key, isSecret: isSecret) != nil
            || reader.double(forKey: key, isSecret: isSecret) != nil
            || reader.bool(forKey: key, isSecret: isSecret) != nil
            || reader.stringArray(forKey: key, isSecret: isSecret) != nil
            || reader.intArray(forKey: key, isSecret: isSecret) != nil
            || reader.doubleArray(forKey: key, isSecret: isSecret) != nil
            || reader.boolArray(forKey: key, isSecret: isSecret) != nil
    }
}
