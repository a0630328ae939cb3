import HavenCore
import HavenCrypto

/// Random tokens for the desk's cookies and forms, and their comparison.
enum CSRFToken {
    /// 32 random bytes, base64url without padding (cookie- and form-safe).
    static func random() -> String {
        base64url(Random.bytes(32))
    }

    /// True when `offered` is `expected`, compared in time that does not depend on where
    /// they differ (both are hashed first, so their lengths do not show either).
    static func matches(_ offered: String?, _ expected: String?) -> Bool {
        guard let offered, let expected, !expected.isEmpty else { return false }
        let a = SHA256.hash(Array(offered.utf8)), b = SHA256.hash(Array(expected.utf8))
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        var text = Base64.encode(bytes)
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
