import HavenCore
import Yams

/// Parses `policy/roles.yaml` (format in policy/README.md) and enforces the rules no
/// policy may break, whatever an agency edits: separated duties stay separated.
struct RolesFileParser {
    let reader: YAMLReader

    func parse(_ text: String) throws(PolicyError) -> [RoleName: RolePolicy] {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "roles.yaml", allowed: ["roles"], required: ["roles"])
        var roles = [RoleName: RolePolicy]()
        var assignReferences = [(RoleName, Node)]()
        for (key, keyNode, value) in try reader.anyMapping(top[0].value, what: "roles") {
            guard let name = try? RoleName(key) else {
                throw reader.fail(keyNode, "role name '\(key)' must use a-z, 0-9, '.', '_' and '-' only")
            }
            let (parsed, references) = try role(name, keyNode: keyNode, value)
            roles[name] = parsed
            assignReferences += references
        }
        // Roles named in assign_to must exist: a typo there would make a record unassignable.
        for (referenced, node) in assignReferences where roles[referenced] == nil {
            throw reader.fail(node, "unknown role '\(referenced)' in assign_to (roles defined: \(roles.keys.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        guard roles.values.contains(where: { $0.actions.contains(.userManage) }) else {
            throw reader.fail(root, "no role may manage users (user.manage): the vault could never enrol anyone")
        }
        return roles
    }

    /// Roles SPEC §2 names as separated: whatever the file says, these names must carry
    /// their duty, so renaming a rule cannot quietly give an administrator survivors' data.
    static let reservedDuties: [String: SeparatedDuty] = [
        "admin": .administration, "auditor": .audit, "analyst": .statistics,
    ]

