import HavenCore
import HavenDesk
import HavenPolicy
import HavenTestSupport
import Testing

/// The schema → form builder, for both shipped schemas: every field present with the input
/// its kind needs, required fields marked, the policy's labels in Lao and Vietnamese, and a
/// form that failed its checks shown again with the values kept and escaped.
@Suite struct WriteFormTests {
    static let policy: Policy = try! PolicyDirectory.load(Repository.path("policy"))
    static let english = Words(language: .en, catalog: Catalog(tables: [:]))

    static func form(_ type: String, language: String = "en", values: [String: String] = [:], errors: [String: String] = [:]) -> String {
        let t = policy.recordTypes.first { $0.key.rawValue == type }!.value
        return RecordFormView.fieldsets(t.fields, values: values, errors: errors, markRequired: true,
                                        labels: SchemaLabels(policy: policy, language: language), words: english).raw
    }

    /// The markup of one field: from its `div.field` to the next.
    static func block(_ html: String, _ field: String) -> String {
        guard let start = html.range(of: "data-field=\"\(field)\"") else { return "" }
        let rest = html[start.lowerBound...]
        let end = rest.dropFirst().range(of: "<div class=\"field")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test(arguments: ["gbv_incident", "trafficking_case"])
    func everyFieldHasTheInputItsKindNeeds(type: String) throws {
        let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == type }?.value)
        let html = Self.form(type)
        for field in t.fields {
            let name = field.name.rawValue
            let b = Self.block(html, name)
            #expect(b.contains("name=\"field.\(name)\""), "\(name)")
            switch field.kind {
            case .choice(let codes):
                #expect(b.contains("<select id=\"f-\(name)\" name=\"field.\(name)\""), "\(name)")
                for code in codes { #expect(b.contains("<option value=\"\(code)\""), "\(name) \(code)") }
            case .date:
                #expect(b.contains("<input type=\"date\""), "\(name)")
            case .integer(let min, let max):
                #expect(b.contains("<input type=\"number\"") && b.contains("min=\"\(min)\"") && b.contains("max=\"\(max)\""), "\(name)")
            case .text(let maxLength):
                #expect(b.contains("maxlength=\"\(maxLength)\""), "\(name)")
                #expect(b.contains(maxLength > 200 ? "<textarea" : "<input type=\"text\""), "\(name)")
            }
            if field.required {
                #expect(b.contains("required aria-required=\"true\"") && b.contains("class=\"required-mark\""), "\(name)")
            } else {
                #expect(!b.contains(" required") && !b.contains("required-mark"), "\(name)")
            }
        }
        // One fieldset per group, in the schema's order.
        var groups = [String]()
        for f in t.fields where !groups.contains(f.group) { groups.append(f.group) }
        let legends = html.components(separatedBy: "<legend>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(legends == groups.map { HTML.escape($0) })
    }

    @Test(arguments: [("lo", "ເພດຍິງ", "ຂໍ້ມູນຂອງຜູ້ຖືກເຄາະຮ້າຍ"), ("vi", "Nữ", "Thông tin về nạn nhân")])
    func labelsGroupsAndChoicesAreInThePersonsLanguage(language: String, female: String, group: String) throws {
        for type in ["gbv_incident", "trafficking_case"] {
            let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == type }?.value)
            let html = Self.form(type, language: language)
            for field in t.fields {
                #expect(html.contains(">\(HTML.escape(field.labels.text(language)))"), "\(type).\(field.name)")
                #expect(field.labels.text(language) != field.labels.en, "\(type).\(field.name) has no \(language) label")
            }
            #expect(html.contains("<legend>\(group)</legend>"))
            #expect(Self.block(html, "sex").contains(">\(female)</option>"))
        }
        // Provinces by their name in the language, never their code.
        let html = Self.form("gbv_incident", language: "lo")
        #expect(Self.block(html, "province").contains(">ນະຄອນຫຼວງວຽງຈັນ</option>"))
    }

    @Test func aFailedCheckShowsTheFormAgainWithTheValuesKeptEscapedAndTheErrorBesideTheField() throws {
        let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == "gbv_incident" }?.value)
        let hostile = "\"><script>alert('x')</script><img src=x onerror=alert(1)>"
        let form = [
            "field.survivor_name": "  " + hostile + "  ",
            "field.date_of_birth": "31/02/2000",
            "field.perpetrator_count": "</textarea><b>",
            "field.incident_type": "<b>rape</b>",
            "field.incident_description": "</textarea><script>x</script>",
            "field.caseworker_code": String(repeating: "ກ", count: 41),
            "field.not_a_field": "ignored",
        ]
        let check = RecordFormCheck(form: form, fields: t.fields, requireRequired: true, words: Self.english)
        #expect(!check.isValid)
        #expect(Set(check.errors.keys) == ["date_of_birth", "perpetrator_count", "incident_type", "caseworker_code"])
        #expect(check.typed["survivor_name"] == hostile, "trimmed, otherwise as typed")
        #expect(check.values["survivor_name"] == hostile && check.values["not_a_field"] == nil)
        let html = Self.form("gbv_incident", values: check.typed, errors: check.errors)
        #expect(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>"))
        #expect(Self.block(html, "survivor_name").contains("value=\"\(HTML.escape(hostile))\""))
        #expect(Self.block(html, "incident_description").contains(">&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"))
        for field in check.errors.keys {
            let b = Self.block(html, field)
            #expect(b.contains("class=\"field-error\"") && b.contains("aria-invalid=\"true\""), "\(field)")
        }
        #expect(!Self.block(html, "survivor_name").contains("field-error"))
        // A choice that failed keeps the typed value selectable, escaped.
        #expect(Self.block(html, "incident_type").contains("<option value=\"&lt;b&gt;rape&lt;/b&gt;\" selected>"))
    }

    @Test func aMissingRequiredFieldIsAnErrorOnlyWhereRequiredFieldsAreRequired() throws {
        let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == "trafficking_case" }?.value)
        let create = RecordFormCheck(form: ["field.survivor_name": "ນາງ ມາລີ"], fields: t.fields, requireRequired: true, words: Self.english)
        #expect(create.errors.keys.sorted() == ["exploitation_form"])
        let edit = RecordFormCheck(form: ["field.survivor_name": "ນາງ ມາລີ"], fields: t.fields, requireRequired: false, words: Self.english)
        #expect(edit.isValid && edit.values == ["survivor_name": "ນາງ ມາລີ"])
    }

    @Test func aControlCharacterIsRefusedBesideItsField() throws {
        let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == "gbv_incident" }?.value)
        let check = RecordFormCheck(form: ["field.incident_type": "rape", "field.address": "a\u{0}b", "field.safe_contact": "line\r\nline"],
                                    fields: t.fields, requireRequired: true, words: Self.english)
        #expect(check.errors.keys.sorted() == ["address"])
    }

    @Test func theChoiceOfTypesNamesEachTypeInTheLanguage() {
        let html = NewRecordView.typeChoice(["gbv_incident", "trafficking_case"], labels: SchemaLabels(policy: Self.policy, language: "vi"),
                                            words: Self.english).raw
        #expect(html.contains("href=\"/records/new?type=gbv_incident\"") && html.contains(">Vụ việc mua bán người</a>"))
    }
}
