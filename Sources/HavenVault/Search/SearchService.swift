import HavenAPI
import HavenCore
import HavenPolicy
import NIOCore

/// Search (`vault.search`): a returning survivor found by name, phone or date of birth,
/// and the duplicate check a new record gets. Candidates come from the blind indexes; each
/// is opened and matched on its decrypted values, and what the caller may not read of it is
/// only counted, by agency.
public struct SearchService: Sendable {
    let pipeline: RequestPipeline
    let indexer: SearchIndexer
    let keys: VaultKeys

    /// `record.find`: a returning survivor found by name, phone or date of birth. Matches
    /// the caller could read are listed, the others counted by agency; the audit entry
    /// names the purpose, which kinds of value were searched and what was listed — never
    /// the values searched for.
    public func find(_ ctx: RequestContext, request: FindRecordsRequest) -> EventLoopFuture<FindRecordsResponse> {
        var entry = pipeline.begin(Action.recordFind.rawValue, ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<FindRecordsResponse> in
            let user = try pipeline.caller(ctx, &entry)
            try FieldValueRules.checkText(request.purpose, what: "purpose", maximum: FieldValueRules.maximumPurposeLength)
            entry.event.purpose = request.purpose
            let policy = pipeline.policies.policy
            let decision = policy.decide(AccessRequest(subject: RequestPipeline.subject(of: user), action: .recordFind,
                                                       purpose: request.purpose, now: pipeline.clock.now()))
            try RequestPipeline.require(decision, &entry)
            let query = try SearchQuery(name: request.name, phone: request.phone, dob: request.dob)
            entry.event.detail["searched"] = query.searched
            let result = try pipeline.readSnapshot { (view) throws(HavenError) -> SearchResult in
                var result = SearchResult()
                let matches = try searchMatches(query, in: view, policy: policy, findings: &result.findings)
                sortMatches(matches, for: user, purpose: request.purpose, policy: policy, into: &result)
                return result
            }
            entry.event.detail["listed"] = result.listed.map(\.id).joined(separator: ",")
            entry.event.detail["elsewhere"] = result.elsewhereDetail
            if !result.findings.isEmpty { entry.event.detail["integrity"] = result.findings.joined(separator: "; ") }
            return pipeline.writer.audit(on: ctx.eventLoop, entry.event).map { committed in
                FindRecordsResponse(matches: result.listed, elsewhere: result.elsewhereCounts, auditSeq: committed.auditSeq)
            }
        }
    }
}
