/// Why a person opens a record at the desk, from a short fixed list: havend keeps the
/// purpose of every read in the audit log, so the desk never sends a purpose the person did
/// not choose or could not have meant. For a role that works its cases from a list (one with
/// `record.list`), opening a record from it is case management unless the person says
/// otherwise on the record's page; any other role (health, police) says why each time.
public enum ReadPurpose: String, Sendable, CaseIterable {
    case caseManagement = "case_management"
    case followUp = "follow_up"
    case referral
    case supervision
    case correction
    case medicalCare = "medical_care"
    case investigation

    /// The purpose as the audit log keeps it (English, as every purpose the CLI sends).
    public var audited: String {
        switch self {
        case .caseManagement: return "case management (web desk)"
        case .followUp: return "follow-up with the survivor (web desk)"
        case .referral: return "work on a referral (web desk)"
        case .supervision: return "case supervision (web desk)"
        case .correction: return "correcting the record (web desk)"
        case .medicalCare: return "medical care of the survivor (web desk)"
        case .investigation: return "investigation of the reported incident (web desk)"
        }
    }

    /// The purpose in the person's words.
    public func label(_ w: Words) -> String {
        switch self {
        case .caseManagement: return w("Case management")
        case .followUp: return w("Follow-up with the survivor")
        case .referral: return w("Work on a referral")
        case .supervision: return w("Case supervision")
        case .correction: return w("Correcting the record")
        case .medicalCare: return w("Medical care of the survivor")
        case .investigation: return w("Investigation of the reported incident")
        }
    }

    /// The purpose a query names; case management when it names none (or none of these).
    public static func from(_ code: String?) -> ReadPurpose {
        code.flatMap(ReadPurpose.init(rawValue:)) ?? .caseManagement
    }

    /// What the audit log says when a name is shown on the list at the person's request.
    public static let revealName = "show the survivor's name on my record list (web desk)"
}

/// Why a person searches for a survivor at the desk; the audit log keeps it with the search.
public enum FindPurpose: String, Sendable, CaseIterable {
    case returning
    case intake
    case referral

    public var audited: String {
        switch self {
        case .returning: return "survivor returned to the centre (web desk)"
        case .intake: return "checking for an existing record at intake (web desk)"
        case .referral: return "finding the record for a referral (web desk)"
        }
    }

    public func label(_ w: Words) -> String {
        switch self {
        case .returning: return w("The survivor returned to the centre")
        case .intake: return w("Checking for an existing record at intake")
        case .referral: return w("Finding the record for a referral")
        }
    }

    public static func from(_ code: String?) -> FindPurpose {
        code.flatMap(FindPurpose.init(rawValue:)) ?? .returning
    }
}
