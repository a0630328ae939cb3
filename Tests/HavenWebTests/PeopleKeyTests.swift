import Foundation
import Glibc
import HavenCore
import HavenCrypto
import HavenDesk
@testable import HavenWeb
import HavenTestSupport
import Testing

/// Sealed keys at sign-in, and the directory that holds them, as an attacker of each would
/// try: probing which names exist, planting or copying files, loosening the directory.
@Suite struct PeopleKeyTests {
    @Test func aPersonOpensTheirKeyWithTheirPassphrase() throws {
        let f = try PeopleFixture()
        let key = try f.person("noy")
        #expect(try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase)).publicKey == key)
        // One passphrase, two spellings of it (composed at a PC, decomposed on a tablet): one key.
        let decomposed = PeopleFixture.passphrase.decomposedStringWithCanonicalMapping
        #expect(Array(decomposed.utf8) != Array(PeopleFixture.passphrase.utf8))
        let typed = try #require(PeopleDirectory.passphrase(typed: decomposed))
        #expect(try f.people.open(name: "noy", passphrase: typed).publicKey == key)
        #expect(PeopleDirectory.passphrase(typed: "") == nil)
    }

    /// Whoever asks learns nothing of which names have keys: an unknown name, a name havend
    /// would refuse and a wrong passphrase are one error, in the same words.
    @Test func anUnknownNameAndAWrongPassphraseAreTheSameError() throws {
        let f = try PeopleFixture()
        try f.person("noy")
        var errors: [HavenError] = []
        for (name, passphrase) in [("noy", "not the passphrase at all"), ("bounmy", PeopleFixture.passphrase),
                                   ("bounmy", "not the passphrase at all"), ("../people/noy", PeopleFixture.passphrase),
                                   ("", PeopleFixture.passphrase)] {
            do {
                _ = try f.people.open(name: name, passphrase: SecureBytes(utf8: passphrase))
                Issue.record("\(name) opened")
            } catch {
                errors.append(error)
                #expect(!error.description.contains(passphrase) && !error.description.contains("noy"))
            }
        }
        #expect(errors.count == 5 && Set(errors.map(\.description)).count == 1 && errors.allSatisfy { $0 == errors[0] })
        #expect(errors[0].code == .authenticationFailed)
    }

