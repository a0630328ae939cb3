import HavenCore
import HavenPolicy

/// SPEC §2's table of roles, written out independently of roles.yaml and of the decision
/// engine, as the oracle the generated matrix is checked against. If the shipped policy
/// or the engine drifts from the SPEC, the matrix fails.
struct SpecRole {
    var actions: Set<Action>
    var reach: RecordReach
    /// Readable classes and the consent flag each needs (nil: none).
    var read: [FieldClass: ConsentFlag?] = [:]
    var write: [FieldClass: ConsentFlag?] = [:]
    var create: Set<FieldClass> = []
    var notes: [FieldClass: ConsentFlag?] = [:]
    var assignTo: Set<String> = []
    var breakGlass: Set<FieldClass> = []
    var courtOrderFor: ConsentFlag?
}

enum SpecTable {
    static let roles: [String: SpecRole] = {
        let intakeClasses: [FieldClass: ConsentFlag?] = [.identity: nil, .contact: nil, .incident: nil, .perpetrator: nil, .legal: nil]
        return [
            // create records, record consent, add notes, read records of its own agency;
            // never health or counselling notes it did not write; erase its agency's records
            // when a survivor asks (issue: key custody, backup and erasure).
            "intake": SpecRole(actions: [.recordCreate, .recordRead, .recordUpdate, .recordList, .recordFind, .recordAssign, .recordErase,
                                         .noteAdd, .consentRecord, .consentRead, .referralCreate],
                               reach: .agency, read: intakeClasses, write: intakeClasses,
                               create: [.identity, .contact, .incident, .perpetrator, .legal],
                               notes: [.incident: nil, .health: nil, .counselling: nil], assignTo: ["counsellor", "intake"]),
            // records assigned to them whose counselling consent is granted; break-glass otherwise.
            "counsellor": SpecRole(actions: [.recordRead, .recordUpdate, .recordList, .recordFind, .noteAdd, .consentRead, .referralCreate],
                                   reach: .assigned,
                                   read: [.identity: .counselling, .contact: .counselling, .incident: .counselling,
                                          .perpetrator: .counselling, .counselling: .counselling, .legal: .counselling],
                                   write: [.contact: .counselling, .counselling: .counselling],
                                   notes: [.counselling: .counselling], breakGlass: [.identity, .contact]),
            // identity + incident + health where health consent is granted.
            "health": SpecRole(actions: [.recordRead, .recordUpdate, .recordFind, .noteAdd], reach: .any,
                               read: [.identity: .health, .incident: .health, .health: .health], write: [.health: .health],
                               notes: [.health: .health], breakGlass: [.identity, .health]),
            // identity + incident + perpetrator where police consent is granted.
            "police": SpecRole(actions: [.recordRead, .recordFind], reach: .any,
                               read: [.identity: .police, .incident: .police, .perpetrator: .police]),
            // extracts where legal consent is granted or a court order is given; never browse.
            "court": SpecRole(actions: [.extractIssue], reach: .any,
                              read: [.identity: .legal, .incident: .legal, .perpetrator: .legal, .legal: .legal],
                              courtOrderFor: .legal),
            "auditor": SpecRole(actions: [.auditRead], reach: .none),
            "analyst": SpecRole(actions: [.statsRead], reach: .none),
            "admin": SpecRole(actions: [.userManage, .keyManage], reach: .none),
        ]
    }()
}

/// A service of the issue's referral table, written out apart from referrals.yaml: the
/// consent it needs and the classes the receiving agency may read and write.
struct SpecService {
    var consent: ConsentFlag
    var read: Set<FieldClass>
    var write: Set<FieldClass>
}

extension SpecTable {
    /// Shelter: name and contact to read, contact to write, under shelter consent; offered
    /// by shelters (the Lao Women's Union shelter of the shipped list).
    static let shelter = SpecService(consent: .shelter, read: [.identity, .contact], write: [.contact])
}
