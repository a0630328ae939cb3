import HavenAudit
import HavenCore
import HavenCrypto
import Synchronization

/// Gathers what opens a sealed vault — its passphrase, or shares brought by several
/// custodians — and gives the root key once there is enough.
///
/// A sealed daemon cannot authenticate anyone (users' rows are checked under keys derived
/// from the root key), so anyone who can reach the socket may offer a share or a
/// passphrase: a share counts only if it is one of this vault's current shares (`ShareSet`),
/// and passphrases are tried one at a time, with a lockout per local user after repeated
/// failures, since each try costs a fraction of a second of Argon2id. Every attempt, with
/// the peer that made it, is kept to be audited once the vault is open.
public final class Unsealer: Sendable {
    /// What this vault is sealed with.
    public enum Custody: Sendable {
        case passphrase(PassphraseSeal)
        case shares(ShareSet)
    }

    /// How far unsealing has come.
    public struct Progress: Sendable, Equatable {
        public let received: Int
        /// Shares needed (1 for a passphrase).
        public let threshold: Int
        /// Shares there are (1 for a passphrase).
        public let count: Int
    }

    public enum Outcome: Sendable {
        case needMore(Progress)
        case rootKey(RootKey)
    }

    /// Passphrase failures from one local user before a lockout, and how long it lasts.
    static let failuresBeforeLockout = 5
    static let lockoutMilliseconds: Int64 = 15 * 60 * 1000

