import Foundation
import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import NIOCore
import Synchronization

/// Which vault the daemon answers for: a vault kept in a file is open from the start; a
/// sealed one is closed until custodians unseal it, and is closed again when an
/// administrator seals it.
///
/// Invariant: the only `Vault` — and so the only copy of the keys derived from the root
/// key — is the one held in `.open`; sealing drops it, and unsealing makes a new one
/// (`generation` tells sessions of the old one apart, so none survives a seal).
public final class VaultGate: Sendable {
    /// Opens the vault with an unsealed root key and audits, before its start, the attempts
    /// that unsealed it.
    public typealias Opener = @Sendable (RootKey, [AuditEvent], any EventLoop) throws -> Vault

    public enum State: Sendable {
        case sealed
        /// Being opened or closed: every request is answered `sealed` until it is done.
        case changing
        case open(Vault, generation: UInt64)
    }

    public let vaultID: VaultID
    public let mode: SealMode
    /// The unsealer in force (none for a vault kept in a file).
    private var unsealer: Unsealer? { state.withLock { $0.unsealer } }
    let opener: Opener?
    let state: Mutex<Held>
    /// Rows done, of how many, while the root key is rotated.
    let rotationProgress = Mutex<(done: Int, total: Int)?>(nil)

    struct Held: ~Copyable {
        var current: State
        var generation: UInt64
        /// The key the open vault was opened with; a rotation needs it to reopen the vault
        /// should it fail. Nil when sealed, or when the caller did not hand it over.
        var root: RootKey?
        /// A rotation by shares whose sealed new shares were handed out, waiting for the
        /// custodians' current shares.
        var pending: RotationCeremony?
        /// A rotation is running: another, or a seal, waits for it.
        var rotating = false
        /// What offers to unseal (and a rotation's current custody) are checked against;
        /// replaced when a rotation puts a new seal in force.
        var unsealer: Unsealer?
        /// Refused offers to a rotation since the last split: anyone at the socket can make
        /// them, so only the first `refusedOffersAudited` are audited one by one and the
        /// rest are counted into the next split's entry.
        var refusedOffers = 0
    }

    /// A vault kept in a file, open already; with its root key and opener it can be rotated.
    public init(open vault: Vault, root: RootKey? = nil, opener: Opener? = nil) {
        vaultID = vault.keys.vaultID
        mode = .file
        self.opener = opener
        state = Mutex(Held(current: .open(vault, generation: 1), generation: 1, root: root))
    }

    /// A sealed vault, waiting for its custodians.
    public init(sealed unsealer: Unsealer, opener: @escaping Opener) {
        vaultID = unsealer.vault
        mode = unsealer.mode
        self.opener = opener
        state = Mutex(Held(current: .sealed, generation: 0, unsealer: unsealer))
    }

    public var current: State { state.withLock { $0.current } }

    public var vault: Vault? {
        if case .open(let v, _) = current { return v }
        return nil
    }

    /// The whole seal status, for an administrator (and the daemon's own messages); anyone
    /// else is answered `status.anonymous`.
    public var status: SealStatus {
        if let r = rotationProgress.withLock({ $0 }) {
            return SealStatus(sealed: true, seal: mode, vaultID: vaultID.rawValue, rotating: [r.done, r.total])
        }
        let open = vault != nil
        guard let unsealer, !open else { return SealStatus(sealed: !open, seal: mode, vaultID: vaultID.rawValue) }
        switch unsealer.custody {
        case .passphrase:
            return SealStatus(sealed: true, seal: mode, vaultID: vaultID.rawValue)
        case .shares:
            let p = unsealer.progress
            return SealStatus(sealed: true, seal: mode, needed: max(0, p.threshold - p.received), vaultID: vaultID.rawValue,
                              received: p.received, threshold: p.threshold, shares: p.count)
        }
    }

    /// The refusal every request but status, health and unseal gets while sealed.
    public var sealedError: HavenError {
        let hint = mode == .shares ? "custodians run 'haven operator unseal --share FILE --key KEY'"
            : "run 'haven operator unseal --passphrase-file FILE' (or without it, to be asked)"
        return HavenError(.sealed, "the vault is \(status.anonymous.summary)", hint: hint)
    }

    /// What a custodian offers.
    public enum Offer: Sendable {
        case passphrase(SecureBytes)
        /// A share file's bytes, checked by the unsealer (so a damaged one is audited too).
        case share(SecureBytes)
    }

