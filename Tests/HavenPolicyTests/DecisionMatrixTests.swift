import HavenCore
import HavenPolicy
import Testing

/// Every role × action × consent state × placement of the record × state of its referral ×
/// break-glass (× court order for extracts), generated, each checked against SPEC §2's table
/// and the referral rules (`SpecTable`).
@Suite struct DecisionMatrixTests {
    enum ConsentCase: String, CaseIterable { case granted, withdrawn, expired, never }
    enum Placement: String, CaseIterable { case assigned, sameAgency, otherAgency }
    /// The record's shelter referral: for a record of another agency, one sent to the
    /// caller's agency (assigned to the caller once accepted); for a record of the caller's
    /// agency, one it sent to the shelter the matrix's referral.create asks for.
    enum ReferralCase: String, CaseIterable { case none, pending, accepted, declined, revoked, closed }

    static let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
    static let home = try! AgencyName("ossc-vientiane")
    static let elsewhere = try! AgencyName("ossc-luang-prabang")
    static let shelter = try! AgencyName("lwu-shelter-vientiane")
    static let ref = ReferralID(bytes: Array(repeating: 7, count: 10))
    static let type = try! ShippedPolicy.policy.recordType(named: "gbv_incident")
    /// One field of every class.
    static let fieldOfClass: [FieldClass: String] = [
        .identity: "survivor_name", .contact: "phone", .incident: "incident_type", .perpetrator: "perpetrator_relationship",
        .health: "health_notes", .counselling: "counselling_notes", .legal: "legal_status",
    ]
    static let presentFields = FieldClass.allCases.map { try! FieldName(fieldOfClass[$0]!) }

    struct Case: CustomStringConvertible {
        let role: String
        let action: Action
        let consent: ConsentCase
        let placement: Placement
        var referral: ReferralCase = .none
        let breakGlass: Bool
        let courtOrder: Bool
        var description: String {
            "\(role) \(action.rawValue) consent=\(consent) \(placement) referral=\(referral)\(breakGlass ? " break-glass" : "")"
                + (courtOrder ? " court-order" : "")
        }
    }

