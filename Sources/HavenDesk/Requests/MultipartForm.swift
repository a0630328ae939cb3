/// A `multipart/form-data` body split into its parts (RFC 7578), without I/O: the front
/// hands it the whole body, already held to the desk's size limit.
///
/// Written for a hostile sender: every length is bounded (parts, header lines, header
/// bytes), a part without a name or a body without its closing delimiter is refused
/// rather than guessed at, and a file's name is read only to know the part is a file,
/// never kept: a name like "medical-report-<survivor>.pdf" is a survivor's data.
public struct MultipartForm: Sendable {
    /// One part: a text field's value, or a file's bytes (which the front hashes and drops).
    public struct Part: Sendable, Equatable {
        public let name: String
        /// True when the part came with a `filename` parameter (a file input).
        public let isFile: Bool
        public let body: [UInt8]
    }

    /// Why a body was refused.
    public enum Failure: Error, Equatable, Sendable {
        case noBoundary, badBoundary, noOpeningDelimiter, unterminated, headerTooLong, tooManyParts, noName, badHeader
    }

    /// At most this many parts: a consent form has a handful.
    public static let maximumParts = 64
    /// At most this many header bytes per part.
    public static let maximumHeaderBytes = 4096

    public let parts: [Part]

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header.
    public static func boundary(contentType: String) throws(Failure) -> String {
        let pieces = contentType.split(separator: ";").map { $0.trimmedOf(" \t") }
        guard pieces.first?.lowercased() == "multipart/form-data" else { throw .noBoundary }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters of a restricted set.
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ")
            guard (1...70).contains(value.count), value.allSatisfy({ allowed.contains($0) }), value.last != " " else { throw .badBoundary }
            return value
        }
        throw .noBoundary
    }

    /// Splits `body` at `boundary`.
    public init(body: [UInt8], boundary: String) throws(Failure) {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter may open the body or follow a preamble ending in CRLF.
        var cursor: Int
        if body.starts(with: delimiter) {
            cursor = delimiter.count
        } else if let found = Self.find(crlf + delimiter, in: body, from: 0) {
            cursor = found + crlf.count + delimiter.count
        } else {
            throw .noOpeningDelimiter
        }
        var parts: [Part] = []
        let next = crlf + delimiter
        while true {
            // After a delimiter: "--" closes the body; otherwise CRLF and a part follow.
            if body[cursor...].starts(with: [45, 45]) { break }
            guard body[cursor...].starts(with: crlf) else { throw .unterminated }
            cursor += 2
            guard parts.count < Self.maximumParts else { throw .tooManyParts }
            guard let headerEnd = Self.find(crlf + crlf, in: body, from: cursor, limit: Self.maximumHeaderBytes) else {
                throw Self.find(crlf + crlf, in: body, from: cursor) == nil ? .unterminated : .headerTooLong
            }
            let header = try Self.disposition(Array(body[cursor..<headerEnd]))
            let start = headerEnd + 4
            guard let end = Self.find(next, in: body, from: start) else { throw .unterminated }
            parts.append(Part(name: header.name, isFile: header.isFile, body: Array(body[start..<end])))
            cursor = end + next.count
        }
        self.parts = parts
    }

    /// The `name` of a part's Content-Disposition and whether it carries a file name.
    static func disposition(_ header: [UInt8]) throws(Failure) -> (name: String, isFile: Bool) {
        guard let text = String(validating: header, as: UTF8.self) else { throw .badHeader }
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { throw .badHeader }
            guard pair[0].trimmedOf(" \t").lowercased() == "content-disposition" else { continue }
            let params = Self.parameters(String(pair[1]))
            guard params.first?.key == "form-data" else { throw .badHeader }
            guard let name = params.first(where: { $0.key == "name" })?.value, !name.isEmpty else { throw .noName }
            return (name, params.contains { $0.key == "filename" || $0.key == "filename*" })
        }
        throw .noName
    }

    /// `form-data; name="a"; filename="b"` as ordered key/value pairs (quoted strings
    /// may hold `;`, and `\"` inside them).
    static func parameters(_ value: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        var key = "", current = "", inQuotes = false, escaped = false, sawEquals = false
        func flush() {
            let k = (sawEquals ? key : current).trimmedOf(" \t").lowercased()
            let v = sawEquals ? current : ""
            if !k.isEmpty { out.append((k, sawEquals ? v : "")) }
            key = ""; current = ""; sawEquals = false
        }
        for ch in value {
            if inQuotes {
                if escaped { current.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inQuotes = false } else { current.append(ch) }
            } else if ch == "\"" && sawEquals {
                inQuotes = true
            } else if ch == ";" {
                flush()
            } else if ch == "=" && !sawEquals {
                key = current; current = ""; sawEquals = true
            } else if !(sawEquals && current.isEmpty && (ch == " " || ch == "\t")) {
                current.append(ch)
            }
        }
        flush()
        return out
    }

    /// The first index of `needle` in `haystack` at or after `from` (and, with `limit`,
    /// starting within `limit` bytes of it).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, limit: Int? = nil) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var last = haystack.count - needle.count
        if let limit { last = min(last, from + limit) }
        guard from <= last else { return nil }
        let first = needle[0]
        var i = from
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

private extension String {
    func trimmedOf(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

private extension Substring {
    func trimmedOf(_ set: String) -> String { String(self).trimmedOf(set) }
}
