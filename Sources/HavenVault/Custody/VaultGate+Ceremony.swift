import Foundation
import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import NIOCore

extension VaultGate {
    /// The first step of a rotation by shares (key.manage): a new key split as asked — by
    /// default the same N, K and custodians as in force — each share sealed to its custodian.
    /// The answer holds only sealed shares and the ceremony's id; nothing is in force yet.
    func split(_ vault: Vault, threshold: Int?, count: Int?, custodians given: [PublicKey]?, event: AuditEvent, old: RootKey,
               on loop: any EventLoop) throws -> RotateAnswer {
        guard let unsealer = state.withLock({ $0.unsealer }), case .shares(let set) = unsealer.custody else {
            throw HavenError(.internalError, "no share set to rotate from")
        }
        // The list in force is the root key's, not whatever root.shares says now.
        try set.verify(root: old)
        // A version-1 set found where the log records custodians was rewritten to lift the checks below.
        try vault.custody.refuseOlderKind(set)
        let custodians: [PublicKey]
        if let given {
            custodians = given
        } else if !set.custodians.isEmpty, count == nil || count == set.count {
            custodians = set.custodians
        } else {
            throw HavenError(.invalidValue, set.custodians.isEmpty
                             ? "this vault's shares were made before custodian keys: the new shares need one custodian key each"
                             : "\(count ?? 0) new shares need \(count ?? 0) custodian keys, one each",
                             hint: "give --custodian-key PUB once for each custodian of the new split")
        }
        let count = count ?? custodians.count
        let threshold = threshold ?? min(set.threshold, count)
        guard (2...Shamir.maximumShares).contains(count), (2...count).contains(threshold) else {
            throw HavenError(.invalidValue, "the threshold must be from 2 to the number of shares, at most \(Shamir.maximumShares)")
        }
        // Keys that hold no current share must not be able to open the new key on their own:
        // otherwise the administrator could name keys of their own as the new custodians and
        // let the custodians' offers commit a vault only those keys open.
        let newcomers = Set(custodians).subtracting(set.custodians)
        guard set.custodians.isEmpty || newcomers.count < threshold else {
            throw HavenError(.denied, "\(newcomers.count) of the new custodian keys hold no current share, and \(threshold) open the "
                             + "new key: together they could open the vault without any custodian in force",
                             hint: "bring in at most \(threshold - 1) new custodians per rotation")
        }
        let root = RootKey.generate()
        let prepared = try RootKeyCustody.prepare(root, vault: vaultID,
                                                  seal: .shares(threshold: threshold, count: count, directory: "", custodians: custodians))
        let id = Hex.encode(Random.bytes(8))
        var e = event
        e.rule = "new shares split, each sealed to its custodian; nothing changes until the custodians offer their current shares"
        e.detail["pending"] = id
        e.detail["shares"] = "\(threshold) of \(count)"
        e.detail["custodians"] = custodians.map(\.keyID).joined(separator: ",")
        if set.custodians.isEmpty { e.detail["previous_custodians"] = "not known before this split" }
        let unaudited = state.withLock { max(0, $0.refusedOffers - Self.refusedOffersAudited) }
        if unaudited > 0 { e.detail["refused_offers_not_audited"] = String(unaudited) }
        // A later split replaces this one: only the latest id can be committed.
        state.withLock { s in
            s.pending = RotationCeremony(id: id, root: root, prepared: prepared, event: e)
            s.refusedOffers = 0
        }
        try vault.custody.note(e, on: loop).wait()
        return RotateAnswer(rotated: false, seal: mode, vaultID: vaultID.rawValue, pending: id,
                            shareFiles: prepared.shares.map { Base64.encode($0.bytes) }, needed: set.threshold,
                            custodians: custodians.map(\.keyID), threshold: threshold)
    }

    /// Refused offers to a rotation audited one by one between two splits (as the unsealer
    /// keeps its refused attempts): enough for every real mistake, not a flood.
    static let refusedOffersAudited = 200

    /// Pending rotation `id` as a custodian should see it before offering a share: whom the
    /// new shares are sealed to, how many open the new key, how many offers are still needed.
    /// Changes nothing; a wrong id is refused as an offer to it would be.
    public func describeRotation(_ id: String) throws(HavenError) -> RotateAnswer {
        guard vault != nil, mode == .shares, let set = state.withLock({ s -> ShareSet? in
            guard case .shares(let set)? = s.unsealer?.custody else { return nil }
            return set
        }) else { throw sealedError }
        guard let ceremony = state.withLock({ $0.pending }), ceremony.id == id else {
            throw HavenError(.conflict, "no rotation \(id) is waiting (a later split replaced it, or the vault was sealed)",
                             hint: "the administrator starts the rotation again (rotate-root --share-out DIR)")
        }
        return Self.describe(ceremony, needed: set.threshold - ceremony.offered.count, mode: mode, vault: vaultID)
    }

    static func describe(_ c: RotationCeremony, needed: Int, mode: SealMode, vault: VaultID) -> RotateAnswer {
        RotateAnswer(rotated: false, seal: mode, vaultID: vault.rawValue, pending: c.id, needed: needed,
                     custodians: c.prepared.shares.map(\.custodian.keyID), threshold: c.prepared.shares.first?.threshold)
    }

