import HavenCore

extension Policy {
    /// Decides one request. Pure: the same request and policy always give the same decision,
    /// which is what lets the table-driven tests cover every role × action × consent state.
    ///
    /// Order of checks, each a way to be denied: the role exists; break-glass is allowed and
    /// justified; the role holds the action; separated duties never touch content; a read
    /// states its purpose; the record is within the role's reach (unless the glass is broken),
    /// or another agency's record is reached through a referral it accepted (`ReferralReach`),
    /// which narrows the classes to the service's; then field by field, the class is readable
    /// by the role and its consent is granted.
    public func decide(_ request: AccessRequest) -> Decision {
        let s = request.subject
        guard let role = roles[s.role] else {
            return .deny("role \(s.role) is not defined in this policy", policy: self)
        }
        let action = request.action
        var breakGlass: BreakGlassRule?
        if let reason = request.breakGlassReason {
            guard action == .recordRead else {
                return .deny("break-glass applies only to record.read", policy: self)
            }
            guard role.separatedDuty == nil, let rule = role.breakGlass else {
                return .deny("break-glass not permitted for role \(s.role)", policy: self)
            }
            guard BreakGlassReason.isMeaningful(reason) else {
                return .deny(BreakGlassReason.rule, policy: self)
            }
            breakGlass = rule
        }
        guard role.actions.contains(action) else {
            return .deny("action \(action.rawValue) not permitted for role \(s.role)", policy: self)
        }
        // Defence in depth: validation already refuses such a policy.
        if let duty = role.separatedDuty, action.touchesRecordContent {
            return .deny("role \(s.role) has separated duty \(duty.rawValue)", policy: self)
        }
        if action == .recordRead || action == .extractIssue || action == .consentRead || action == .recordFind {
            guard let purpose = request.purpose, !purpose.trimmingWhitespace().isEmpty else {
                return .deny("a purpose is required for \(action.rawValue)", policy: self)
            }
        }

        switch action {
        case .auditRead, .statsRead, .userManage, .keyManage:
            return .allow("role \(s.role) may \(action.rawValue)", policy: self)
        case .recordList:
            switch role.reach {
            case .any: return .allow("role \(s.role) may list all records", policy: self, listScope: .all)
            case .agency: return .allow("role \(s.role) may list records of agency \(s.agency)", policy: self, listScope: .agency(s.agency))
            case .assigned: return .allow("role \(s.role) may list records assigned to \(s.user)", policy: self, listScope: .assignedTo(s.user, agency: s.agency))
            case .none: return .deny("role \(s.role) reaches no records", policy: self)
            }
        case .recordCreate:
            return decideCreate(request, role: role)
        case .recordFind where request.record == nil:
            // The search itself; each record it matches is decided on its own below.
            guard role.reach != .none else { return .deny("role \(s.role) reaches no records", policy: self) }
            return .allow("role \(s.role) may search records; matches in its reach (\(role.reach.rawValue)) are listed",
                          policy: self)
        case .referralCreate where request.record == nil:
            // Listing the agency's referrals; each is then shown as its step `view` allows.
            return .allow("role \(s.role) may work the referrals of agency \(s.agency)", policy: self)
        default:
            break
        }

        guard let record = request.record else {
            return .deny("\(action.rawValue) needs a record", policy: self)
        }
        var grant: ReferralGrant?
        if let miss = reachFailure(role: role, subject: s, record: record) {
            if breakGlass != nil {
                return decideRead(request, role: role, record: record, inReach: false, breakGlass: breakGlass)
            }
            // Another agency's record: reached only through a referral it accepted, for the
            // classes of the service, and only while the service's consent holds.
            guard action.reachableByReferral else { return .deny(miss, policy: self) }
            switch referralReach(role: role, subject: s, record: record, now: request.now) {
            case .denied(let why, let relied): return .deny(why ?? miss, policy: self, consent: relied)
            case .granted(let g): grant = g
            }
        }
        switch action {
        case .recordRead, .extractIssue:
            return decideRead(request, role: role, record: record, inReach: true, breakGlass: breakGlass, grant: grant)
        case .recordFind:
            // A match is listed only if every field it matched on would be released to a
            // read: naming the record says "this is her phone", which is the field itself.
            let read = decideRead(request, role: role, record: record, inReach: true, breakGlass: nil, grant: grant)
            guard read.allowed else { return read }
            if let hidden = read.withheld.first {
                return .deny("field \(hidden.field) (matched on): \(hidden.reason)", policy: self, consent: read.consentRelied,
                             withheld: read.withheld)
            }
            return read
        case .recordUpdate:
            return decideWrite(request, role: role, record: record, grant: grant)
        case .noteAdd:
            return decideNote(request, role: role, record: record, grant: grant)
        case .referralCreate:
            return decideReferralCreate(request, role: role, record: record)
        case .recordAssign:
            return decideAssign(request, role: role, record: record)
        default:  // consent.record, consent.read: reach is the rule
            return .allow("role \(s.role) may \(action.rawValue) on records in its reach (\(role.reach.rawValue))", policy: self)
        }
    }

