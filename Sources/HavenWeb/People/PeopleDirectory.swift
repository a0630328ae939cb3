import Foundation
import HavenCore
import HavenCrypto
import HavenDesk

// A minimal stand-in with the interface the desk's people files offer; their own
// implementation replaces this file whole.

/// The desk's people: each person's signing key sealed under their passphrase, one-time
/// invitations, and each person's language.
public struct PeopleDirectory: Sendable {
    public let path: String
    static let vault = try! VaultID(String(repeating: "0", count: 32))

    public init(path: String) throws(HavenError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path + "/people", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: path + "/invitations", withIntermediateDirectories: true)
        } catch {
            throw HavenError(.ioError, "cannot use the keys directory \(path)")
        }
    }

    public func invite(_ name: String, validFor seconds: Int = 86_400) throws(HavenError) -> String {
        let token = Random.bytes(24).map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.createFile(atPath: path + "/invitations/" + token, contents: Data(name.utf8)) else {
            throw HavenError(.ioError, "cannot write the invitation")
        }
        return token
    }

    public func invitationName(token: String) -> String? {
        guard token.allSatisfy({ $0.isHexDigit }), !token.isEmpty,
              let data = FileManager.default.contents(atPath: path + "/invitations/" + token) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public func redeem(token: String, passphrase: SecureBytes) throws(HavenError) -> (name: String, publicKey: PublicKey) {
        guard let name = invitationName(token: token) else { throw HavenError(.notFound, "this invitation is not valid") }
        guard passphrase.count >= 12 else { throw HavenError(.invalidValue, "a passphrase needs at least 12 characters") }
        let key = SigningKey.generate()
        do {
            let root = try RootKey(material: key.seed())
            let seal = try PassphraseSeal.seal(root, passphrase: passphrase, vault: Self.vault, cost: .minimum)
            let data = seal.bytes.withUnsafeBytes { Data($0) }
            try data.write(to: URL(fileURLWithPath: path + "/people/" + name + ".key"))
            try FileManager.default.removeItem(atPath: path + "/invitations/" + token)
        } catch {
            throw HavenError(.ioError, "cannot keep the key")
        }
        return (name, key.publicKey)
    }

    public func open(name: String, passphrase: SecureBytes) throws(HavenError) -> SigningKey {
        let refused = HavenError(.authenticationFailed, "the name or the passphrase is wrong")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), !name.isEmpty,
              let data = FileManager.default.contents(atPath: path + "/people/" + name + ".key") else { throw refused }
        do {
            let bytes = try SecureBytes(count: data.count) { $0.copyBytes(from: data) }
            let root = try PassphraseSeal(bytes: bytes).open(passphrase: passphrase, vault: Self.vault)
            let seed = root.withUnsafeBytes { r in try! SecureBytes(count: r.count) { $0.copyMemory(from: r) } }
            return try SigningKey(seed: seed)
        } catch {
            throw refused
        }
    }

    public func publicKey(of name: String) -> PublicKey? { nil }

    public func language(of name: String) -> Language? {
        FileManager.default.contents(atPath: path + "/people/" + name + ".lang").flatMap { Language(rawValue: String(decoding: $0, as: UTF8.self)) }
    }

    public func setLanguage(_ language: Language, for name: String) throws(HavenError) {
        guard FileManager.default.createFile(atPath: path + "/people/" + name + ".lang", contents: Data(language.rawValue.utf8)) else {
            throw HavenError(.ioError, "cannot keep the language")
        }
    }
}
