import Foundation
import HavenCore
@testable import HavenPolicy
import HavenStats
import Testing

/// An invalid policy is refused with `file:line: reason`, whatever the mistake.
@Suite struct PolicyValidationTests {
    @Test func shippedPolicyIsValid() throws {
        let p = ShippedPolicy.policy
        #expect(Set(p.roles.keys.map(\.rawValue)) == ["intake", "counsellor", "health", "police", "court", "auditor", "analyst", "admin"])
        #expect(Set(p.recordTypes.keys.map(\.rawValue)) == ["gbv_incident", "trafficking_case"])
        #expect(p.version.count == 64)
    }

    @Test func gbvIncidentHasTheSpecFieldsAndTheSixCoreIncidentTypes() throws {
        let t = try ShippedPolicy.policy.recordType(named: "gbv_incident")
        let expected: [(String, FieldClass)] = [
            ("survivor_name", .identity), ("date_of_birth", .identity), ("sex", .identity), ("phone", .contact),
            ("address", .contact), ("incident_type", .incident), ("incident_date", .incident), ("incident_location", .incident),
            ("incident_description", .incident), ("perpetrator_relationship", .perpetrator), ("health_notes", .health),
            ("counselling_notes", .counselling), ("legal_status", .legal),
        ]
        for (name, c) in expected { #expect(try t.field(named: name).fieldClass == c, "\(name)") }
        // The fields a returning survivor is found by.
        #expect(t.fields.filter { $0.search != nil }.map { "\($0.name):\($0.search!.rawValue)" }.sorted()
                == ["date_of_birth:date", "phone:phone", "survivor_name:name"])
        #expect(try t.field(named: "incident_type").kind == .choice(
            ["rape", "sexual_assault", "physical_assault", "forced_marriage", "denial_of_resources", "psychological_abuse"]))
    }

    @Test func versionChangesWithAnyByteAndIgnoresDocumentation() throws {
        var files = try ShippedPolicy.files()
        let v1 = try PolicyParser.parse(files).version
        files.append(PolicyFile(path: "README.md", contents: Array("notes".utf8)))
        #expect(try PolicyParser.parse(files).version == v1)
        files[0] = PolicyFile(path: "roles.yaml", contents: files[0].contents + Array("\n# a comment\n".utf8))
        #expect(try PolicyParser.parse(files).version != v1)
    }

    /// Each case edits the shipped roles.yaml: replaces `old` with `new`, and expects the
    /// error to name roles.yaml, the line where `new` landed, and the reason.
    @Test(arguments: [
        ("unknown action", "actions: [record.read, record.find]", "actions: [record.raed, record.find]", "unknown action 'record.raed'"),
        ("unknown class", "health: {consent: health}\n    write:", "helth: {consent: health}\n    write:", "unknown field class 'helth'"),
        ("unknown flag", "identity: {consent: police}", "identity: {consent: polise}", "unknown consent flag 'polise'"),
        ("unknown role", "assign_to: [counsellor, intake]", "assign_to: [counselor, intake]", "unknown role 'counselor' in assign_to"),
        ("typo in a key", "    reach: assigned", "    raech: assigned", "unknown key 'raech'"),
        ("duplicate key", "    reach: assigned", "    reach: assigned\n    reach: any", "duplicate key 'reach'"),
        ("consent left out", "identity: {consent: police}", "identity: {}", "is missing 'consent'"),
        ("admin given a record action", "actions: [user.manage, key.manage]", "actions: [user.manage, key.manage, record.read]",
         "separated duty administration and cannot be given record.read"),
        ("auditor given break-glass", "    actions: [audit.read]\n    reach: none",
         "    actions: [audit.read]\n    reach: none\n    break_glass: {classes: [identity]}", "cannot be given access to record fields"),
        ("admin losing its duty", "    separated_duty: administration\n", "\n", "must declare 'separated_duty: administration'"),
        ("unknown reach", "    reach: assigned", "    reach: everyone", "unknown reach 'everyone'"),
        ("YAML syntax", "    reach: assigned", "    reach: [assigned", "YAML syntax"),
        ("break-glass class without a read rule", "classes: [identity, contact]", "classes: [identity, health]",
         "break_glass names class health, which the role has no read rule for"),
        ("unknown find_elsewhere", "    find_elsewhere: none\n    read:\n      identity: {consent: police}",
         "    find_elsewhere: everything\n    read:\n      identity: {consent: police}", "unknown find_elsewhere 'everything'"),
        ("find_elsewhere on a role that cannot find", "    actions: [extract.issue]\n    reach: any",
         "    actions: [extract.issue]\n    reach: any\n    find_elsewhere: exists", "has find_elsewhere or find_limit but may not record.find"),
        ("a script's pace", "    find_elsewhere: agencies", "    find_elsewhere: agencies\n    find_limit: {burst: 1000, seconds_per_find: 3}",
         "find_limit burst must be from 1 to 60"),
        ("no pause at all", "    find_elsewhere: agencies", "    find_elsewhere: agencies\n    find_limit: {burst: 10, seconds_per_find: 0}",
         "find_limit seconds_per_find must be from 1 to 3600"),
        ("half a limit", "    find_elsewhere: agencies", "    find_elsewhere: agencies\n    find_limit: {burst: 10}",
         "is missing 'seconds_per_find'"),
    ])
    func invalidRolesAreRefusedWithFileAndLine(what: String, old: String, new: String, reason: String) throws {
        var files = try ShippedPolicy.files()
        let text = String(decoding: files[0].contents, as: UTF8.self)
        #expect(text.contains(old), "\(what): the shipped file no longer contains the text to replace")
        let edited = text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old))
        files[0] = PolicyFile(path: "roles.yaml", contents: Array(edited.utf8))
        #expect { try PolicyParser.parse(files, displayPrefix: "policy/") } throws: { error in
            guard let e = error as? PolicyError else { return false }
            let firstNewLine = edited[..<edited.range(of: new)!.lowerBound].filter { $0 == "\n" }.count + 1
            // A YAML syntax error is noticed on the line after the broken one.
            let newLines = (firstNewLine...(firstNewLine + new.filter { $0 == "\n" }.count + (what == "YAML syntax" ? 1 : 0)))
            let ok = e.file == "policy/roles.yaml" && e.reason.contains(reason)
                && (newLines.contains(e.line) || ["admin losing its duty", "admin given a record action"].contains(what))
            if !ok { Issue.record("\(what): got \(e)") }
            return ok
        }
    }

    @Test(arguments: [
        ("type/file mismatch", "type: gbv_incident", "type: gbv_incidents", "must match the file name"),
        ("unknown field type", "survivor_name: {class: identity, type: text", "survivor_name: {class: identity, type: txt", "unknown field type 'txt'"),
        ("unknown class", "phone: {class: contact", "phone: {class: contacts", "unknown field class 'contacts'"),
        ("bad field name", "  phone: {", "  Phone: {", "field name 'Phone'"),
        ("choice without values", "sex: {class: identity, type: choice, values: [female, male, other, unknown],",
         "sex: {class: identity, type: choice,", "needs 'values'"),
        ("duplicate field", "  phone: {class: contact", "  address: {class: contact", "duplicate key 'address'"),
        ("unknown search kind", "search: phone", "search: telephone", "unknown search kind 'telephone'"),
        ("a date searched as a name", "type: date, search: date", "type: date, search: name", "does not apply to type date"),
        ("a name searched as a date", "max_length: 200, search: name", "max_length: 200, search: date", "does not apply to type text"),
        ("unknown statistics use", "unknown], stats: sex", "unknown], stats: gender", "unknown statistics use 'gender'"),
        ("a choice counted as a month", "unknown], stats: sex", "unknown], stats: month", "stats 'month' needs a date field"),
        ("reported elsewhere without yes", "values: ['yes', 'no', unknown], stats: reported_elsewhere",
         "values: ['no', unknown], stats: reported_elsewhere", "needs a choice with the value 'yes'"),
        ("values_from on text", "type: choice, values_from: provinces", "type: text, values_from: provinces",
         "'values_from' applies only to type choice"),
        ("values_from something else", "values_from: provinces", "values_from: districts", "values_from must be 'provinces'"),
    ])
    func invalidSchemasAreRefusedWithFileAndLine(what: String, old: String, new: String, reason: String) throws {
        var files = try ShippedPolicy.files()
        let index = files.firstIndex { $0.path == "schema/gbv_incident.yaml" }!
        let text = String(decoding: files[index].contents, as: UTF8.self)
        #expect(text.contains(old), "\(what)")
        let edited = text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old))
        files[index] = PolicyFile(path: "schema/gbv_incident.yaml", contents: Array(edited.utf8))
        let line = edited[..<edited.range(of: new)!.lowerBound].filter { $0 == "\n" }.count + 1
        #expect { try PolicyParser.parse(files) } throws: { error in
            guard let e = error as? PolicyError else { return false }
            let ok = e.file == "schema/gbv_incident.yaml" && e.reason.contains(reason) && abs(e.line - line) <= 1
            if !ok { Issue.record("\(what): got \(e), expected line \(line)") }
            return ok
        }
    }

    /// One field name is one blind index: two record types may not search it differently,
    /// nor one search it and the other not.
    @Test(arguments: [", search: phone", ""])
    func aFieldSearchedDifferentlyInTwoTypesIsRefused(replacement: String) throws {
        var files = try ShippedPolicy.files()
        let index = files.firstIndex { $0.path == "schema/trafficking_case.yaml" }!
        let text = String(decoding: files[index].contents, as: UTF8.self)
        #expect(text.contains(", search: name"))
        files[index] = PolicyFile(path: "schema/trafficking_case.yaml",
                                  contents: Array(text.replacingOccurrences(of: ", search: name", with: replacement).utf8))
        #expect { try PolicyParser.parse(files) } throws: { error in
            guard let e = error as? PolicyError else { return false }
            return e.file == "schema/trafficking_case.yaml" && e.reason.contains("field 'survivor_name' is searched differently")
        }
    }

    /// Statistics: one field per use in a type, provinces from their file, a sane threshold,
    /// breakdowns of known dimensions (deny by default).
    @Test func statisticsRulesAreChecked() throws {
        func parse(_ edit: (inout [PolicyFile]) -> Void) throws -> Policy {
            var files = try ShippedPolicy.files()
            edit(&files)
            return try PolicyParser.parse(files)
        }
        func replace(_ files: inout [PolicyFile], _ path: String, _ old: String, _ new: String) {
            let i = files.firstIndex { $0.path == path }!
            let text = String(decoding: files[i].contents, as: UTF8.self)
            #expect(text.contains(old), "\(old)")
            files[i] = PolicyFile(path: path, contents: Array(text.replacingOccurrences(of: old, with: new).utf8))
        }
        let shipped = try parse { _ in }
        #expect(shipped.statistics.threshold == 5 && shipped.provinces.count == 52)
        #expect(shipped.provinces.filter { $0.country == "la" }.count == 18 && shipped.provinces.filter { $0.country == "vn" }.count == 34)
        let gbv = try shipped.recordType(named: "gbv_incident")
        #expect(gbv.fields.compactMap { f in f.stats.map { "\($0.rawValue):\(f.name)" } }.sorted() == [
            "age_group:date_of_birth", "incident_type:incident_type", "month:intake_date", "perpetrator_relationship:perpetrator_relationship",
            "province:province", "reported_elsewhere:reported_elsewhere", "sex:sex"])
        #expect(throws: Never.self) { try gbv.field(named: "province").validate("la-luang-prabang") }
        #expect(throws: HavenError.self) { try gbv.field(named: "province").validate("luang-prabang") }

        let refusals: [(String, (inout [PolicyFile]) -> Void)] = [
            ("both give stats 'month'", { replace(&$0, "schema/gbv_incident.yaml", "stats: age_group", "stats: month") }),
            ("needs policy/provinces.yaml", { $0.removeAll { $0.path == "provinces.yaml" } }),
            ("small_cell_threshold must be from 3 to 100", { replace(&$0, "statistics.yaml", "threshold: 5", "threshold: 2") }),
            ("must use a-z", { replace(&$0, "provinces.yaml", "la-bokeo:", "La Bokeo:") }),
            ("country must be a two-letter code", { replace(&$0, "provinces.yaml", "{country: la, name_en: Bokeo", "{country: lao, name_en: Bokeo") }),
            ("unknown dimension 'gender' in a breakdown", { replace(&$0, "statistics.yaml", "[province, sex]", "[province, gender]") }),
            ("'month' is not a breakdown's dimension", { replace(&$0, "statistics.yaml", "[record_type]", "[month, sex]") }),
            ("'sex' is listed twice in a breakdown", { replace(&$0, "statistics.yaml", "[province, sex]", "[sex, province, sex]") }),
            ("is listed twice (the order of its dimensions does not matter)",
             { replace(&$0, "statistics.yaml", "[record_type]", "[record_type]\n  - [sex, province]") }),
            ("a breakdown names no dimension", { replace(&$0, "statistics.yaml", "[record_type]", "[]") }),
            ("at most 4 dimensions", { replace(&$0, "statistics.yaml", "[record_type]", "[age_group, sex, agency, province, record_type]") }),
            ("must be a list of lists", {
                replace(&$0, "statistics.yaml", "breakdowns:\n  - [province, incident_type]\n", "breakdowns: province\n#")
                replace(&$0, "statistics.yaml", "\n  - [", "\n# - [")
            }),
            ("a breakdown must be a list", { replace(&$0, "statistics.yaml", "[record_type]", "age_group") }),
        ]
        for (reason, edit) in refusals {
            #expect { _ = try parse(edit) } throws: { error in
                let ok = (error as? PolicyError)?.reason.contains(reason) == true
                if !ok { Issue.record("expected '\(reason)', got \(error)") }
                return ok
            }
        }
        // An error names its line, as every policy error does.
        #expect { _ = try parse { replace(&$0, "statistics.yaml", "[province, sex]", "[province, gender]") } } throws: { error in
            let e = error as? PolicyError
            return e?.file == "statistics.yaml" && e?.line == 14
        }
        // A breakdown is a set: its dimensions in any order, or some of them, with or without
        // month, are a table of it; anything else is not.
        let allowed = shipped.statistics
        #expect(allowed.breakdowns.count == 3)
        #expect(allowed.breakdown(for: [.incidentType, .province]) == [.incidentType, .province])
        #expect(allowed.breakdown(for: [.month, .province, .incidentType]) == [.incidentType, .province])
        #expect(allowed.breakdown(for: [.recordType]) == [.recordType] && allowed.breakdown(for: [.sex]) == [.province, .sex])
        #expect(allowed.breakdown(for: [.incidentType, .sex]) == nil && allowed.breakdown(for: [.province, .sex, .ageGroup]) == nil)
        // Without statistics.yaml the threshold is 5 and nothing may be counted.
        let none = try parse { $0.removeAll { $0.path == "statistics.yaml" } }.statistics
        #expect(none.threshold == 5 && none.breakdowns.isEmpty && none.breakdown(for: [.sex]) == nil)
    }

    /// Referrals: each service needs a real consent flag, real classes, writes only what it
    /// reads, and agency types that exist; the shipped set is offered by the shipped agencies.
    @Test func referralServicesAreChecked() throws {
        let shipped = ShippedPolicy.policy
        #expect(shipped.referrals.keys.sorted() == ["counselling", "health", "legal", "police", "shelter"])
        #expect(shipped.referrals["shelter"]?.consent == .shelter && shipped.referrals["shelter"]?.read == [.identity, .contact])
        #expect(shipped.offers(try AgencyName("lwu-shelter-vientiane"), "shelter"))
        #expect(shipped.offers(try AgencyName("legal-aid-vientiane"), "legal"))
        #expect(shipped.offers(try AgencyName("luang-prabang-hospital"), "health"))
        #expect(!shipped.offers(try AgencyName("police-vientiane"), "shelter"))
        #expect(!shipped.offers(try AgencyName("no-such-agency"), "shelter"))
        #expect(!shipped.offers(try AgencyName("lwu-shelter-vientiane"), "no_such_service"))
        // Every shipped service is offered by at least one shipped agency.
        for name in shipped.referrals.keys {
            #expect(shipped.agencies.agencies!.keys.contains { shipped.offers($0, name) }, "\(name)")
        }

        let cases: [(String, String, String)] = [
            ("consent: shelter", "consent: none", "unknown consent flag 'none'"),
            ("consent: shelter", "consent: shleter", "unknown consent flag 'shleter'"),
            ("read: [identity, contact]\n    write: [contact]", "read: [identity]\n    write: [contact]", "writes class contact, which it does not read"),
            ("offered_by: [shelter]", "offered_by: [refuge]", "unknown agency type 'refuge'"),
            ("read: [identity, contact]", "read: [identity, contacts]", "unknown field class 'contacts'"),
            ("    offered_by: [shelter]\n", "    offered_by: [shelter]\n    share_all: true\n", "unknown key 'share_all'"),
        ]
        for (old, new, reason) in cases {
            var files = try ShippedPolicy.files()
            let i = files.firstIndex { $0.path == "referrals.yaml" }!
            let text = String(decoding: files[i].contents, as: UTF8.self)
            #expect(text.contains(old), "\(old)")
            let edited = text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old))
            files[i] = PolicyFile(path: "referrals.yaml", contents: Array(edited.utf8))
            let line = edited[..<edited.range(of: new)!.lowerBound].filter { $0 == "\n" }.count + 1
            #expect { try PolicyParser.parse(files) } throws: { error in
                guard let e = error as? PolicyError else { return false }
                let ok = e.file == "referrals.yaml" && e.reason.contains(reason) && abs(e.line - line) <= 1
                if !ok { Issue.record("expected \(reason) at line \(line), got \(e)") }
                return ok
            }
        }
        // Without the file, no service: no referral can be made.
        let none = try PolicyParser.parse(try ShippedPolicy.files().filter { $0.path != "referrals.yaml" })
        let shelter = try AgencyName("lwu-shelter-vientiane")
        #expect(none.referrals.isEmpty && !none.offers(shelter, "shelter"))
    }

    @Test func strayFilesAndMissingPartsAreRefused() throws {
        var files = try ShippedPolicy.files()
        files.append(PolicyFile(path: "roles.yml", contents: []))
        #expect(throws: PolicyError.self) { try PolicyParser.parse(files) }
        #expect(throws: PolicyError.self) { try PolicyParser.parse(Array(try ShippedPolicy.files().dropFirst())) }
        #expect(throws: PolicyError.self) { try PolicyParser.parse([try ShippedPolicy.files()[0]]) }
    }

    @Test func valuesAreValidatedAgainstTheSchemaWithoutEchoingThem() throws {
        let t = try ShippedPolicy.policy.recordType(named: "gbv_incident")
        for (field, value) in [("incident_type", "burglary"), ("date_of_birth", "12/31/1990"), ("date_of_birth", "31/02/1990"), ("perpetrator_count", "many"),
                               ("perpetrator_count", "101"), ("phone", String(repeating: "9", count: 41))] {
            #expect { try t.field(named: field).validate(value) } throws: { error in
                let e = error as! HavenError
                return e.code == .invalidValue && e.message.contains(field) && !e.message.contains(value) && !(e.hint ?? "").contains(value)
            }
        }
        try t.field(named: "date_of_birth").validate("1990-12-31")
        // Day first, as record find reads it, stored as YYYY-MM-DD; the month is never read first.
        for typed in ["31/12/1990", "31-12-1990", "31.12.1990", "1990-12-31"] {
            #expect(try t.field(named: "date_of_birth").stored(typed) == "1990-12-31", "\(typed)")
        }
        #expect(try t.field(named: "date_of_birth").stored("01/02/1990") == "1990-02-01")
        #expect(try t.field(named: "survivor_name").stored("ນາງ ສົມພອນ") == "ນາງ ສົມພອນ", "only dates change as stored")
        try t.field(named: "survivor_name").validate("ນາງ ສົມພອນ ວົງສະຫວັນ")
        #expect(throws: HavenError.self) { try t.field(named: "favourite_food") }
    }
}
