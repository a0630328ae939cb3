import Foundation
import HavenCore
import Testing

@Suite struct JSONReaderTests {
    func parse(_ text: String) -> JSONValue? { JSONValue.parse(Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let v = try #require(parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "ນາງ \"x\" \\ \/ \u00e9 \ud83d\ude00 \n"}} "#))
        #expect(v["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(v["b"]?["c"]?.string == "ນາງ \"x\" \\ / é 😀 \n")
        #expect(parse("0")?.uint64 == 0 && parse("18446744073709551615")?.uint64 == UInt64.max)
        #expect(parse("18446744073709551616")?.uint64 == nil && parse("-1")?.uint64 == nil && parse("1.0")?.uint64 == nil)
        #expect(parse("{}") == .object([]) && parse("[]") == .array([]) && parse(#""""#) == .string(""))
    }

    @Test func refusesWhatAStrictReaderShould() {
        let bad = [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "-", "1.", "1e", ".5", "+1",
            "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "\"tab\there\"", "{\"a\":1,\"a\":2}", "[1] [2]", "1 x", "'a'", "NaN", "[\u{0}]",
        ]
        for text in bad { #expect(parse(text) == nil, "accepted \(text.debugDescription)") }
        #expect(JSONValue.parse([0x22, 0xFF, 0x22]) == nil)           // invalid UTF-8
        #expect(JSONValue.parse([0x22, 0xC0, 0xAF, 0x22]) == nil)     // overlong encoding
        #expect(parse(String(repeating: "[", count: 40) + String(repeating: "]", count: 40)) == nil)
        #expect(parse(String(repeating: "[", count: 20) + String(repeating: "]", count: 20)) != nil)
    }

    /// Differential: over many mutations of a real header, whatever this reader accepts,
    /// Foundation's parser accepts too, with the same strings and numbers.
    @Test func agreesWithFoundationOnMutatedHeaders() throws {
        var header = RecordHeader(id: RecordID(bytes: Array(0..<16)), type: try RecordTypeName("gbv_incident"),
                                  agency: try AgencyName("ossc-vte"), createdAt: Timestamp(millisecondsSinceEpoch: 1_790_000_000_123),
                                  createdBy: try UserName("alice"), assignees: [try UserName("bob")],
                                  fieldVersions: [try FieldName("survivor_name"): 2])
        header.consent.append(ConsentEvent(flag: .counselling, kind: .grant, recordedBy: try UserName("alice"),
                                           recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_001_000),
                                           evidence: "ແບບຟອມ \"7\"\tký tên\u{1}"))
        let original = header.canonicalJSON()
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = Mix(state: seed)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(Array(#"{}[]",:\0e-."#.utf8).randomElement(using: &rng)!, at: i)
                }
            }
            guard let mine = JSONValue.parse(bytes) else { continue }
            accepted += 1
            let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(theirs != nil, "seed \(seed): accepted what Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
            if let theirs, let id = (theirs as? [String: Any])?["id"] as? String { #expect(mine["id"]?.string == id) }
        }
        #expect(accepted > 100)
        #expect(try RecordHeader(canonicalJSON: original) == header)
    }
}

/// Every reader of Haven's documents asks for duplicate keys first (readers disagree on
/// which one wins), so the answer must be exact: the first key seen twice in one object.
@Suite struct DuplicateKeyTests {
    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "a"),
        (#"{"payload":"x","payloadType":"t","payload":"y"}"#, "payload"),
        (#"{"outer":{"k":1,"k":2}}"#, "k"),
        (#"[{"x":1},{"x":1,"y":2,"y":3}]"#, "y"),
        (#"{"a\u0062":1,"ab":2}"#, "ab"),
    ])
    func theFirstDuplicateIsNamed(json: String, key: String) {
        #expect(JSONValue.firstDuplicateKey(in: Array(json.utf8)) == key)
    }

    /// Small objects are checked key by key and large ones with a set: a duplicate is found
    /// on either side of the switch, and in a parse as in the duplicate-only pass.
    @Test(arguments: [2, 15, 16, 17, 40])
    func duplicatesInObjectsOfAnySize(members: Int) {
        let keys = (0..<members).map { "k\($0)" }
        let unique = "{" + keys.map { #""\#($0)":1"# }.joined(separator: ",") + "}"
        #expect(JSONValue.firstDuplicateKey(in: Array(unique.utf8)) == nil)
        #expect(JSONValue.parse(Array(unique.utf8))?.members?.count == members)
        for repeated in [keys[0], keys[members / 2], keys[members - 1]] {
            let json = String(unique.dropLast()) + #","\#(repeated)":2}"#
            #expect(JSONValue.firstDuplicateKey(in: Array(json.utf8)) == repeated)
            var found: String?
            let tree = Array(json.utf8).withUnsafeBytes { JSONValue.parse($0, maximumDepth: 8, duplicateKey: &found) }
            #expect(tree == nil)
            #expect(found == repeated)
        }
    }

    /// ASCII strings skip validation; anything else is still validated as UTF-8.
    @Test func stringsAreValidatedUnlessASCII() {
        #expect(JSONValue.parse(Array(#"["abc","ນາງ"]"#.utf8)) == .array([.string("abc"), .string("ນາງ")]))
        #expect(JSONValue.parse([0x5B, 0x22, 0x61, 0xC3, 0x22, 0x5D]) == nil)  // ["a<truncated é>"]
        #expect(JSONValue.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D]) == nil)
        #expect(JSONValue.parse([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]) == nil)  // an encoded surrogate
    }

    @Test(arguments: [#"{"a":1,"b":{"a":2}}"#, #"[{"a":1},{"a":2}]"#, "not json", #"{"a":1"#, "[]"])
    func noDuplicateIsNoAnswer(json: String) {
        #expect(JSONValue.firstDuplicateKey(in: Array(json.utf8)) == nil)
    }
}

/// SplitMix64: seeded, so a failing mutation can be replayed from the seed in its message.
struct Mix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