    static var cases: [Case] {
        var out = [Case]()
        for role in SpecTable.roles.keys.sorted() {
            for action in Action.allCases {
                for consent in ConsentCase.allCases {
                    for placement in Placement.allCases {
                        for referral in ReferralCase.allCases {
                            for bg in [false, true] {
                                for order in action == .extractIssue ? [false, true] : [false] {
                                    out.append(Case(role: role, action: action, consent: consent, placement: placement,
                                                    referral: referral, breakGlass: bg, courtOrder: order))
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    static func consentState(_ c: ConsentCase) -> ConsentState {
        let by = try! UserName("intake")
        var state = ConsentState()
        for flag in ConsentFlag.allCases {
            switch c {
            case .never: break
            case .granted:
                state.append(ConsentEvent(flag: flag, kind: .grant, recordedBy: by, recordedAt: now.adding(milliseconds: -60_000)))
            case .withdrawn:
                state.append(ConsentEvent(flag: flag, kind: .grant, recordedBy: by, recordedAt: now.adding(milliseconds: -60_000)))
                state.append(ConsentEvent(flag: flag, kind: .withdraw, recordedBy: by, recordedAt: now.adding(milliseconds: -1_000)))
            case .expired:
                state.append(ConsentEvent(flag: flag, kind: .grant, recordedBy: by, recordedAt: now.adding(milliseconds: -60_000),
                                          expiresAt: now.adding(milliseconds: -1)))
            }
        }
        return state
    }

    static func request(_ c: Case) -> AccessRequest {
        let user = try! UserName("u-\(c.role)")
        let agency = c.placement == .otherAgency ? elsewhere : home
        var referrals = [Referral]()
        if let status = ReferralStatus(rawValue: c.referral.rawValue) {
            let sent = now.adding(milliseconds: -30_000)
            referrals.append(Referral(id: ref, service: "shelter", from: agency, to: agency == home ? shelter : home, status: status,
                                      createdBy: try! UserName("sender"), createdAt: sent, updatedAt: sent.adding(milliseconds: 1),
                                      assignee: status == .pending ? nil : user))
        }
        let record = RecordFacts(
            id: RecordID(bytes: Array(repeating: 5, count: 16)), type: type, agency: agency,
            assignees: c.placement == .assigned ? [user] : [try! UserName("someone-else")],
            consent: consentState(c.consent), notes: [], presentFields: presentFields, referrals: referrals)
        var r = AccessRequest(subject: Subject(user: user, role: try! RoleName(c.role), agency: home), action: c.action,
                              purpose: "matrix", breakGlassReason: c.breakGlass ? "survivor at immediate risk of harm tonight" : nil,
                              courtOrder: c.courtOrder ? "Case 12/2026, People's Court of Vientiane" : nil, now: now)
        switch c.action {
        case .recordCreate:
            r.recordType = type
            r.fields = [try! FieldName("survivor_name"), try! FieldName("incident_type")]
        case .recordUpdate:
            r.record = record
            r.fields = [try! FieldName("phone")]
        case .noteAdd:
            r.record = record
            r.noteClass = .counselling
        case .recordAssign:
            r.record = record
            r.assigneeRole = try! RoleName("counsellor")
            r.assigneeAgency = record.agency
        case .recordRead, .extractIssue, .consentRecord, .consentRead, .recordErase:
            r.record = record
        case .recordFind:
            // A match on name and phone: listed only if both would be released.
            r.record = record
            r.fields = [try! FieldName("survivor_name"), try! FieldName("phone")]
        case .referralCreate:
            r.record = record
            r.referral = ReferralAsk(service: "shelter", to: shelter)
        default:
            break
        }
        return r
    }

    /// What SPEC §2 says should happen: allowed or not, and for reads which classes come back.
    static func expected(_ c: Case) -> (allowed: Bool, released: Set<FieldClass>) {
        let spec = SpecTable.roles[c.role]!
        let deny: (Bool, Set<FieldClass>) = (false, [])
        if c.breakGlass && (c.action != .recordRead || spec.breakGlass.isEmpty) { return deny }
        guard spec.actions.contains(c.action) else { return deny }
        func consentOK(_ flag: ConsentFlag?) -> Bool {
            guard let flag else { return true }
            return c.consent == .granted || (c.courtOrder && spec.courtOrderFor == flag)
        }
        switch c.action {
        case .auditRead, .statsRead, .userManage, .keyManage: return (true, [])
        case .recordList: return (spec.reach != .none, [])
        case .recordCreate: return (Set<FieldClass>([.identity, .incident]).isSubset(of: spec.create), [])
        default: break
        }
        let inReach = spec.reach == .any || (spec.reach == .agency && c.placement != .otherAgency)
            || (spec.reach == .assigned && c.placement == .assigned)
        // Another agency's record, through its shelter referral to the caller's agency: only
        // accepted, only while shelter consent holds, only for what a worker does with a
        // record (never consent, assignment, erasure or extracts), never with break-glass.
        let viaReferral = !inReach && !c.breakGlass && c.placement == .otherAgency && c.referral == .accepted
            && c.consent == .granted && [Action.recordRead, .recordUpdate, .noteAdd, .recordFind].contains(c.action)
            && (spec.reach == .agency || spec.reach == .assigned)
        guard inReach || c.breakGlass || viaReferral else { return deny }
        // What the service lets the receiving agency read and write; everything for the owner.
        let readable = viaReferral ? SpecTable.shelter.read : Set(FieldClass.allCases)
        let writable = viaReferral ? SpecTable.shelter.write : Set(FieldClass.allCases)
        switch c.action {
        case .recordRead, .extractIssue:
            var released = Set<FieldClass>()
            for cls in FieldClass.allCases {
                if c.breakGlass && spec.breakGlass.contains(cls) { released.insert(cls); continue }
                if inReach || viaReferral, readable.contains(cls), let rule = spec.read[cls], consentOK(rule) { released.insert(cls) }
            }
            return (!released.isEmpty, released)
        case .recordUpdate:
            // Writes need the consent itself: a court order never stands in for it.
            guard writable.contains(.contact), let rule = spec.write[.contact] else { return deny }
            return (rule == nil || c.consent == .granted, [])
        case .noteAdd:
            guard writable.contains(.counselling), let rule = spec.notes[.counselling] else { return deny }
            return (rule == nil || c.consent == .granted, [])
        case .recordAssign:
            return (spec.assignTo.contains("counsellor"), [])
        case .recordFind:
            return ([FieldClass.identity, .contact].allSatisfy { readable.contains($0) && (spec.read[$0].map(consentOK) ?? false) }, [])
        case .referralCreate:
            // The record's own agency, within the caller's reach, with shelter consent, and not
            // while its shelter referral to the same shelter is pending or accepted.
            return (c.placement != .otherAgency && c.consent == .granted && c.referral != .pending && c.referral != .accepted, [])
        default:
            return (true, [])
        }
    }

    @Test func everyCombinationMatchesTheSpec() {
        let policy = ShippedPolicy.policy
        let all = Self.cases
        #expect(all.count == 8 * 16 * 4 * 3 * 6 * 2 + 8 * 4 * 3 * 6 * 2)  // 19,584 cases
        var allowedCount = 0
        for c in all {
            let decision = policy.decide(Self.request(c))
            let (allowed, released) = Self.expected(c)
            #expect(decision.allowed == allowed, "\(c): decided \(decision.allowed) by '\(decision.rule)'")
            #expect(!decision.rule.isEmpty, "\(c): no rule named")
            #expect(decision.policyVersion == policy.version)
            if decision.allowed { allowedCount += 1 }
            guard c.action == .recordRead || c.action == .extractIssue else { continue }
            let got = Set(decision.released.map { Self.type.field($0)!.fieldClass })
            #expect(got == released, "\(c): released \(got.sorted()), expected \(released.sorted())")
            #expect(decision.withheld.allSatisfy { !$0.reason.isEmpty }, "\(c)")
            guard decision.allowed else { continue }
            // Every field not released is listed as withheld, with a reason.
            #expect(Set(decision.withheld.map(\.field)).union(decision.released) == Set(Self.presentFields), "\(c)")
            #expect(decision.breakGlass == c.breakGlass, "\(c)")
        }
        // Sanity: the matrix is not trivially all-deny or all-allow.
        print("decision matrix: \(all.count) cases, \(allowedCount) allowed")
        #expect(allowedCount > 100 && allowedCount < all.count - 1000, "allowed \(allowedCount) of \(all.count)")
    }

    // Named cases from the issue, on top of the matrix.

    @Test func separatedDutiesNeverReadEvenWithBreakGlass() {
        for role in ["admin", "auditor", "analyst"] {
            for bg in [false, true] {
                for placement in Placement.allCases {
                    let d = ShippedPolicy.policy.decide(Self.request(Case(role: role, action: .recordRead, consent: .granted,
                                                                          placement: placement, breakGlass: bg, courtOrder: false)))
                    #expect(!d.allowed && d.released.isEmpty, "\(role) bg=\(bg)")
                }
            }
        }
    }

    @Test func policeNeverReceiveHealthOrCounselling() {
        for consent in ConsentCase.allCases {
            let d = ShippedPolicy.policy.decide(Self.request(Case(role: "police", action: .recordRead, consent: consent,
                                                                  placement: .otherAgency, breakGlass: false, courtOrder: false)))
            let classes = Set(d.released.map { Self.type.field($0)!.fieldClass })
            #expect(classes.isDisjoint(with: [.health, .counselling]))
            #expect(d.withheld.contains { $0.field.rawValue == "health_notes" && $0.reason == "class health not permitted for role police" })
        }
    }

    @Test func withheldReasonsNameTheRule() {
        let d = ShippedPolicy.policy.decide(Self.request(Case(role: "police", action: .recordRead, consent: .never,
                                                              placement: .otherAgency, breakGlass: false, courtOrder: false)))
        #expect(!d.allowed)
        #expect(d.rule == "consent:police not granted")
        #expect(d.consentRelied[.police] == .never)
        let w = ShippedPolicy.policy.decide(Self.request(Case(role: "police", action: .recordRead, consent: .withdrawn,
                                                              placement: .otherAgency, breakGlass: false, courtOrder: false)))
        #expect(w.rule == "consent:police withdrawn")
    }

    @Test(arguments: ["emergency", String(repeating: "a", count: 30), String(repeating: "\u{200B}", count: 30),
                      "a" + String(repeating: "\u{0301}", count: 30), String(repeating: "ab", count: 15),
                      String(repeating: "! ", count: 30), "1234 1234 1234 1234 1234"])
    func breakGlassNeedsAReasonThatSaysSomething(reason: String) {
        var r = Self.request(Case(role: "counsellor", action: .recordRead, consent: .never, placement: .otherAgency,
                                  breakGlass: true, courtOrder: false))
        r.breakGlassReason = reason
        let d = ShippedPolicy.policy.decide(r)
        #expect(!d.allowed && d.rule == BreakGlassReason.rule)
    }

    /// Letters of every script count; their combining vowel signs and tone marks do not.
    @Test(arguments: ["survivor at immediate risk of harm tonight", "ນາງຖືກຂັງຢູ່ໃນເຮືອນ ຕ້ອງການທີ່ຢູ່ດ່ວນ",
                      "Nguye\u{0302}\u{0303}n Thi\u{0323} Ha\u{0300} bị nhốt, cần địa chỉ ngay", "ambulance 115 called at 23:40, bleeding"])
    func aReasonInAnyScriptWithTwentyLettersBreaksTheGlass(reason: String) {
        #expect(BreakGlassReason.isMeaningful(reason), "\(reason)")
    }

    @Test func readsNeedAPurpose() {
        var r = Self.request(Case(role: "intake", action: .recordRead, consent: .granted, placement: .sameAgency,
                                  breakGlass: false, courtOrder: false))
        r.purpose = "   "
        #expect(!ShippedPolicy.policy.decide(r).allowed)
    }
}
