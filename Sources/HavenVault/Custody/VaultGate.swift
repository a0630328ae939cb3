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
    private let unsealer: Unsealer?
    private let opener: Opener?
    private let state: Mutex<Held>
    /// Rows done, of how many, while the root key is rotated.
    private let rotationProgress = Mutex<(done: Int, total: Int)?>(nil)

    private struct Held: ~Copyable {
        var current: State
        var generation: UInt64
        /// The key the open vault was opened with; a rotation needs it to reopen the vault
        /// should it fail. Nil when sealed, or when the caller did not hand it over.
        var root: RootKey?
        /// A rotation by shares whose new shares were handed out, waiting for `commit`.
        var pending: (id: String, root: RootKey, custody: [UInt8]?)?
    }

    /// A vault kept in a file, open already; with its root key and opener it can be rotated.
    public init(open vault: Vault, root: RootKey? = nil, opener: Opener? = nil) {
        vaultID = vault.keys.vaultID
        mode = .file
        unsealer = nil
        self.opener = opener
        state = Mutex(Held(current: .open(vault, generation: 1), generation: 1, root: root))
    }

    /// A sealed vault, waiting for its custodians.
    public init(sealed unsealer: Unsealer, opener: @escaping Opener) {
        vaultID = unsealer.vault
        mode = unsealer.mode
        self.unsealer = unsealer
        self.opener = opener
        state = Mutex(Held(current: .sealed, generation: 0))
    }

    public var current: State { state.withLock { $0.current } }

    public var vault: Vault? {
        if case .open(let v, _) = current { return v }
        return nil
    }

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
            return SealStatus(sealed: true, seal: mode, vaultID: vaultID.rawValue, received: p.received, threshold: p.threshold,
                              shares: p.count)
        }
    }

    /// The refusal every request but status, health and unseal gets while sealed.
    public var sealedError: HavenError {
        let hint = mode == .shares ? "custodians run 'haven operator unseal --share FILE'"
            : "run 'haven operator unseal --passphrase-file FILE' (or without it, to be asked)"
        return HavenError(.sealed, "the vault is \(status.summary)", hint: hint)
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
    public func unseal(_ offer: Offer, peer: AuditEvent.Peer, on loop: any EventLoop) -> EventLoopFuture<SealStatus> {
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
                    root = try unsealer.submit(passphrase: p, peer: peer)
                case .share(let s):
                    switch try unsealer.submit(share: s, peer: peer) {
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
                state.withLock { s in
                    s.generation += 1
                    s.current = .open(vault, generation: s.generation)
                    s.root = root
                }
                promise.succeed(status)
            } catch {
                let failure = (error as? HavenError) ?? HavenError(.internalError, "the vault could not be opened: \(error)")
                unsealer.restore(attempts)
                unsealer.noteFailure(peer: peer, failure)
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
        return vault.sealRequest(ctx, mode: mode).flatMap { event in
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

    /// What a rotation is asked to do.
    public enum Rotation: Sendable {
        /// A vault kept in a file: rotate now.
        case file
        /// Under a passphrase: rotate now, sealing the new key under this passphrase.
        case passphrase(SecureBytes)
        /// By shares, first step: split a new key, keep it, answer with the shares.
        case split(threshold: Int, count: Int)
        /// By shares, second step: rotate to the key split under this id.
        case commit(String)
    }

    /// `haven operator rotate-root`: the vault closed (requests answer `sealed` meanwhile),
    /// moved to a new root key in one transaction (`RootRotation`), its new custody file put
    /// in place, and opened again with the new key. If the rotation fails, the new files go
    /// and the vault opens again with the old key. A crash at any point leaves the old key
    /// or the new one opening it (`RootKeyCustody.recover` at the next start).
    public func rotate(_ ctx: RequestContext, _ rotation: Rotation) -> EventLoopFuture<RotateAnswer> {
        let loop = ctx.eventLoop
        guard case .open(let vault, _) = current else { return loop.makeFailedFuture(sealedError) }
        let step: String = switch rotation {
        case .split: "split"
        case .commit: "commit"
        default: "rotate"
        }
        return vault.rotateRequest(ctx, mode: mode, step: step).flatMap { event in
            do throws(HavenError) {
                guard let opener = self.opener, let root = self.state.withLock({ $0.root }) else {
                    throw HavenError(.unavailable, "this daemon cannot rotate its root key (it was not started with it in hand)")
                }
                return try self.rotate(vault, rotation, event: event, old: root, opener: opener, on: loop)
            } catch {
                return vault.note(Self.failed(event, error), on: loop).flatMapThrowing { throw error }
            }
        }
    }

    private func rotate(_ vault: Vault, _ rotation: Rotation, event: AuditEvent, old: RootKey, opener: @escaping Opener,
                        on loop: any EventLoop) throws(HavenError) -> EventLoopFuture<RotateAnswer> {
        let directory = vault.directory
        let newRoot: RootKey
        let custody: [UInt8]?
        switch (rotation, mode) {
        case (.file, .file):
            newRoot = RootKey.generate()
            custody = try Self.pending(newRoot, vaultID, .file, directory).custody
        case (.passphrase(let p), .passphrase):
            newRoot = RootKey.generate()
            custody = try Self.pending(newRoot, vaultID, .passphrase(p, cost: .moderate), directory).custody
        case (.split(let threshold, let count), .shares):
            let root = RootKey.generate()
            let written = try Self.pending(root, vaultID, .shares(threshold: threshold, count: count, directory: ""), directory)
            let id = Hex.encode(Random.bytes(8))
            state.withLock { $0.pending = (id, root, written.custody) }
            var e = event
            e.rule = "new shares split and handed out; the rotation waits for their commit"
            e.detail["pending"] = id
            e.detail["shares"] = "\(threshold) of \(count)"
            let files = written.shares.map { s in s.bytes.withUnsafeBytes { Base64.encode(Array($0)) } }
            return vault.note(e, on: loop).map {
                RotateAnswer(rotated: false, seal: self.mode, vaultID: self.vaultID.rawValue, pending: id, shareFiles: files)
            }
        case (.commit(let id), .shares):
            guard let pending = state.withLock({ s -> (id: String, root: RootKey, custody: [UInt8]?)? in
                defer { if s.pending?.id == id { s.pending = nil } }
                return s.pending?.id == id ? s.pending : nil
            }) else {
                throw HavenError(.conflict, "no rotation \(id) is waiting", hint: "split the new shares again (rotate-root --shares N --threshold K)")
            }
            newRoot = pending.root
            custody = pending.custody
        default:
            throw HavenError(.invalidValue, "this vault is sealed by \(mode.rawValue): "
                             + (mode == .passphrase ? "give the passphrase to seal the new key under"
                                : mode == .shares ? "give the new split (shares and threshold), then commit it" : "give nothing"))
        }
        let began = state.withLock { s -> Bool in
            guard case .open(let v, _) = s.current, v === vault else { return false }
            s.current = .changing
            return true
        }
        guard began else {
            RootKeyCustody.discardPending(directory, mode: mode)
            throw sealedError
        }
        let promise = loop.makePromise(of: RotateAnswer.self)
        Thread.detachNewThread { [self] in
            rotationProgress.withLock { $0 = (0, 1) }
            defer { rotationProgress.withLock { $0 = nil } }
            var stop = event
            stop.action = "daemon.stop"
            stop.rule = "closing the vault to rotate its root key"
            stop.decision = .allow
            vault.shutdown(finalEvent: stop)
            do {
                var e = event
                e.rule = "root key rotated: every data key wrapped again, every entry tagged again, the signing key sealed again"
                let outcome = try RootRotation(directory: directory, old: vault.keys, newRoot: newRoot, logger: vault.logger)
                    .run(event: e, custody: custody, now: vault.clock.now()) { done, total in
                        rotationProgress.withLock { $0 = (done, total) }
                    }
                try RootKeyCustody.promotePending(directory, mode: mode)
                let reopened = try opener(newRoot, [], loop)
                state.withLock { s in
                    s.generation += 1
                    s.current = .open(reopened, generation: s.generation)
                    s.root = newRoot
                }
                promise.succeed(RotateAnswer(rotated: true, seal: mode, vaultID: vaultID.rawValue, records: outcome.records,
                                             entries: outcome.entries))
            } catch {
                let failure = (error as? HavenError) ?? HavenError(.internalError, "the rotation failed: \(error)")
                vault.logger.error("root key rotation failed; opening the vault again with the old key",
                                   metadata: ["error": "\(failure.message)"])
                RootKeyCustody.discardPending(directory, mode: mode)
                do {
                    let reopened = try opener(old, [], loop)
                    state.withLock { s in
                        s.generation += 1
                        s.current = .open(reopened, generation: s.generation)
                    }
                    // The refusal goes into the log the vault reopened with.
                    try? reopened.note(Self.failed(event, failure), on: loop).wait()
                } catch {
                    vault.logger.critical("the vault could not be opened again after a failed rotation; restart havend",
                                          metadata: ["error": "\(error)"])
                    state.withLock { $0.current = .sealed }
                }
                promise.fail(failure)
            }
        }
        return promise.futureResult
    }

    private static func pending(_ root: RootKey, _ vault: VaultID, _ seal: RootKeyCustody.Seal,
                                _ directory: DataDirectory) throws(HavenError) -> (shares: [ShareFile], custody: [UInt8]?) {
        do {
            return try RootKeyCustody.writePending(root, vault: vault, seal: seal, directory: directory)
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.ioError, "cannot write the new root key's file: \(error)")
        }
    }

    private static func failed(_ event: AuditEvent, _ error: HavenError) -> AuditEvent {
        var e = event
        e.decision = .error
        e.outcome = error.code.rawValue
        e.rule = error.message
        return e
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
