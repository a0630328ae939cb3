import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy

/// GET /records: the person's records, or all their role may list, the newest changed first.
///
/// havend lists what the role may list; it has no filter by assignee, so "my records" is
/// picked out here: records assigned to the person (for a role that reaches only assigned
/// records, that is already the whole list). The referral state comes from the agency's
/// referral lists, read once per page.
enum RecordListPage {
    /// Rows per page asked of havend.
    static let pageSize = 50
    /// havend pages read at most for one page of "my records", so a person with few records
    /// in a large agency still gets an answer soon (the next-page link goes on from there).
    static let pagesPerAnswer = 10

    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        let scope = RecordListView.Scope(rawValue: request.query["scope"] ?? "") ?? .mine
        let role = (try? RoleName(desk.role)).flatMap { desk.policy.role($0) }
        let filter = scope == .mine && role?.reach != .assigned
        let title = scope == .mine ? w("My records") : w("Records")
        do throws(HavenError) {
            var cursor = request.query["after"].flatMap { $0.isEmpty ? nil : $0 }
            var records = [RecordSummary]()
            var damaged = [String]()
            var pages = 0
            repeat {
                var path = "/v1/records?order=newest&limit=\(pageSize)"
                if let cursor { path += "&after=\(ReadRefusal.escape(cursor))" }
                let page: RecordListResponse = try await desk.vault.get(path)
                records += filter ? page.records.filter { $0.assignees.contains(desk.user) } : page.records
                damaged += page.damaged
                cursor = page.next
                pages += 1
            } while filter && records.count < pageSize && cursor != nil && pages < pagesPerAnswer
            let states = await referralStates(desk, of: Set(records.map(\.id)))
            let body = RecordListView.render(
                .init(scope: scope, records: records, next: cursor, damaged: damaged, referralStates: states, filteredHere: filter),
                labels: ReadLabels(words: w, policy: desk.policy))
            return desk.page(title: title, section: .records, body: body)
        } catch {
            return desk.page(title: title, section: .records, body: desk.refusal(error), status: ReadRefusal.status(error))
        }
    }

    /// The latest referral state of each listed record the agency sent or received; none
    /// where the role may not list referrals (the column then stays empty).
    static func referralStates(_ desk: Desk, of ids: Set<String>) async -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var latest: [String: (at: String, status: String)] = [:]
        for direction in ["outgoing", "incoming"] {
            guard let list: ReferralListResponse = try? await desk.vault.get("/v1/referrals?direction=\(direction)") else { continue }
            for r in list.referrals {
                guard let record = r.record, ids.contains(record) else { continue }
                if let known = latest[record], known.at >= r.updatedAt { continue }
                latest[record] = (r.updatedAt, r.status)
            }
        }
        return latest.mapValues(\.status)
    }
}
