import Foundation
import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import NIOCore

extension VaultGate {
    /// What a rotation is asked to do. Each needs the vault's current custody, so that the
    /// administrator who runs it (key.manage) cannot choose a key only they could open: the
    /// current passphrase, or `threshold` of the current shares. A key file is the daemon's.
    public enum Rotation: Sendable {
        /// A vault kept in a file: rotate now.
        case file
        /// Under a passphrase: rotate now, sealing the new key under `new`.
        case passphrase(new: SecureBytes, current: SecureBytes)
        /// By shares, first step: split a new key, seal each share to its custodian, keep the
        /// key, answer with the sealed shares. Each unset value is as in force now. Nothing is
        /// written and nothing is in force until the custodians offer their current shares
        /// (`offerRotationShare`), one by one.
        case split(threshold: Int?, count: Int?, custodians: [PublicKey]?)
    }

    /// `haven operator rotate-root`. Only one rotation runs at a time, and no seal meanwhile.
    /// The current custody is checked and the new one prepared (Argon2id, a split) while the
    /// vault still serves; then it closes (requests answer `sealed`), the new key's file is
    /// written beside the current one, the database moves to the new key in one transaction
    /// (`RootRotation`), the file takes the current one's place, and the vault opens again
    /// with the new key. Before the commit, a failure leaves the old key in force; after it,
    /// the new key is in force whatever happens next (`RootKeyCustody.recover` finishes at the
    /// next start what a crash interrupted).
    public func rotate(_ ctx: RequestContext, _ rotation: Rotation) -> EventLoopFuture<RotateAnswer> {
        let loop = ctx.eventLoop
        guard case .open(let vault, _) = current else { return loop.makeFailedFuture(sealedError) }
        let step: String = switch (rotation, mode) {
        case (.split, _), (.file, .shares): "split"
        default: "rotate"
        }
        return vault.custody.rotateRequest(ctx, mode: mode, step: step).flatMap { event in
            let refuse = { (error: HavenError) -> EventLoopFuture<RotateAnswer> in
                vault.custody.note(Self.failed(event, error), on: loop).flatMapThrowing { throw error }
            }
            guard let opener = self.opener, let old = self.state.withLock({ $0.root }) else {
                return refuse(HavenError(.unavailable, "this daemon cannot rotate its root key (it was not started with it in hand)"))
            }
            guard self.state.withLock({ s -> Bool in
                guard !s.rotating else { return false }
                s.rotating = true
                return true
            }) else {
                return refuse(HavenError(.busy, "a root key rotation is already running"))
            }
            let promise = loop.makePromise(of: RotateAnswer.self)
            Thread.detachNewThread { [self] in
                let result: Result<RotateAnswer, HavenError>
                do {
                    result = .success(try rotate(vault, rotation, event: event, old: old, opener: opener, peer: ctx.peer.auditPeer, on: loop))
                } catch {
                    let failure = (error as? HavenError) ?? HavenError(.internalError, "the rotation failed: \(error)")
                    // Refused before the vault closed: the refusal goes into its log.
                    if self.vault === vault { try? vault.custody.note(Self.failed(event, failure), on: loop).wait() }
                    result = .failure(failure)
                }
                // Done before the answer: a seal sent right after it must not find a rotation running.
                state.withLock { $0.rotating = false }
                promise.completeWith(result.mapError { $0 })
            }
            return promise.futureResult
        }
    }

    /// The rotation itself, on a thread of its own.
    private func rotate(_ vault: Vault, _ rotation: Rotation, event: AuditEvent, old: RootKey, opener: @escaping Opener,
                        peer: AuditEvent.Peer, on loop: any EventLoop) throws -> RotateAnswer {
        let directory = vault.directory
        let newRoot: RootKey
        let prepared: RootKeyCustody.Prepared
        switch (rotation, mode) {
        case (.file, .file):
            newRoot = RootKey.generate()
            prepared = try RootKeyCustody.prepare(newRoot, vault: vaultID, seal: .file)
        case (.passphrase(let new, let current), .passphrase):
            guard let unsealer = state.withLock({ $0.unsealer }) else { throw HavenError(.internalError, "no custody to check against") }
            try Self.same(try unsealer.check(passphrase: current, peer: peer), old)
            newRoot = RootKey.generate()
            prepared = try RootKeyCustody.prepare(newRoot, vault: vaultID, seal: .passphrase(new, cost: .moderate))
        case (.split(let threshold, let count, let custodians), .shares):
            return try split(vault, threshold: threshold, count: count, custodians: custodians, event: event, old: old, on: loop)
        case (.file, .shares):
            return try split(vault, threshold: nil, count: nil, custodians: nil, event: event, old: old, on: loop)
        default:
            throw HavenError(.invalidValue, "this vault is sealed by \(mode.rawValue): "
                             + (mode == .passphrase ? "give the current passphrase and the one to seal the new key under"
                                : mode == .shares ? "give the new split (or nothing, for the split in force)"
                                : "give nothing"))
        }

        return try commit(vault, newRoot: newRoot, prepared: prepared, event: event, old: old, opener: opener, on: loop)
    }