    /// Takes an offer; once it completes the key, opens the vault (off the event loop: the
    /// start-up check reads the whole log) and answers when it serves. A key that does not
    /// open the vault leaves it sealed and the entered shares forgotten.
    /// `origin` is what the SSH bridge reported of the connection: it goes into each
    /// attempt's entry and nothing else (the lockout is by the kernel's uid).
    public func unseal(_ offer: Offer, peer: AuditEvent.Peer, origin: ReportedOrigin? = nil,
                       on loop: any EventLoop) -> EventLoopFuture<SealStatus> {
        guard let unsealer, let opener else {
            return loop.makeSucceededFuture(status)  // kept in a file: open already
        }
        let promise = loop.makePromise(of: SealStatus.self)
        Thread.detachNewThread { [self] in
            let root: RootKey
            do {
                guard case .sealed = current else {
                    promise.succeed(status)  // unsealed already, or being opened: this offer is not needed
                    return
                }
                switch offer {
                case .passphrase(let p):
                    root = try unsealer.submit(passphrase: p, peer: peer, origin: origin)
                case .share(let s):
                    switch try unsealer.submit(share: s, peer: peer, origin: origin) {
                    case .needMore: promise.succeed(status); return
                    case .rootKey(let r): root = r
                    }
                }
            } catch {
                promise.fail(error)
                return
            }
            let began = state.withLock { s -> Bool in
                guard case .sealed = s.current else { return false }
                s.current = .changing
                return true
            }
            guard began else { promise.succeed(status); return }
            let attempts = unsealer.takeAttempts()
            do {
                let vault = try opener(root, attempts, loop)
                if case .shares(let set) = unsealer.custody {
                    do throws(HavenError) {
                        try vault.custody.refuseOlderKind(set)
                    } catch {
                        // Opened only to read its log: closed again with the refusal as its last entry.
                        var refusal = AuditEvent(action: "vault.unseal", peer: peer, decision: .deny, rule: error.message,
                                                 outcome: error.code.rawValue, detail: ["offered": "unseal"])
                        origin.stamp(&refusal)
                        vault.shutdown(finalEvent: refusal)
                        unsealer.discardShares()
                        state.withLock { $0.current = .sealed }
                        promise.fail(error)
                        return
                    }
                }
                state.withLock { s in
                    s.generation += 1
                    s.current = .open(vault, generation: s.generation)
                    s.root = root
                }
                promise.succeed(status)
            } catch {
                let failure = (error as? HavenError) ?? HavenError(.internalError, "the vault could not be opened: \(error)")
                unsealer.restore(attempts)
                unsealer.noteFailure(peer: peer, origin: origin, failure)
                unsealer.discardShares()
                state.withLock { $0.current = .sealed }
                promise.fail(failure)
            }
        }
        return promise.futureResult
    }

    /// An administrator's seal: audited by the vault, which then stops with the seal as its
    /// last entry; the vault and its keys are dropped, and the daemon answers `sealed`.
    public func seal(_ ctx: RequestContext) -> EventLoopFuture<SealStatus> {
        guard case .open(let vault, _) = current else { return ctx.eventLoop.makeFailedFuture(sealedError) }
        guard !state.withLock({ $0.rotating }) else {
            return ctx.eventLoop.makeFailedFuture(HavenError(.busy, "a root key rotation is running; seal once it is done"))
        }
        return vault.custody.sealRequest(ctx, mode: mode).flatMap { event in
            let began = self.state.withLock { s -> Bool in
                guard case .open(let v, _) = s.current, v === vault else { return false }
                s.current = .changing
                return true
            }
            guard began else { return ctx.eventLoop.makeFailedFuture(self.sealedError) }
            let promise = ctx.eventLoop.makePromise(of: SealStatus.self)
            Thread.detachNewThread { [self] in
                vault.shutdown(finalEvent: event)
                state.withLock { s in
                    s.current = .sealed
                    s.root = nil
                    s.pending = nil
                }
                promise.succeed(status)
            }
            return promise.futureResult
        }
    }

    /// Stops the open vault, if any (daemon stop).
    public func shutdown() {
        let open: Vault? = state.withLock { s in
            defer { s.current = .sealed }
            if case .open(let v, _) = s.current { return v }
            return nil
        }
        open?.shutdown()
    }
}