    /// Nil when the record is within the role's reach; otherwise why not.
    func reachFailure(role: RolePolicy, subject: Subject, record: RecordFacts) -> String? {
        switch role.reach {
        case .any: return nil
        case .agency: return record.agency == subject.agency ? nil : "record belongs to another agency"
        case .assigned:
            guard record.assignees.contains(subject.user) else { return "record not assigned to \(subject.user)" }
            // An assignment reaches only within the record's agency: one made across agencies
            // before that was refused, or kept by a user moved to another agency, grants nothing.
            return record.agency == subject.agency ? nil
                : "record belongs to another agency; an assignment reaches only within the record's agency"
        case .none: return "role \(subject.role) reaches no records"
        }
    }

    private func decideCreate(_ request: AccessRequest, role: RolePolicy) -> Decision {
        guard let type = request.recordType else { return .deny("record.create needs a record type", policy: self) }
        for name in request.fields ?? [] {
            guard let spec = type.field(name) else { return .deny("unknown field \(name)", policy: self) }
            guard role.create.contains(spec.fieldClass) else {
                return .deny("class \(spec.fieldClass.rawValue) not permitted for role \(role.name) at creation (field \(name))", policy: self)
            }
        }
        return .allow("role \(role.name) may record.create", policy: self)
    }

    /// Whether a consent-gated rule is met, and the words for why not.
    private func consentCheck(_ rule: ClassRule, role: RolePolicy, request: AccessRequest, record: RecordFacts,
                              relied: inout [ConsentFlag: ConsentStatus]) -> (ok: Bool, byCourtOrder: Bool, reason: String) {
        guard let flag = rule.consent else { return (true, false, "") }
        let status = record.consent.status(of: flag, at: request.now)
        relied[flag] = status
        if status.isGranted { return (true, false, "") }
        if request.courtOrder != nil, role.courtOrderSubstitutes == flag { return (true, true, "") }
        let word = status == .never ? "not granted" : status.description
        return (false, false, "consent:\(flag.rawValue) \(word)")
    }

