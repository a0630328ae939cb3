import HavenPolicy
import Testing

/// Labels in English, Lao and Vietnamese (policy/README.md, "Labels"): the shipped policy
/// gives every one, a mistake is refused at its line, a missing translation is a warning at
/// its line, and a policy from before labels still loads.
@Suite struct LabelTests {
    static func edited(_ path: String, _ old: String, _ new: String) throws -> [PolicyFile] {
        var files = try ShippedPolicy.files()
        let i = files.firstIndex { $0.path == path }!
        let text = String(decoding: files[i].contents, as: UTF8.self)
        #expect(text.contains(old), "\(old)")
        files[i] = PolicyFile(path: path, contents: Array(text.replacingOccurrences(of: old, with: new, options: [],
                                                                                    range: text.range(of: old)).utf8))
        return files
    }

    static func line(of needle: String, in path: String) throws -> Int {
        let text = String(decoding: try ShippedPolicy.bytes(path), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test func theShippedPolicyLabelsEveryFieldGroupAndValueInThreeLanguages() throws {
        let policy = ShippedPolicy.policy
        #expect(policy.warnings.isEmpty, "\(policy.warnings)")
        for type in policy.recordTypes.values {
            #expect(policy.labels.recordType(type.name.rawValue).isComplete)
            for field in type.fields {
                #expect(field.labels.isComplete, "\(type.name).\(field.name)")
                #expect(policy.labels.group(field.group).isComplete, "\(field.group)")
                guard case .choice(let codes) = field.kind, field.stats != .province else { continue }
                for code in codes { #expect(policy.labels.values[code]?.isComplete == true, "\(field.name)=\(code)") }
            }
        }
        #expect(policy.labels.value("intimate_partner").text("vi") == "Vợ, chồng hoặc bạn tình")
        #expect(policy.labels.value("intimate_partner").text("lo") == "ຄູ່ຮັກ ຫຼື ຄູ່ສົມລົດ")
        #expect(try policy.recordTypes.values.first { $0.name.rawValue == "gbv_incident" }!.field(named: "sex").labels.text("lo") == "ເພດ")
    }

    @Test func anUnknownLanguageIsRefusedAtItsLine() throws {
        let files = try Self.edited("labels.yaml", "    lo: ຄູ່ຮັກ ຫຼື ຄູ່ສົມລົດ", "    la: ຄູ່ຮັກ ຫຼື ຄູ່ສົມລົດ")
        let line = try Self.line(of: "    lo: ຄູ່ຮັກ ຫຼື ຄູ່ສົມລົດ", in: "labels.yaml")
        #expect { try PolicyParser.parse(files) } throws: { error in
            let e = error as? PolicyError
            return e?.file == "labels.yaml" && e?.line == line && e?.reason.contains("unknown language 'la'") == true
        }
        let inSchema = try Self.edited("schema/gbv_incident.yaml", "lo: ເພດ, vi: Giới tính", "lo: ເພດ, fr: Sexe")
        #expect { try PolicyParser.parse(inSchema) } throws: { error in
            (error as? PolicyError)?.reason.contains("unknown language 'fr'") == true
        }
    }

    /// Sites trim the shipped schemas and keep the shipped labels.yaml: an unused label is a
    /// warning at its line, and a misspelt code still shows as the real one's missing label.
    @Test func aLabelForAValueNoSchemaHasIsAWarningAtItsLine() throws {
        let files = try Self.edited("labels.yaml", "  intimate_partner:", "  intimate_partnr:")
        let line = try Self.line(of: "  intimate_partner:", in: "labels.yaml")
        let warned = try PolicyParser.parse(files).warnings
        #expect(warned.contains { $0.file == "labels.yaml" && $0.line == line && $0.reason.contains("value 'intimate_partnr', which no choice field") }, "\(warned)")
        #expect(warned.contains { $0.description.contains("value 'intimate_partner' of field") }, "\(warned)")
        let group = try PolicyParser.parse(try Self.edited("labels.yaml", "  Contact:", "  Contacts:")).warnings
        #expect(group.contains { $0.reason.contains("group 'Contacts', which no field") }, "\(group)")
    }

    @Test func aMissingTranslationIsAWarningAtItsLineAndShownInEnglish() throws {
        let files = try Self.edited("labels.yaml", "    vi: Vợ, chồng hoặc bạn tình\n", "")
        let policy = try PolicyParser.parse(files)
        let line = try Self.line(of: "  intimate_partner:", in: "labels.yaml")
        #expect(policy.warnings.map(\.description) == ["labels.yaml:\(line): value 'intimate_partner' has no vi label (shown in English)"])
        #expect(policy.labels.value("intimate_partner").text("vi") == "Intimate partner or spouse")
        // A value with no entry at all: warned at its line in the schema.
        let without = try Self.edited("schema/gbv_incident.yaml", "values: [morning, afternoon", "values: [morning, dawn, afternoon")
        let warned = try PolicyParser.parse(without).warnings.map(\.description)
        let schemaLine = try Self.line(of: "values: [morning, afternoon", in: "schema/gbv_incident.yaml")
        #expect(warned.contains { $0.hasPrefix("schema/gbv_incident.yaml:\(schemaLine): value 'dawn' of field 'incident_time_of_day'") }, "\(warned)")
    }

    @Test func aPolicyFromBeforeLabelsLoadsInEnglishWithOneWarningPerFile() throws {
        var files = try ShippedPolicy.files().filter { $0.path != "labels.yaml" }
        for (i, file) in files.enumerated() where file.path.hasPrefix("schema/") {
            // Back to plain English labels, as the files were written before.
            var text = String(decoding: file.contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("label:") }.joined(separator: "\n")
            while let r = text.range(of: "label: {en: ") {
                let end = text[r.upperBound...].range(of: ", lo: ")!
                let close = text[end.upperBound...].range(of: "}")!
                text.replaceSubrange(r.lowerBound..<close.upperBound, with: "label: " + text[r.upperBound..<end.lowerBound])
            }
            files[i] = PolicyFile(path: file.path, contents: Array(text.utf8))
        }
        let policy = try PolicyParser.parse(files)
        let field = policy.recordTypes.values.first { $0.name.rawValue == "gbv_incident" }!.fields.first { $0.name.rawValue == "sex" }!
        #expect(field.label == "Sex" && field.labels.text("lo") == "Sex")
        #expect(policy.labels.value("intimate_partner").text("lo") == "intimate partner")
        #expect(policy.warnings.map(\.file).sorted() == ["labels.yaml", "schema/gbv_incident.yaml", "schema/trafficking_case.yaml"],
                "\(policy.warnings)")
    }
}
