import HavenAudit
import HavenCore
import HavenCrypto

/// What the vault's own log says about its share set, so that `root.shares` — a file in the
/// data directory anyone who can write there may replace — cannot quietly switch custody
/// checks off.
///
/// A version-1 set has no custodian list and no tag, so nothing in it is bound to the root
/// key: rewriting a version-2 set as version 1 (same check values, list and tag dropped)
/// would still unseal, and would lift both the tag check and the newcomer rule of a rotation.
/// The log is bound to the root key (each entry tagged, the chain signed, and the `action`
/// column checked against the entries at start), and `vault.init` and every committed
/// `vault.rotate` of a vault sealed to custodians name them in their detail: once one does,
/// a version-1 set is one that was replaced.
extension CustodyService {
    /// Whether an entry of the log records this vault's shares sealed to custodians: its init
    /// or a rotation that committed.
    public func custodiansOnRecord() throws(HavenError) -> Bool {
        let entries = try pipeline.readSnapshot { (view) throws(HavenError) -> [[UInt8]] in
            try storeCall(pipeline.logger) {
                let s = try view.db.statement("SELECT entry FROM audit_entries WHERE action IN ('vault.init', 'vault.rotate') ORDER BY seq")
                var out = [[UInt8]]()
                while try s.step() { out.append(s.blob(0)) }
                return out
            }
        }
        return entries.contains { bytes in
            guard let entry = try? AuditEntry(canonicalBytes: bytes), entry.event.decision == .allow,
                  !(entry.event.detail["custodians"] ?? "").isEmpty else { return false }
            return entry.event.action == "vault.init" || entry.event.detail["step"] == "commit"
        }
    }

    /// Refuses a version-1 `set` once the log says the vault's shares were sealed to custodians.
    public func refuseOlderKind(_ set: ShareSet) throws(HavenError) {
        guard set.version == 1, try custodiansOnRecord() else { return }
        throw HavenError(.integrityError, "the share set (root.shares) was replaced with an older kind: the vault's log records its "
                         + "shares sealed to custodians, and this one names none",
                         hint: "restore root.shares from a backup of the data directory")
    }
}
