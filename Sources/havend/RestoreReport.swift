import HavenBackup
import HavenCore
import HavenVault

/// What `havend restore` says it did: where, from which archive, what was lost since it
/// (by count) and what was applied again (by kind).
struct RestoreReport {
    let directory: String
    let header: BackupHeader
    let auditSize: UInt64
    let epoch: Int
    let anchor: RestoreAnchor?
    let archived: RecoveryTally.Counts
    let reapplied: BackupService.Reapplied

    static let kinds = ["consent withdrawn", "user revoked", "key replaced", "referral revoked", "referral closed", "referral declined",
                        "record erased"]

    var lost: RecoveryTally.Counts? { anchor?.lost(archived: archived) }

    static func describe(_ c: RecoveryTally.Counts) -> String {
        "records created \(c.records), updates \(c.updates), notes \(c.notes), consent grants \(c.grants), "
            + "referrals \(c.referrals), users enrolled \(c.users)"
    }

    func lines() -> [String] {
        var out = ["restored vault \(header.vaultID) into \(directory), from the backup of \(header.createdAt.rfc3339)",
                   "audit log: \(auditSize) entries, recomputed; restore epoch \(epoch)"]
        guard let anchor else {
            out.append("no --anchor: nothing made after this backup was applied again (no withdrawal, revocation, rekey or erasure); "
                       + "the restored records are listed in the log")
            return out
        }
        if let lost, lost == RecoveryTally.Counts() {
            out.append("nothing lost since the archive: the tally beside the anchor counts no records, updates, notes, consent grants, "
                       + "referrals or users it lacks")
        } else if let why = anchor.older(than: header) {
            out.append("older than the anchor (\(why)); \(anchor.entriesLost(header)) audit entries made since are lost")
            if let lost {
                let at = anchor.tally.map { $0.size == anchor.checkpoint?.checkpoint.size ? "" : " (counted at entry \($0.size))" } ?? ""
                out.append("lost since the archive: \(Self.describe(lost))\(at)")
            } else {
                out.append("lost since the archive: not counted (no tally beside the anchor)")
            }
        }
        let applied = Self.kinds.map { "\($0) \(reapplied.applied[$0] ?? 0)" }.joined(separator: ", ")
        out.append("applied again from the journal: \(applied); \(reapplied.already) changed nothing "
                   + "(already so in the archive, or about what it lacks)")
        out.append("erasures applied again: \(reapplied.erased.count); anchor \(anchor.anchor.path) rewritten to the restored log")
        return out
    }

    func json() -> String {
        var w = JSONWriter()
        w.object { j in
            j.field("data", directory)
            j.field("vault_id", header.vaultID.rawValue)
            j.field("backup_created_at", header.createdAt.rfc3339)
            j.field("audit_size", auditSize)
            j.field("restore_epoch", epoch)
            j.field("erased_again", strings: reapplied.erased.map(\.rawValue))
            guard let anchor else { return }
            j.field("older_than_anchor", anchor.older(than: header) != nil)
            j.field("audit_entries_lost", anchor.entriesLost(header))
            j.key("lost")
            if let lost {
                j.object { o in
                    o.field("records", lost.records)
                    o.field("updates", lost.updates)
                    o.field("notes", lost.notes)
                    o.field("consent_grants", lost.grants)
                    o.field("referrals", lost.referrals)
                    o.field("users", lost.users)
                }
            } else {
                j.null()
            }
            j.key("reapplied")
            j.object { o in
                for kind in Self.kinds { o.field(kind.replacingOccurrences(of: " ", with: "_"), reapplied.applied[kind] ?? 0) }
            }
            j.field("already_in_archive", reapplied.already)
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
