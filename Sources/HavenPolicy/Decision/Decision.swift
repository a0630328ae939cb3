import HavenCore

/// The outcome of one access decision, with everything the audit entry records about it.
public struct Decision: Sendable, Equatable {
    public struct Withheld: Sendable, Equatable {
        public let field: FieldName
        public let reason: String
    }

    public struct WithheldNote: Sendable, Equatable {
        public let index: UInt64
        public let reason: String
    }

    public let allowed: Bool
    /// The rule that decided, in words an auditor reads (stable: tests and scripts match it).
    public let rule: String
    public let released: [FieldName]
    public let withheld: [Withheld]
    public let releasedNotes: [UInt64]
    public let withheldNotes: [WithheldNote]
    /// The consent flags looked at, with their state at decision time.
    public let consentRelied: [ConsentFlag: ConsentStatus]
    public let breakGlass: Bool
    /// The court-order reference a release relied on, if any.
    public let courtOrder: String?
    /// record.list: which records the caller may list.
    public let listScope: RecordScope?
    public let policyVersion: String
    /// What the refused caller can do instead, when there is a way (nil for most refusals).
    public var hint: String? = nil

    static func deny(_ rule: String, policy: Policy, consent: [ConsentFlag: ConsentStatus] = [:],
                     withheld: [Withheld] = [], withheldNotes: [WithheldNote] = [], breakGlass: Bool = false,
                     hint: String? = nil) -> Decision {
        Decision(allowed: false, rule: rule, released: [], withheld: withheld, releasedNotes: [], withheldNotes: withheldNotes,
                 consentRelied: consent, breakGlass: breakGlass, courtOrder: nil, listScope: nil, policyVersion: policy.version,
                 hint: hint)
    }

    static func allow(_ rule: String, policy: Policy, released: [FieldName] = [], withheld: [Withheld] = [],
                      releasedNotes: [UInt64] = [], withheldNotes: [WithheldNote] = [],
                      consent: [ConsentFlag: ConsentStatus] = [:], breakGlass: Bool = false, courtOrder: String? = nil,
                      listScope: RecordScope? = nil) -> Decision {
        Decision(allowed: true, rule: rule, released: released, withheld: withheld, releasedNotes: releasedNotes,
                 withheldNotes: withheldNotes, consentRelied: consent, breakGlass: breakGlass, courtOrder: courtOrder,
                 listScope: listScope, policyVersion: policy.version)
    }
}
