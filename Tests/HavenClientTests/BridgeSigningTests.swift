import Glibc
import HavenAPI
@testable import HavenClient
import HavenCore
import Testing

/// Whose uid and pid the client signs in the handshake's transcript.
@Suite struct BridgeSigningTests {
    static let reported = ChallengeResponse(vaultID: "v", nonce: "n", expiresInSeconds: 30, peerUID: 4242, peerPID: 777)

    /// On a local socket: always this process, never what the challenge reports. A client
    /// pointed at a socket that relays to the daemon must not sign the relay's identity.
    @Test func aLocalClientSignsItsOwnUIDAndPID() throws {
        let signed = try HavenClient.peer(signedFor: Self.reported, bridged: false)
        #expect(signed.uid == getuid())
        #expect(signed.pid == getpid())
    }

    /// Through the bridge: the peer the daemon sees, the bridge's dial-stdio on its host.
    @Test func aBridgedClientSignsThePeerTheDaemonNames() throws {
        let signed = try HavenClient.peer(signedFor: Self.reported, bridged: true)
        #expect(signed.uid == 4242)
        #expect(signed.pid == 777)
    }

    @Test func aHavendThatDoesNotNameThePeerIsTooOldForTheBridge() {
        let old = ChallengeResponse(vaultID: "v", nonce: "n", expiresInSeconds: 30)
        #expect(throws: HavenError(.bridgeFailed, "the vault's havend is too old for --host (its challenge does not name the bridge's process)",
                                   hint: "upgrade havend on the vault's host to this release")) {
            try HavenClient.peer(signedFor: old, bridged: true)
        }
    }

    /// The vault id the user named: the same one passes; another is refused before anything
    /// is signed, locally and through the bridge alike; none named, any passes.
    @Test func aPinnedVaultIDRefusesAChallengeFromAnotherVault() throws {
        try HavenClient.check(Self.reported, isFor: "v")
        try HavenClient.check(Self.reported, isFor: nil)
        #expect(throws: HavenError(.denied, "the vault that answered is v, not the one you named (w): nothing was signed",
                                   hint: "check --vault-id or HAVEN_VAULT_ID against the id the vault's operator gave you; if it is right, the host you reached is not that vault's")) {
            try HavenClient.check(Self.reported, isFor: "w")
        }
        // What the far end names reaches the terminal: no control character passes.
        let hostile = ChallengeResponse(vaultID: "v\u{1B}[2J", nonce: "n", expiresInSeconds: 30)
        #expect(throws: HavenError.self) { try HavenClient.check(hostile, isFor: "v") }
        do {
            try HavenClient.check(hostile, isFor: "v")
        } catch {
            #expect(!error.message.contains("\u{1B}"))
        }
    }
}