    /// The second step, one custodian at a time: `share` is one of the current shares,
    /// offered to ceremony `id`. It needs no session — the share is the credential, as at
    /// unseal — and every offer, taken or refused, is audited with its peer. The offer that
    /// brings the threshold commits the rotation (`commit`).
    public func offerRotationShare(id: String, share bytes: SecureBytes, peer: AuditEvent.Peer, origin: ReportedOrigin? = nil,
                                   on loop: any EventLoop) -> EventLoopFuture<RotateAnswer> {
        guard case .open(let vault, _) = current else { return loop.makeFailedFuture(sealedError) }
        let promise = loop.makePromise(of: RotateAnswer.self)
        Thread.detachNewThread { [self] in
            var entry = AuditEvent(action: "vault.rotate", peer: peer, decision: .allow, rule: "", outcome: "ok",
                                   detail: ["step": "share", "pending": id])
            origin.stamp(&entry)
            do {
                promise.succeed(try offer(vault, id: id, bytes: bytes, entry: &entry, on: loop))
            } catch {
                let failure = (error as? HavenError) ?? HavenError(.internalError, "the rotation failed: \(error)")
                let audited = self.state.withLock { s -> Bool in
                    s.refusedOffers += 1
                    return s.refusedOffers <= Self.refusedOffersAudited
                }
                if audited, self.vault === vault, entry.rule.isEmpty { try? vault.custody.note(Self.failed(entry, failure), on: loop).wait() }
                promise.fail(failure)
            }
        }
        return promise.futureResult
    }

    private func offer(_ vault: Vault, id: String, bytes: SecureBytes, entry: inout AuditEvent,
                       on loop: any EventLoop) throws -> RotateAnswer {
        guard mode == .shares, let unsealer = state.withLock({ $0.unsealer }), case .shares(let set) = unsealer.custody else {
            throw HavenError(.invalidValue, "this vault is not sealed by shares: nothing is offered to a rotation")
        }
        let share = try ShareFile(bytes: bytes, what: "the current share")
        entry.detail["offered"] = "share \(share.index) of \(share.count)"
        try set.check(share, what: "the current share")
        let outcome = try state.withLock { (s) throws(HavenError) -> RotationCeremony.Outcome in
            guard var pending = s.pending, pending.id == id else {
                throw HavenError(.conflict, "no rotation \(id) is waiting (a later split replaced it, or the vault was sealed)",
                                 hint: "the administrator starts the rotation again (rotate-root --share-out DIR)")
            }
            let outcome = try pending.offer(share, threshold: set.threshold)
            s.pending = pending
            return outcome
        }
        switch outcome {
        case .needMore(let needed):
            entry.rule = "current share offered to rotation \(id); \(needed) more needed"
            try vault.custody.note(entry, on: loop).wait()
            let ceremony = state.withLock { $0.pending }
            return ceremony.map { Self.describe($0, needed: needed, mode: mode, vault: vaultID) }
                ?? RotateAnswer(rotated: false, seal: mode, vaultID: vaultID.rawValue, pending: id, needed: needed)
        case .complete(let shares):
            entry.rule = "current share offered to rotation \(id); the threshold is reached"
            try vault.custody.note(entry, on: loop).wait()
            entry.rule = "committing"  // from here on the commit audits its own outcome
            return try commitCeremony(vault, id: id, shares: shares, set: set, on: loop)
        }
    }

    /// Combines the offered shares, checks they form the key in force, and commits.
    private func commitCeremony(_ vault: Vault, id: String, shares: [Shamir.Share], set: ShareSet,
                                on loop: any EventLoop) throws -> RotateAnswer {
        guard let opener, let old = state.withLock({ $0.root }) else {
            throw HavenError(.unavailable, "this daemon cannot rotate its root key (it was not started with it in hand)")
        }
        let taken = state.withLock { s -> Result<RotationCeremony, HavenError> in
            guard let p = s.pending, p.id == id else {
                return .failure(HavenError(.conflict, "rotation \(id) was replaced by a later split, or the vault was sealed, "
                                           + "before it could commit", hint: "the administrator starts the rotation again"))
            }
            guard !s.rotating else { return .failure(HavenError(.busy, "a root key rotation is already running; offer again once it is done")) }
            s.pending = nil
            s.rotating = true
            return .success(p)
        }
        let ceremony = try taken.get()
        defer { state.withLock { $0.rotating = false } }
        var event = ceremony.event
        event.detail["step"] = "commit"
        event.detail["current_shares"] = shares.map { String($0.index) }.sorted().joined(separator: ",")
        do {
            try Self.same(try Unsealer.combine(shares, set: set), old)
        } catch {
            try? vault.custody.note(Self.failed(event, error), on: loop).wait()
            throw error
        }
        return try commit(vault, newRoot: ceremony.root, prepared: ceremony.prepared, event: event, old: old, opener: opener, on: loop)
    }
}