    private func decideRead(_ request: AccessRequest, role: RolePolicy, record: RecordFacts, inReach: Bool,
                            breakGlass: BreakGlassRule?, grant: ReferralGrant? = nil) -> Decision {
        var relied = grant?.consent ?? [:]
        var released = [FieldName]()
        var withheld = [Decision.Withheld]()
        var usedCourtOrder = false
        let outOfReach = inReach ? "" : (reachFailure(role: role, subject: request.subject, record: record) ?? "")

        // Why a class may (or may not) be released; shared by fields and notes.
        func classVerdict(_ c: FieldClass) -> String? {
            if breakGlass?.classes.contains(c) == true { return nil }
            guard inReach else { return outOfReach }
            if let grant, !grant.read.contains(c) { return "class \(c.rawValue) not shared by \(grant.rule)" }
            guard let rule = role.read[c] else { return "class \(c.rawValue) not permitted for role \(role.name)" }
            let check = consentCheck(rule, role: role, request: request, record: record, relied: &relied)
            if check.byCourtOrder { usedCourtOrder = true }
            return check.ok ? nil : check.reason
        }

        // A note its reader wrote is readable back under the consent its writing needed (so
        // a withdrawal covers a counsellor's own notes too), whatever the class's read rule.
        func ownNoteReadable(_ note: NoteMetadata) -> Bool {
            guard role.readsOwnNotes, inReach, note.author == request.subject.user, grant?.read.contains(note.fieldClass) ?? true,
                  let rule = role.noteClasses[note.fieldClass] ?? role.read[note.fieldClass] else { return false }
            let check = consentCheck(rule, role: role, request: request, record: record, relied: &relied)
            return check.ok && !check.byCourtOrder
        }

        for name in request.fields ?? record.presentFields {
            guard let spec = record.type.field(name) else {
                withheld.append(.init(field: name, reason: "unknown field"))
                continue
            }
            if let reason = classVerdict(spec.fieldClass) {
                withheld.append(.init(field: name, reason: reason))
            } else {
                released.append(name)
            }
        }
        var releasedNotes = [UInt64]()
        var withheldNotes = [Decision.WithheldNote]()
        if request.action == .recordRead, request.fields == nil {
            for note in record.notes {
                if ownNoteReadable(note) {
                    releasedNotes.append(note.index)
                } else if let reason = classVerdict(note.fieldClass) {
                    withheldNotes.append(.init(index: note.index, reason: reason))
                } else {
                    releasedNotes.append(note.index)
                }
            }
        }
        guard !released.isEmpty || !releasedNotes.isEmpty else {
            let first = withheld.first?.reason ?? withheldNotes.first?.reason ?? "the record holds nothing this role may read"
            return .deny(first, policy: self, consent: relied, withheld: withheld, withheldNotes: withheldNotes,
                         breakGlass: breakGlass != nil)
        }
        let rule: String
        if breakGlass != nil {
            rule = "break-glass by role \(role.name)"
        } else if let grant {
            rule = "\(grant.rule); role \(role.name) may \(request.action.rawValue) under its own rules"
        } else if usedCourtOrder, let flag = role.courtOrderSubstitutes {
            rule = "role \(role.name) may \(request.action.rawValue); court order substitutes consent:\(flag.rawValue)"
        } else {
            rule = "role \(role.name) may \(request.action.rawValue) on records in its reach (\(role.reach.rawValue))"
        }
        return .allow(rule, policy: self, released: released, withheld: withheld, releasedNotes: releasedNotes,
                      withheldNotes: withheldNotes, consent: relied, breakGlass: breakGlass != nil,
                      courtOrder: usedCourtOrder ? request.courtOrder : nil)
    }

    private func decideWrite(_ request: AccessRequest, role: RolePolicy, record: RecordFacts, grant: ReferralGrant?) -> Decision {
        var relied = grant?.consent ?? [:]
        for name in request.fields ?? [] {
            guard let spec = record.type.field(name) else { return .deny("unknown field \(name)", policy: self) }
            if let grant, !grant.write.contains(spec.fieldClass) {
                return .deny("class \(spec.fieldClass.rawValue) not shared for writing by \(grant.rule) (field \(name))",
                             policy: self, consent: relied)
            }
            guard let rule = role.write[spec.fieldClass] else {
                return .deny("class \(spec.fieldClass.rawValue) not writable by role \(role.name) (field \(name))",
                             policy: self, consent: relied)
            }
            let check = consentCheck(rule, role: role, request: request, record: record, relied: &relied)
            guard check.ok, !check.byCourtOrder else { return .deny(check.reason, policy: self, consent: relied) }
        }
        let how = grant.map { "\($0.rule); role \(role.name) may record.update under its own rules" }
        return .allow(how ?? "role \(role.name) may record.update on records in its reach (\(role.reach.rawValue))",
                      policy: self, consent: relied)
    }

    private func decideNote(_ request: AccessRequest, role: RolePolicy, record: RecordFacts, grant: ReferralGrant?) -> Decision {
        guard let c = request.noteClass else { return .deny("note.add needs a note class", policy: self) }
        if let grant, !grant.write.contains(c) {
            return .deny("notes of class \(c.rawValue) not shared for writing by \(grant.rule)", policy: self, consent: grant.consent)
        }
        guard let rule = role.noteClasses[c] else {
            return .deny("notes of class \(c.rawValue) not permitted for role \(role.name)", policy: self)
        }
        var relied = grant?.consent ?? [:]
        let check = consentCheck(rule, role: role, request: request, record: record, relied: &relied)
        guard check.ok, !check.byCourtOrder else { return .deny(check.reason, policy: self, consent: relied) }
        let how = grant.map { "\($0.rule); role \(role.name) may note.add (\(c.rawValue)) under its own rules" }
        return .allow(how ?? "role \(role.name) may note.add (\(c.rawValue))", policy: self, consent: relied)
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
