import Foundation
import HavenAPI
import HavenCore
@testable import HavenServer
import NIOCore
import Testing

/// Reads, creates and updates are read from the strict reader's tree (`TreeDecodable`),
/// every other request through `JSONDecoder`: for any body, both must accept the same
/// request or refuse it with the same code and words.
@Suite struct TreeDecodingTests {
    /// The same type, read the general way.
    struct ViaDecoder: Decodable {
        let request: ReadRecordRequest
        init(from decoder: any Decoder) throws { request = try ReadRecordRequest(from: decoder) }
    }

    static let bodies: [String] = [
        #"{"purpose":"weekly counselling session"}"#,
        #"{"purpose":"p","fields":["survivor_name","phone"],"break_glass":null,"notes_before":5,"notes_limit":20}"#,
        #" { "purpose" : "ນາງ \u0041\n" , "fields" : [ ] } "#,
        #"{"purpose":"p","fields":null,"notes_before":null,"notes_limit":null,"break_glass":"imminent danger"}"#,
        #"{"purpose":"p","notes_before":18446744073709551615}"#,
        #"{}"#,
        #"{"fields":["a"]}"#,
        #"{"purpose":null}"#,
        #"{"purpose":5}"#,
        #"{"purpose":["p"]}"#,
        #"{"purpose":"p","fields":"survivor_name"}"#,
        #"{"purpose":"p","fields":[1]}"#,
        #"{"purpose":"p","fields":["a",null]}"#,
        #"{"purpose":"p","break_glass":true}"#,
        #"{"purpose":"p","notes_before":"5"}"#,
        #"{"purpose":"p","notes_before":-1}"#,
        #"{"purpose":"p","notes_before":1.5}"#,
        #"{"purpose":"p","notes_before":1.0}"#,
        #"{"purpose":"p","notes_before":1e2}"#,
        #"{"purpose":"p","notes_before":-0}"#,
        #"{"purpose":"p","notes_limit":-5}"#,
        #"{"purpose":"p","notes_before":1.5e1}"#,
        #"{"purpose":"p","notes_before":-1e0}"#,
        #"{"purpose":"p","notes_limit":2E1}"#,
        #"{"purpose":"p","notes_before":1e30}"#,
        #"{"purpose":"p","notes_before":18446744073709551616}"#,
        #"{"purpose":"p","notes_limit":99999999999999999999}"#,
        #"{"purpose":"p","purpse":"x"}"#,
        #"{"purpose":"p","purpose":"q"}"#,
        #"{"purpose":"p","fields":[{"a":1,"a":2}]}"#,
        #"["purpose"]"#,
        #""purpose""#,
        #"null"#,
        #"{"purpose":"p"} x"#,
        #"{"purpose":"p""#,
        #"{"purpose":"\ud800"}"#,
        #"{"purpose":"p","fields":[[[[[[[[[[[[[[[[[["a"]]]]]]]]]]]]]]]]]]}"#,
        "",
    ]

    static func body(_ text: String) -> RequestBody? {
        guard !text.isEmpty else { return nil }
        let body = RequestBody(expected: text.utf8.count, maximum: 1 << 20)
        body.append(ByteBuffer(bytes: Array(text.utf8)))
        return body
    }

    static func outcome(_ decode: () throws(HavenError) -> ReadRecordRequest) -> String {
        do {
            let r = try decode()
            return "ok \(r.purpose)|\(r.fields ?? ["nil"])|\(r.breakGlass ?? "nil")|\(r.notesBefore.map(String.init) ?? "nil")|\(r.notesLimit.map(String.init) ?? "nil")"
        } catch {
            return "\(error.code) \(error.message) \(error.hint ?? "")"
        }
    }

    @Test(arguments: bodies)
    func bothReadersAgree(text: String) {
        let tree = Self.outcome { () throws(HavenError) in try JSONBody.decode(ReadRecordRequest.self, from: Self.body(text)) }
        let decoder = Self.outcome { () throws(HavenError) in try JSONBody.decode(ViaDecoder.self, from: Self.body(text)).request }
        #expect(tree == decoder, "\(text)")
    }

    struct CreateViaDecoder: Decodable {
        let request: CreateRecordRequest
        init(from decoder: any Decoder) throws { request = try CreateRecordRequest(from: decoder) }
    }

    struct UpdateViaDecoder: Decodable {
        let request: UpdateRecordRequest
        init(from decoder: any Decoder) throws { request = try UpdateRecordRequest(from: decoder) }
    }