    private func role(_ name: RoleName, keyNode: Node, _ node: Node) throws(PolicyError) -> (RolePolicy, [(RoleName, Node)]) {
        let what = "role '\(name)'"
        let pairs = try reader.mapping(node, what: what, allowed: [
            "description", "separated_duty", "actions", "reach", "read", "write", "create", "notes",
            "assign_to", "court_order_substitutes", "break_glass", "find_elsewhere", "find_limit",
        ], required: ["actions", "reach"])
        var description = ""
        var duty: SeparatedDuty?
        var actions = Set<Action>()
        var reach = RecordReach.none
        var read = [FieldClass: ClassRule]()
        var write = [FieldClass: ClassRule]()
        var create = Set<FieldClass>()
        var noteClasses = [FieldClass: ClassRule]()
        var readsOwnNotes = false
        var courtOrder: ConsentFlag?
        var assignable = [(RoleName, Node)]()
        var breakGlass: BreakGlassRule?
        var breakGlassNode = node
        var contentNode: Node?  // the first key granting access to content, for error lines
        var findElsewhere = FindElsewhere.none
        var findLimit = FindLimit.standard
        var findNode: Node?  // the first find_ key, for the error of a role that cannot find

        for (key, keyNode, value) in pairs {
            switch key {
            case "description":
                description = try reader.string(value, what: "description")
            case "separated_duty":
                duty = try reader.word(value, as: SeparatedDuty.self, what: "separated duty")
            case "actions":
                for (word, item) in try reader.list(value, what: "actions") {
                    guard let a = Action(rawValue: word) else {
                        throw reader.fail(item, "unknown action '\(word)' (expected one of: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    actions.insert(a)
                }
            case "reach":
                reach = try reader.word(value, as: RecordReach.self, what: "reach")
            case "read", "write":
                contentNode = contentNode ?? keyNode
                let rules = try classRules(value, what: key)
                if key == "read" { read = rules } else { write = rules }
            case "create":
                contentNode = contentNode ?? keyNode
                create = try reader.fieldClasses(value, what: "create")
            case "notes":
                contentNode = contentNode ?? keyNode
                for (k, _, v) in try reader.mapping(value, what: "notes", allowed: ["classes", "read_own"]) {
                    if k == "classes" { noteClasses = try classRules(v, what: "note classes") } else { readsOwnNotes = try reader.bool(v, what: "read_own") }
                }
            case "assign_to":
                for (word, item) in try reader.list(value, what: "assign_to") {
                    guard let r = try? RoleName(word) else { throw reader.fail(item, "'\(word)' is not a role name") }
                    assignable.append((r, item))
                }
            case "court_order_substitutes":
                courtOrder = try reader.word(value, as: ConsentFlag.self, what: "consent flag")
            case "find_elsewhere":
                findNode = findNode ?? keyNode
                findElsewhere = try reader.word(value, as: FindElsewhere.self, what: "find_elsewhere")
            case "find_limit":
                findNode = findNode ?? keyNode
                findLimit = try self.findLimit(value)
            default:
                contentNode = contentNode ?? keyNode
                let bg = try reader.mapping(value, what: "break_glass", allowed: ["classes"], required: ["classes"])
                breakGlass = BreakGlassRule(classes: try reader.fieldClasses(bg[0].value, what: "break_glass classes"))
                breakGlassNode = bg[0].value
            }
        }

        if let expected = Self.reservedDuties[name.rawValue], duty != expected {
            throw reader.fail(keyNode, "role '\(name)' must declare 'separated_duty: \(expected.rawValue)' (SPEC §2: it may never read record content)")
        }
        if let duty {
            if let a = actions.sorted().first(where: \.touchesRecordContent) {
                throw reader.fail(keyNode, "role '\(name)' has separated duty \(duty.rawValue) and cannot be given \(a.rawValue)")
            }
            if reach != .none {
                throw reader.fail(keyNode, "role '\(name)' has separated duty \(duty.rawValue): its reach must be none")
            }
            if let contentNode {
                throw reader.fail(contentNode, "role '\(name)' has separated duty \(duty.rawValue) and cannot be given access to record fields")
            }
        }
        if let bg = breakGlass, let c = bg.classes.sorted().first(where: { read[$0] == nil }) {
            throw reader.fail(breakGlassNode, "role '\(name)': break_glass names class \(c.rawValue), which the role has no read rule for")
        }
        // A find rule on a role that cannot find says something the policy does not do.
        if let findNode, !actions.contains(.recordFind) {
            throw reader.fail(findNode, "role '\(name)' has find_elsewhere or find_limit but may not record.find")
        }
        if actions.contains(.recordAssign), assignable.isEmpty {
            throw reader.fail(keyNode, "role '\(name)' may record.assign but has no assign_to list of roles that can be assigned")
        }
        let policy = RolePolicy(name: name, description: description, separatedDuty: duty, actions: actions, reach: reach,
                                read: read, write: write, create: create, noteClasses: noteClasses, readsOwnNotes: readsOwnNotes,
                                assignableRoles: Set(assignable.map(\.0)), courtOrderSubstitutes: courtOrder, breakGlass: breakGlass,
                                findElsewhere: findElsewhere, findLimit: findLimit)
        return (policy, assignable)
    }

    /// `{burst: N, seconds_per_find: S}`, within the bounds of a person's pace.
    private func findLimit(_ node: Node) throws(PolicyError) -> FindLimit {
        var burst = FindLimit.standard.burst, seconds = FindLimit.standard.secondsPerFind
        for (key, _, value) in try reader.mapping(node, what: "find_limit", allowed: ["burst", "seconds_per_find"],
                                                  required: ["burst", "seconds_per_find"]) {
            let n = try reader.integer(value, what: key)
            let range = key == "burst" ? FindLimit.burstRange : FindLimit.secondsRange
            guard range.contains(Int(clamping: n)) else {
                throw reader.fail(value, "find_limit \(key) must be from \(range.lowerBound) to \(range.upperBound): "
                                  + "finds are held to a person's pace, not a script's")
            }
            if key == "burst" { burst = Int(n) } else { seconds = Int(n) }
        }
        return FindLimit(burst: burst, secondsPerFind: seconds)
    }

    /// A mapping from field class to `{consent: …}`.
    private func classRules(_ node: Node, what: String) throws(PolicyError) -> [FieldClass: ClassRule] {
        var rules = [FieldClass: ClassRule]()
        for (classWord, classKey, ruleNode) in try reader.anyMapping(node, what: what) {
            guard let c = FieldClass(rawValue: classWord) else {
                throw reader.fail(classKey, "unknown field class '\(classWord)' (expected one of: \(FieldClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            rules[c] = try classRule(ruleNode, what: "\(what) rule for \(classWord)")
        }
        return rules
    }

    /// `{consent: <flag>}` or `{consent: none}`: the word `none` must be written out, so
    /// forgetting the consent line is an error rather than access without consent.
    private func classRule(_ node: Node, what: String) throws(PolicyError) -> ClassRule {
        let pairs = try reader.mapping(node, what: what, allowed: ["consent"], required: ["consent"])
        let word = try reader.string(pairs[0].value, what: "consent")
        if word == "none" { return ClassRule(consent: nil) }
        guard let flag = ConsentFlag(rawValue: word) else {
            throw reader.fail(pairs[0].value, "unknown consent flag '\(word)' (expected none or one of: \(ConsentFlag.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return ClassRule(consent: flag)
    }
}
