import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore

extension SearchService {
    /// The most candidates a search may name before it is refused as too broad (a date of
    /// birth alone names about 250 per index value at a million records).
    static let maximumCandidates = 2000

    /// Finds the records matching `query` in one snapshot: candidates from the blind
    /// indexes (`candidates`), each opened under its sealed header and kept only if its
    /// decrypted values match, so an index coincidence, or a row added outside Haven, never
    /// reaches the caller.
    func searchMatches(_ query: SearchQuery, in view: StoreView, policy: Policy,
                       findings: inout [String]) throws(HavenError) -> [SearchMatch] {
        let candidates = try candidates([query], limit: Self.maximumCandidates + 1, in: view)
        guard candidates.total <= Self.maximumCandidates else {
            throw HavenError(.invalidValue, "the search names too many records to check",
                             hint: "add the survivor's name or phone to the date of birth")
        }
        var matches = [SearchMatch]()
        for id in candidates.ids.sorted(by: { $0.rawValue < $1.rawValue }) {
            if let m = try confirm([query], id, in: view, policy: policy, findings: &findings) { matches.append(m) }
        }
        return matches
    }

    /// The candidate's match of any of `queries` (their matched fields together), or nil:
    /// dropped from its stored values alone when it cannot match (`mightMatch`), else opened
    /// under its sealed header and matched on its decrypted values.
    func confirm(_ queries: [SearchQuery], _ id: RecordID, in view: StoreView, policy: Policy,
                 findings: inout [String]) throws(HavenError) -> SearchMatch? {
        var possible = [SearchQuery]()
        for q in queries {
            if try mightMatch(q, id, on: view.db) { possible.append(q) }
        }
        guard !possible.isEmpty else { return nil }
        let opened: OpenedRecord
        do throws(HavenError) {
            opened = try pipeline.opener.open(id, in: view, policy: policy)
        } catch where error == RequestPipeline.snapshotRaced {
            throw error
        } catch where error.code == .integrityError {
            findings.append(error.message == HavenError.integrity.message ? "record \(id) failed its integrity check" : error.message)
            return nil
        } catch {
            return nil  // erased, gone, or of a type the policy no longer defines
        }
        var found: SearchMatch?
        for q in possible {
            do throws(HavenError) {
                guard let m = try match(q, opened, on: view.db) else { continue }
                guard let earlier = found else {
                    found = m
                    continue
                }
                // Matched by two lookups (name and date of birth; phone): their fields together.
                let matched = Array(Set(earlier.matched + m.matched))
                found = SearchMatch(opened: opened, matched: matched, exactName: m.exactName ?? earlier.exactName)
            } catch where error.code == .integrityError {
                findings.append("record \(id): a searched field failed its integrity check")
                return nil
            }
        }
        return found
    }

    /// Whether a candidate can match, from its stored field values alone: most candidates
    /// are index coincidences (about 15 for a phone at a million records), and this drops
    /// them for a data key unwrap and a field decryption each, without opening and parsing
    /// their headers. The version each field is opened under is the row's, which nothing
    /// vouches for: a field rolled back outside Haven could hide a record from a search
    /// (as a deleted index row could), never add one — a candidate kept here is opened
    /// under its sealed header and matched again (`match`). Anything that fails to open
    /// is kept, for that full open to report.
    private func mightMatch(_ query: SearchQuery, _ id: RecordID, on db: Connection) throws(HavenError) -> Bool {
        let logger = pipeline.logger
        guard let row = try storeCall(logger, { try RecordTable.load(id, on: db) }), row.status != RecordTombstone.status else {
            return false  // gone or erased: nothing to list
        }
        guard let dataKey = try? keys.dataKeys.unwrap(row.wrappedKey, record: id, dataKeyVersion: row.dataKeyVersion) else { return true }
        let cipher = RecordCipher(vault: keys.vaultID, record: id, dataKey: dataKey, dataKeyVersion: row.dataKeyVersion)
        let stored = try storeCall(logger) { try RecordTable.fields(of: id, on: db) }
        for c in query.criteria {
            var hit = false
            for field in stored {
                guard let name = try? FieldName(field.name), indexer.fields[name]?.kind == c.kind else { continue }
                let opened = field.ciphertext.withUnsafeBytes { b in
                    Result { () throws(CryptoError) -> PlaintextBuffer in try cipher.openField(name, version: field.version, box: b) }
                }
                guard case .success(let plain) = opened else { return true }
                if SearchIndexer.form(c.kind, plain.string()) == c.form {
                    hit = true
                    break
                }
            }
            guard hit else { return false }
        }
        return true
    }

    /// The record's match of every criterion, or nil.
    private func match(_ query: SearchQuery, _ opened: OpenedRecord, on db: Connection) throws(HavenError) -> SearchMatch? {
        let stored = try storeCall(pipeline.logger) { try RecordTable.fields(of: opened.header.id, on: db) }
        let byName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var matched = [FieldName]()
        var exactName: Bool?
        for c in query.criteria {
            var hit = false
            // The indexer's fields, not the policy's of the moment: a reload that changes a
            // `search:` key takes effect at the next start, with the index rebuilt for it.
            for spec in opened.type.fields where indexer.fields[spec.name]?.kind == c.kind
                && opened.header.fieldVersions[spec.name] != nil {
                let text = try pipeline.opener.openField(spec.name, of: opened, stored: byName).string()
                guard SearchIndexer.form(c.kind, text) == c.form else { continue }
                hit = true
                matched.append(spec.name)
                if c.kind == .name {
                    let exact = c.exactName != nil && SearchQuery.criterion(.name, text)?.exactName == c.exactName
                    exactName = (exactName ?? false) || exact
                }
            }
            guard hit else { return nil }
        }
        return SearchMatch(opened: opened, matched: matched, exactName: exactName)
    }

    /// Lists each match the caller could read every matched field of (a `record.find`
    /// decision on the record); of the others the caller learns only what its role's
    /// `find_elsewhere` and the survivor's consent allow (`Policy.elsewhere`): its agency and
    /// a count, a flag with neither, or nothing. Never an id or content.
    func sortMatches(_ matches: [SearchMatch], for user: EnrolledUser, purpose: String, policy: Policy,
                     into result: inout SearchResult) {
        let now = pipeline.clock.now()
        let subject = RequestPipeline.subject(of: user)
        for m in matches {
            let decision = policy.decide(AccessRequest(subject: subject, action: .recordFind, record: m.opened.facts,
                                                       fields: m.matched, purpose: purpose, now: now))
            let h = m.opened.header
            if decision.allowed {
                // Who works the case is the record's agency's to know, and a role's that reaches
                // every agency (police, health, court); a receiving agency reaching it through a
                // referral learns none of the sender's staff, as in its record list.
                let namesStaff = h.agency == user.agency || policy.role(user.role)?.reach == .any
                result.listed.append(FoundRecord(id: h.id.rawValue, type: h.type.rawValue, agency: h.agency.rawValue,
                                                 matched: m.matched.map(\.rawValue),
                                                 nameMatch: m.exactName.map { $0 ? "exact" : "without_diacritics" },
                                                 assignees: namesStaff ? h.assignees.map(\.rawValue) : []))
                continue
            }
            switch policy.elsewhere(subject, record: m.opened.facts, now: now) {
            case .named: result.elsewhere[h.agency.rawValue, default: 0] += 1
            case .mayExist: result.mayExistElsewhere = true
            case .hidden: break
            }
        }
    }
}
