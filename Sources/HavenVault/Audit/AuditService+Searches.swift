import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenSearch
import HavenStore
import NIOCore

extension AuditService {
    /// Entries looked through per page of the scan.
    static let searchesPage = 5000
    /// The most finds one answer lists.
    public static let maximumSearches = 1000

    /// `haven audit searches`: who searched for a given name, phone or date of birth. The
    /// daemon computes each value's keyed digest in its search form (`SearchDigest`, as a
    /// find's entry keeps it) and lists, newest first, every `record.find` entry holding one
    /// of them — allowed or refused. The question is itself an `audit.read` entry, which
    /// keeps the digests and how many finds were listed, never the values; the answer holds
    /// only entries, which hold no value either.
    public func searches(_ ctx: RequestContext, request: AuditSearchesRequest) -> EventLoopFuture<[UInt8]> {
        var entry = pipeline.begin(Action.auditRead.rawValue, ctx)
        entry.event.detail["operation"] = "searches"
        let logger = pipeline.logger
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<[UInt8]> in
            _ = try pipeline.authorize(ctx, &entry, .auditRead, under: pipeline.policies.policy)
            let criteria = try SearchQuery.criteria(name: request.name, phone: request.phone, dob: request.dob)
            let digest = SearchDigest(signingKey: keys.signingKey)
            var digests = [String: String]()
            for c in criteria { digests[SearchQuery.word(c.kind)] = digest.digest(kind: SearchQuery.word(c.kind), form: c.form) }
            entry.event.detail["searched"] = criteria.map { SearchQuery.word($0.kind) }.joined(separator: ",")
            for (kind, d) in digests { entry.event.detail[kind + "_digest"] = d }
            // Finds recorded before names lost their titles (index format 2) keep the digest of
            // the name as typed, title and all: the name is asked for in those forms too.
            var sought = digests.mapValues { [$0] }
            if let name = request.name, let form = criteria.first(where: { $0.kind == .name })?.form {
                let earlier = Self.formerNameDigests(name, form: form, digest: digest)
                sought["name", default: []] += earlier.withTitle.map { [$0] } ?? []
                sought["name", default: []] += earlier.withEachTitle
                if let d = earlier.withTitle { entry.event.detail["name_digest_with_title"] = d }
                if !earlier.withEachTitle.isEmpty {
                    entry.event.detail["name_digests_with_each_title"] = String(earlier.withEachTitle.count)
                }
            }
            var filter = AuditFilter()
            filter.action = Action.recordFind.rawValue
            filter.since = try Self.time(request.since, "since")?.millisecondsSinceEpoch
            filter.until = try Self.time(request.until, "until")?.millisecondsSinceEpoch
            let (found, scanned) = try pipeline.readSnapshot { (view) throws(HavenError) -> ([[UInt8]], Int) in
                try storeCall(logger) { try Self.scan(filter, digests: sought, on: view.db) }
            }
            entry.event.detail["found"] = String(found.count)
            var w = JSONWriter(capacity: 600 * found.count + 256)
            w.object { o in
                o.key("digests")
                o.object { d in for kind in digests.keys.sorted() { d.field(kind, digests[kind]!) } }
                o.key("entries")
                o.array { a in for e in found { a.raw(e) } }
                o.field("scanned", scanned)
            }
            return pipeline.answer(ctx, entry, w.bytes)
        }
    }

    /// The digests finds from before index format 3 kept for the asked name: of the name with
    /// the title it was asked with, or, asked without one, of the name behind each title
    /// `NameTitles` drops (`SearchForm.looseNamesWithEachTitle`, at most
    /// `SearchForm.maximumFormerTitledForms`), since staff then searched as they wrote.
    static func formerNameDigests(_ name: String, form: String, digest: SearchDigest) -> (withTitle: String?, withEachTitle: [String]) {
        if let earlier = SearchForm.looseNameWithTitles(name), earlier != form {
            return (digest.digest(kind: "name", form: earlier), [])
        }
        return (nil, SearchForm.looseNamesWithEachTitle(name).map { digest.digest(kind: "name", form: $0) })
    }

    /// The find entries, newest first, whose detail holds one of `digests` under its kind's
    /// key, and how many finds were looked through. Each candidate is parsed and compared
    /// key by key, so a digest that happens to appear elsewhere in an entry is no match.
    static func scan(_ filter: AuditFilter, digests: [String: [String]], on db: Connection) throws -> ([[UInt8]], Int) {
        let needles = digests.values.flatMap { $0.map { Array($0.utf8) } }
        var found = [[UInt8]]()
        var scanned = 0
        var cursor: UInt64?
        while found.count < maximumSearches {
            let page = try AuditTable.search(filter, newestFirst: true, cursor: cursor, limit: searchesPage, countLimit: 0, on: db)
            for row in page.rows where found.count < maximumSearches {
                scanned += 1
                guard needles.contains(where: { row.entry.firstRange(of: $0) != nil }),
                      let parsed = try? AuditEntry(canonicalBytes: row.entry),
                      digests.contains(where: { kind, values in parsed.event.detail[kind + "_digest"].map(values.contains) ?? false }) else { continue }
                found.append(row.entry)
            }
            guard page.rows.count == searchesPage, let last = page.rows.last else { break }
            cursor = last.seq
        }
        return (found, scanned)
    }

    static func time(_ text: String?, _ what: String) throws(HavenError) -> Timestamp? {
        guard let text else { return nil }
        guard let t = Timestamp(parsing: text) else { throw HavenError(.invalidValue, "\(what) must be a date or an RFC 3339 time") }
        return t
    }
}
