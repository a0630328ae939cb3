import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import NIOCore

/// Search (`vault.search`): a returning survivor found by name, phone or date of birth,
/// and the duplicate check a new record gets. Candidates come from the blind indexes; each
/// is opened and matched on its decrypted values; of what the caller may not read it learns
/// only what its role's `find_elsewhere` and the survivor's consent allow.
public struct SearchService: Sendable {
    let pipeline: RequestPipeline
    let indexer: SearchIndexer
    let keys: VaultKeys
    /// One per vault, so every connection of a user draws on the same bucket.
    let throttle: FindThrottle
    let digests: SearchDigest

    init(pipeline: RequestPipeline, indexer: SearchIndexer, keys: VaultKeys) {
        self.pipeline = pipeline
        self.indexer = indexer
        self.keys = keys
        self.throttle = FindThrottle()
        self.digests = SearchDigest(signingKey: keys.signingKey)
    }

    /// `record.find`: a returning survivor found by name, phone or date of birth (never a
    /// date alone), at a person's pace (`FindThrottle`). Matches the caller could read are
    /// listed; of the others it learns what `Policy.elsewhere` allows. The audit entry names
    /// the purpose, which kinds of value were searched, a keyed digest of each (never the
    /// value) and what was answered; a refused find is an entry too.
    public func find(_ ctx: RequestContext, request: FindRecordsRequest) -> EventLoopFuture<FindRecordsResponse> {
        var entry = pipeline.begin(Action.recordFind.rawValue, ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<FindRecordsResponse> in
            let user = try pipeline.caller(ctx, &entry)
            try FieldValueRules.checkText(request.purpose, what: "purpose", maximum: FieldValueRules.maximumPurposeLength)
            entry.event.purpose = request.purpose
            // Before the decision, so that a refused attempt (a role that may not search, or
            // one over its pace) still says whom it was for.
            let query = try SearchQuery(name: request.name, phone: request.phone, dob: request.dob)
            entry.event.detail["searched"] = query.searched
            entry.event.detail.merge(query.digests(digests)) { a, _ in a }
            let policy = pipeline.policies.policy
            let decision = policy.decide(AccessRequest(subject: RequestPipeline.subject(of: user), action: .recordFind,
                                                       purpose: request.purpose, now: pipeline.clock.now()))
            try RequestPipeline.require(decision, &entry)
            let limit = policy.role(user.role)?.findLimit ?? .standard
            if case .refused(let wait) = throttle.take(user.name, limit: limit) {
                let refusal = FindThrottle.refusal(wait, limit: limit)
                entry.event.rule = refusal.message
                throw refusal
            }
            let result = try pipeline.readSnapshot { (view) throws(HavenError) -> SearchResult in
                var result = SearchResult()
                let matches = try searchMatches(query, in: view, policy: policy, findings: &result.findings)
                sortMatches(matches, for: user, purpose: request.purpose, policy: policy, into: &result)
                CaseNumbers(keys: keys, logger: pipeline.logger).label(&result.listed, caller: user.agency, on: view.db)
                return result
            }
            entry.event.detail["listed"] = result.listed.map(\.id).joined(separator: ",")
            entry.event.detail["elsewhere"] = result.elsewhereDetail
            if result.mayExistElsewhere { entry.event.detail["may_exist_elsewhere"] = "true" }
            if !result.findings.isEmpty { entry.event.detail["integrity"] = result.findings.joined(separator: "; ") }
            return pipeline.writer.audit(on: ctx.eventLoop, entry.event).map { committed in
                FindRecordsResponse(matches: result.listed, elsewhere: result.elsewhereCounts,
                                    mayExistElsewhere: result.mayExistElsewhere, auditSeq: committed.auditSeq)
            }
        }
    }
}
