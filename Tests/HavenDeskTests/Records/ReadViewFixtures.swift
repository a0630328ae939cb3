import Foundation
import HavenAPI
import HavenDesk
import HavenPolicy
import HavenTestSupport

/// The repository's policy and answers as havend gives them, for the read pages' view tests.
enum ReadFixtures {
    static let policy: Policy = {
        do { return try PolicyDirectory.load(Repository.path("policy")) } catch { fatalError("policy/: \(error)") }
    }()

    static func labels(_ language: Language) -> ReadLabels {
        ReadLabels(words: Words(language: language, catalog: Catalog(tables: [:])), policy: policy)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T {
        do { return try JSONDecoder().decode(type, from: Data(json.utf8)) } catch { fatalError("\(error)") }
    }

    /// A hostile value, as an enrolled user might type it into any field.
    static let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"

    static func record(fields: String, withheld: String = "[]", notes: String = "[]", notesTotal: Int = 0,
                       caseNumber: String = "\"VTE-2026-0001\"") -> ReadRecordResponse {
        decode(ReadRecordResponse.self, """
        {"id": "rec_7f3a", "type": "gbv_incident", "agency": "ossc-vientiane", "case_number": \(caseNumber), "version": 3,
         "fields": \(fields), "withheld": \(withheld), "notes": \(notes), "withheld_notes": [], "notes_total": \(notesTotal),
         "break_glass": false, "audit_seq": 12}
        """)
    }
}
