import Foundation
import HavenCore
import HavenCrypto

extension PeopleDirectory {
    /// A pending invitation as `invitations/DIGEST.json` holds it: whose it is, until when,
    /// and whether it may replace a key the person has. The token itself is never stored:
    /// the file's name is the SHA-256 of the token's 32 bytes, so a copy of the directory
    /// gives no link that works, and a token names its file without a search.
    struct Invitation: Codable, Equatable {
        let name: String
        let expiresAt: Timestamp
        let replacing: Bool

        enum CodingKeys: String, CodingKey {
            case name
            case expiresAt = "expires_at"
            case replacing
        }

        func json() -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            // Cannot fail: a string, a timestamp and a flag.
            return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
        }

        /// The invitation a file holds, if it is one whose name havend would accept.
        static func parse(_ bytes: [UInt8]) -> Invitation? {
            guard let invitation = try? JSONDecoder().decode(Invitation.self, from: Data(bytes)),
                  NameRules.isValid(invitation.name) else { return nil }
            return invitation
        }
    }

    /// The token in an invitation link: 32 random bytes in base64url without padding (43
    /// characters, safe in a URL path).
    enum InvitationToken {
        static let byteCount = 32
        static let textCount = 43

        /// A fresh token and the hex digest that names its file.
        static func make() -> (token: String, digest: String) {
            let bytes = Random.bytes(byteCount)
            let token = Base64.encode(bytes).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            return (token, Hex.encode(SHA256.hash(bytes)))
        }

        /// The hex digest of a token's bytes; nil for anything that is not a token's exact spelling.
        static func digest(of token: String) -> String? {
            guard token.utf8.count == textCount,
                  token.utf8.allSatisfy({ b in Self.alphabet.contains(b) }) else { return nil }
            let standard = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
            guard let bytes = Base64.decode(standard), bytes.count == byteCount else { return nil }
            return Hex.encode(SHA256.hash(bytes))
        }

        private static let alphabet = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8))
    }
}
