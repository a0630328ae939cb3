import Foundation

/// Standard base64 with padding (RFC 4648 §4), strict on decode.
public enum Base64 {
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Data(bytes).base64EncodedString()
    }

    /// Decodes strict base64; nil for whitespace, bad characters or wrong padding.
    public static func decode(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text) else { return nil }
        let bytes = [UInt8](data)
        // Reject non-canonical encodings so that one value has one spelling in signed documents.
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
