import HavenCore
import HavenPolicy

/// A referral's codes as the person reads them: agencies by the names agencies.yaml gives in
/// their language, services, states and steps in the desk's words. A code the desk does not
/// know is shown as the code made readable, never as a blank.
public struct ReferralLabels: Sendable {
    public let words: Words
    public let policy: Policy

    public init(words: Words, policy: Policy) {
        self.words = words
        self.policy = policy
    }

    /// The agency's name in the person's language, else in English, else its id.
    public func agency(_ id: String) -> String {
        SchemaLabels(policy: policy, language: words.language.rawValue).agency(id)
    }

    /// A service of referrals.yaml. The policy's labels carry none, so the shipped services
    /// have desk words; a service a site adds shows its code made readable.
    public func service(_ code: String) -> String {
        ClassWords.service(code, words) ?? policy.labels.value(code).text(words.language.rawValue)
    }

    /// Where a referral stands (ReferralStatus).
    public func status(_ code: String) -> String {
        let w = words
        switch code {
        case "pending": return w("Waiting for an answer")
        case "accepted": return w("Accepted")
        case "declined": return w("Declined")
        case "revoked": return w("Revoked")
        case "closed": return w("Closed")
        default: return LocalizedLabel(code: code).en
        }
    }

    /// A step of its history (ReferralEvent.Kind).
    public func step(_ code: String) -> String {
        let w = words
        switch code {
        case "create": return w("Referred")
        case "accept": return w("Accepted")
        case "decline": return w("Declined")
        case "revoke": return w("Revoked")
        case "close": return w("Closed")
        case "assign": return w("Assigned")
        case "unassign": return w("Unassigned")
        default: return LocalizedLabel(code: code).en
        }
    }

    /// An RFC 3339 time as `2026-12-07 22:33 UTC`: the minute is enough on a desk, and the
    /// value stays readable in every language.
    public static func time(_ rfc3339: String) -> String {
        let parts = rfc3339.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, parts[1].count >= 5 else { return rfc3339 }
        return "\(parts[0]) \(parts[1].prefix(5)) UTC"
    }

    /// The services of the policy in a stable order, each with the agencies (other than
    /// `from`) that offer it.
    public func offers(from: String) -> [(service: String, agencies: [String])] {
        let agencies = (policy.agencies.agencies ?? [:]).keys.map(\.rawValue).filter { $0 != from }.sorted()
        return policy.referrals.keys.sorted().map { service in
            (service, agencies.filter { id in (try? AgencyName(id)).map { policy.offers($0, service) } ?? false })
        }
    }
}
