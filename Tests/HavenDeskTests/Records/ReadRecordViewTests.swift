import Foundation
import HavenAPI
import HavenDesk
import Testing

/// The record page and its print view: values escaped, withheld fields without a value,
/// the schema's labels in the person's language.
@Suite struct ReadRecordViewTests {
    static func model(_ r: ReadRecordResponse, actions: Set<String> = []) -> RecordView.Model {
        RecordView.Model(record: r, purpose: .caseManagement, consent: nil, referrals: [], actions: actions)
    }

    @Test func hostileValuesAreShownAsText() throws {
        let json = try String(decoding: JSONEncoder().encode(ReadFixtures.hostile), as: UTF8.self)
        let r = ReadFixtures.record(fields: "{\"survivor_name\": \(json), \"nationality\": \(json)}",
                                    notes: "[{\"index\": 1, \"class\": \"counselling\", \"author\": \"counsellor\", \"created_at\": \"2026-12-07T10:00:00Z\", \"text\": \(json)}]",
                                    notesTotal: 1)
        let html = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.en)).raw
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img"))
        let print = RecordPrintView.render(r, printedBy: "<b>x</b>", printedAt: "2026-12-07T22:00:00Z", labels: ReadFixtures.labels(.en)).raw
        #expect(!print.contains("<script>") && !print.contains("<b>x</b>"))
    }

    @Test func aWithheldFieldCarriesNoValueEvenIfOneWereSent() {
        // A released value and a withheld entry for the same field: the page shows only why.
        let r = ReadFixtures.record(fields: "{\"survivor_name\": \"Vilay Phommachanh\", \"phone\": \"020 5551 2345\"}",
                                    withheld: "[{\"field\": \"phone\", \"reason\": \"requires consent counselling\"}]")
        let html = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.en)).raw
        #expect(html.contains("<dd data-field=\"phone\" class=\"withheld\">"))
        #expect(!html.contains("5551"))
        #expect(html.contains("requires consent counselling"))
        #expect(html.contains("<dd data-field=\"survivor_name\">Vilay Phommachanh</dd>"))
    }

    @Test func labelsGroupsAndChoicesAreInLaoAndVietnamese() {
        let r = ReadFixtures.record(fields: "{\"survivor_name\": \"Nguyễn Thị Hoà\", \"incident_type\": \"rape\", \"date_of_birth\": \"1998-03-07\"}")
        let lo = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.lo)).raw
        #expect(lo.contains("ຂໍ້ມູນຂອງຜູ້ຖືກເຄາະຮ້າຍ"))    // Survivor information
        #expect(lo.contains("ຊື່ ແລະ ນາມສະກຸນ ຂອງຜູ້ຖືກເຄາະຮ້າຍ"))  // Survivor's name
        #expect(lo.contains("<dd data-field=\"incident_type\">ການຂົ່ມຂືນ</dd>"))
        #expect(lo.contains("<dd data-field=\"date_of_birth\">07/03/1998</dd>"))
        let vi = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.vi)).raw
        #expect(vi.contains("Thông tin về nạn nhân") && vi.contains("Họ và tên nạn nhân"))
        #expect(vi.contains("<dd data-field=\"incident_type\">Hiếp dâm</dd>"))
        let print = RecordPrintView.render(r, printedBy: "intake", printedAt: "2026-12-07T22:05:00Z", labels: ReadFixtures.labels(.vi)).raw
        #expect(print.contains("<article id=\"print-record\" lang=\"vi\""))
        #expect(print.contains("Hiếp dâm") && print.contains("07/12/2026 22:05 UTC") && print.contains("intake"))
    }

    @Test func fieldsFollowTheSchemasGroupsAndOrder() throws {
        let r = ReadFixtures.record(fields: "{\"phone\": \"1\", \"survivor_name\": \"A\", \"intake_date\": \"2026-01-02\"}")
        let html = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.en)).raw
        let order = ["intake_date", "survivor_name", "phone"].map { html.range(of: "data-field=\"\($0)\"")!.lowerBound }
        #expect(order == order.sorted())
        #expect(html.components(separatedBy: "<section class=\"group\">").count == 4)
    }

    @Test func actionLinksFollowTheRolesActions() {
        let r = ReadFixtures.record(fields: "{}")
        let none = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.en)).raw
        #expect(none.contains("id=\"action-print\"") && !none.contains("id=\"action-edit\"") && !none.contains("id=\"action-erase\""))
        let intake = RecordView.render(Self.model(r, actions: ["record.update", "note.add", "record.assign", "consent.record",
                                                               "referral.create", "record.erase"]), labels: ReadFixtures.labels(.en)).raw
        for id in ["edit", "note", "assign", "consent", "refer", "erase", "print"] {
            #expect(intake.contains("id=\"action-\(id)\" href=\"/records/rec_7f3a/"), "\(id)")
        }
    }

    @Test func notesAreNewestFirstWithALinkToEarlierOnes() {
        let notes = (5...6).map { i in
            "{\"index\": \(i), \"class\": \"counselling\", \"author\": \"counsellor\", \"created_at\": \"2026-12-0\(i)T10:00:00Z\", \"text\": \"note \(i)\"}"
        }
        let r = ReadFixtures.record(fields: "{}", notes: "[" + notes.joined(separator: ",") + "]", notesTotal: 6)
        let html = RecordView.render(Self.model(r), labels: ReadFixtures.labels(.en)).raw
        #expect(html.range(of: "note 6")!.lowerBound < html.range(of: "note 5")!.lowerBound)
        #expect(html.contains("href=\"/records/rec_7f3a?purpose=case_management&amp;notes_before=5\""))
        #expect(html.components(separatedBy: "<li class=\"note\"").count == 3)
    }
}
