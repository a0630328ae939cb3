import HavenCore

/// Which records of the vault a role reaches at all, before field and consent rules apply.
public enum RecordReach: String, Sendable, CaseIterable {
    /// Any record in the vault (health, police, court: gated by consent instead).
    case any
    /// Records of the user's own agency.
    case agency
    /// Records assigned to the user.
    case assigned
    /// No record (administrators, auditors, analysts).
    case none
}

/// A duty that must stay separated from survivors' data (SPEC §2, "may never").
public enum SeparatedDuty: String, Sendable, CaseIterable {
    case administration
    case audit
    case statistics
}

/// Access to one field class: allowed, and which consent flag it needs (nil: none).
public struct ClassRule: Sendable, Equatable {
    public let consent: ConsentFlag?

    public init(consent: ConsentFlag?) {
        self.consent = consent
    }
}

/// The emergency override a role may use (SPEC §2, "break-glass").
public struct BreakGlassRule: Sendable, Equatable {
    /// Field classes released when the glass is broken, consent and reach notwithstanding.
    public let classes: Set<FieldClass>

    public init(classes: Set<FieldClass>) {
        self.classes = classes
    }
}

/// Everything the policy says about one role.
public struct RolePolicy: Sendable, Equatable {
    public let name: RoleName
    public let description: String
    public let separatedDuty: SeparatedDuty?
    public let actions: Set<Action>
    public let reach: RecordReach
    public let read: [FieldClass: ClassRule]
    public let write: [FieldClass: ClassRule]
    /// Classes the role may fill in when creating a record (no consent exists yet then).
    public let create: Set<FieldClass>
    /// Classes of case notes the role may write, each with the consent it needs.
    public let noteClasses: [FieldClass: ClassRule]
    /// Whether the role reads the notes its users wrote, whatever their class.
    public let readsOwnNotes: Bool
    /// Roles a user must hold to be assigned a record by this role (`record.assign`).
    public let assignableRoles: Set<RoleName>
    /// A consent flag a recorded court order stands in for (the court role: `legal`).
    public let courtOrderSubstitutes: ConsentFlag?
    public let breakGlass: BreakGlassRule?
    /// What `record.find` tells the role of matches it may not see.
    public let findElsewhere: FindElsewhere
    /// How fast one of the role's users may search.
    public let findLimit: FindLimit

    public init(name: RoleName, description: String, separatedDuty: SeparatedDuty?, actions: Set<Action>,
                reach: RecordReach, read: [FieldClass: ClassRule], write: [FieldClass: ClassRule],
                create: Set<FieldClass>, noteClasses: [FieldClass: ClassRule], readsOwnNotes: Bool,
                assignableRoles: Set<RoleName> = [], courtOrderSubstitutes: ConsentFlag?, breakGlass: BreakGlassRule?,
                findElsewhere: FindElsewhere = .none, findLimit: FindLimit = .standard) {
        self.name = name
        self.description = description
        self.separatedDuty = separatedDuty
        self.actions = actions
        self.reach = reach
        self.read = read
        self.write = write
        self.create = create
        self.noteClasses = noteClasses
        self.readsOwnNotes = readsOwnNotes
        self.assignableRoles = assignableRoles
        self.courtOrderSubstitutes = courtOrderSubstitutes
        self.breakGlass = breakGlass
        self.findElsewhere = findElsewhere
        self.findLimit = findLimit
    }
}
