import Foundation
import HavenAPI
import HavenCore
import NIOCore

/// Decodes a request body as `T`, turning every failure into a stable 400 that names
/// where the body went wrong but never echoes a value from it.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from body: RequestBody?) throws(HavenError) -> T {
        guard let body, body.count > 0 else {
            throw HavenError(.invalidJSON, "this request needs a JSON body")
        }
        _ = try strictTree(body)
        do {
            // Decoded in place (no copy of the body), so wiping the body after the request
            // also wipes the only raw copy of any values it carried.
            return try body.withUnsafeBytes { raw in
                let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none)
                return try JSONDecoder().decode(T.self, from: data)
            }
        } catch let e as HavenError {
            throw e
        } catch let DecodingError.keyNotFound(key, context) {
            throw HavenError(.invalidJSON, "the request body is missing '\(path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw HavenError(.invalidJSON, "'\(path(context.codingPath))' in the request body has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw HavenError(.invalidJSON, "'\(path(context.codingPath))' in the request body must not be null")
        } catch {
            throw HavenError(.invalidJSON, "the request body is not valid JSON")
        }
    }

    /// The same checks and errors, read from that one pass (`TreeDecodable`).
    static func decode<T: Decodable & TreeDecodable>(_ type: T.Type, from body: RequestBody?) throws(HavenError) -> T {
        guard let body, body.count > 0 else {
            throw HavenError(.invalidJSON, "this request needs a JSON body")
        }
        return try T(tree: try strictTree(body))
    }

    /// Every body is first read by the strict reader: nesting bounded before anything
    /// recurses, a key named twice refused (readers disagree on which one wins), and
    /// anything that is not JSON (RFC 8259) refused — including what Foundation's decoder
    /// would let through, such as a trailing comma — so every endpoint accepts the same
    /// bodies whichever way it then reads them.
    private static func strictTree(_ body: RequestBody) throws(HavenError) -> JSONValue {
        try body.withUnsafeBytes { (raw) throws(HavenError) in try JSONDepth.check(raw) }
        var duplicate: String?
        let tree = body.withUnsafeBytes { JSONValue.parse($0, maximumDepth: JSONDepth.maximum + 1, duplicateKey: &duplicate) }
        if let key = duplicate {
            throw HavenError(.duplicateKey, "the request body names '\(NameRules.printable(key))' twice in one object",
                             hint: "send each key once")
        }
        guard let tree else { throw HavenError(.invalidJSON, "the request body is not valid JSON") }
        return tree
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let p = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return NameRules.printable(p.isEmpty ? "(body)" : p)
    }
}

/// Encodes an answer as JSON (API types are Codable with snake_case keys).
enum JSONAnswer {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own value types cannot fail; if it ever did, answer with a 500 body.
        guard let data = try? encoder.encode(value) else {
            return ErrorBody.json(HavenError(.internalError, "the answer could not be encoded"))
        }
        return [UInt8](data)
    }
}
