import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// An auditor's "who searched for her?" with the name as staff write it: a find made with
    /// the title and one made without are one person's (Sources/HavenSearch/NAMES.md), and
    /// the question keeps a second digest, of the name with its title as the log kept it
    /// before titles were dropped, so finds from then are found too.
    @Suite struct TitledNameAuditTests {
        static let purpose = "survivor returned to the centre"

        @Test func findsWithAndWithoutTheTitleAreFoundEitherWay() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "ນາງ ສົມພອນ ວົງສະຫວັນ", "date_of_birth": "15/08/1995", "incident_type": "rape"])
            let untitled = try v.json(FindRecordsResponse.self, as: "intake", ["record", "find", "--name", "ສົມພອນ ວົງສະຫວັນ",
                                                                              "--purpose", Self.purpose])
            #expect(untitled.matches.map(\.id) == [id] && untitled.matches.first?.nameMatch == "exact", "\(untitled)")
            _ = try v.json(FindRecordsResponse.self, as: "police", ["record", "find", "--name", "ນາງສົມພອນ ວົງສະຫວັນ", "--purpose", Self.purpose])

            for asked in ["ນາງ ສົມພອນ ວົງສະຫວັນ", "ສົມພອນ ວົງສະຫວັນ", "ທ່ານນາງ ສົມພອນວົງສະຫວັນ"] {
                let r = try v.json(AuditSearchesResponse.self, as: "auditor", ["audit", "searches", "--name", asked])
                #expect(Set(r.entries.compactMap(\.actor?.user)) == ["intake", "police"], "\(asked): \(r.entries)")
            }
            let questions = try v.auditLog(["--user", "auditor", "--limit", "1000"]).filter { $0.detail["operation"] == "searches" }
            #expect(questions.count == 3)
            // Newest first: the question with a title kept the digest with it, the one without needed none.
            #expect(questions[0].detail["name_digest_with_title"] != nil && questions[1].detail["name_digest_with_title"] == nil,
                    "\(questions.map(\.detail))")
            #expect(questions[0].detail["name_digest"] == questions[1].detail["name_digest"])
            #expect(questions[2].detail["name_digest_with_title"] != questions[0].detail["name_digest_with_title"])

            // The date typed day first is stored as YYYY-MM-DD.
            let read = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "check"])
            #expect(read.fields["date_of_birth"] == "1995-08-15", "\(read.fields)")
        }
    }
}