    public let vault: VaultID
    public let custody: Custody
    private let clock: any HavenClock
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var shares: [UInt8: ShareFile] = [:]
        var attempts: [AuditEvent] = []
        var failures: [UInt32: (count: Int, since: Int64)] = [:]
        var attemptsDropped = 0
        var passphraseBusy = false
    }

    public init(vault: VaultID, custody: Custody, clock: any HavenClock = SystemClock()) {
        self.vault = vault
        self.custody = custody
        self.clock = clock
    }

    public var mode: SealMode {
        switch custody {
        case .passphrase: return .passphrase
        case .shares: return .shares
        }
    }

    public var progress: Progress {
        switch custody {
        case .passphrase: return Progress(received: 0, threshold: 1, count: 1)
        case .shares(let set): return Progress(received: state.withLock { $0.shares.count }, threshold: set.threshold, count: set.count)
        }
    }

    /// Takes one custodian's share. The root key comes back once `threshold` distinct
    /// shares are in; the shares are then forgotten, whatever the key turns out to open.
    /// `origin` is what the bridge reported of the connection, for the audit only.
    public func submit(share bytes: SecureBytes, peer: AuditEvent.Peer, origin: ReportedOrigin? = nil) throws(HavenError) -> Outcome {
        guard case .shares(let set) = custody else {
            throw refused(peer, origin, "share", HavenError(.invalidValue, "this vault is sealed under a passphrase, not by shares",
                                                             hint: "run 'haven operator unseal --passphrase-file FILE'"))
        }
        let share: ShareFile
        do {
            share = try ShareFile(bytes: bytes, what: "the share")
            try set.check(share, what: "the share")
        } catch {
            throw refused(peer, origin, "share", error)
        }
        let what = "share \(share.index) of \(share.count)"
        let complete: [Shamir.Share]? = try state.withLock { (s) throws(HavenError) -> [Shamir.Share]? in
            guard s.shares[share.index] == nil else {
                let e = HavenError(.conflict, "\(what) has already been entered; \(set.threshold - s.shares.count) more needed")
                if s.attempts.count < Self.attemptsKept {
                    s.attempts.append(self.event(peer, origin, what, .deny, e.message, outcome: e.code))
                } else {
                    s.attemptsDropped += 1
                }
                throw e
            }
            s.shares[share.index] = share
            s.attempts.append(self.event(peer, origin, what, .allow, "share accepted"))
            guard s.shares.count >= set.threshold else { return nil }
            let all = s.shares.values.map(\.share)
            s.shares = [:]
            return all
        }
        guard let complete else { return .needMore(progress) }
        let root = try Self.combine(complete, set: set)
        // A custodian list changed outside Haven is refused before the vault serves on it.
        do {
            try set.verify(root: root)
        } catch {
            throw refused(peer, origin, "share", error)
        }
        return .rootKey(root)
    }

    /// The root key from `threshold` distinct shares of `set`.
    static func combine(_ shares: [Shamir.Share], set: ShareSet) throws(HavenError) -> RootKey {
        let material = try Shamir.combine(shares, threshold: set.threshold)
        do {
            return try RootKey(material: material)
        } catch {
            throw HavenError(.internalError, "the combined shares are not a root key")
        }
    }

    /// Tries a passphrase. A wrong one and a damaged seal file are the same failure.
    public func submit(passphrase: SecureBytes, peer: AuditEvent.Peer, origin: ReportedOrigin? = nil) throws(HavenError) -> RootKey {
        try open(passphrase: passphrase, peer: peer, origin: origin, keep: true)
    }

    /// Checks the current passphrase for an operation that needs the vault's custody (a
    /// root key rotation): the same lockout as unsealing, nothing kept to audit at the next
    /// unseal (the operation audits itself).
    public func check(passphrase: SecureBytes, peer: AuditEvent.Peer) throws(HavenError) -> RootKey {
        try open(passphrase: passphrase, peer: peer, origin: nil, keep: false)
    }

    private func open(passphrase: SecureBytes, peer: AuditEvent.Peer, origin: ReportedOrigin?, keep: Bool) throws(HavenError) -> RootKey {
        guard case .passphrase(let seal) = custody else {
            let e = HavenError(.invalidValue, "this vault is sealed by shares, not under a passphrase",
                               hint: "custodians run 'haven operator unseal --share FILE'")
            throw keep ? refused(peer, origin, "passphrase", e) : e
        }
        let now = clock.now().millisecondsSinceEpoch
        do {
            try state.withLock { (s) throws(HavenError) in
                if let f = s.failures[peer.uid], now - f.since >= Self.lockoutMilliseconds { s.failures[peer.uid] = nil }
                if let f = s.failures[peer.uid], f.count >= Self.failuresBeforeLockout {
                    throw HavenError(.lockedOut, "too many wrong passphrases from uid \(peer.uid); try again in \((Self.lockoutMilliseconds - (now - f.since)) / 60_000 + 1) minutes")
                }
                // One Argon2id at a time: each takes hundreds of MiB.
                guard !s.passphraseBusy else { throw HavenError(.busy, "another passphrase is being tried; try again in a moment") }
                s.passphraseBusy = true
            }
        } catch {
            throw keep ? refused(peer, origin, "passphrase", error) : error
        }
        defer { state.withLock { $0.passphraseBusy = false } }
        do {
            let root = try seal.open(passphrase: passphrase, vault: vault)
            if keep { state.withLock { $0.attempts.append(self.event(peer, origin, "passphrase", .allow, "passphrase accepted")) } }
            return root
        } catch {
            state.withLock { s in
                let f = s.failures[peer.uid] ?? (0, now)
                s.failures[peer.uid] = (f.count + 1, f.since)
            }
            let e = HavenError(.authenticationFailed, "the passphrase does not open this vault",
                               hint: "nothing was changed; check the passphrase file and try again")
            throw keep ? refused(peer, origin, "passphrase", e) : e
        }
    }

    /// Forgets the shares entered so far (they combined into a key that did not open the vault).
    public func discardShares() {
        state.withLock { $0.shares = [:] }
    }

    /// Notes an attempt that failed after the key was formed (it did not open the vault).
    public func noteFailure(peer: AuditEvent.Peer, origin: ReportedOrigin? = nil, _ error: HavenError) {
        state.withLock { $0.attempts.append(self.event(peer, origin, "unseal", .deny, error.message, outcome: error.code)) }
    }

    /// Puts back attempts taken for an open that failed, so they are audited at the next one.
    public func restore(_ attempts: [AuditEvent]) {
        state.withLock { $0.attempts.insert(contentsOf: attempts, at: 0) }
    }

    /// The attempts made since the last open, to be audited now that the vault is open.
    public func takeAttempts() -> [AuditEvent] {
        let now = clock.now().rfc3339
        return state.withLock { s in
            defer {
                s.attempts = []
                s.attemptsDropped = 0
            }
            guard s.attemptsDropped > 0 else { return s.attempts }
            return s.attempts + [AuditEvent(action: "vault.unseal", decision: .deny,
                                             rule: "\(s.attemptsDropped) more refused attempts, not kept one by one",
                                             outcome: ErrorCode.busy.rawValue, detail: ["refused": String(s.attemptsDropped), "at": now])]
        }
    }

    private func refused(_ peer: AuditEvent.Peer, _ origin: ReportedOrigin?, _ what: String, _ error: HavenError) -> HavenError {
        state.withLock { s in
            // Kept up to a bound, counted beyond it: whoever can reach the socket must not be
            // able to fill the daemon's memory, or the log at unseal, with refusals.
            if s.attempts.count < Self.attemptsKept {
                s.attempts.append(self.event(peer, origin, what, .deny, error.message, outcome: error.code))
            } else {
                s.attemptsDropped += 1
            }
        }
        return error
    }

    /// Refused attempts kept to be audited one by one; more are counted in one entry.
    static let attemptsKept = 200

    /// The entry is written when the vault opens, so it says when the attempt was made.
    private func event(_ peer: AuditEvent.Peer, _ origin: ReportedOrigin?, _ what: String, _ decision: AuditEvent.Decision,
                       _ rule: String, outcome: ErrorCode? = nil) -> AuditEvent {
        var e = AuditEvent(action: "vault.unseal", peer: peer, decision: decision, rule: rule, outcome: outcome?.rawValue ?? "ok",
                           detail: ["offered": what, "at": clock.now().rfc3339])
        origin.stamp(&e)
        return e
    }
}
