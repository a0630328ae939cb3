import Foundation
import HavenCore
import HavenCrypto
@testable import HavenWeb
import HavenTestSupport
import Testing

/// One-time invitations, as each attacker of them would try: redeemed twice, late, by two
/// browsers at once, with a guessed or garbled token, or with a passphrase too short to keep.
@Suite struct PeopleInvitationTests {
    @Test func anInvitationNamesItsPersonAndMakesTheirKeyOnce() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        #expect(token.utf8.count == 43 && token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(f.people.invitationName(token: token) == "noy")
        let (name, publicKey) = try f.people.redeem(token: token, passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        #expect(name == "noy" && f.people.publicKey(of: "noy") == publicKey)
        #expect(try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase)).publicKey == publicKey)
        // The key file is the person's alone, and nothing of the invitation is left.
        var st = stat()
        #expect(stat(f.dir.file("keys/people/noy.key"), &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(PeopleFiles.names(in: f.dir.file("keys/invitations")).isEmpty)
    }

    @Test func aSecondRedeemOfOneTokenIsRefused() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        let first = try f.people.redeem(token: token, passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        #expect(f.people.invitationName(token: token) == nil)
        #expect(throws: PeopleDirectory.invitationUnusable) {
            try f.people.redeem(token: token, passphrase: SecureBytes(utf8: "another long passphrase"))
        }
        // The key the first redeem made is the one that stays.
        #expect(f.people.publicKey(of: "noy") == first.publicKey)
    }

    @Test func anExpiredInvitationIsRefusedAndRemoved() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy", validFor: 3600)
        f.clock.advance(seconds: 3599)
        #expect(f.people.invitationName(token: token) == "noy")
        f.clock.advance(seconds: 1)
        #expect(f.people.invitationExpiry(token: token) == nil)
        #expect(throws: PeopleDirectory.invitationUnusable) {
            try f.people.redeem(token: token, passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        }
        #expect(PeopleFiles.names(in: f.dir.file("keys/invitations")).isEmpty)
        #expect(f.people.publicKey(of: "noy") == nil)
    }

    /// Expired while the person typed: the redeem itself says so, in plain words.
    @Test func anInvitationThatExpiresBeforeItsRedeemSaysSo() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy", validFor: 60)
        #expect(f.people.invitationName(token: token) == "noy")
        f.clock.advance(seconds: 61)
        #expect(throws: PeopleDirectory.invitationExpired) {
            try f.people.redeem(token: token, passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        }
        #expect(PeopleDirectory.invitationExpired.message.contains("expired"))
    }

    /// Eleven characters are refused (invalid_value) and cost the person nothing: the same
    /// invitation still works. Characters are Unicode scalars, so twelve Lao letters do.
    @Test func aShortPassphraseIsRefusedAndTheInvitationKept() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        for short in ["short pass!", "ນ້ຳຕົກຕາດ", "Hà Nội mưa"] {
            do {
                _ = try f.people.redeem(token: token, passphrase: SecureBytes(utf8: short))
                Issue.record("'\(short)' was taken")
            } catch {
                #expect(error.code == .invalidValue && !error.description.contains(short))
            }
        }
        #expect(f.people.invitationName(token: token) == "noy")
        _ = try f.people.redeem(token: token, passphrase: SecureBytes(utf8: "ສະບາຍດີປີໃໝ່ຂ້ອຍ"))  // 17 scalars
    }

    @Test func tokensThatAreNotAnInvitationsNameNothing() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        var other = Array(token)
        other[10] = other[10] == "A" ? "B" : "A"
        for guess in [String(other), token + "=", String(token.dropLast()), "", "../../people/noy", token.uppercased(),
                      String(repeating: "A", count: 43), token.replacingOccurrences(of: "-", with: "+")] where guess != token {
            #expect(f.people.invitationName(token: guess) == nil, "\(guess)")
            #expect(throws: PeopleDirectory.invitationUnusable, "\(guess)") {
                try f.people.redeem(token: guess, passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
            }
        }
        #expect(f.people.invitationName(token: token) == "noy")
    }

    /// The directory keeps a digest, never the token: a copy of it gives no link that works.
    @Test func onlyTheTokensDigestIsKept() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        let files = PeopleFiles.names(in: f.dir.file("keys/invitations"))
        #expect(files.count == 1 && files[0].hasSuffix(".json") && files[0].count == 64 + 5)
        #expect(!f.everyFileText().contains(token) && !files[0].contains(token))
        let bytes = try #require(try PeopleFiles.read(f.dir.file("keys/invitations/" + files[0])))
        #expect(PeopleDirectory.Invitation.parse(bytes)?.name == "noy")
    }

    @Test func aNameWithAKeyIsInvitedOnlyToReplaceIt() throws {
        let f = try PeopleFixture()
        let old = try f.person("noy")
        #expect(throws: HavenError.self) { try f.people.invite("noy") }
        let token = try f.people.invite("noy", replacing: true)
        let new = try f.people.redeem(token: token, passphrase: SecureBytes(utf8: "a new passphrase, remembered")).publicKey
        #expect(new != old && f.people.publicKey(of: "noy") == new)
        #expect(throws: PeopleDirectory.signInFailed) { try f.people.open(name: "noy", passphrase: SecureBytes(utf8: PeopleFixture.passphrase)) }
    }

    /// Two invitations of one name, not replacing: the second redeemed does not overwrite the first's key.
    @Test func aSecondInvitationOfOneNameDoesNotReplaceTheKeyQuietly() throws {
        let f = try PeopleFixture()
        let (a, b) = (try f.people.invite("noy"), try f.people.invite("noy"))
        let first = try f.people.redeem(token: a, passphrase: SecureBytes(utf8: PeopleFixture.passphrase)).publicKey
        #expect(throws: HavenError.self) { try f.people.redeem(token: b, passphrase: SecureBytes(utf8: "another long passphrase")) }
        #expect(f.people.publicKey(of: "noy") == first)
    }

    @Test func namesAreHavendsUserNames() throws {
        let f = try PeopleFixture()
        for bad in ["", "Noy", "../noy", "noy/x", "noy key", String(repeating: "n", count: 65), "ນ້ອຍ"] {
            #expect(throws: HavenError.self, "\(bad)") { try f.people.invite(bad) }
        }
        #expect(throws: HavenError.self) { try f.people.invite("noy", validFor: 0) }
        #expect(throws: HavenError.self) { try f.people.invite("noy", validFor: 72 * 3600 + 1) }
        _ = try f.people.invite("noy.phommachanh_2-b", validFor: 72 * 3600)
    }

    /// A planted invitation naming a path, or a name havend would refuse, is not one.
    @Test func aPlantedInvitationWithABadNameIsNotOne() throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        let file = f.dir.file("keys/invitations/" + PeopleFiles.names(in: f.dir.file("keys/invitations"))[0])
        try #"{"expires_at":"2030-01-01T00:00:00.000Z","name":"../evil","replacing":true}"#.write(toFile: file, atomically: false, encoding: .utf8)
        #expect(f.people.invitationName(token: token) == nil)
        #expect(throws: PeopleDirectory.invitationUnusable) {
            try f.people.redeem(token: token, passphrase: SecureBytes(utf8: PeopleFixture.passphrase))
        }
        #expect(!FileManager.default.fileExists(atPath: f.dir.file("keys/evil.key")))
    }

    /// Many browsers redeem one token at once: exactly one gets a key; the others are told
    /// the link does not work, and the key on disk is the winner's.
    @Test func concurrentRedeemsOfOneTokenHaveExactlyOneWinner() async throws {
        let f = try PeopleFixture()
        let token = try f.people.invite("noy")
        let people = f.people
        let outcomes = await withTaskGroup(of: PublicKey?.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try? people.redeem(token: token, passphrase: SecureBytes(utf8: "passphrase number \(i)")).publicKey
                }
            }
            var all: [PublicKey?] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let winners = outcomes.compactMap { $0 }
        #expect(winners.count == 1)
        #expect(f.people.publicKey(of: "noy") == winners.first)
        #expect(PeopleFiles.names(in: f.dir.file("keys/invitations")).isEmpty)
    }

    @Test func expiredInvitationsAreRemovedWhenSeen() throws {
        let f = try PeopleFixture()
        _ = try f.people.invite("noy", validFor: 60)
        _ = try f.people.invite("bounmy", validFor: 7200)
        f.clock.advance(seconds: 120)
        _ = try f.people.invite("ana")
        #expect(PeopleFiles.names(in: f.dir.file("keys/invitations")).count == 2)
    }
}
