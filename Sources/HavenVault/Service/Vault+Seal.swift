import HavenAudit
import HavenCore
import HavenPolicy
import NIOCore

extension Vault {
    /// `key.manage`: may the caller seal the vault? The answer is the entry that will close
    /// the log as the vault stops (`shutdown(finalEvent:)`), so the seal is the last thing
    /// written under the keys it wipes. A refusal is audited and answered here.
    public func sealRequest(_ ctx: RequestContext, mode: SealMode) -> EventLoopFuture<AuditEvent> {
        var record = RequestRecord(action: "vault.seal", peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<AuditEvent> in
            _ = try authorize(ctx, &record, .keyManage, under: policies.policy)
            guard mode != .file else {
                throw HavenError(.conflict, "this vault's root key is kept in a file, which would open it again at once",
                                 hint: "seal a vault created with --seal passphrase or --seal shares")
            }
            record.event.detail["seal"] = mode.rawValue
            return ctx.eventLoop.makeSucceededFuture(record.event)
        }
    }
}
