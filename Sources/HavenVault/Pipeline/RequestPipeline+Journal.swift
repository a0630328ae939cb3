import HavenCore
import NIOCore

extension RequestPipeline {
    /// The one hook each "no" calls once its write has committed: with an anchor, the act is
    /// appended to the journal beside it (`RecoveryJournal`), so a restore applies it again.
    ///
    /// Fail closed: if the line cannot be written the caller hears an error, not success —
    /// the act is in force in this vault (it committed), but a restore of an older archive
    /// would undo it, and the operator must hear that now (a critical log line says which
    /// act). Repeating the act after the anchor directory is fixed journals it.
    func journaled<T>(_ committed: Committed<T>, _ kind: RecoveryAct.Kind?, by user: UserName, keys: VaultKeys) throws(HavenError) -> T {
        guard let kind, let anchor = writer.anchor else { return committed.value }
        // The time of the act's own audit entry, which the writer gave it in commit order (the
        // log's times never go back): the clock here, on whichever event loop runs this after
        // the commit, could put two acts in the opposite order to their commits.
        let act = RecoveryAct(kind, when: committed.time, by: user, seq: committed.auditSeq)
        do {
            try RecoveryJournal(anchor: anchor).append(act, vault: keys.vaultID, signer: keys.signingKey)
        } catch {
            logger.critical("a committed act could not be written to the recovery journal; a restore of an older backup would undo it",
                            metadata: ["act": "\(act.label)", "audit_seq": "\(act.seq)", "error": "\(error.message)"])
            throw HavenError(.ioError, "the \(act.label) is in force, but could not be written to the recovery journal beside the anchor "
                             + "(\(error.message)); a restore of an older backup would undo it",
                             hint: "fix the anchor's directory, then repeat the change so that it is journaled")
        }
        return committed.value
    }
}
