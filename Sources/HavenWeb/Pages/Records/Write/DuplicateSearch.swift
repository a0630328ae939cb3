import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy

/// The check before a record is saved: the searches havend's own duplicate check makes at
/// `record create` (the same name and date of birth; the same phone), made first as
/// `record find` so the person sees what matched while nothing is saved yet. Each search is
/// audited as a find with this purpose, under the person's name.
enum DuplicateSearch {
    /// The purpose havend gives its own check, so an auditor reads both alike.
    static let purpose = "duplicate check at record creation"

    /// The findings, or nil when nothing matched or there is nothing to search by. A role
    /// without `record.find` is not asked: it learns nothing of other records at creation
    /// either.
    static func before(creating values: [String: String], of type: RecordType, _ desk: Desk) async throws(HavenError)
        -> DuplicateFindings? {
        guard RecordWriteSupport.may(.recordFind, desk) else { return nil }
        func first(_ kind: SearchKind) -> String? {
            type.fields.lazy.filter { $0.search == kind }.compactMap { values[$0.name.rawValue] }.first
        }
        var searches = [FindRecordsRequest]()
        if let name = first(.name), let dob = first(.date) {
            searches.append(FindRecordsRequest(name: name, phone: nil, dob: dob, purpose: purpose))
        }
        if let phone = first(.phone) {
            searches.append(FindRecordsRequest(name: nil, phone: phone, dob: nil, purpose: purpose))
        }
        var findings = DuplicateFindings()
        for search in searches {
            do throws(HavenError) {
                let answer: FindRecordsResponse = try await desk.vault.post("/v1/records/find", search)
                findings.merge(answer)
            } catch where error.code == .invalidValue {
                // A value no search can use (a phone of letters) is skipped, as havend's own
                // check at creation skips it: the record itself may still hold it.
                continue
            }
        }
        return findings.isEmpty ? nil : findings
    }
}
