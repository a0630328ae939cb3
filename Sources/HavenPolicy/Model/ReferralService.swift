import HavenCore

/// A service one agency can refer a survivor to (`policy/referrals.yaml`): the consent
/// flag a referral for it needs, the field classes the receiving agency's roles may read
/// and write once it accepts (each still under its own role's rules), and the kinds of
/// agency that offer it.
public struct ReferralService: Sendable, Equatable {
    public let name: String
    public let consent: ConsentFlag
    public let read: Set<FieldClass>
    public let write: Set<FieldClass>
    public let offeredBy: Set<Agency.Kind>

    public init(name: String, consent: ConsentFlag, read: Set<FieldClass>, write: Set<FieldClass>, offeredBy: Set<Agency.Kind>) {
        self.name = name
        self.consent = consent
        self.read = read
        self.write = write
        self.offeredBy = offeredBy
    }
}

extension Policy {
    /// Whether `agency` offers `service`: its kind, in the agency list, is one the service
    /// names. An agency the list does not hold (or a policy without a list) offers nothing,
    /// so no referral can go to a name nobody vouched for.
    public func offers(_ agency: AgencyName, _ service: String) -> Bool {
        guard let kind = agencies.agencies?[agency]?.kind, let s = referrals[service] else { return false }
        return s.offeredBy.contains(kind)
    }
}