    /// Closes the vault, moves the database to `newRoot` and opens the vault again with it
    /// (see `rotate`). The caller holds the `rotating` flag.
    func commit(_ vault: Vault, newRoot: RootKey, prepared: RootKeyCustody.Prepared, event: AuditEvent, old: RootKey,
                opener: @escaping Opener, on loop: any EventLoop) throws -> RotateAnswer {
        let directory = vault.directory
        // Close the vault. Nothing has been written yet.
        let began = state.withLock { s -> Bool in
            guard case .open(let v, _) = s.current, v === vault else { return false }
            s.current = .changing
            return true
        }
        guard began else { throw sealedError }
        rotationProgress.withLock { $0 = (0, 1) }
        defer { rotationProgress.withLock { $0 = nil } }
        var stop = event
        stop.action = "daemon.stop"
        stop.rule = "closing the vault to rotate its root key"
        stop.decision = .allow
        vault.shutdown(finalEvent: stop)

        let outcome: RootRotation.Outcome
        do {
            try RootKeyCustody.writePending(prepared, mode: mode, directory: directory)
            var e = event
            e.rule = "root key rotated: every data key wrapped again, every entry tagged again, the signing key sealed again"
            outcome = try RootRotation(directory: directory, old: vault.keys, newRoot: newRoot, logger: vault.logger)
                .run(event: e, custody: prepared.custody, now: vault.clock.now()) { done, total in
                    rotationProgress.withLock { $0 = (done, total) }
                }
        } catch {
            // Not committed: the old key is in force. Its file stays; the new one goes.
            let failure = (error as? HavenError) ?? HavenError(.internalError, "the rotation failed: \(error)")
            vault.logger.error("root key rotation failed; opening the vault again with the old key", metadata: ["error": "\(failure.message)"])
            RootKeyCustody.discardPending(directory, mode: mode)
            do {
                let reopened = try reopen(opener, old, loop)
                try? reopened.custody.note(Self.failed(event, failure), on: loop).wait()
            } catch {
                vault.logger.critical("the vault could not be opened again after a failed rotation; restart havend",
                                      metadata: ["error": "\(error)"])
                state.withLock { $0.current = .sealed }
            }
            throw failure
        }

        // Committed: the new key is in force from here on, whatever fails next.
        if let custody = prepared.unsealer { state.withLock { $0.unsealer = Unsealer(vault: vaultID, custody: custody) } }
        do {
            try RootKeyCustody.promotePending(directory, mode: mode)
        } catch {
            vault.logger.critical("the new root key file could not be put in place; havend does it at its next start",
                                  metadata: ["error": "\(error.message)"])
        }
        do {
            _ = try reopen(opener, newRoot, loop)
        } catch {
            state.withLock { s in
                s.current = .sealed
                s.root = nil
            }
            throw HavenError(.unavailable, "the root key was rotated (the new key is in force), but the vault could not be opened "
                             + "again: \(error); restart havend", hint: "keep the new passphrase or shares: the old ones no longer open it")
        }
        return RotateAnswer(rotated: true, seal: mode, vaultID: vaultID.rawValue, records: outcome.records, entries: outcome.entries)
    }

    /// Opens the vault with `root` and serves it.
    private func reopen(_ opener: Opener, _ root: RootKey, _ loop: any EventLoop) throws -> Vault {
        let reopened = try opener(root, [], loop)
        state.withLock { s in
            s.generation += 1
            s.current = .open(reopened, generation: s.generation)
            s.root = root
        }
        return reopened
    }

    /// Refuses a custody that opens another key than the one in force.
    static func same(_ offered: RootKey, _ current: RootKey) throws(HavenError) {
        let a = offered.withUnsafeBytes { Array($0) }, b = current.withUnsafeBytes { Array($0) }
        guard a.count == b.count, zip(a, b).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw HavenError(.authenticationFailed, "what was given opens another key than the one in force")
        }
    }

    static func failed(_ event: AuditEvent, _ error: HavenError) -> AuditEvent {
        var e = event
        e.decision = .error
        e.outcome = error.code.rawValue
        e.rule = error.message
        return e
    }
}
