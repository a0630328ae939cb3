import HavenAudit
import HavenCore
import HavenCrypto
import HavenTestSupport
@testable import HavenVault
import Synchronization
import Testing

/// What a sealed vault accepts from whoever can reach its socket: one test per attack.
@Suite struct UnsealerTests {
    final class StepClock: HavenClock {
        let t = Mutex(Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
        func now() -> Timestamp { t.withLock { $0 } }
        func advance(_ ms: Int64) { t.withLock { $0 = $0.adding(milliseconds: ms) } }
    }

    let vault = VaultID(bytes: Array(0..<16))
    let other = VaultID(bytes: Array(16..<32))
    let peer = AuditEvent.Peer(uid: 1000, pid: 42)


    func split(_ root: RootKey, vault: VaultID) throws -> [ShareFile] {
        let secret = SecureBytes(copying: root.withUnsafeBytes { Array($0) })
        return try Shamir.split(secret, threshold: 2, count: 3).map { try ShareFile(share: $0, vault: vault, threshold: 2, count: 3) }
    }

    @Test func theThresholdOfThisVaultsSharesGivesTheRootKeyBack() throws {
        let root = RootKey.generate()
        let shares = try split(root, vault: vault)
        let u = Unsealer(vault: vault, custody: .shares(try ShareSet(shares: shares)))
        guard case .needMore(let p) = try u.submit(share: shares[2].bytes, peer: peer) else { Issue.record("opened with one share"); return }
        #expect(p == .init(received: 1, threshold: 2, count: 3))
        guard case .rootKey(let opened) = try u.submit(share: shares[0].bytes, peer: peer) else { Issue.record("not opened"); return }
        #expect(opened.withUnsafeBytes { Array($0) } == root.withUnsafeBytes { Array($0) })
        #expect(u.progress.received == 0, "the shares are forgotten once combined")
        #expect(u.takeAttempts().map(\.decision) == [.allow, .allow])
    }

    @Test func attemptsThroughTheBridgeSayWhereItReportedThemFromAndNothingElseChanges() throws {
        let shares = try split(RootKey.generate(), vault: vault)
        let u = Unsealer(vault: vault, custody: .shares(try ShareSet(shares: shares)))
        let origin = ReportedOrigin(ip: "192.0.2.7", port: 50022)
        _ = try u.submit(share: shares[1].bytes, peer: peer, origin: origin)
        #expect(throws: HavenError.self) { try u.submit(share: shares[1].bytes, peer: self.peer, origin: .unknown) }
        #expect(throws: HavenError.self) { try u.submit(share: SecureBytes(utf8: "not a share"), peer: self.peer, origin: origin) }
        _ = try u.submit(share: shares[2].bytes, peer: peer)
        let attempts = u.takeAttempts()
        #expect(attempts.map { $0.detail["reported_from"] } == ["192.0.2.7 port 50022", "unknown", "192.0.2.7 port 50022", nil])
        #expect(attempts.map { $0.detail["via"] } == ["dial-stdio", "dial-stdio", "dial-stdio", nil])
        #expect(attempts.allSatisfy { $0.peer == peer }, "the peer is the kernel's, bridged or not")
    }

    @Test func aShareEnteredTwiceCountsOnce() throws {
        let shares = try split(RootKey.generate(), vault: vault)
        let u = Unsealer(vault: vault, custody: .shares(try ShareSet(shares: shares)))
        _ = try u.submit(share: shares[1].bytes, peer: peer)
        #expect(throws: HavenError.self) { try u.submit(share: shares[1].bytes, peer: peer) }
        #expect(u.progress.received == 1)
    }

    @Test func anotherVaultsShareIsNamedAndRefused() throws {
        let u = Unsealer(vault: vault, custody: .shares(try ShareSet(shares: try split(RootKey.generate(), vault: vault))))
        let foreign = try split(RootKey.generate(), vault: other)
        let e = try #require(throws: HavenError.self) { try u.submit(share: foreign[0].bytes, peer: self.peer) }
        #expect(e.message.contains("is a share of vault \(other)"))
        #expect(u.progress.received == 0)
    }

    /// A share of an older split of this vault (before a rotation), intact and of the right
    /// vault, would combine into a wrong key: the set names it.
    @Test func aShareOfAnotherSplitOfThisVaultIsRefused() throws {
        let u = Unsealer(vault: vault, custody: .shares(try ShareSet(shares: try split(RootKey.generate(), vault: vault))))
        let older = try split(RootKey.generate(), vault: vault)
        let e = try #require(throws: HavenError.self) { try u.submit(share: older[0].bytes, peer: self.peer) }
        #expect(e.message.contains("not one of this vault's current shares"))
    }

    @Test func aCorruptedShareIsNamedAndRefused() throws {
        let shares = try split(RootKey.generate(), vault: vault)
        let u = Unsealer(vault: vault, custody: .shares(try ShareSet(shares: shares)))
        var bytes = shares[0].bytes.withUnsafeBytes { Array($0) }
        bytes[25] ^= 0x80
        let e = try #require(throws: HavenError.self) { try u.submit(share: SecureBytes(copying: bytes), peer: self.peer) }
        #expect(e.message.contains("damaged"))
        #expect(u.takeAttempts().map(\.decision) == [.deny], "the refusal is kept to be audited")
    }

    @Test func aWrongPassphraseIsRefusedAndRepeatedOnesLockThePeerOut() throws {
        let root = RootKey.generate()
        let clock = StepClock()
        let seal = try PassphraseSeal.seal(root, passphrase: SecureBytes(utf8: "the right passphrase"), vault: vault, cost: .minimum)
        let u = Unsealer(vault: vault, custody: .passphrase(seal), clock: clock)
        for _ in 0..<Unsealer.failuresBeforeLockout {
            let e = try #require(throws: HavenError.self) { try u.submit(passphrase: SecureBytes(utf8: "a wrong one"), peer: self.peer) }
            #expect(e.code == .authenticationFailed)
        }
        // Locked out: even the right passphrase is not tried, from this uid; another uid may.
        let locked = try #require(throws: HavenError.self) { try u.submit(passphrase: SecureBytes(utf8: "the right passphrase"), peer: self.peer) }
        #expect(locked.code == .lockedOut)
        let opened = try u.submit(passphrase: SecureBytes(utf8: "the right passphrase"), peer: .init(uid: 1001, pid: 7))
        #expect(opened.withUnsafeBytes { Array($0) } == root.withUnsafeBytes { Array($0) })
        clock.advance(Unsealer.lockoutMilliseconds)
        _ = try u.submit(passphrase: SecureBytes(utf8: "the right passphrase"), peer: self.peer)
    }

    @Test func aDamagedShareSetFileIsRefused() throws {
        let set = try ShareSet(shares: try split(RootKey.generate(), vault: vault)).bytes
        #expect(throws: HavenError.self) { try ShareSet(bytes: Array(set.dropLast())) }
        var wrongCount = set
        wrongCount[18] = 4
        #expect(throws: HavenError.self) { try ShareSet(bytes: wrongCount) }
        var threshold = set
        threshold[17] = 1
        #expect(throws: HavenError.self) { try ShareSet(bytes: threshold) }
    }
}
