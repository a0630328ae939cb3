import HavenCore
import HavenPolicy
import Testing

/// What a search tells of a match the caller may not see (`Policy.elsewhere`): every role of
/// the shipped policy × the caller's kind of agency × each consent flag alone in each state,
/// checked against the rule written out here apart from the engine.
@Suite struct ElsewhereDecisionTests {
    typealias M = DecisionMatrixTests
    static let agencies = ["ossc-vientiane", "lwu-shelter-vientiane", "mahosot-hospital", "police-vientiane", "people-court",
                           "legal-aid-vientiane", "haven", "not-listed"]

    /// The flags that name the record's agency to a caller at an agency of this kind: those
    /// of the services its kind offers (referrals.yaml), written out.
    static let covering: [String: Set<ConsentFlag>] = [
        "ossc-vientiane": [.counselling], "lwu-shelter-vientiane": [.shelter, .counselling], "mahosot-hospital": [.health],
        "police-vientiane": [.police], "people-court": [], "legal-aid-vientiane": [.legal], "haven": [], "not-listed": [],
    ]

    static func record(_ flag: ConsentFlag?, _ state: M.ConsentCase) -> RecordFacts {
        var consent = ConsentState()
        if let flag {
            let by = try! UserName("intake")
            let at = M.now.adding(milliseconds: -60_000)
            switch state {
            case .never: break
            case .granted: consent.append(ConsentEvent(flag: flag, kind: .grant, recordedBy: by, recordedAt: at))
            case .withdrawn:
                consent.append(ConsentEvent(flag: flag, kind: .grant, recordedBy: by, recordedAt: at))
                consent.append(ConsentEvent(flag: flag, kind: .withdraw, recordedBy: by, recordedAt: M.now.adding(milliseconds: -1_000)))
            case .expired:
                consent.append(ConsentEvent(flag: flag, kind: .grant, recordedBy: by, recordedAt: at, expiresAt: M.now.adding(milliseconds: -1)))
            }
        }
        return RecordFacts(id: RecordID(bytes: Array(repeating: 5, count: 16)), type: M.type, agency: M.elsewhere,
                           assignees: [], consent: consent, notes: [], presentFields: M.presentFields)
    }

    @Test func everyRoleAgencyAndConsentGetsWhatTheRuleSays() throws {
        let policy = ShippedPolicy.policy
        for role in policy.roles.keys {
            for agency in Self.agencies {
                let subject = Subject(user: try UserName("caller"), role: role, agency: try AgencyName(agency))
                for flag in [nil] + ConsentFlag.allCases.map(Optional.some) {
                    for state in M.ConsentCase.allCases {
                        let got = policy.elsewhere(subject, record: Self.record(flag, state), now: M.now)
                        // Only intake (OSSC and shelter desks) learns anything beyond reach.
                        let expected: ElsewhereVerdict
                        if role.rawValue != "intake" {
                            expected = .hidden
                        } else if let flag, state == .granted, Self.covering[agency]!.contains(flag) {
                            expected = .named
                        } else {
                            expected = .mayExist
                        }
                        #expect(got == expected, "\(role) at \(agency), \(flag?.rawValue ?? "no flag") \(state)")
                    }
                }
            }
        }
    }

    @Test func theShippedRolesSayWhatTheyLearnAndAtWhatPace() {
        let roles = ShippedPolicy.policy.roles
        let said = Dictionary(uniqueKeysWithValues: roles.map { ($0.key.rawValue, $0.value.findElsewhere) })
        #expect(said == ["intake": .agencies, "counsellor": .none, "health": .none, "police": .none, "court": .none,
                         "auditor": .none, "analyst": .none, "admin": .none])
        #expect(roles.values.allSatisfy { $0.findLimit == .standard })
        #expect(ShippedPolicy.policy.sharingConsent(for: try! AgencyName("lwu-shelter-vientiane")) == [.shelter, .counselling])
    }
}
