import ArgumentParser
import EventflowDB
import Foundation

/// Text output helpers: aligned tables, UTC times, JSON lines.
enum Output {
    static func time(_ date: Date?) -> String {
        date.map { ISO8601Milliseconds.string(from: $0) } ?? "-"
    }

    /// Columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// Shortens text for a table cell.
    static func clip(_ text: String, _ length: Int = 60) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    static func json(_ event: Event) -> String {
        let object: JSONValue = [
            "id": .string(event.id), "timestamp": .string(time(event.timestamp)), "domain": .string(event.domain),
            "rid": event.rid.map(JSONValue.string) ?? .null, "pid": .string(event.pid), "name": .string(event.name),
            "data": event.data,
        ]
        return object.jsonText
    }
}

/// A time on the command line: ISO 8601 (`2026-01-02T03:04:05Z`, milliseconds optional), a UTC
/// day (`2026-01-02`), or an age before now (`90s`, `15m`, `2h`, `7d`).
struct TimeArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        if let date = ISO8601Milliseconds.date(from: argument) {
            self.date = date
        } else if argument.count == 10, let date = ISO8601Milliseconds.date(from: argument + "T00:00:00Z") {
            self.date = date
        } else if let unit = argument.last, let amount = Double(argument.dropLast()), amount >= 0 {
            let seconds: Double
            switch unit {
            case "s": seconds = amount
            case "m": seconds = amount * 60
            case "h": seconds = amount * 3600
            case "d": seconds = amount * 86_400
            default: return nil
            }
            self.date = Date().addingTimeInterval(-seconds)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
