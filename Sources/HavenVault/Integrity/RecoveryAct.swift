import HavenCore
import HavenCrypto

/// One "no" kept in the recovery journal (`RecoveryJournal`): an act that a restore of an
/// older archive would otherwise undo. Each kind is signed under a domain of its own, so a
/// signature over one kind's fields can never be read as another's.
public struct RecoveryAct: Sendable, Equatable {
    /// What was done.
    public enum Kind: Sendable, Equatable {
        case consentWithdrawn(record: RecordID, flag: ConsentFlag)
        case userRevoked(UserName)
        /// The key the user holds since; the one before opens no session.
        case userRekeyed(UserName, publicKey: [UInt8])
        case referralRevoked(record: RecordID, referral: ReferralID)
        /// Ended by either agency: a restore must not bring it back accepted.
        case referralClosed(record: RecordID, referral: ReferralID)
        /// Refused by the receiving agency: a restore must not bring it back pending.
        case referralDeclined(record: RecordID, referral: ReferralID)
        case recordErased(RecordID)
    }

    public let kind: Kind
    /// When it was committed (at or after its audit entry's time).
    public let when: Timestamp
    /// Who did it.
    public let by: UserName
    /// The sequence number of its audit entry in the log it was made in.
    public let seq: UInt64

    public init(_ kind: Kind, when: Timestamp, by: UserName, seq: UInt64) {
        self.kind = kind
        self.when = when
        self.by = by
        self.seq = seq
    }

    /// The word the line starts with.
    public var name: String {
        switch kind {
        case .consentWithdrawn: "consent-withdrawn"
        case .userRevoked: "user-revoked"
        case .userRekeyed: "user-rekeyed"
        case .referralRevoked: "referral-revoked"
        case .referralClosed: "referral-closed"
        case .referralDeclined: "referral-declined"
        case .recordErased: "record-erased"
        }
    }

    /// The kind's own fields, in the order of the line.
    var fields: [String] {
        switch kind {
        case .consentWithdrawn(let record, let flag): [record.rawValue, flag.rawValue]
        case .userRevoked(let user): [user.rawValue]
        case .userRekeyed(let user, let key): [user.rawValue, Base64.encode(key)]
        case .referralRevoked(let record, let referral), .referralClosed(let record, let referral),
             .referralDeclined(let record, let referral): [record.rawValue, referral.rawValue]
        case .recordErased(let record): [record.rawValue]
        }
    }

    /// The words of the line before the signature: kind, time, audit seq, by, fields.
    var words: [String] { [name, String(when.millisecondsSinceEpoch), String(seq), by.rawValue] + fields }

    /// What is signed: the kind's domain, the vault, the hash of the line before (so a line
    /// removed from the middle breaks the next one), then the words after the kind.
    static func message(_ words: [String], vault: VaultID, previous: [UInt8]) -> [UInt8] {
        let body = [("haven-journal-" + words[0] + "-v1"), vault.rawValue, Hex.encode(previous)] + words.dropFirst()
        return Array((body.joined(separator: "\n") + "\n").utf8)
    }

    /// Parses the words of a line (without its signature); nil if they are not an act.
    init?(words: [Substring]) {
        guard words.count >= 5, let ms = Int64(words[1]), let seq = UInt64(words[2]),
              let by = try? UserName(String(words[3])) else { return nil }
        let f = words.dropFirst(4).map(String.init)
        let kind: Kind
        switch (words[0], f.count) {
        case ("consent-withdrawn", 2):
            guard let r = try? RecordID(f[0]), let flag = ConsentFlag(rawValue: f[1]) else { return nil }
            kind = .consentWithdrawn(record: r, flag: flag)
        case ("user-revoked", 1):
            guard let u = try? UserName(f[0]) else { return nil }
            kind = .userRevoked(u)
        case ("user-rekeyed", 2):
            guard let u = try? UserName(f[0]), let key = Base64.decode(f[1]), key.count == 32 else { return nil }
            kind = .userRekeyed(u, publicKey: key)
        case ("referral-revoked", 2), ("referral-closed", 2), ("referral-declined", 2):
            guard let r = try? RecordID(f[0]), let ref = try? ReferralID(f[1]) else { return nil }
            kind = words[0] == "referral-revoked" ? .referralRevoked(record: r, referral: ref)
                : words[0] == "referral-closed" ? .referralClosed(record: r, referral: ref) : .referralDeclined(record: r, referral: ref)
        case ("record-erased", 1):
            guard let r = try? RecordID(f[0]) else { return nil }
            kind = .recordErased(r)
        default:
            return nil
        }
        self.init(kind, when: Timestamp(millisecondsSinceEpoch: ms), by: by, seq: seq)
    }

    /// How the restore's output and audit entries name the kind.
    public var label: String {
        switch kind {
        case .consentWithdrawn: "consent withdrawn"
        case .userRevoked: "user revoked"
        case .userRekeyed: "key replaced"
        case .referralRevoked: "referral revoked"
        case .referralClosed: "referral closed"
        case .referralDeclined: "referral declined"
        case .recordErased: "record erased"
        }
    }
}
