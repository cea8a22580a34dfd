import EventflowDB
import Foundation
import Testing

@Suite("JSON value")
struct JSONValueTests {
    @Test(
        "text parses to the value and the value writes back to equal text",
        arguments: [
            #"{}"#, #"[]"#, #"null"#, #"true"#, #"false"#, #"0"#, #"-12"#, #"9223372036854775807"#, #"1.5"#, #"-0.001"#,
            #"1e+20"#, #""héllo 😀""#, #"{"a":[1,2,{"b":null}],"c":"\"quoted\"\n"}"#, #""\u0000\u001f""#,
        ])
    func roundTripsText(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }

    @Test("integers stay integers and other numbers stay doubles")
    func numbers() throws {
        #expect(try JSONValue(parsing: "42") == .integer(42))
        #expect(try JSONValue(parsing: "42.0") == .double(42))
        #expect(try JSONValue(parsing: "1e2") == .double(100))
        #expect(try JSONValue(parsing: "92233720368547758070") == .double(Double("92233720368547758070")!))
        #expect(JSONValue.double(0.1).jsonText == "0.1")
        #expect(JSONValue.integer(-7).jsonText == "-7")
    }

    @Test("integer extremes stay integers; one past them becomes a double")
    func integerEdges() throws {
        #expect(try JSONValue(parsing: "-9223372036854775808") == .integer(.min))
        #expect(try JSONValue(parsing: "9223372036854775807") == .integer(.max))
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue(parsing: "-0") == .integer(0))
    }

    @Test("bytes that are not UTF-8 are rejected")
    func invalidUTF8() throws {
        #expect(throws: EventflowDBError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22] as [UInt8]) }
        #expect(throws: EventflowDBError.self) {
            try JSONValue(parsing: [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D] as [UInt8])
        }
        #expect(try JSONValue(parsing: Array(#"{"é":"😀"}"#.utf8)) == ["é": "😀"])
    }

    @Test("escapes and surrogate pairs decode to the right characters")
    func escapes() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00 \u00e9 \/ \t""#) == .string("😀 é / \t"))
    }

    @Test(
        "malformed JSON is rejected with INVALID_INPUT",
        arguments: [
            "", "{", "[1,]", "{\"a\"}", "01", "1.", "-", "tru", "\"unterminated", "\"\u{01}\"", "[1] [2]", "NaN",
            "\"\\ud800\"", "{\"a\":1,}", "\"\\x\"",
        ])
    func rejectsMalformed(text: String) {
        #expect(throws: EventflowDBError.self) { try JSONValue(parsing: text) }
    }

    @Test("nesting deeper than 32 levels is rejected, 32 is accepted")
    func depth() throws {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        #expect(throws: EventflowDBError.self) { try JSONValue(parsing: deep) }
    }

    @Test("object keys are written sorted, so equal values give equal text")
    func sortedKeys() {
        let value: JSONValue = ["b": 1, "a": 2, "c": ["z": true, "y": false]]
        #expect(value.jsonText == #"{"a":2,"b":1,"c":{"y":false,"z":true}}"#)
    }

    @Test("JSONValue is Codable through Foundation's coders")
    func codable() throws {
        let value: JSONValue = ["list": [1, 2.5, "x", nil, true], "object": ["k": "v"]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}

@Suite("Typed payloads and the original's tags")
struct TypedPayloadTests {
    struct Order: Codable, Equatable {
        var sku: String
        var quantity: Int
        var placed: Date
    }

    @Test("a Codable payload encodes to a JSON value and decodes back")
    func codableRoundTrip() throws {
        let order = Order(sku: "A-1", quantity: 3, placed: Date(timeIntervalSince1970: 1_767_323_045.678))
        let value = try JSONValue(encoding: order)
        #expect(value["placed"] == "2026-01-02T03:04:05.678Z")
        #expect(try value.decode(Order.self) == order)
    }

    @Test("dates can be written in the original's tagged form, and are read back from it")
    func taggedDates() throws {
        let order = Order(sku: "A-1", quantity: 3, placed: Date(timeIntervalSince1970: 1_767_323_045.678))
        let value = try JSONValue(encoding: order, taggedDates: true)
        #expect(value["placed"] == ["$type": "Date", "$value": "2026-01-02T03:04:05.678Z"])
        #expect(try value.decode(Order.self) == order)
    }

    @Test("a payload of the wrong shape fails to decode with INVALID_INPUT")
    func wrongShape() {
        let value: JSONValue = ["sku": 1]
        #expect(throws: EventflowDBError.self) { try value.decode(Order.self) }
    }

    @Test("tagged Date, Map, Set and Error written by Node.js are read")
    func readsTags() throws {
        let data = try JSONValue(
            parsing: """
                {"when":{"$type":"Date","$value":"2026-01-02T03:04:05.678Z"},
                 "map":{"$type":"Map","$value":[["a",1],[{"k":2},[3]]]},
                 "set":{"$type":"Set","$value":[1,"two"]},
                 "error":{"$type":"Error","$value":{"name":"TypeError","message":"bad thing","code":"E_X"}},
                 "plain":{"$type":"Date"}}
                """)
        #expect(data["when"]?.tagged == .date(Date(timeIntervalSince1970: 1_767_323_045.678)))
        #expect(data["when"]?.dateValue == Date(timeIntervalSince1970: 1_767_323_045.678))
        #expect(data["map"]?.tagged == .map([.init(key: "a", value: 1), .init(key: ["k": 2], value: [3])]))
        #expect(data["set"]?.tagged == .set([1, "two"]))
        guard case .error(let error)? = data["error"]?.tagged else {
            Issue.record("not read as an error")
            return
        }
        #expect(error.name == "TypeError" && error.message == "bad thing" && error.properties["code"] == "E_X")
        #expect(data["plain"]?.tagged == nil)
        #expect(data.untagged["set"] == [1, "two"])
        #expect(data.untagged["when"] == "2026-01-02T03:04:05.678Z")
    }

    @Test("tagging a value writes the original's form")
    func writesTags() {
        #expect(JSONValue(tagging: .set([1])) == ["$type": "Set", "$value": [1]])
        #expect(JSONValue(tagging: .map([.init(key: "a", value: 1)])) == ["$type": "Map", "$value": [["a", 1]]])
        #expect(
            JSONValue(tagging: .error(.init(name: "Error", message: "m"))) == [
                "$type": "Error", "$value": ["name": "Error", "message": "m"],
            ])
    }
}