    static let createBodies: [String] = [
        #"{"type":"gbv_incident","fields":{"survivor_name":"ນາງ ຄຳ","phone":"+856 20 5551 2345"},"assign":["counsellor-1"]}"#,
        #"{"type":"gbv_incident","fields":{},"assign":null}"#,
        #"{"fields":{"a":"b"}}"#,
        #"{"type":"t"}"#,
        #"{"type":"t","fields":null}"#,
        #"{"type":"t","fields":["a"]}"#,
        #"{"type":"t","fields":{"phone":5}}"#,
        #"{"type":"t","fields":{"phone":null}}"#,
        #"{"type":"t","fields":{"phone":"1","phone":"2"}}"#,
        #"{"type":"t","fields":{},"assign":"counsellor-1"}"#,
        #"{"type":"t","fields":{},"assign":[7]}"#,
        #"{"type":"t","fields":{},"asign":[]}"#,
        #"{"type":7,"fields":{}}"#,
    ]

    static let updateBodies: [String] = [
        #"{"fields":{"phone":"+856 20 5551 2345","address":"Ban Phonxay"}}"#,
        #"{"fields":{}}"#,
        #"{}"#,
        #"{"fields":null}"#,
        #"{"fields":{"phone":["x"]}}"#,
        #"{"fields":{"phone":"x"},"type":"t"}"#,
        #"[{"fields":{}}]"#,
    ]

    static func outcome<T>(_ decode: () throws(HavenError) -> T, _ describe: (T) -> String) -> String {
        do {
            return "ok " + describe(try decode())
        } catch {
            return "\(error.code) \(error.message) \(error.hint ?? "")"
        }
    }

    @Test(arguments: createBodies)
    func createsAgree(text: String) {
        let describe = { (r: CreateRecordRequest) in "\(r.type)|\(r.fields.sorted { $0.key < $1.key })|\(r.assign ?? ["nil"])" }
        let tree = Self.outcome({ () throws(HavenError) in try JSONBody.decode(CreateRecordRequest.self, from: Self.body(text)) }, describe)
        let decoder = Self.outcome({ () throws(HavenError) in try JSONBody.decode(CreateViaDecoder.self, from: Self.body(text)).request },
                                   describe)
        #expect(tree == decoder, "\(text)")
    }

    @Test(arguments: updateBodies)
    func updatesAgree(text: String) {
        let describe = { (r: UpdateRecordRequest) in "\(r.fields.sorted { $0.key < $1.key })" }
        let tree = Self.outcome({ () throws(HavenError) in try JSONBody.decode(UpdateRecordRequest.self, from: Self.body(text)) }, describe)
        let decoder = Self.outcome({ () throws(HavenError) in try JSONBody.decode(UpdateViaDecoder.self, from: Self.body(text)).request },
                                   describe)
        #expect(tree == decoder, "\(text)")
    }

    /// Foundation's decoder alone would accept a trailing comma, which is not JSON (RFC
    /// 8259); every body is read by the strict reader first, so both paths refuse it.
    @Test(arguments: [#"{"purpose":"p",}"#, #"{"purpose":"p","fields":["a",]}"#])
    func aTrailingCommaIsRefusedOnEitherPath(text: String) {
        let tree = Self.outcome { () throws(HavenError) in try JSONBody.decode(ReadRecordRequest.self, from: Self.body(text)) }
        let decoder = Self.outcome { () throws(HavenError) in try JSONBody.decode(ViaDecoder.self, from: Self.body(text)).request }
        #expect(tree.hasPrefix("invalidJSON the request body is not valid JSON"))
        #expect(decoder == tree)
    }

    /// Bytes that are not UTF-8 in a string are refused by both.
    @Test func invalidUTF8IsRefusedByBoth() {
        let bytes: [UInt8] = Array(#"{"purpose":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let make = { () -> RequestBody in
            let b = RequestBody(expected: bytes.count, maximum: 1 << 20)
            b.append(ByteBuffer(bytes: bytes))
            return b
        }
        let tree = Self.outcome { () throws(HavenError) in try JSONBody.decode(ReadRecordRequest.self, from: make()) }
        let decoder = Self.outcome { () throws(HavenError) in try JSONBody.decode(ViaDecoder.self, from: make()).request }
        #expect(tree == decoder)
        #expect(tree.hasPrefix("invalidJSON"))
    }
}