    /// Someone who can write the directory copies their own key file over another person's:
    /// it does not open under that name, with their passphrase or any other.
    @Test func aKeyFileCopiedToAnotherNameDoesNotOpen() throws {
        let f = try PeopleFixture()
        try f.person("mallory", passphrase: "mallory's own long passphrase")
        try f.person("noy")
        let people = f.dir.file("keys/people/")
        _ = unlink(people + "noy.key")
        #expect(copyfile(people + "mallory.key", people + "noy.key"))
        #expect(throws: PeopleDirectory.signInFailed) {
            try f.people.open(name: "noy", passphrase: SecureBytes(utf8: "mallory's own long passphrase"))
        }
        #expect(throws: PeopleDirectory.signInFailed) { try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase)) }
    }

    /// A key file others may read is refused by name, for the operator to fix.
    @Test func aKeyFileOthersMayReadIsRefused() throws {
        let f = try PeopleFixture()
        try f.person("noy")
        chmod(f.dir.file("keys/people/noy.key"), 0o644)
        #expect(throws: HavenError.self) { try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase)) }
        do {
            _ = try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        } catch {
            #expect(error.code == .ioError && error.hint?.contains("chmod 600") == true)
        }
    }

    @Test(arguments: ["", "/people", "/invitations"])
    func aDirectoryGroupOrOthersMayWriteIsRefused(part: String) throws {
        let f = try PeopleFixture()
        let path = f.dir.file("keys") + part
        chmod(path, 0o770)
        do {
            _ = try PeopleDirectory(path: f.dir.file("keys"), cost: .minimum, clock: f.clock)
            Issue.record("\(path) was accepted at mode 770")
        } catch {
            #expect(error.code == .ioError && error.message.contains("group or others may write") && error.hint == "run 'chmod 700 \(path)'")
        }
        chmod(path, 0o702)
        #expect(throws: HavenError.self) { try PeopleDirectory(path: f.dir.file("keys"), cost: .minimum, clock: f.clock) }
        chmod(path, 0o750)
        _ = try PeopleDirectory(path: f.dir.file("keys"), cost: .minimum, clock: f.clock)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give a directory to another user"))
    func aDirectoryOwnedByAnotherUserIsRefused() throws {
        let f = try PeopleFixture()
        chown(f.dir.file("keys/people"), 65534, 65534)
        #expect(throws: HavenError.self) { try PeopleDirectory(path: f.dir.file("keys"), cost: .minimum, clock: f.clock) }
    }

    @Test func theDirectoriesAreMadePrivate() throws {
        let f = try PeopleFixture()
        for part in ["keys", "keys/people", "keys/invitations"] {
            var st = stat()
            #expect(lstat(f.dir.file(part), &st) == 0 && st.st_mode & 0o777 == 0o700, "\(part)")
        }
        // A link where people/ should be is not followed.
        let g = TemporaryDirectory("haven-people")
        mkdir(g.file("keys"), 0o700)
        symlink(f.dir.file("keys/people"), g.file("keys/people"))
        #expect(throws: HavenError.self) { try PeopleDirectory(path: g.file("keys"), cost: .minimum, clock: f.clock) }
    }

    @Test func thePublicKeyIsReadWithoutThePassphrase() throws {
        let f = try PeopleFixture()
        let key = try f.person("noy")
        #expect(f.people.publicKey(of: "noy") == key)
        #expect(f.people.publicKey(of: "bounmy") == nil && f.people.publicKey(of: "../noy") == nil)
    }

    @Test func eachPersonsLanguageIsRemembered() throws {
        let f = try PeopleFixture()
        try f.person("noy")
        #expect(f.people.language(of: "noy") == nil)
        try f.people.setLanguage(.lo, for: "noy")
        #expect(f.people.language(of: "noy") == .lo)
        try f.people.setLanguage(.vi, for: "noy")
        #expect(f.people.language(of: "noy") == .vi)
        #expect(throws: HavenError.self) { try f.people.setLanguage(.vi, for: "bounmy") }
        #expect(throws: HavenError.self) { try f.people.setLanguage(.vi, for: "../noy") }
        try "xx\n".write(toFile: f.dir.file("keys/people/noy.lang"), atomically: false, encoding: .utf8)
        #expect(f.people.language(of: "noy") == nil)
    }

    @Test func aForgottenPersonCannotSignInAndLeavesNothing() throws {
        let f = try PeopleFixture()
        try f.person("noy")
        try f.people.setLanguage(.lo, for: "noy")
        let pending = try f.people.invite("noy", replacing: true)
        try f.people.forget("noy")
        #expect(throws: PeopleDirectory.signInFailed) { try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase)) }
        #expect(f.people.invitationName(token: pending) == nil && f.people.language(of: "noy") == nil)
        #expect(PeopleFiles.names(in: f.dir.file("keys/people")).isEmpty && PeopleFiles.names(in: f.dir.file("keys/invitations")).isEmpty)
        #expect(throws: HavenError.self) { try f.people.forget("noy") }
    }

    /// Neither the passphrase nor the key is ever on disk in the clear.
    @Test func noPassphraseOrKeyIsOnDisk() throws {
        let f = try PeopleFixture()
        try f.person("noy")
        let key = try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        let text = f.everyFileText()
        let seed = key.seed().withUnsafeBytes { Array($0) }
        #expect(!text.contains(PeopleFixture.passphrase) && !text.contains("Hà Nội"))
        #expect(!text.contains(Base64.encode(seed)) && !text.contains(Hex.encode(seed)))
        let raw = try Data(contentsOf: URL(fileURLWithPath: f.dir.file("keys/people/noy.key")))
        #expect(raw.range(of: Data(seed)) == nil)
    }

    private func copyfile(_ from: String, _ to: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: from) else { return false }
        return FileManager.default.createFile(atPath: to, contents: data, attributes: [.posixPermissions: 0o600])
    }
}
