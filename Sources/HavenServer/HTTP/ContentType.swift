import NIOHTTP1

/// The media type a request body must declare: JSON, and nothing that merely resembles it.
enum ContentType {
    static func isJSON(_ head: HTTPRequestHead) -> Bool {
        guard let type = head.headers.first(name: "content-type") else { return false }
        // An empty or odd header ("", ";") must not trap: take what precedes the first ';',
        // without surrounding blanks, and compare it ignoring ASCII case.
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let base = type.utf8.prefix { $0 != UInt8(ascii: ";") }.drop(while: blank).reversed().drop(while: blank).reversed()
        let expected = "application/json".utf8
        return base.count == expected.count
            && zip(base, expected).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
    }
}
