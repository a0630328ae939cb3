import Foundation
import HavenCore
import HavenCrypto
@testable import HavenWeb
import HavenTestSupport

/// A clock the test moves by hand, for invitations' expiry without waiting.
final class PeopleTestClock: HavenClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Timestamp(millisecondsSinceEpoch: 1_796_000_000_000)

    func now() -> Timestamp {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(seconds: Int) {
        lock.lock()
        defer { lock.unlock() }
        current = current.adding(milliseconds: Int64(seconds) * 1000)
    }
}

/// A people directory of a test's own, with the cheapest Argon2id costs libsodium allows.
struct PeopleFixture {
    let dir = TemporaryDirectory("haven-people")
    let clock = PeopleTestClock()
    let people: PeopleDirectory

    init() throws {
        people = try PeopleDirectory(path: dir.file("keys"), cost: .minimum, clock: clock)
    }

    static let passphrase = "ນ້ຳຕົກຕາດ Hà Nội mưa"

    /// A person with a key at the desk, made through an invitation as the desk makes one.
    @discardableResult
    func person(_ name: String, passphrase: String = Self.passphrase) throws -> PublicKey {
        let token = try people.invite(name)
        return try people.redeem(token: token, passphrase: SecureBytes(utf8: passphrase)).publicKey
    }

    /// Every byte of every file under the keys directory, to search for what must never be there.
    func everyFileText() -> String {
        let root = dir.file("keys")
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.compactMap { FileManager.default.contents(atPath: root + "/" + $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }
}
