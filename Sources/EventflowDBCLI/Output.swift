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
        var widths = ColumnWidths(header)
        for row in rows { widths.fit(row) }
        return ([widths.line(header)] + rows.map(widths.line)).joined(separator: "\n")
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

/// The widths of a table's columns, grown one row at a time: a table can be laid out in one
/// pass over its rows and printed in a second, without holding them.
struct ColumnWidths {
    private(set) var widths: [Int]

    init(_ header: [String]) {
        widths = header.map(\.count)
    }

    /// Widens the columns to fit `cells`.
    mutating func fit(_ cells: [String]) {
        for (index, cell) in cells.enumerated() where index < widths.count {
            widths[index] = max(widths[index], cell.count)
        }
    }

    /// One line of the table: every cell but the last padded to its column's width (a cell
    /// wider than its column is never cut).
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 || index >= widths.count
                ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
        }.joined(separator: "  ")
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
