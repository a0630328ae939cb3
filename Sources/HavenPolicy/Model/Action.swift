/// Everything a user can ask the vault to do. Deny by default: a role may do only the
/// actions its policy lists. This list is closed; a policy naming anything else is refused.
public enum Action: String, Sendable, CaseIterable, Codable, Comparable {
    case recordCreate = "record.create"
    case recordRead = "record.read"
    case recordUpdate = "record.update"
    case recordList = "record.list"
    /// Finding records by a survivor's name, phone or date of birth (blind indexes): a
    /// match is listed only where the caller could read the fields it matched on.
    case recordFind = "record.find"
    case recordAssign = "record.assign"
    /// Crypto-shredding: the record's data key and every ciphertext destroyed.
    case recordErase = "record.erase"
    case noteAdd = "note.add"
    case consentRecord = "consent.record"
    case consentRead = "consent.read"
    case extractIssue = "extract.issue"
    /// Referring a record of the agency to another agency for a service, and working the
    /// agency's referrals: answering those it receives, revoking or closing those it sent.
    case referralCreate = "referral.create"
    case auditRead = "audit.read"
    case statsRead = "stats.read"
    case userManage = "user.manage"
    case keyManage = "key.manage"

    /// Actions that touch a survivor's data (values, consent or the existence of a case).
    /// A role with a separated duty (administration, audit, statistics) can never hold one.
    public var touchesRecordContent: Bool {
        switch self {
        case .recordCreate, .recordRead, .recordUpdate, .recordList, .recordFind, .recordAssign, .recordErase, .noteAdd,
             .consentRecord, .consentRead, .extractIssue, .referralCreate:
            return true
        case .auditRead, .statsRead, .userManage, .keyManage:
            return false
        }
    }

    public static func < (a: Action, b: Action) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
