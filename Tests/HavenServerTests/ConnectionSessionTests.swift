import HavenCore
@testable import HavenServer
@testable import HavenVault
import Testing

/// A connection's authentication state, without a socket: a challenge answered once, a
/// session that ends when the vault is sealed or the connection closes.
@Suite struct ConnectionSessionTests {
    static func challenge(_ nonce: String) -> AuthChallenge {
        AuthChallenge(nonce: nonce, issuedAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
    }

    static func user(_ name: String) throws -> EnrolledUser {
        EnrolledUser(name: try UserName(name), role: try RoleName("caseworker"), agency: try AgencyName("ossc-vientiane"),
                     publicKey: [UInt8](repeating: 7, count: 32), uid: nil,
                     createdAt: Timestamp(millisecondsSinceEpoch: 0), createdBy: try UserName("admin"))
    }

    @Test func aChallengeIsTakenOnce() {
        var session = ConnectionSession()
        let none = session.takeChallenge()
        #expect(none == nil, "nothing was issued")
        session.issue(Self.challenge("n1"))
        let first = session.takeChallenge()
        let second = session.takeChallenge()
        #expect(first?.nonce == "n1")
        #expect(second == nil, "a second answer finds no challenge")
        #expect(session.challenge == nil)
    }

    @Test func aNewChallengeReplacesTheEarlierOne() {
        var session = ConnectionSession()
        session.issue(Self.challenge("n1"))
        session.issue(Self.challenge("n2"))
        let first = session.takeChallenge()
        let second = session.takeChallenge()
        #expect(first?.nonce == "n2")
        #expect(second == nil, "the earlier challenge cannot be answered either")
    }

    @Test func noUserBeforeASessionOpens() {
        var session = ConnectionSession()
        #expect(!session.isOpen)
        let open = session.user(inGeneration: 0)
        let sealed = session.user(inGeneration: nil)
        #expect(open == nil)
        #expect(sealed == nil)
    }

    @Test func anOpenSessionHoldsItsUserWhileTheVaultStaysOpen() throws {
        var session = ConnectionSession()
        let user = try Self.user("noy")
        session.open(user, generation: 3)
        #expect(session.isOpen)
        let first = session.user(inGeneration: 3)
        let second = session.user(inGeneration: 3)
        #expect(first == user)
        #expect(second == user, "reading the user does not end the session")
    }

    @Test func sealingEndsTheSessionForGood() throws {
        var session = ConnectionSession()
        session.open(try Self.user("noy"), generation: 3)
        let sealed = session.user(inGeneration: nil)
        #expect(sealed == nil, "the vault is sealed")
        #expect(!session.isOpen)
        let reopened = session.user(inGeneration: 3)
        #expect(reopened == nil, "a session once ended does not come back")
    }

    @Test func aSessionOfAnEarlierOpeningHasEnded() throws {
        var session = ConnectionSession()
        session.open(try Self.user("noy"), generation: 3)
        // Sealed and unsealed again between two requests: the connection never saw it sealed.
        let next = session.user(inGeneration: 4)
        #expect(next == nil)
        #expect(!session.isOpen)
    }

    @Test func answeringAChallengeLeavesAnOpenSessionAlone() throws {
        var session = ConnectionSession()
        let user = try Self.user("noy")
        session.open(user, generation: 1)
        session.issue(Self.challenge("n1"))
        _ = session.takeChallenge()
        let current = session.user(inGeneration: 1)
        #expect(current == user)
    }

    @Test func closingEndsTheSessionAndTheChallenge() throws {
        var session = ConnectionSession()
        session.open(try Self.user("noy"), generation: 1)
        session.issue(Self.challenge("n1"))
        session.end()
        #expect(!session.isOpen)
        #expect(session.challenge == nil)
        let after = session.user(inGeneration: 1)
        #expect(after == nil)
    }
}
